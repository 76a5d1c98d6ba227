"""How well the claims lint tells dishonest sentences from honest ones, on a fixed corpus.

The corpus is ``tests/claims_corpus/``: claims quoted from regulators' rulings (each with
its source) and honest sentences (the seed's own and ones written in its style). A
sentence is flagged when lint, reading it as article prose, reports an error. Recall is
the share of dishonest sentences flagged, per category; the false-positive rate the share
of honest ones flagged. ``python -m benchmarks.lint_quality`` prints both, and each
sentence lint gets wrong with ``--misses``; ``tests/test_lint_quality.py`` holds the
targets (recall at least 95 %, false positives at most 2 %).
"""

from __future__ import annotations

import argparse
import collections
from collections.abc import Iterator
from pathlib import Path

import attrs
from ruamel.yaml import YAML

from spikecontent.lint import Level, Rule, lint_text, load_rules

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "claims_corpus"
RECALL_TARGET = 0.95
FALSE_POSITIVE_TARGET = 0.02


@attrs.frozen(kw_only=True)
class Sentence:
    """One labelled sentence of the corpus."""

    text: str
    category: str
    dishonest: bool
    source: str


def sentences(folder: Path = CORPUS) -> Iterator[Sentence]:
    """Every sentence of the corpus: the dishonest ones, then the honest ones."""
    yaml = YAML(typ="safe")
    for name, dishonest in (("dishonest.yaml", True), ("honest.yaml", False)):
        for source in yaml.load((folder / name).read_text(encoding="utf-8"))["sources"]:
            for entry in source["sentences"]:
                yield Sentence(
                    text=entry["text"],
                    category=entry["category"],
                    dishonest=dishonest,
                    source=source["id"],
                )


def flagged(sentence: Sentence, rules: tuple[Rule, ...]) -> list[str]:
    """The rules whose errors lint reports on ``sentence``."""
    return [f.rule for f in lint_text(sentence.text, rules) if f.level is Level.ERROR]


@attrs.frozen(kw_only=True)
class Tally:
    """How lint did on one category."""

    total: int
    flagged: int

    @property
    def share(self) -> float:
        """The flagged share."""
        return self.flagged / self.total if self.total else 0.0


Results = tuple[dict[str, Tally], dict[str, Tally], list[tuple[Sentence, list[str]]]]
"""Recall per dishonest category, flags per honest category, and every mistake."""


def evaluate(rules: tuple[Rule, ...] | None = None) -> Results:
    """Recall per dishonest category, flags per honest category, and every mistake."""
    rules = load_rules() if rules is None else rules
    counts: dict[tuple[bool, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    mistakes = []
    for sentence in sentences():
        found = flagged(sentence, rules)
        tally = counts[(sentence.dishonest, sentence.category)]
        tally[0] += 1
        tally[1] += bool(found)
        if bool(found) != sentence.dishonest:
            mistakes.append((sentence, found))

    def tallies(dishonest: bool) -> dict[str, Tally]:
        return {
            category: Tally(total=total, flagged=hits)
            for (kind, category), (total, hits) in sorted(counts.items())
            if kind is dishonest
        }

    return tallies(True), tallies(False), mistakes


def overall(tallies: dict[str, Tally]) -> Tally:
    """All categories together."""
    return Tally(
        total=sum(t.total for t in tallies.values()),
        flagged=sum(t.flagged for t in tallies.values()),
    )


def main() -> None:
    """Print recall and false positives per category."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print each mistake")
    arguments = parser.parse_args()
    recall, honest, mistakes = evaluate()
    print("dishonest (recall: share flagged)")
    for category, tally in recall.items():
        print(f"  {category:20} {tally.flagged:4}/{tally.total:<4} {tally.share:7.1%}")
    whole = overall(recall)
    print(f"  {'all':20} {whole.flagged:4}/{whole.total:<4} {whole.share:7.1%}")
    print("honest (false positives: share flagged)")
    for category, tally in honest.items():
        print(f"  {category:20} {tally.flagged:4}/{tally.total:<4} {tally.share:7.1%}")
    false = overall(honest)
    print(f"  {'all':20} {false.flagged:4}/{false.total:<4} {false.share:7.1%}")
    if arguments.misses:
        for sentence, found in mistakes:
            kind = "flagged honest" if found else "missed"
            print(f"{kind} [{sentence.category}] {sentence.text} {found or ''}")


if __name__ == "__main__":
    main()
