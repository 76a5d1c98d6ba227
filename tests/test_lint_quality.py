"""The claims lint on a fixed public corpus: a quality gate on recall and false positives.

The corpus (``tests/claims_corpus/``) is claims that regulators ruled on, each with its
source, and honest sentences in the seed's style; ``benchmarks/lint_quality.py`` prints
the figures per category.
"""

from __future__ import annotations

import collections
import re

import pytest
from benchmarks.lint_quality import (
    CORPUS,
    FALSE_POSITIVE_TARGET,
    RECALL_TARGET,
    Results,
    evaluate,
    overall,
    sentences,
)
from ruamel.yaml import YAML

CATEGORIES = {
    "efficacy",
    "cure-idiom",
    "prevention",
    "structure-function",
    "replacement",
    "safety",
    "guarantee",
    "testimonial",
    "establishment",
    "regulatory",
}


def test_the_corpus_is_large_balanced_and_sourced() -> None:
    corpus = list(sentences())
    dishonest = [s for s in corpus if s.dishonest]
    assert len(corpus) >= 400
    assert 0.4 <= len(dishonest) / len(corpus) <= 0.6  # about half each way
    assert {s.category for s in dishonest} == CATEGORIES
    texts = [s.text.casefold() for s in corpus]
    assert [t for t, n in collections.Counter(texts).items() if n > 1] == []
    for source in YAML(typ="safe").load((CORPUS / "dishonest.yaml").read_text())["sources"]:
        # Every dishonest sentence traces to a published ruling, complaint or letter.
        assert re.match(r"https?://", source["url"]), source["id"]
        assert source["title"].strip(), source["id"]
        for entry in source["sentences"]:
            assert entry.get("wording", "quoted") in {"quoted", "adapted", "described"}


@pytest.fixture(scope="module")
def results() -> Results:
    return evaluate()


def test_recall_on_the_public_claims_meets_its_target(results: Results) -> None:
    recall, _honest, mistakes = results
    whole = overall(recall)
    missed = [s.text for s, found in mistakes if s.dishonest]
    assert whole.share >= RECALL_TARGET, f"recall {whole.share:.1%}; missed: {missed}"


def test_false_positives_on_honest_sentences_stay_under_target(results: Results) -> None:
    _recall, honest, mistakes = results
    whole = overall(honest)
    flagged = [(s.text, found) for s, found in mistakes if not s.dishonest]
    assert whole.share <= FALSE_POSITIVE_TARGET, f"{whole.share:.1%} flagged: {flagged}"
