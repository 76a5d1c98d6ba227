"""Editor messages that never mislead (issue 45): each mistake made in a real content file,
its message asserted at the line and field it names, and its fix followed to a valid file."""

from __future__ import annotations

from pathlib import Path

import pytest

import spikecontent
from spikecontent import Diagnostic
from spikecontent.loading.indentation import MOVED_INTO_TEXT, MOVED_OUT_OF_TEXT
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
