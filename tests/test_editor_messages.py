"""Editor messages that never mislead (issue 45): each mistake made in a real content file,
its message asserted at the line and field it names, and its fix followed to a valid file."""

from __future__ import annotations

from pathlib import Path

import pytest

import spikecontent
from spikecontent import ContentError, Diagnostic
from spikecontent.diagnostics import Level
from spikecontent.loading.duplicates import DUPLICATE_QUESTION
from spikecontent.loading.indentation import MOVED_INTO_TEXT, MOVED_OUT_OF_TEXT
from spikecontent.pipeline import check_folders
from tests.conftest import ARTICLE, Project, errors_of

SLEEP_END = "both go deeper on building that routine.\n"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def only(project: Project) -> Diagnostic:
    diagnostics = errors_of(project.content)
    assert len(diagnostics) == 1, [str(d) for d in diagnostics]
    return diagnostics[0]


def line_of(project: Project, text: str, relative: str = ARTICLE) -> int:
    lines = (project.content / relative).read_text(encoding="utf-8").splitlines()
    [number] = [n for n, line in enumerate(lines, 1) if text in line]
    return number


# 1. Indentation mistakes


@pytest.mark.parametrize(
    "paragraph",
    [
        # With a colon it reads as a key ("unknown field '...'" before: its fix deleted it).
        "Many people lie on a mat before bed: it helps them wind down, they say.",
        # Without one, the parser stops at it.
        "Many people lie on a mat before bed and say it helps them wind down.",
    ],
)
def test_a_prose_line_dedented_out_of_its_block(project: Project, paragraph: str) -> None:
    project.edit(ARTICLE, SLEEP_END, f"{SLEEP_END}\n  {paragraph}\n")
    moved = line_of(project, paragraph)
    error = only(project)
    assert (error.line, error.col) == (moved, 3)
    assert MOVED_OUT_OF_TEXT in error.message
    assert "unknown field" not in error.message
    if ": " in paragraph:
        assert error.field == "sleep.body"
    assert "indent it by 2 more spaces, to column 5" in error.fix
    assert "do not remove it" in error.fix
    # Following the fix: the paragraph is the body's second one.
    project.edit(ARTICLE, f"\n  {paragraph}\n", f"\n    {paragraph}\n")
    library = spikecontent.load(project.content)
    assert library.article("acupressure-mat-benefits").sleep.body.source.endswith(  # type: ignore[union-attr]
        f"\n\n{paragraph}\n"
    )


def test_a_key_indented_into_the_text_above(project: Project) -> None:
    project.edit(
        ARTICLE,
        "      key_finding: >-\n        Exploratory 'bed of nails' study",
        "        key_finding: >-\n        Exploratory 'bed of nails' study",
    )
    moved = line_of(project, "        key_finding: >-")
    summary = moved - 2  # its 'summary: |', one line of text above it
    error = only(project)
    assert (error.line, error.col) == (moved, 9)
    assert error.field == "research.citations[0].key_finding"
    assert MOVED_INTO_TEXT in error.message
    assert f"line {summary}" in error.message
    assert "required field is missing" not in error.message
    assert "back to column 7, in line with 'summary:'" in error.fix
    project.edit(ARTICLE, "        key_finding: >-", "      key_finding: >-")
    library = spikecontent.load(project.content)
    [citation] = [
        c
        for c in library.article("acupressure-mat-benefits").research.citations  # type: ignore[union-attr]
        if c.study == "bed-of-nails-2011"
    ]
    assert "key_finding" not in citation.summary.source
    assert citation.key_finding.startswith("Exploratory 'bed of nails' study")


def test_a_bare_parser_message_names_the_structure_still_open(project: Project) -> None:
    project.edit(
        ARTICLE,
        "  - date: 2026-07-04\n    summary: Reviewed and updated.\n",
        "  - date: 2026-07-04\n    summary: Reviewed and updated.\n  reviewed_by: maya-ellison\n",
    )
    moved = line_of(project, "  reviewed_by: maya-ellison")
    start = line_of(project, "  - date: 2026-07-04")
    error = only(project)
    assert (error.line, error.col) == (moved, 3)
    assert "did not find expected '-' indicator" in error.message
    assert f"the list that starts at line {start}, column 3 (under 'revisions:')" in error.message
    assert "still open here" in error.message
    assert "indent it to column 5, in line with 'summary:' above" in error.fix
    project.edit(ARTICLE, "\n  reviewed_by: maya-ellison", "\n    reviewed_by: maya-ellison")
    library = spikecontent.load(project.content)
    assert library.article("acupressure-mat-benefits").revisions[0].reviewed_by == "maya-ellison"


# 4. Slug and file name


@pytest.mark.parametrize("way_out", ["rename the file", "change the slug"])
def test_a_slug_that_differs_from_its_file_name(project: Project, way_out: str) -> None:
    line = project.edit(ARTICLE, "slug: acupressure-mat-benefits", "slug: acupressure-mats")
    error = only(project)
    assert (error.line, error.col, error.field) == (line, 7, "slug")
    assert "'acupressure-mats' differs from the file's name 'acupressure-mat-benefits.yaml'" in (
        error.message
    )
    assert "rename the file to acupressure-mats.yaml" in error.fix
    assert "change the slug to acupressure-mat-benefits" in error.fix
    if way_out == "rename the file":
        path = project.content / ARTICLE
        path.rename(path.with_name("acupressure-mats.yaml"))
        assert spikecontent.load(project.content).article("acupressure-mats")
    else:
        project.edit(ARTICLE, "slug: acupressure-mats", "slug: acupressure-mat-benefits")
        assert spikecontent.load(project.content).article("acupressure-mat-benefits")


