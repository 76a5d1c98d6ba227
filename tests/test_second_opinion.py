"""The learned second opinion (spikecontent/lint/second_opinion.py): its features are
scikit-learn's, it only ever adds warnings where the rules are silent, it is a rule a
project can turn off, and the packaged model is what the trainer makes from the corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from spikecontent.cli import app
from spikecontent.lint import Level, Rule, lint_text
from spikecontent.lint.second_opinion import (
    SHORTEST,
    char_grams,
    load_model,
    sentences,
    warns_on,
    word_grams,
)
from spikecontent.loading.allowances import Allowance
from tests.conftest import ARTICLE, REPO, Project
from tests.test_lint_allowances import allow, lint_json, runner
from tests.test_lint_review_probes import (
    HONEST,
    HONEST_SECOND_REVIEW,
    HONEST_THIRD_REVIEW,
    SELLERS_CLAIMS,
)

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


# Claims the rules miss, written by a review of this model (not in its training data);
# the unit tests below are plumbing: that a warning comes where the model scores high.
@pytest.mark.parametrize(
    "claim",
    [
        "You will feel your migraines lose their grip after just a few sessions.",
        "Thousands of happy customers have thrown away their painkillers for good.",
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
    assert load_model().score(honest) < load_model().alone
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


# What the model warns on among the honest sentences the reviews wrote: general health
# writing in the words ad copy uses ("your blood", "your painkillers"). Listed, so that the
# count is seen and cannot grow unnoticed; docs/performance.md measures it on published text.
WARNED_HONEST = {
    "The liver and kidneys cleanse the blood on their own, so no detox product is needed.",
    "Fast-acting painkillers can upset your stomach.",
    "Smoking slows the body's ability to heal.",
    "People with diabetes manage their blood sugar with insulin, diet and exercise.",
    "Ask your GP how to manage your blood pressure.",
    "Eat less salt to maintain healthy blood pressure.",
    "Your kidneys remove waste from the body through urine.",
    "Dialysis removes waste from the blood when the kidneys stop working.",
    "Your liver cleanses your blood around the clock.",
}


def test_the_honest_sentences_it_warns_on_are_the_known_ones(
    shipped_rules: tuple[Rule, ...],
) -> None:
    honest = {*HONEST, *HONEST_SECOND_REVIEW, *HONEST_THIRD_REVIEW}
    warned = {t for t in honest if any(f.rule == RULE for f in lint_text(t, shipped_rules))}
    assert warned == WARNED_HONEST


FLAGSHIP_WARNED = {
    "intro",
    "research.citations[3].summary",
    "intervention",  # studies/bed-of-nails-2011.yaml: 'Lying on a "bed of nails" acupressure mat'
}
"""Where the model warns on the flagship page and its studies: the intro lists the
promises other sellers make (its first clause denies nothing, so the model reads the
sentence), the others report what studies did or found. Honest, and left for the content
team to waive."""


def test_the_flagship_page_gets_three_warnings_and_no_error(tmp_path: Path) -> None:
    found = lint_json(Project(tmp_path))
    assert {f["field"] for f in found if f["rule"] == RULE} == FLAGSHIP_WARNED
    assert {f["level"] for f in found if f["rule"] == RULE} == {"warning"}


def test_a_waiver_for_words_leaves_a_later_claim_in_the_field_warned(tmp_path: Path) -> None:
    project = Project(tmp_path)
    allow(project, _WAIVER.format(words="improvements appeared in both groups"))
    claim = "You will feel your migraines lose their grip after just a few sessions."
    reported = "Perceived stress and well-being"
    project.edit(ARTICLE, reported, f"{claim} {reported}")
    body = [f for f in lint_json(project) if f["rule"] == RULE and f["field"] == _BODY]
    assert sorted((f["level"], f["excerpt"] == claim) for f in body) == [
        ("allowed", False),
        ("warning", True),
    ]


_BODY = "research.citations[3].summary"
_WAIVER = (
    f"lint_allow:\n  - rule: second-opinion\n    field: {_BODY}\n    words: {{words}}\n"
    "    reason: It reports what the studies below found, and claims nothing for the mat.\n"
)


def test_an_allowance_for_words_no_finding_holds_is_unused(tmp_path: Path) -> None:
    project = Project(tmp_path)
    allow(project, _WAIVER.format(words="shows up now and then"))
    found = lint_json(project)
    unused = [f for f in found if f["rule"] == "lint.unused-allowance"]
    assert len(unused) == 1
    assert "for 'shows up now and then'" in str(unused[0]["message"])
    body = [f for f in found if f["rule"] == RULE and f["field"] == _BODY]
    assert [f["level"] for f in body] == ["warning"]


def test_waiver_words_are_three_whole_words_at_least(tmp_path: Path) -> None:
    project = Project(tmp_path)
    allow(project, _WAIVER.format(words="literature"))
    result = runner.invoke(app, ["lint", str(project.content), "-e", str(project.exporters)])
    assert result.exit_code == 1
    assert "lint_allow[0].words: words must be at least 3 words" in result.output
    # Whole words: "up again and" does not stand in "... shows up again and again ...".
    waiver = Allowance(rule=RULE, field=_BODY, reason="r", file="f", at=(1, 1), words="p again and")
    assert not waiver.waives("It shows up again and again in the literature.")
    whole = attrs.evolve(waiver, words="UP  again AND")
    assert whole.waives("It shows up again and again in the literature.")


def test_a_finding_is_placed_in_its_own_field_when_its_words_are_escaped(
    tmp_path: Path,
) -> None:
    # The second review: a YAML escape ('') in a finding's first words kept them from being
    # found in the field, and the search went on into a later field holding the same words.
    project = Project(tmp_path)
    claim = "It''s true: thousands of happy customers have thrown away their painkillers for good."
    line = project.edit(
        ARTICLE,
        """      key_finding: >-
        Exploratory 'bed of nails' study: participants reported more relaxation, but salivary
        cortisol did not change — larger controlled trials are lacking""",
        f"      key_finding: '{claim}'",
    )
    project.edit(
        ARTICLE,
        "Some describe them as part of a bedtime routine.",
        "Some describe them as part of a bedtime routine. It's true: thousands of happy"
        " customers have thrown away their painkillers, they say.",
    )
    (found,) = [
        f
        for f in lint_json(project)
        if f["rule"] == RULE and f["field"] == "research.citations[0].key_finding"
    ]
    assert found["line"] == line


DENIED = "No study has shown that spike mats boost your immune system or melt away belly fat."


def test_it_is_silent_where_the_rules_read_each_clause_as_a_denial(
    shipped_rules: tuple[Rule, ...],
) -> None:
    model = load_model()
    assert model.warns(model.score(DENIED), names_health=True)
    assert not lint_text(DENIED, shipped_rules)
    # A clause free of denial keeps the sentence the model's: a denial of one claim does
    # not silence it on another (the second review's evasion).
    claim = "It does not treat diabetes, and kids with ADHD focus better after ten minutes on it."
    assert [f.rule for f in lint_text(claim, shipped_rules)] == [RULE]


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
