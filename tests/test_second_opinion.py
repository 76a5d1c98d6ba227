"""The learned second opinion (spikecontent/lint/second_opinion.py): its features are
scikit-learn's, it only ever adds warnings where the rules are silent, it is a rule a
project can turn off, and the packaged model is what the trainer makes from the corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from spikecontent.lint import Level, Rule, lint_text
from spikecontent.lint.second_opinion import (
    SHORTEST,
    char_grams,
    load_model,
    sentences,
    warns_on,
    word_grams,
)
from tests.conftest import REPO, Project
from tests.test_lint_allowances import lint_json
from tests.test_lint_review_probes import HONEST, SELLERS_CLAIMS

RULE = "second-opinion"


def test_words_are_lowered_stripped_of_accents_and_paired() -> None:
    # scikit-learn's default token pattern: two or more word characters.
    assert word_grams("Café au lait, a treat!") == ["cafe", "au", "lait", "treat", *PAIRS]


PAIRS = ["cafe au", "au lait", "lait treat"]


def test_characters_run_two_to_five_inside_each_word_padded_by_a_space() -> None:
    assert char_grams("Ab") == [" a", "ab", "b ", " ab", "ab ", " ab "]
    assert char_grams("a  b") == [" a", "a ", " a ", " b", "b ", " b "]
    long = char_grams("abcdef")
    assert long.count(" abcd") == 1
    assert "bcdef" in long
    assert "abcdef" not in long


def test_sentences_are_split_where_the_claim_status_splits_them() -> None:
    text = "One sentence here. Another one!\nA third"
    assert [text[a:b] for a, b in sentences(text)] == [
        "One sentence here.",
        "Another one!",
        "A third",
    ]


def test_short_sentences_and_questions_are_left_to_the_rules() -> None:
    assert not warns_on("Heart rate")
    assert not warns_on("Do acupressure mats really cure back pain for good?")
    assert warns_on(" ".join(["word"] * SHORTEST) + ".")
    assert not warns_on(" ".join(["word"] * (SHORTEST - 1)) + ".")


@pytest.mark.parametrize(
    "claim",
    [
        # A dishonest sentence the rules miss, from an FTC complaint (tests/claims_corpus).
        "Expect to shed at least 600 calories by sitting in an infrared sauna for just 30 minutes.",
        "Negative ions are believed to increase strength and balance and decrease aches and pains.",
    ],
)
def test_it_warns_where_the_rules_are_silent_naming_what_weighed(
    claim: str, rules: tuple[Rule, ...], shipped_rules: tuple[Rule, ...]
) -> None:
    assert not lint_text(claim, rules)
    (finding,) = lint_text(claim, shipped_rules)
    assert (finding.rule, finding.level, finding.excerpt) == (RULE, Level.WARNING, claim)
    assert "weighed most: '" in finding.message
    assert finding.status == ""


def test_it_reads_each_sentence_of_a_text_apart(shipped_rules: tuple[Rule, ...]) -> None:
    claim = "Negative ions are believed to increase strength and balance and decrease aches."
    text = f"Orders ship within one business day from our warehouse. {claim}"
    (finding,) = lint_text(text, shipped_rules)
    assert finding.excerpt == claim
    assert finding.col == text.index(claim) + 1


@pytest.mark.parametrize("honest", ["Orders ship within one business day from our warehouse."])
def test_shop_copy_gets_no_warning(honest: str, shipped_rules: tuple[Rule, ...]) -> None:
    assert load_model().opinion(honest).score < load_model().alone
    assert not lint_text(honest, shipped_rules)


@pytest.mark.parametrize("text", [*SELLERS_CLAIMS, *HONEST])
def test_it_never_changes_a_rules_finding_nor_makes_an_error(
    text: str, rules: tuple[Rule, ...], shipped_rules: tuple[Rule, ...]
) -> None:
    alone = lint_text(text, rules)
    shipped = lint_text(text, shipped_rules)
    assert [f for f in shipped if f.rule != RULE] == alone
    added = [f for f in shipped if f.rule == RULE]
    assert all(f.level is Level.WARNING for f in added)
    assert not (added and alone)  # one finding per claim: only where the rules are silent


def test_the_seed_gets_no_second_opinion(shipped_rules: tuple[Rule, ...]) -> None:
    seed = (REPO / "tests" / "fixtures" / "acupressure-mat-benefits.txt").read_text("utf-8")
    assert not [f for f in lint_text(seed, shipped_rules) if f.rule == RULE]


def test_a_project_turns_it_off_with_its_rule_file(tmp_path: Path) -> None:
    project = Project(tmp_path)
    claim = "Negative ions are believed to increase strength and decrease aches and pains."
    project.edit(
        "articles/acupressure-mat-benefits.yaml",
        "  heading: How to get the most from your mat",
        f"  heading: How to get the most from your mat. {claim}",
    )
    found = [f for f in lint_json(project) if f["rule"] == RULE]
    assert [(f["level"], f["field"], f["excerpt"]) for f in found] == [
        ("warning", "tips.heading", claim)
    ]
    (project.content / "lint").mkdir(exist_ok=True)
    (project.content / "lint" / "quiet.yaml").write_text(
        f"rules:\n  - id: {RULE}\n    enabled: false\n", encoding="utf-8"
    )
    assert RULE not in {f["rule"] for f in lint_json(project)}


@pytest.mark.slow
def test_the_packaged_model_is_what_the_trainer_makes_from_the_corpus() -> None:
    pytest.importorskip("sklearn")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.second_opinion", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "package and scikit-learn differ by at most" in done.stdout
