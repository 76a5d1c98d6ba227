"""The claims lint's hand-written status cues beside medspaCy's ConText, on the dev half.

medspaCy is not a dependency (spaCy alone would cost more than the whole lint), so run
this in a virtual environment of its own that can also import spikecontent::

    python3 -m venv /tmp/med && /tmp/med/bin/pip install medspacy==1.3.1
    PYTHONPATH=src:.:.venv/lib/python3.11/site-packages /tmp/med/bin/python \\
        -m benchmarks.status_vs_context

For every candidate claim (a rule's raw match) of every dev-half sentence, three ways of
deciding its status, with the same levels afterwards (``status.level_for``):

- ``hand``: ``lint/status.py`` (what lint does);
- ``context``: ConText's default rules alone (negated: denied; hypothetical or uncertain:
  hedged; else asserted), for the claim's words registered as a target;
- ``hybrid``: ConText for negation and uncertainty, the hand-written cues for the rest
  (cautions, attribution).
"""

from __future__ import annotations

import collections
from typing import Any

from benchmarks.lint_quality import sentences
from spikecontent.diagnostics import Level
from spikecontent.lint import load_rules
from spikecontent.lint.matching import _folded, _raw_matches, _TextIndex
from spikecontent.lint.status import Claim, ClaimStatus, level_for, status_of


def _context_status(nlp: Any, text: str, start: int, end: int) -> ClaimStatus:
    from medspacy.ner import TargetRule

    nlp.get_pipe("medspacy_target_matcher").add([TargetRule(text[start:end], "CLAIM")])
    for entity in nlp(text).ents:
        if entity.start_char < end and start < entity.end_char:
            if entity._.is_negated:
                return ClaimStatus.DENIED
            if entity._.is_hypothetical or entity._.is_uncertain:
                return ClaimStatus.HEDGED
            break
    return ClaimStatus.ASSERTED


def _levels(nlp: Any, rules: Any, text: str, mode: str) -> list[Level]:
    scan, folded = _folded(text)
    index = _TextIndex(scan)
    levels = []
    for rule in rules:
        for match in _raw_matches(scan, rule, folded, index):
            claim = Claim.at(text, match.start, match.end)
            hand = status_of(claim, quoted_counts=rule.quoted)
            status = hand
            if mode != "hand":
                status = _context_status(nlp, text, match.start, match.end)
                if mode == "hybrid" and status is ClaimStatus.ASSERTED:
                    status = ClaimStatus.ASSERTED if hand is ClaimStatus.DENIED else hand
            if rule.form == "wording":
                level = None if status is ClaimStatus.DENIED else rule.level
            else:
                level = level_for(status, rule.level, claim)
            if level is not None:
                levels.append(level)
    return levels


def main() -> None:
    """Print each way's figures on the dev half."""
    import medspacy
    from loguru import logger

    logger.remove()  # medspaCy logs at DEBUG through loguru by default
    nlp = medspacy.load()
    rules = load_rules()
    dev = [s for s in sentences() if s.half == "dev"]
    for mode in ("hand", "context", "hybrid"):
        tally: collections.Counter[str] = collections.Counter()
        for sentence in dev:
            levels = _levels(nlp, rules, sentence.text, mode)
            if sentence.dishonest:
                tally["dishonest"] += 1
                tally["caught"] += bool(levels)
            else:
                tally["honest"] += 1
                tally["errors"] += Level.ERROR in levels
                tally["any"] += bool(levels)
        print(
            f"{mode:8} caught {tally['caught']}/{tally['dishonest']}"
            f"  honest errors {tally['errors']}/{tally['honest']}"
            f"  any finding {tally['any']}/{tally['honest']}"
        )


if __name__ == "__main__":
    main()
