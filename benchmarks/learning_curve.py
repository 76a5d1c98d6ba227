"""What more published text would buy the second opinion: a learning curve, dev only.

The trainer's out-of-fold figures group folds by page, and pages of one collecting batch
share their sources' genres, so those figures flatter the model against every unseen batch.
Here each **batch** (a pair of corpus files, ``honest-X.yaml`` and ``dishonest-X.yaml``,
collected together) is left out in turn; a model of the second opinion's setting
(:func:`benchmarks.second_opinion.shipped_setting`, products read as one word) is trained on a share
of the other batches, and the left-out scores are pooled. For each share it prints the AUC
and the claims the model alone catches where 5% and 15% of honest sentences are flagged.
The frozen test half and the held-out batches are never read. Needs scikit-learn
(``pip install -e '.[claims-study]'``)::

    python -m benchmarks.learning_curve [--shares 0.25,0.5,0.75,1] [--draws 2]
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import roc_auc_score

from benchmarks.claims_classifier import Row, rows
from benchmarks.second_opinion import read_as_packaged, shipped_setting

SEED = 43


def batch(file: str) -> str:
    """The batch a corpus file belongs to: its name without the side and the suffix."""
    return re.sub(r"^(?:dishonest|honest)-|\.yaml$", "", file)


def pooled_scores(dev: Sequence[Row], share: float, draw: np.random.Generator) -> np.ndarray:
    """Each sentence's score from a model trained on ``share`` of the other batches."""
    setting = shipped_setting()
    batches = np.array([batch(row.sentence.file) for row in dev])
    scores = np.zeros(len(dev))
    for left_out in sorted(set(batches)):
        held = np.flatnonzero(batches == left_out)
        rest = np.flatnonzero(batches != left_out)
        if share < 1:
            rest = draw.choice(rest, int(len(rest) * share), replace=False)
        fitted = setting.fit([dev[i] for i in rest])
        scores[held] = fitted([dev[i] for i in held])
    return scores


def caught_at(scores: np.ndarray, dishonest: np.ndarray, flagged: float) -> float:
    """The share of claims scored above the score that flags ``flagged`` of honest ones."""
    honest = np.sort(scores[~dishonest])[::-1]
    return float((scores[dishonest] > honest[int(flagged * len(honest))]).mean())


def main() -> None:
    """Print the curve for each share of the training batches."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", default="0.25,0.5,0.75,1")
    parser.add_argument("--draws", type=int, default=2, help="draws per share below 1")
    arguments = parser.parse_args()
    dev = [read_as_packaged(row) for row in rows() if row.sentence.half == "dev"]
    dishonest = np.array([row.sentence.dishonest for row in dev])
    batches = len({batch(row.sentence.file) for row in dev})
    print(f"dev: {len(dev)} sentences in {batches} batches, each left out in turn")
    print("share  AUC    caught at 5% flagged  at 15%")
    draw = np.random.default_rng(SEED)
    for share in (float(s) for s in arguments.shares.split(",")):
        runs = [pooled_scores(dev, share, draw) for _ in range(arguments.draws if share < 1 else 1)]
        auc = np.mean([roc_auc_score(dishonest, s) for s in runs])
        at5 = np.mean([caught_at(s, dishonest, 0.05) for s in runs])
        at15 = np.mean([caught_at(s, dishonest, 0.15) for s in runs])
        print(f"{share:5.2f}  {auc:.3f}  {at5:20.1%}  {at15:6.1%}")


if __name__ == "__main__":
    main()