# 3. Duplicates

NEW_FAQ = "    - id: {id}\n      question: {question}\n      answer: |\n        An answer.\n"


def test_a_duplicate_faq_id_is_reported_at_the_later_copy(project: Project) -> None:
    first = line_of(project, "    - id: sleep")
    project.add_faq(NEW_FAQ.format(id="sleep", question="Does the mat need cleaning?"))
    later = line_of(project, "question: Does the mat need cleaning?") - 1
    error = only(project)
    assert (error.line, error.field) == (later, "faq.items[4].id")
    assert f"FAQ id 'sleep' appears more than once (first at line {first})" in error.message
    assert "change or remove this one" in error.fix
    project.edit(
        ARTICLE, "    - id: sleep\n      question: Does", "    - id: cleaning\n      question: Does"
    )
    assert spikecontent.load(project.content)


def test_the_same_question_twice_in_an_article(project: Project) -> None:
    asked = "Can an acupressure mat help with sleep?"
    again = "can an acupressure mat help with  SLEEP"
    project.add_faq(NEW_FAQ.format(id="sleep-again", question=again))
    first = line_of(project, f"question: {asked}")
    later = line_of(project, f"question: {again}")
    error = only(project)
    assert (error.line, error.col, error.field) == (later, 17, "faq.items[4].question")
    assert f"appears more than once (first at line {first})" in error.message
    assert "change or remove this one" in error.fix
    project.edit(ARTICLE, f"question: {again}", "question: How long should a session last?")
    assert spikecontent.load(project.content)


def test_the_same_question_in_two_articles_is_a_warning_at_the_later(project: Project) -> None:
    project.with_article("second-article", title="A Second Article")
    asked = "Who should not use an acupressure mat?"
    first = line_of(project, asked)
    later = line_of(project, asked, "articles/second-article.yaml")
    checked = check_folders(project.content, project.exporters)
    said = [w for w in checked.lint_warnings if w.rule == DUPLICATE_QUESTION]
    assert len(said) == 4  # the copy asks all four of the flagship's questions
    [warning] = [w for w in said if w.line == later]
    assert warning.file.endswith("second-article.yaml")
    assert (warning.field, warning.level) == ("faq.items[3].question", Level.WARNING)
    assert f"{project.content / ARTICLE}:{first}:17" in warning.message
    assert "ask a different question here" in warning.fix
    project.edit("articles/second-article.yaml", asked, "How long should a first session last?")
    checked = check_folders(project.content, project.exporters)
    assert [w.line for w in checked.lint_warnings if w.rule == DUPLICATE_QUESTION] == [
        w.line for w in said if w.line != later
    ]


# 2. Errors in stages: a claim is reported beside a bad reference, in one run


def test_a_bad_reference_and_a_claim_are_reported_together(project: Project) -> None:
    id_line = project.edit(ARTICLE, "    - study: hohmann-2012", "    - study: hohman-2012")
    claim_line = project.edit(
        ARTICLE, "It depends what you mean by work.", "Acupressure mats cure back pain."
    )
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    found = {(d.line, d.field): d for d in caught.value.diagnostics}
    assert set(found) == {
        (id_line, "research.citations[1].study"),
        (claim_line, "faq.items[0].answer"),
    }
    assert "did you mean 'hohmann-2012'?" in found[id_line, "research.citations[1].study"].fix
    claim = found[claim_line, "faq.items[0].answer"]
    assert (claim.rule, claim.excerpt) == ("disease-claim", "cure back pain")
    assert not (project.out / "json").exists()
    project.edit(ARTICLE, "    - study: hohman-2012", "    - study: hohmann-2012")
    project.edit(ARTICLE, "Acupressure mats cure back pain.", "It depends what you mean by work.")
    assert project.export(only=["json"]).ok


def test_a_broken_file_and_a_claim_elsewhere_are_reported_together(project: Project) -> None:
    study = "studies/hohmann-2012.yaml"
    year_line = project.edit(study, "year: 2012", "year: '2012'")
    claim_line = project.edit(
        ARTICLE, "It depends what you mean by work.", "Acupressure mats cure back pain."
    )
    with pytest.raises(ContentError) as caught:
        check_folders(project.content, project.exporters)
    placed = {(Path(d.file).name, d.line, d.field) for d in caught.value.diagnostics}
    assert placed == {
        ("hohmann-2012.yaml", year_line, "year"),
        ("acupressure-mat-benefits.yaml", claim_line, "faq.items[0].answer"),
    }


# 5. A missing disclaimer, at the field that would reference it


def test_a_missing_disclaimer_is_reported_at_the_top_of_the_file(project: Project) -> None:
    project.edit(ARTICLE, "\ndisclaimer: wellness\n", "\n")
    with pytest.raises(ContentError) as caught:
        check_folders(project.content, project.exporters)
    [error] = caught.value.diagnostics
    assert (error.line, error.col, error.field) == (1, 1, "disclaimer")
    assert error.rule == "structure.disclaimer"
    assert "add 'disclaimer: <id>'" in error.fix
    project.edit(ARTICLE, "\ncautions:\n", "\ndisclaimer: wellness\ncautions:\n")
    check_folders(project.content, project.exporters)
