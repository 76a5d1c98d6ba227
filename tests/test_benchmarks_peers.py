"""The scale benchmark's parts that decide what it measures (issue 44, item 4): the
corpus at any size, the sizes asked for, a child's peak memory and the targets table.
Small sizes only; nothing here is timed."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from benchmarks.corpus import Flagship, generate
from benchmarks.peers import (
    CHANGE,
    FULL,
    NO_OP,
    PELICAN,
    SIZES,
    VALIDATE_COLD,
    VALIDATE_UNCHANGED,
    Measured,
    measured,
    sizes,
    targets,
)


def test_an_article_put_together_from_cached_entries_is_the_whole_article_dumped() -> None:
    flagship = Flagship()
    rng = random.Random(1)
    for number in range(1, 41):
        choices = flagship.choose(number, rng)
        assert flagship.text(choices) == flagship.dump(flagship.article(choices))


def test_a_larger_corpus_begins_with_the_smaller_one(tmp_path: Path) -> None:
    small = generate(tmp_path / "small", 3)
    large = generate(tmp_path / "large", 7)
    names = sorted(path.name for path in (large / "articles").iterdir())
    assert names == [f"synthetic-article-{number:05d}.yaml" for number in range(1, 8)]
    for path in (small / "articles").iterdir():
        assert path.read_bytes() == (large / "articles" / path.name).read_bytes()
    assert (large / "site.yaml").read_bytes() == (small / "site.yaml").read_bytes()


def test_an_article_is_the_flagship_with_its_own_slug_title_and_choices(tmp_path: Path) -> None:
    text = generate(tmp_path / "corpus", 2) / "articles" / "synthetic-article-00002.yaml"
    article = Flagship().yaml.load(text.read_text(encoding="utf-8"))
    assert article["slug"] == "synthetic-article-00002"
    assert article["title"].startswith("Synthetic article 2: ")
    assert article["modified"] == article["last_reviewed"]
    assert 2 <= len(article["cautions"]["items"]) <= 5


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], SIZES),
        (["--articles", "1000", "--articles", "10000"], (1000, 10_000)),
        (["--sizes", "10000,1000"], (1000, 10_000)),
        (["--sizes", "100, 1000", "--articles", "100"], (100, 1000)),
        (["--articles", "50"], (50,)),
    ],
)
def test_the_sizes_asked_for_each_once_smallest_first(
    arguments: list[str], expected: tuple[int, ...]
) -> None:
    assert sizes(arguments)[0] == expected


def test_a_size_below_one_article_is_refused() -> None:
    with pytest.raises(SystemExit):
        sizes(["--sizes", "0"])


def test_a_child_s_peak_memory_is_its_own() -> None:
    big = measured([sys.executable, "-c", "block = b'x' * (120 * 1024 * 1024)"])
    small = measured([sys.executable, "-c", "pass"])
    assert big.peak_mib >= 120
    assert small.peak_mib < 100


def test_a_failing_step_says_why() -> None:
    with pytest.raises(RuntimeError, match="exited 3:\nbroken"):
        measured([sys.executable, "-c", "import sys; sys.stderr.write('broken'); sys.exit(3)"])


def _steps(pelican: float, **ours: tuple[float, float]) -> dict[str, Measured]:
    names = {
        "full": FULL,
        "change": CHANGE,
        "no_op": NO_OP,
        "cold": VALIDATE_COLD,
        "unchanged": VALIDATE_UNCHANGED,
    }
    steps = {names[key]: Measured(*value) for key, value in ours.items()}
    return {**steps, PELICAN: Measured(pelican, 50)}


def test_the_targets_at_both_sizes_met_and_not() -> None:
    figures = {
        1000: _steps(
            10.0,
            full=(9.0, 390),
            change=(0.9, 120),
            no_op=(0.5, 60),
            cold=(2.6, 200),
            unchanged=(0.4, 55),
        ),
        10_000: _steps(
            100.0,
            full=(120.0, 2100),
            change=(1.4, 300),
            no_op=(0.6, 60),
            cold=(20.0, 900),
            unchanged=(5.5, 55),
        ),
    }
    found = {target.name: (target.figure, target.met) for target in targets(figures)}
    assert found == {
        "one changed article, new process, 1,000: at most 10% of Pelican": ("9.0%", True),
        "full export, cold, 1,000: at most 1.0x Pelican": ("0.90x", True),
        "peak memory, 1,000: at most 400 MiB": ("390 MiB", True),
        "validate, unchanged project, 1,000: at most 5% of Pelican": ("4.0%", True),
        "validate, cold, 1,000: at most 25% of Pelican": ("26.0%", False),
        "one changed article, 10,000: at most 1.5x its 1,000-article time": ("1.56x", False),
        "full export, cold, 10,000: at most 1.0x Pelican": ("1.20x", False),
        "peak memory, 10,000: at most 2,048 MiB": ("2,100 MiB", False),
        "validate, unchanged project, 10,000: at most 5% of Pelican": ("5.5%", False),
        "validate, cold, 10,000: at most 25% of Pelican": ("20.0%", True),
    }
