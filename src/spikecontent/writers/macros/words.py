"""Words as the replies and the macro board compare them: English Snowball stems, folded
through one small table of synonyms.

One table serves both: a reply leaves out of its cautions line what its answer or the
disclaimer already names ("are pregnant" names the caution "Pregnancy"), and the board
finds the replies about pain for "hurts". Search in other channels should use the same
:func:`term`, so a word finds the same things everywhere.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import snowballstemmer  # type: ignore[import-untyped]

__all__ = ["SYNONYMS", "forms", "term", "terms", "words"]

SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("pregnant", "pregnancy"),
    ("hurt", "pain", "painful", "sore", "ache", "sting", "sharp"),
    ("safe", "safety", "risk", "danger", "dangerous"),
    ("doctor", "clinician", "physician", "gp"),
    ("study", "research", "trial", "evidence", "science"),
    ("price", "cost", "expensive", "cheap"),
    ("refund", "reimburse"),
    ("ship", "shipping", "delivery", "deliver", "postage"),
    ("sleep", "insomnia", "bedtime"),
    ("relax", "calm", "unwind", "decompress"),
    ("thinner", "anticoagulant"),
)
"""Words that find each other: each group folds to the stem of its first word. Kept
small and literal: a synonym here also counts as naming a caution in a reply."""

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")

_stemmer = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


_FOLD = {_stem(word): _stem(group[0]) for group in SYNONYMS for word in group}


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased (possessive ``'s`` dropped; hyphens and
    digits split words)."""
    # A list from findall, not a generator over match objects: the board reads every
    # reply's words, a million and a half of them at 1,000 articles.
    found = _WORD.findall(text.lower().replace("\u2019", "'"))
    return [word.removesuffix("'s") for word in found]


@functools.lru_cache(maxsize=65_536)
def term(word: str) -> str:
    """What ``word`` (lower-case) is compared as: its stem, folded through
    :data:`SYNONYMS`."""
    stem = _stem(word)
    return _FOLD.get(stem, stem)


def terms(text: str) -> list[str]:
    """The terms of ``text``'s words, in order."""
    return [term(word) for word in words(text)]


def forms(texts: Iterable[str]) -> dict[str, str]:
    """Each word of ``texts`` and of :data:`SYNONYMS` with its term, sorted by word: what
    the board looks a typed word up in."""
    found = {word for text in texts for word in words(text)}
    found.update(word for group in SYNONYMS for word in group)
    return {word: term(word) for word in sorted(found)}
