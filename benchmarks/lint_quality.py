"""How well the claims lint tells dishonest sentences from honest ones, on published text.

The corpus is ``tests/claims_corpus/``:

- ``published/``: sentences other people published, each with its page's URL. Honest
  ones are evidence writing (health agencies, Cochrane, clinics, evidence journalism,
  fact checks, honest buyer guides); dishonest ones are claims quoted in regulators'
  rulings, cases and warning letters, and real listings. ``dishonest.yaml`` holds the
  claims collected first (also published, quoted from rulings), which the rules were
  tuned on.
- ``honest.yaml``: the seed's own sentences and ones written for the project in its
  style. They are regression tests, reported apart, and count in no figure.

Published sources are split by their URL into a **dev** half, where rules may be tuned by
reading misses, and a **test** half that is only measured (``split.yaml`` freezes it; its
misses are never printed). A source the rules were tuned on before the split is dev, and
so is every source collected after it: the frozen test half never changes.

A dishonest sentence counts as caught when lint reports any finding on it as article
prose; an honest sentence counts against lint for an error, and separately for any
finding. ``python -m benchmarks.lint_quality`` prints both halves per claim form and per
status; ``--misses`` lists the dev half's mistakes (never the test half's). ``--dev``
lints the dev half alone, for tuning runs that must not measure the test half, and
``--files`` only some corpus files (a new batch, measured before anyone tunes on it);
``--rules-alone`` leaves out the learned second opinion (``benchmarks.second_opinion``),
which is trained on the dev half: with it, dev's figures are fit, not estimates.
Files named ``*-heldout.yaml`` are a held-out batch: measured beside the test half, left
out by ``--dev`` and never listed by ``--misses``, so that a later stop can see how the
rules carry over without spending the frozen half.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
from ruamel.yaml import YAML

from spikecontent.lint import Level, Rule, lint_text, load_rules
from spikecontent.lint.rules import Kind

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "claims_corpus"
PUBLISHED = CORPUS / "published"
SPLIT = CORPUS / "split.yaml"
TUNED_BEFORE_THE_SPLIT = CORPUS / "dishonest.yaml"
REGRESSION = CORPUS / "honest.yaml"

RECALL_TARGET = 0.95
"""At least this share of dishonest sentences get a finding."""
HONEST_ERROR_TARGET = 0.02
"""At most this share of honest sentences get an error."""
HONEST_FINDING_TARGET = 0.15
"""At most this share of honest sentences get any finding (warnings included)."""


@attrs.frozen(kw_only=True)
class Sentence:
    """One labelled sentence of the corpus."""

    text: str
    dishonest: bool
    form: str
    """A dishonest sentence's claim form (its category); an honest one's status as its
    collector read it (asserted, hedged, reported, denied, cautioned, neutral)."""
    source: str
    url: str
    half: str
    """``dev``, ``test``, or ``regression`` (written by the project: in no figure)."""
    file: str = ""
    """The corpus file it comes from, by name."""


def half_of(url: str, tuned: frozenset[str]) -> str:
    """A published source's half when the split was made: by a digest of its URL, so that
    it depends on nothing a rule writer could choose; sources tuned on before are dev."""
    if url in tuned:
        return "dev"
    return "test" if hashlib.sha256(url.encode()).digest()[0] % 2 else "dev"


def _frozen_test_urls(folder: Path) -> frozenset[str] | None:
    """The test half's pages as ``split.yaml`` froze them (None before it exists). Pages
    collected after the freeze are dev: the test half never grows or changes."""
    path = folder / SPLIT.name
    if not path.exists():
        return None
    recorded = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return frozenset(str(source["url"]) for source in recorded["test_sources"])


def _sources(path: Path) -> list[dict[str, object]]:
    loaded: list[dict[str, object]] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))[
        "sources"
    ]
    return loaded


HONEST_STATUSES = frozenset({"asserted", "hedged", "reported", "denied", "cautioned", "neutral"})
"""The labels an honest sentence may carry: its status as its collector read it."""
CLAIM_FORMS = frozenset(
    {
        "body-shaping",
        "cancer",
        "cure-idiom",
        "detox",
        "efficacy",
        "establishment",
        "evidence-inflation",
        "guarantee",
        "prevention",
        "regulatory",
        "replacement",
        "safety",
        "social-proof",
        "structure-function",
        "testimonial",
    }
)
"""The labels a dishonest sentence may carry: its claim form. A label outside these would
quietly open a new row of the report, so the corpus test refuses it."""

HELD_OUT_SUFFIX = "-heldout.yaml"
"""Published corpus files collected to be measured and never tuned on, like the test half
(but not frozen: a later batch may join it): their misses are never printed, and
``--dev`` leaves them out."""


def sentences(folder: Path = CORPUS) -> Iterator[Sentence]:
    """Every sentence: the published ones (dev, test, held out), then the regression ones."""
    tuned_file = folder / TUNED_BEFORE_THE_SPLIT.name
    tuned = frozenset(str(s["url"]) for s in _sources(tuned_file))
    frozen = _frozen_test_urls(folder)
    files = [tuned_file, *sorted((folder / PUBLISHED.name).glob("*.yaml"))]
    for path in files:
        dishonest = path == tuned_file or path.name.startswith("dishonest")
        for source in _sources(path):
            url = str(source["url"])
            held_out = path.name.endswith(HELD_OUT_SUFFIX)
            half = "heldout" if held_out else _half(url, tuned, frozen)
            yield from _entries(source, dishonest, url, half, path.name)
    for source in _sources(folder / REGRESSION.name):
        yield from _entries(source, False, str(source["url"]), "regression", REGRESSION.name)


def _half(url: str, tuned: frozenset[str], frozen: frozenset[str] | None) -> str:
    if frozen is None:  # making the split
        return half_of(url, tuned)
    return "test" if url in frozen else "dev"


def _entries(
    source: dict[str, object], dishonest: bool, url: str, half: str, file: str
) -> Iterator[Sentence]:
    entries: list[dict[str, str]] = source["sentences"]  # type: ignore[assignment]
    for entry in entries:
        form = entry.get("status", entry.get("category", ""))
        yield Sentence(
            text=entry["text"],
            dishonest=dishonest,
            form=form,
            source=str(source["id"]),
            url=url,
            half=half,
            file=file,
        )


def test_half_digest(corpus: Iterable[Sentence]) -> str:
    """A digest of the test half (sources, texts and labels): ``split.yaml`` records it,
    and a test fails if the test half changes without a new record."""
    digest = hashlib.sha256()
    for sentence in sorted((s for s in corpus if s.half == "test"), key=_order):
        digest.update(f"{sentence.url}\0{sentence.text}\0{sentence.form}\n".encode())
    return digest.hexdigest()


def _order(sentence: Sentence) -> tuple[str, str]:
    return sentence.url, sentence.text


def frozen_split(corpus: Iterable[Sentence]) -> dict[str, object]:
    """What ``split.yaml`` records: the test half's sources and its digest."""
    corpus = list(corpus)
    test = sorted({(s.source, s.url) for s in corpus if s.half == "test"})
    return {
        "test_sources": [{"id": source, "url": url} for source, url in test],
        "test_sentences": sum(s.half == "test" for s in corpus),
        "test_digest": test_half_digest(corpus),
    }


