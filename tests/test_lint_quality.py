"""The claims lint on published text: the corpus's shape, its frozen test half, and the
quality gate on that half (``benchmarks/lint_quality.py`` prints the figures)."""

from __future__ import annotations

import collections
import re
import sys

import pytest
from benchmarks.lint_quality import (
    SPLIT,
    evaluate,
    frozen_split,
    sentences,
)
from ruamel.yaml import YAML

from spikecontent.lint import Level

WORDINGS = {"verbatim", "trimmed", "brand-replaced", "quoted", "adapted", "described"}


def test_the_corpus_is_published_sourced_and_large() -> None:
    corpus = list(sentences())
    published = [s for s in corpus if s.half != "regression"]
    assert len(published) >= 600
    assert len({s.url for s in published}) >= 150
    assert all(re.match(r"https?://", s.url) for s in published)
    honest = [s for s in published if not s.dishonest]
    assert 0.35 <= len(honest) / len(published) <= 0.65
    # The honest half holds the writing evidence pages are made of, on purpose.
    assert {s.form for s in honest} >= {"denied", "reported", "hedged", "cautioned"}
    texts = [s.text.casefold() for s in published]
    assert [t for t, n in collections.Counter(texts).items() if n > 1] == []


def test_each_published_sentence_says_how_close_it_is_to_its_source() -> None:
    from benchmarks.lint_quality import PUBLISHED, TUNED_BEFORE_THE_SPLIT

    yaml = YAML(typ="safe")
    for path in (TUNED_BEFORE_THE_SPLIT, *PUBLISHED.glob("*.yaml")):
        for source in yaml.load(path.read_text(encoding="utf-8"))["sources"]:
            assert source["title"].strip(), source["id"]
            for entry in source["sentences"]:
                assert entry.get("wording", "quoted") in WORDINGS, (path.name, entry)


def test_each_published_label_is_one_the_report_knows() -> None:
    """A typo in a label, or a file whose name says neither side, would not fail the
    figures: it would open a new row, or count claims as honest sentences."""
    from benchmarks.lint_quality import CLAIM_FORMS, HONEST_STATUSES, PUBLISHED

    assert all(p.name.startswith(("honest", "dishonest")) for p in PUBLISHED.glob("*.yaml"))
    published = [s for s in sentences() if s.half != "regression"]
    assert {s.form for s in published if s.dishonest} <= CLAIM_FORMS
    assert {s.form for s in published if not s.dishonest} <= HONEST_STATUSES


def test_the_test_half_is_frozen() -> None:
    """The test half is the one split.yaml recorded before the rules were tuned: its
    sources, sentences and labels are unchanged."""
    recorded = YAML(typ="safe").load(SPLIT.read_text(encoding="utf-8"))
    assert frozen_split(sentences()) == recorded


def test_the_sentences_written_here_stay_clean() -> None:
    """The seed's sentences and those written in its style: regression tests (linted
    alone: running this test measures nothing of the test half)."""
    results = evaluate(halves=frozenset({"regression"}))
    flagged = [(s.text, hits) for s, hits in results.findings if hits]
    # The rules find nothing in them; the learned second opinion, which never saw them,
    # warns on these two (listed so that the number is seen and cannot grow unnoticed).
    assert {text for text, _ in flagged} == SECOND_OPINION_ON_OUR_OWN
    assert {hit for _, hits in flagged for hit in hits} == {("second-opinion", Level.WARNING)}


SECOND_OPINION_ON_OUR_OWN = {
    'Search "acupressure mat benefits" and you will find a lot of confident promises —'
    " better circulation, pain relief, deeper sleep, even fat burning.",
    "Perceived stress and well-being improved — but improvements appeared in both groups,"
    " and blood pressure, heart rate, and pain thresholds did not change significantly.",
}


