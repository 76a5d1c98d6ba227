"""A synthetic content folder shaped like the real one, for benchmarks only.

Every article is the real flagship article with its own slug, title and dates, a seeded
choice and order of cautions, and its FAQ and tips in a seeded order; all articles share
the real studies, cautions, disclaimer, offer and people. Nothing here is content: the
corpus lives in a temporary folder and is never published.

    python -m benchmarks.corpus OUT [--articles 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
FLAGSHIP = CONTENT / "articles" / "acupressure-mat-benefits.yaml"


def generate(out: Path, articles: int = 1000, seed: int = 1) -> Path:
    """Write a content folder with ``articles`` articles into ``out``; return ``out``."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(CONTENT, out, ignore=shutil.ignore_patterns("articles"))
    (out / "articles").mkdir()
    yaml = YAML(typ="rt")
    yaml.width = 4096
    template = yaml.load(FLAGSHIP.read_text(encoding="utf-8"))
    cautions = list(template["cautions"]["items"])
    rng = random.Random(seed)
    for number in range(1, articles + 1):
        article = yaml.load(FLAGSHIP.read_text(encoding="utf-8"))
        slug = f"synthetic-article-{number:05d}"
        article["slug"] = slug
        article["title"] = f"Synthetic article {number}: {template['title']}"
        day = 1 + rng.randrange(28)
        article["modified"] = f"2026-0{1 + rng.randrange(9)}-{day:02d}"
        article["last_reviewed"] = article["modified"]
        chosen = rng.sample(cautions, rng.randint(2, len(cautions)))
        article["cautions"]["items"] = chosen
        rng.shuffle(article["faq"]["items"])
        rng.shuffle(article["tips"]["items"])
        with (out / "articles" / f"{slug}.yaml").open("w", encoding="utf-8") as handle:
            yaml.dump(article, handle)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    generate(options.out, options.articles, options.seed)
    print(f"{options.articles} articles in {options.out}")


if __name__ == "__main__":
    main()
