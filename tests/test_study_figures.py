"""A citation's words against its study's record (lint/study_figures.py): the page prints
the words, the leaflet, JSON-LD and replies print the record, so the two must agree."""

from __future__ import annotations

from pathlib import Path

from spikecontent.diagnostics import Diagnostic, Level
from spikecontent.lint import lint_content, load_rules
from spikecontent.loading.loader import load_with_sources
from tests.conftest import Edit

ARTICLE = "articles/acupressure-mat-benefits.yaml"
RULES = ("structure.study-n-agrees", "structure.study-year-agrees", "structure.study-design-agrees")


def figures(content: Path) -> list[Diagnostic]:
    findings = lint_content(load_with_sources(content), load_rules())
    return [f for f in findings if f.rule in RULES]


def words_at(content: Path, finding: Diagnostic) -> str:
    lines = (content / ARTICLE).read_text(encoding="utf-8").splitlines()
    return lines[finding.line - 1][finding.col - 1 :]


def test_the_seed_says_what_its_studies_record(content_copy: Path) -> None:
    assert figures(content_copy) == []


def test_a_sample_size_that_differs_from_the_record_is_an_error_at_the_words(
    content_copy: Path, edit: Edit
) -> None:
    edit("studies/applied-sciences-2021.yaml", "  n: 44", "  n: 440")
    (problem,) = figures(content_copy)
    assert problem.rule == "structure.study-n-agrees"
    assert problem.level is Level.ERROR
    assert problem.field == "research.citations[2].summary"
    assert "n = 44 where the study 'applied-sciences-2021' records n = 440" in problem.message
    assert words_at(content_copy, problem).startswith("n = 44)")


def test_words_that_date_a_study_only_in_other_years_are_a_warning(
    content_copy: Path, edit: Edit
) -> None:
    """A warning, not an error: words may date only another study they compare with."""
    edit("studies/bed-of-nails-2011.yaml", "year: 2011", "year: 2010")
    (problem,) = figures(content_copy)
    assert problem.rule == "structure.study-year-agrees"
    assert problem.level is Level.WARNING
    assert "dates a study 2011 but never 2010" in problem.message
    assert words_at(content_copy, problem).startswith("2011 exploratory study")


def test_a_year_that_dates_no_study_is_not_read_as_one(content_copy: Path, edit: Edit) -> None:
    edit(ARTICLE, "A 2021 randomized controlled study (n = 44)", "A study of 2000 minutes (n = 44)")
    assert figures(content_copy) == []


def test_words_that_call_a_study_pilot_against_its_record_are_a_warning(
    content_copy: Path, edit: Edit
) -> None:
    edit(
        "studies/hohmann-2012.yaml",
        "design: pilot-randomized-trial",
        "design: randomized-controlled-trial",
    )
    found = figures(content_copy)
    assert {(f.field, f.level) for f in found} == {
        ("research.citations[1].summary", Level.WARNING),
        ("research.citations[1].key_finding", Level.WARNING),
    }
    assert all("its record says randomized controlled study" in f.message for f in found)


def test_a_total_with_thousands_separators_reads_as_one_number(
    content_copy: Path, edit: Edit
) -> None:
    edit("studies/applied-sciences-2021.yaml", "  n: 44", "  n: 1200")
    edit(ARTICLE, "(n = 44)", "(n = 1,200)")
    assert figures(content_copy) == []


def test_an_n_per_group_or_beside_the_studys_own_is_not_compared(
    content_copy: Path, edit: Edit
) -> None:
    """'n = 22 per group' is a group's size, and words may give another study's n beside
    the study's own: neither disagrees with the record."""
    edit(ARTICLE, "(n = 44)", "(n = 22 per group)")
    assert figures(content_copy) == []
    edit(ARTICLE, "(n = 22 per group)", "(n = 44; an earlier trial had n = 300)")
    assert figures(content_copy) == []
    edit(ARTICLE, "(n = 44; an earlier trial had n = 300)", "(n = 300)")
    (problem,) = figures(content_copy)
    assert "says n = 300 where the study 'applied-sciences-2021' records n = 44" in (
        problem.message
    )


def test_each_text_is_judged_alone(content_copy: Path, edit: Edit) -> None:
    """The summary's 'n = 4' disagrees with the record although the key finding's 44
    agrees: the page prints the summary whatever the quote says."""
    edit(ARTICLE, "(n = 44)", "(n = 4)")
    edit(ARTICLE, "Acupressure mat plus exercise vs", "Acupressure mat (n = 44) plus exercise vs")
    (problem,) = figures(content_copy)
    assert problem.field == "research.citations[2].summary"
    assert "says n = 4 where" in problem.message
