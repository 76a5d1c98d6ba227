"""Where prose cites a study: sentences, and the words that name a study."""

from __future__ import annotations

import re

from spikecontent.model import Study

__all__ = ["SENTENCE", "STUDY_WORDS", "study_mentions"]

SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
"""One sentence of a text field (to its closing punctuation or the line's end)."""
STUDY_WORDS = r"(?:study|studies|trial|trials|pilot|experiment|paper)"
"""The words that name a study after its year ("a 2012 pilot study")."""


def study_mentions(study: Study) -> re.Pattern[str]:
    """What names ``study`` in prose: its year shortly before a study word ("the 2012
    pilot study"), or one of its authors."""
    names = [re.escape(name) for name in study.authors]
    year = rf"\b{study.year}\b(?:\W+\w+){{0,4}}\W+{STUDY_WORDS}\b"
    return re.compile("|".join([year, *(rf"\b{n}\b" for n in names)]), re.IGNORECASE)
