"""Train the claims lint's second opinion and write it into the package.

The model is the claims classifier study's chosen setting (``benchmarks.claims_classifier``:
a linear SVM, C=0.3, over word 1-2-grams and character 2-5-grams), trained on the **dev**
half of the published corpus and the project's own honest sentences (``honest.yaml``,
which count in no figure); the held-out batch and the frozen test half are never seen, so
``benchmarks.lint_quality`` measures it there as text it never read. Its two thresholds
come from dev's out-of-fold scores (5 folds, grouped by page, as the study):

- ``alone``: the score at or above which 2% of dev's honest sentences stand; the model
  warns where the rules are silent;
- ``beside_health``: the same at 5%, for a sentence naming a health object.

Those shares were chosen on dev's out-of-fold figures, with sentences of fewer than six
words and questions left to the rules (see :func:`spikecontent.lint.second_opinion.warns_on`);
see docs/performance.md, "The second opinion". Needs scikit-learn
(``pip install -e '.[claims-study]'``)::

    python -m benchmarks.second_opinion           # train, check, write the model
    python -m benchmarks.second_opinion --check   # train and compare with the packaged one

Before writing, every training sentence is scored by the package's own scorer
(:mod:`spikecontent.lint.second_opinion`) and by scikit-learn; they must agree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.claims_classifier import (
    SETTINGS,
    Figures,
    Fitted,
    Row,
    Thresholds,
    out_of_fold,
    rows,
)
from spikecontent.lint import Level, second_opinion
from spikecontent.lint.second_opinion import MODEL_FILE, Model, model_from, warns_on

SETTING = "svm C=0.3, words + chars"
ALONE_SHARE = 0.02
"""The share of dev's honest sentences (out of fold) at or above ``alone``."""
BESIDE_HEALTH_SHARE = 0.05
"""The same for ``beside_health``."""
TARGET = Path(second_opinion.__file__).with_name(MODEL_FILE)
TRAINED_ON = ("dev", "regression")
"""The published dev half, and the project's own honest sentences in the seed's style
(``honest.yaml``: they count in no figure; without them the model, which learnt product
copy from the regulators' side, warned on four sentences of the flagship page)."""
AGREEMENT = 1e-9
CHECKED = 1e-6
"""The most a retrained model's score or threshold may differ from the packaged one's."""
"""The most the package's score may differ from scikit-learn's on a training sentence."""


def thresholds(scores: np.ndarray, dev: Sequence[Row]) -> dict[str, float]:
    """The two thresholds from dev's out-of-fold ``scores``."""
    return {
        "alone": Thresholds.of_share(scores, dev, ALONE_SHARE),
        "beside_health": Thresholds.of_share(scores, dev, BESIDE_HEALTH_SHARE),
    }


def with_opinion(row: Row, score: float, at: dict[str, float]) -> Level | None:
    """The level the rules and a model scoring ``score`` give ``row``, as lint decides
    (:func:`spikecontent.lint.matching._reviewed`, for a sentence that is one sentence)."""
    if row.rule_level is not None or not warns_on(row.sentence.text.strip()):
        return row.rule_level
    named = any(name.startswith("object=") for name in row.signals)
    if score >= at["alone"] or (named and score >= at["beside_health"]):
        return Level.WARNING
    return None


def model_file(fitted: Fitted, train: Sequence[Row], at: dict[str, float]) -> bytes:
    """The model's file: its features' inverse document frequencies and weights, line by
    line in feature order, so that a retrained model's change can be read in a diff."""
    weights = fitted.model.coef_[0]
    words = fitted.words.vocabulary_
    chars = fitted.chars.vocabulary_
    blocks = {
        "words": {g: (fitted.words.idf_[i], weights[i]) for g, i in words.items()},
        "chars": {g: (fitted.chars.idf_[i], weights[len(words) + i]) for g, i in chars.items()},
    }
    digest = hashlib.sha256()
    for row in train:
        digest.update(
            f"{row.sentence.url}\0{row.sentence.text}\0{row.sentence.dishonest}\n".encode()
        )
    head = {
        "format": 1,
        "setting": SETTING,
        "trained_on": {"sentences": len(train), "sha256": digest.hexdigest()},
        "intercept": float(fitted.model.intercept_[0]),
        "thresholds": at,
    }
    lines = ["{"]
    lines += [
        f"{json.dumps(key)}: {json.dumps(value, sort_keys=True)}," for key, value in head.items()
    ]
    for name, block in blocks.items():
        lines.append(f"{json.dumps(name)}: {{")
        items = sorted(block.items())
        lines += [
            f"{json.dumps(g, ensure_ascii=False)}: [{float(idf)!r}, {float(w)!r}]"
            + ("," if n < len(items) - 1 else "")
            for n, (g, (idf, w)) in enumerate(items)
        ]
        lines.append("}," if name == "words" else "}")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def same_model(packaged: Model, trained: Model, train: Sequence[Row]) -> bool:
    """Whether the packaged model scores every training sentence as the one just trained
    does, and has its thresholds (to within float noise: another numpy may round the
    last bit of a weight differently)."""
    worst = max(
        abs(packaged.opinion(row.sentence.text).score - trained.opinion(row.sentence.text).score)
        for row in train
    )
    thresholds = (packaged.alone - trained.alone, packaged.beside_health - trained.beside_health)
    same = worst <= CHECKED and all(abs(gap) <= CHECKED for gap in thresholds)
    print(
        f"the packaged model {'is' if same else 'is NOT'} this one (scores differ by {worst:.2e})"
    )
    return same


def main() -> None:
    """Train on dev and the project's honest sentences, check the package's scorer
    against scikit-learn's, write the file (or, with ``--check``, compare)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    arguments = parser.parse_args()
    train = [row for row in rows() if row.sentence.half in TRAINED_ON]
    setting = next(s for s in SETTINGS if s.name == SETTING)
    scores = out_of_fold(setting, train)
    on_dev = np.array([row.sentence.half == "dev" for row in train])
    at = thresholds(scores[on_dev], [row for row in train if row.sentence.half == "dev"])
    fitted = setting.fit(train)
    data = model_file(fitted, train, at)
    model = model_from(data)
    expected = fitted(train)
    worst = max(
        abs(model.opinion(row.sentence.text).score - float(score))
        for row, score in zip(train, expected, strict=True)
    )
    print(f"thresholds {at}; package and scikit-learn differ by at most {worst:.2e}")
    for half in ("dev", "regression"):
        picked = [
            (row, float(s))
            for row, s in zip(train, scores, strict=True)
            if row.sentence.half == half
        ]
        decided = [(row, with_opinion(row, score, at)) for row, score in picked]
        print(Figures.of(decided).row(f"{half}, out of fold"))
    if worst > AGREEMENT:
        sys.exit(f"the package's scorer does not reproduce scikit-learn's ({worst})")
    if arguments.check:
        sys.exit(0 if same_model(model_from(TARGET.read_bytes()), model, train) else 1)
    TARGET.write_bytes(data)
    print(f"wrote {TARGET} ({len(data):,} bytes, {len(model.words) + len(model.chars):,} features)")


if __name__ == "__main__":
    main()