def freeze() -> None:
    """Write ``split.yaml`` for the corpus as it is (done once, before tuning)."""
    yaml = YAML()
    yaml.width = 200
    with SPLIT.open("w", encoding="utf-8") as stream:
        stream.write(
            "# The frozen test half of the claims corpus (benchmarks/lint_quality.py): its\n"
            "# sources, and a digest of its sentences and labels. Rules are never tuned on\n"
            "# these; tests/test_lint_quality.py fails if the half changes without a new record.\n"
        )
        yaml.dump(frozen_split(sentences()), stream)


def found(sentence: Sentence, rules: tuple[Rule, ...]) -> list[tuple[str, Level]]:
    """Lint's findings on ``sentence`` read as article prose: ``(rule, level)`` each."""
    return [(f.rule, f.level) for f in lint_text(sentence.text, rules)]


@attrs.frozen(kw_only=True)
class Tally:
    """How lint did on a group of sentences."""

    total: int = 0
    errors: int = 0
    findings: int = 0

    def share(self, count: int) -> float:
        """``count`` as a share of the total."""
        return count / self.total if self.total else 0.0

    def add(self, levels: list[Level]) -> Tally:
        """This tally with one more sentence, whose findings have ``levels``."""
        return Tally(
            total=self.total + 1,
            errors=self.errors + (Level.ERROR in levels),
            findings=self.findings + bool(levels),
        )


@attrs.frozen(kw_only=True)
class Results:
    """Tallies by (half, dishonest, form), and each sentence's findings."""

    tallies: dict[tuple[str, bool, str], Tally]
    findings: list[tuple[Sentence, list[tuple[str, Level]]]]

    def overall(self, half: str, dishonest: bool) -> Tally:
        """Every form of one half and side together."""
        total = Tally()
        for (h, d, _form), tally in self.tallies.items():
            if h == half and d is dishonest:
                total = Tally(
                    total=total.total + tally.total,
                    errors=total.errors + tally.errors,
                    findings=total.findings + tally.findings,
                )
        return total

    def forms(self, half: str, dishonest: bool) -> dict[str, Tally]:
        """Each form's tally in one half and side."""
        return {
            form: tally
            for (h, d, form), tally in sorted(self.tallies.items())
            if h == half and d is dishonest
        }


