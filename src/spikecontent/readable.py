"""Text as a reader reads it: what hides words from a matcher but not from the eye.

"This mat cu<U+200B>res sciatica" shows as "cures" in every channel, and so do "cures"
with a Cyrillic letter in place of a Latin one, "c&shy;ures", "*cu*res" in a plain-text
field and "cures" in full-width letters. :func:`readable` folds all of these to the
letters a reader sees, keeping each character's offset in the original so a finding
points at what was written; :func:`disguise` names the first such character for the
loader, which refuses invisible format characters and words that mix scripts.

Look-alike letters are Unicode TS #39 "confusables", from the maintained
``confusable-homoglyphs`` tables; only words that mix scripts are folded, so a word
written wholly in Cyrillic or Greek stays as it is.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from typing import Final

import attrs

__all__ = ["Disguise", "Folded", "disguise", "readable"]

_ENTITY: Final = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Emphasis marks inside a word: "*cu*res" reads as "cures" in a plain-text channel.
_INNER_MARKS: Final = re.compile(r"(?<=\w)[*_]+(?=\w)")
_WORD: Final = re.compile(r"\w+")
# Any character that could need folding; most texts have none, and the typographic
# dashes, quotes and middle dot of ordinary prose are not worth the character-by-character
# pass (NFKC leaves them, and they are no letter to disguise).
_SUSPECT: Final = re.compile(
    r"[^\x00-\x7f\u2013\u2014\u2018\u2019\u201c\u201d\u00b7]|&|(?<=\w)[*_]"
)
_JOINER = "\u200d"


@attrs.frozen
class Folded:
    """Folded text and, for each of its characters, where it came from in the original
    (one more entry: the original's length)."""

    text: str
    origins: tuple[int, ...] | None
    """None when nothing was folded: offsets are the original's."""

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``start:end``."""
        if self.origins is None:
            return start, end
        # The end maps through the last folded character, so that a folded character's
        # original (an entity, say) is covered whole.
        last = self.origins[end - 1] if end > start else self.origins[start]
        return self.origins[start], _end_of(self.origins, last, end)


def _end_of(origins: tuple[int, ...], last: int, end: int) -> int:
    following = origins[end] if end < len(origins) else last + 1
    return max(following, last + 1)


def readable(text: str) -> Folded:
    """``text`` folded to what a reader reads: HTML entities decoded, invisible format
    characters dropped, compatibility forms (full-width, ligatures) as NFKC has them,
    emphasis marks inside a word dropped, and look-alike letters in mixed-script words
    replaced by their Latin originals."""
    if not _SUSPECT.search(text):
        return Folded(text, None)
    chars: list[str] = []
    origins: list[int] = []
    for start, piece in _pieces(text):
        for char in piece:
            if unicodedata.category(char) == "Cf":
                continue
            for folded in unicodedata.normalize("NFKC", char):
                chars.append(folded)
                origins.append(start)
    folded = "".join(chars)
    marks = {i for found in _INNER_MARKS.finditer(folded) for i in range(*found.span())}
    kept = [i for i in range(len(folded)) if i not in marks]
    folded = "".join(folded[i] for i in kept)
    origins = [origins[i] for i in kept]
    folded = _fold_lookalikes(folded)
    return Folded(folded, (*origins, len(text)))


def _pieces(text: str) -> list[tuple[int, str]]:
    """``text`` as (offset, characters) pieces, an HTML entity decoded as one piece."""
    pieces: list[tuple[int, str]] = []
    position = 0
    for entity in _ENTITY.finditer(text):
        pieces.extend((position + i, c) for i, c in enumerate(text[position : entity.start()]))
        decoded = html.unescape(entity.group())
        pieces.append((entity.start(), decoded))
        position = entity.end()
    pieces.extend((position + i, c) for i, c in enumerate(text[position:]))
    return pieces


def _fold_lookalikes(text: str) -> str:
    if text.isascii():
        return text
    return _WORD.sub(lambda word: _latin_word(word.group()), text)


def _latin_word(word: str) -> str:
    if word.isascii() or len(_scripts(word)) < 2:
        return word
    return "".join(_latin_lookalike(char) for char in word)


@functools.cache
def _latin_lookalike(char: str) -> str:
    """The Latin letter ``char`` looks like (itself when none, or when it is Latin)."""
    from confusable_homoglyphs import categories, confusables

    if char.isascii() or categories.alias(char) in ("LATIN", "COMMON"):
        return char
    found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            latin = str(glyph["c"])
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                return latin.lower() if char.islower() else latin
    return char


def _scripts(word: str) -> set[str]:
    from confusable_homoglyphs import categories

    return {
        script
        for char in word
        if char.isalpha() and (script := categories.alias(char)) not in ("COMMON", "INHERITED")
    }


@attrs.frozen
class Disguise:
    """A character that hides a word: where it is and what to say about it."""

    offset: int
    message: str
    fix: str


def disguise(text: str) -> Disguise | None:
    """The first invisible format character (an HTML entity for one included) or word
    that mixes scripts in ``text``; None when it has neither. A zero-width joiner
    between emoji (family and flag sequences) is allowed."""
    if not _SUSPECT.search(text):
        return None
    for start, piece in _pieces(text):
        for char in piece:
            if unicodedata.category(char) == "Cf" and not _emoji_joiner(text, start, char):
                name = unicodedata.name(char, "a format character")
                return Disguise(
                    start,
                    f"holds an invisible character, U+{ord(char):04X} {name}, at position"
                    f" {start + 1}",
                    "remove it: invisible characters hide words from lint and from search,"
                    " though every reader sees the word whole",
                )
    for word in _WORD.finditer(text):
        scripts = _scripts(word.group()) if not word.group().isascii() else set()
        if len(scripts) > 1:
            return Disguise(
                word.start(),
                f"the word {word.group()!r} mixes {_named(scripts)} letters",
                "retype it in one alphabet: a look-alike letter from another script hides the"
                " word from lint and from search",
            )
    return None


def _named(scripts: set[str]) -> str:
    return " and ".join(sorted(script.title() for script in scripts))


def _emoji_joiner(text: str, at: int, char: str) -> bool:
    if char != _JOINER or at == 0 or at + 1 >= len(text):
        return False
    before, after = text[at - 1], text[at + 1]
    return unicodedata.category(before) == "So" and unicodedata.category(after) == "So"