# The targets are RECALL_TARGET, HONEST_ERROR_TARGET and HONEST_FINDING_TARGET in
# benchmarks/lint_quality.py. The rules do not reach them on the frozen test half yet
# (docs/performance.md has the figures); these floors are what they reach today, so
# that no change makes the gate worse on text nobody here wrote. Raise them as it improves.
# Stop 40 moved the two ceilings by one sentence each (29 -> 30 of 282 honest sentences
# with an error, 64 -> 65 with a finding) and the floor by one claim (71 -> 72 of 118):
# the claim-family work, kept on the evidence of the dev half and two fresh batches (no
# gain and no loss out of sample there), measured once at its end; it was not chosen or
# changed by this figure (docs/performance.md, "Reviewed, and five cues taken back").
# Stop 41 added the learned second opinion (a warning where the rules are silent), built
# and thresholded on dev alone and measured on the test half once at 479a296: caught 72
# -> 87 of 118, honest errors unchanged (30 of 282: it makes none), honest sentences with a
# finding 65 -> 73 of 282. The floor rose to that; the finding ceiling rose by the eight
# honest sentences it warns on, the price of the fifteen claims (docs/performance.md, "The
# second opinion"). A review then found it blind to claims about mats (the project's own
# sentences had taught it that 'the mat' is honest); retrained on published dev text only,
# products read as one word (da22b0e), measured once more: 86 of 118, 74 of 282 with a
# finding (held-out: 118 of 155, was 114). The floor and ceiling follow by one sentence
# each; the change was made for the review's reason, not for this figure. Retrained once
# more when the devices batch joined dev (b01b621; the model must be what the corpus makes)
# and measured: 84 of 118, 72 of 282 with a finding (held-out 117 of 155). Each retraining
# moves the test half by two or three sentences either way; the floor follows this one.
# Then the second opinion fell silent where the rules read a claim as denied (5a8560b,
# chosen on dev): still 84 of 118, and 70 of 282 with a finding; the ceiling comes down.
# After a second review (aa7a752: a denial silences it only where every clause holds one;
# 443ac15: medicine no longer read as a product, retrained), measured once more: 85 of
# 118, 70 of 282; the floor rises with it.
# Stop 42's rule work (cues, vocabulary, two reviews; docs/performance.md, "The claims
# lint, stop 42"), chosen on dev and measured once at its end (72ec82a): 85 of 118, 30 of
# 282 with an error, 66 of 282 with a finding; the finding ceiling comes down by those four.
# Stop 43: two published dev batches (833 sentences, 1ebaff8 and 1d13554) and the model
# retrained on them (c6427cc, shipped before this was run, as the model must be what the
# corpus makes), measured once: 84 of 118, 30 and 66 of 282. The floor follows it by one
# claim, as after the devices batch; the held-out batches moved by two claims fewer and four
# honest warnings fewer (docs/performance.md, "The second opinion", batch 43).
# These floors are no quality bar (the targets are in benchmarks/lint_quality.py): they keep
# rule work between retrainings from going back unseen; a retraining moves them either way.
TEST_HALF_RECALL_FLOOR = 0.711
TEST_HALF_ERROR_CEILING = 0.107
TEST_HALF_FINDING_CEILING = 0.235


def test_the_frozen_test_half_holds_its_floor() -> None:
    """Each run of this test is a measurement of the test half: run it at the end of a
    piece of rule work, not while tuning (``benchmarks.lint_quality --dev`` is for that)."""
    results = evaluate(halves=frozenset({"test"}))
    caught = results.overall("test", True)
    honest = results.overall("test", False)
    assert caught.share(caught.findings) >= TEST_HALF_RECALL_FLOOR
    assert honest.share(honest.errors) <= TEST_HALF_ERROR_CEILING
    assert honest.share(honest.findings) <= TEST_HALF_FINDING_CEILING


def test_a_held_out_batch_is_measured_and_its_misses_never_listed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks.lint_quality import HELD_OUT_SUFFIX, main, report

    held = [s for s in sentences() if s.file.endswith(HELD_OUT_SUFFIX)]
    assert len(held) >= 300
    assert {s.half for s in held} == {"heldout"}
    assert "== held out (never tuned on)" in report(evaluate(halves=frozenset({"heldout"})))

    monkeypatch.setattr(sys, "argv", ["lint_quality", "--dev", "--misses"])
    main()
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("missed [") for line in lines)  # the dev half's are listed...
    assert not any("held out" in line for line in lines)
    listed = {
        s.text
        for s in held
        for line in lines
        if line == f"missed [{s.form}] {s.text}"
        or line.startswith(f"flagged [{s.form}] {s.text} [")
    }
    assert listed == set()  # ...never a held-out sentence


def test_files_names_a_batch_with_or_without_its_suffix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks.lint_quality import main

    monkeypatch.setattr(sys, "argv", ["lint_quality", "--dev", "--files", "honest-devices"])
    main()
    out = capsys.readouterr().out
    assert "== dev half" in out
    assert "regression" not in out  # the batch's figures alone
    monkeypatch.setattr(sys, "argv", ["lint_quality", "--files", "no-such-batch"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    assert "no published corpus file no-such-batch.yaml" in capsys.readouterr().err
