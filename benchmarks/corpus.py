"""A synthetic content folder shaped like the real one, for benchmarks only.

Every article is the real flagship article with its own slug, title and dates, a seeded
choice and order of cautions, and its FAQ and tips in a seeded order; all articles share
the real studies, cautions, disclaimer, offer and people. Nothing here is content: the
corpus lives in a temporary folder and is never published. With the same seed, the first
N articles of a larger corpus are the N articles of a smaller one.

    python -m benchmarks.corpus OUT [--articles 1000] [--seed 1]

Dumping a whole round-trip YAML article takes ~40 ms, so 10,000 of them took a quarter of
an hour: each article's text is put together from the flagship's top-level entries,
each dumped once per distinct value (a few hundred orders of cautions, FAQ and tips),
and is byte-identical to dumping the whole article (tests/test_benchmarks_corpus.py).
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
FLAGSHIP = CONTENT / "articles" / "acupressure-mat-benefits.yaml"


class Choices(NamedTuple):
    """What makes one synthetic article differ from the flagship."""

    number: int
    modified: str
    cautions: tuple[str, ...]
    faq: tuple[int, ...]
    """Position i holds the flagship's FAQ entry number ``faq[i]``."""
    tips: tuple[int, ...]


class Flagship:
    """The flagship article, and synthetic articles made from it."""

    def __init__(self, path: Path = FLAGSHIP) -> None:
        self.yaml = YAML(typ="rt")
        self.yaml.width = 4096
        self.template: CommentedMap = self.yaml.load(path.read_text(encoding="utf-8"))
        self._chunks: dict[tuple[str, object], str] = {}
        self._head = ""

    def choose(self, number: int, rng: random.Random) -> Choices:
        """Article ``number``'s choices, drawn from ``rng`` in the generator's fixed order."""
        day = 1 + rng.randrange(28)
        modified = f"2026-0{1 + rng.randrange(9)}-{day:02d}"
        cautions = list(self.template["cautions"]["items"])
        chosen = rng.sample(cautions, rng.randint(2, len(cautions)))
        faq = list(range(len(self.template["faq"]["items"])))
        rng.shuffle(faq)
        tips = list(range(len(self.template["tips"]["items"])))
        rng.shuffle(tips)
        return Choices(number, modified, tuple(chosen), tuple(faq), tuple(tips))

    def article(self, choices: Choices) -> CommentedMap:
        """The synthetic article as a round-trip mapping (the flagship's comments kept)."""
        article: CommentedMap = copy.deepcopy(self.template)
        article.update(self._own(choices))
        article["cautions"]["items"] = list(choices.cautions)
        for key, order in (("faq", choices.faq), ("tips", choices.tips)):
            items = article[key]["items"]
            original = list(items)
            # Item by item, as random.shuffle moves them: the list's own comments stay
            # at their positions, each item's go with it.
            for position, index in enumerate(order):
                items[position] = original[index]
        return article

    def _own(self, choices: Choices) -> dict[str, str]:
        """The top-level entries the article has its own value of."""
        return {
            "slug": f"synthetic-article-{choices.number:05d}",
            "title": f"Synthetic article {choices.number}: {self.template['title']}",
            "modified": choices.modified,
            "last_reviewed": choices.modified,
        }

    def dump(self, data: Any) -> str:
        """``data`` as this generator's YAML."""
        stream = io.StringIO()
        self.yaml.dump(data, stream)
        return stream.getvalue()

    def text(self, choices: Choices) -> str:
        """The same text as ``dump(article(choices))``, put together from cached entries."""
        wanted = [(key, self._determinant(key, choices)) for key in self.template]
        missing = {key for key, value in wanted if (key, value) not in self._chunks}
        if missing:
            self._cache(choices, missing)
        return self._head + "".join(self._chunks[entry] for entry in wanted)

    @staticmethod
    def _determinant(key: str, choices: Choices) -> object:
        """What a top-level entry's text depends on (``None``: the flagship's own)."""
        if key in ("slug", "title"):
            return choices.number
        if key in ("modified", "last_reviewed"):
            return choices.modified
        return getattr(choices, key) if key in ("cautions", "faq", "tips") else None

    def _cache(self, choices: Choices, missing: set[str]) -> None:
        """Cache the ``missing`` entries' text for ``choices``: the article's own from a
        small mapping each, the rest from one whole dump cut at its top-level keys."""
        own = self._own(choices)
        if missing - own.keys():
            article = self.article(choices)
            whole = self.dump(article)
            keys = list(article)
            starts = [self._start(whole, key) for key in keys]
            self._head = whole[: starts[0]]
            for key, start, end in zip(keys, starts, [*starts[1:], len(whole)], strict=True):
                self._chunks[key, self._determinant(key, choices)] = whole[start:end]
        for key in missing & own.keys():
            alone = CommentedMap()
            alone[key] = own[key]
            if key in self.template.ca.items:
                alone.ca.items[key] = self.template.ca.items[key]
            self._chunks[key, self._determinant(key, choices)] = self.dump(alone)

    @staticmethod
    def _start(whole: str, key: str) -> int:
        """Where top-level ``key`` starts: keys sit at column 0, nothing else does but
        comments, which start with ``#``."""
        if whole.startswith(f"{key}:"):
            return 0
        return whole.index(f"\n{key}:") + 1


def generate(out: Path, articles: int = 1000, seed: int = 1) -> Path:
    """Write a content folder with ``articles`` articles into ``out``; return ``out``."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(CONTENT, out, ignore=shutil.ignore_patterns("articles"))
    (out / "articles").mkdir()
    flagship = Flagship()
    rng = random.Random(seed)
    for number in range(1, articles + 1):
        choices = flagship.choose(number, rng)
        path = out / "articles" / f"synthetic-article-{number:05d}.yaml"
        path.write_text(flagship.text(choices), encoding="utf-8")
    return out


def compile_once(*sources: Path) -> None:
    """Compile each tree of ``sources`` to bytecode now, for the benchmark's processes to
    read as an installed package's: a shell that sets PYTHONDONTWRITEBYTECODE would have
    each step compile spikecontent from source again (0.3-0.4 s of CPU a process)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    for source in sources:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    started = time.perf_counter()
    generate(options.out, options.articles, options.seed)
    seconds = time.perf_counter() - started
    print(f"{options.articles} articles in {options.out} ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