def evaluate(
    rules: tuple[Rule, ...] | None = None,
    *,
    halves: frozenset[str] = frozenset({"test", "heldout", "dev", "regression"}),
    files: frozenset[str] | None = None,
) -> Results:
    """Lint the sentences of ``halves`` (of the published ``files`` only, by name, when
    given) and tally the outcome."""
    rules = load_rules() if rules is None else rules
    tallies: dict[tuple[str, bool, str], Tally] = collections.defaultdict(Tally)
    every = []
    for sentence in sentences():
        if sentence.half not in halves:
            continue
        if files is not None and sentence.half != "regression" and sentence.file not in files:
            continue
        hits = found(sentence, rules)
        key = (sentence.half, sentence.dishonest, sentence.form)
        tallies[key] = tallies[key].add([level for _rule, level in hits])
        every.append((sentence, hits))
    return Results(tallies=dict(tallies), findings=every)


def _row(name: str, tally: Tally, dishonest: bool) -> str:
    if dishonest:
        return f"  {name:20} {tally.findings:4}/{tally.total:<4} {tally.share(tally.findings):7.1%}"
    errors, findings = tally.share(tally.errors), tally.share(tally.findings)
    return (
        f"  {name:20} {tally.total:4}  errors {tally.errors:3} {errors:6.1%}"
        f"  findings {tally.findings:3} {findings:6.1%}"
    )


_HEADINGS = {
    "heldout": "== held out (never tuned on)",
    "regression": "== regression (written here)",
}


def report(results: Results) -> Iterator[str]:
    """The figures, half by half, as lines."""
    present = {half for half, _dishonest, _form in results.tallies}
    for half in (h for h in ("test", "heldout", "dev", "regression") if h in present):
        yield _HEADINGS.get(half, f"== {half} half")
        if half != "regression":
            yield "dishonest (caught: any finding)"
            for form, tally in results.forms(half, True).items():
                yield _row(form, tally, True)
            yield _row("all", results.overall(half, True), True)
        yield "honest (errors; any finding)"
        for form, tally in results.forms(half, False).items():
            yield _row(form, tally, False)
        yield _row("all", results.overall(half, False), False)


def _corpus_files(names: list[str], parser: argparse.ArgumentParser) -> frozenset[str]:
    """The published corpus files ``names`` stand for (".yaml" may be left off); an
    unknown name is an error rather than a report of nothing."""
    known = {path.name for path in (CORPUS / PUBLISHED.name).glob("*.yaml")}
    chosen = {name if name.endswith(".yaml") else f"{name}.yaml" for name in names}
    unknown = sorted(chosen - known)
    if unknown:
        parser.error(f"no published corpus file {', '.join(unknown)}; see {PUBLISHED}")
    return frozenset(chosen)


def main() -> None:
    """Print the figures; with ``--misses``, the dev half's mistakes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print the dev half's mistakes")
    parser.add_argument(
        "--dev",
        action="store_true",
        help="the dev half (and the regression sentences) only: the test half and the held-out"
        " files are not linted, so tuning runs do not measure them",
    )
    parser.add_argument(
        "--files",
        nargs="+",
        metavar="NAME",
        help="only the published sentences of these corpus files (by name, e.g. a new batch)",
    )
    parser.add_argument(
        "--rules-alone",
        action="store_true",
        help="without the learned second opinion (trained on the dev half, so its dev figures"
        " are fit; this shows what the rules do on their own)",
    )
    parser.add_argument("--freeze", action="store_true", help="write split.yaml (once)")
    arguments = parser.parse_args()
    if arguments.freeze:
        freeze()
        return
    halves = {"dev", "regression"} if arguments.dev else {"test", "heldout", "dev", "regression"}
    files = _corpus_files(arguments.files, parser) if arguments.files else None
    if files is not None:
        halves.discard("regression")  # a batch's figures alone
    rules = load_rules()
    if arguments.rules_alone:
        rules = tuple(rule for rule in rules if rule.extends is not Kind.MODEL)
    results = evaluate(rules, halves=frozenset(halves), files=files)
    for line in report(results):
        print(line)
    if arguments.misses:
        for sentence, hits in results.findings:
            if sentence.half in ("test", "heldout"):
                continue  # measured, never read
            if sentence.dishonest and not hits:
                print(f"missed [{sentence.form}] {sentence.text}")
            elif not sentence.dishonest and hits:
                print(f"flagged [{sentence.form}] {sentence.text} {hits}")


if __name__ == "__main__":
    main()
