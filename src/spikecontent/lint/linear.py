"""Project rule patterns on RE2: a rule file cannot make lint take exponential time.

The packaged rules run on Python's backtracking engine (they use look-arounds, and their
tests hold them). A project's own rule files are written by the content team, and a
pattern such as ``(?:.*a){12}c`` or ``(?:a|a?)+c`` backtracks for ever on Python's engine;
RE2 matches every pattern in time linear in the text, and refuses what it cannot do
(look-arounds, back-references) when the rule file is read.

Tokens match whole words, as the packaged rules' do: a match must not be preceded or
followed by a letter, digit, underscore or hyphen. RE2 has no look-arounds, so the
boundary characters are matched and the token is the pattern's one capturing group.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any, Protocol

import attrs
import re2

__all__ = ["Finder", "Found", "LinearPatterns", "linear_error", "linear_patterns"]

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the error comes back as the exception; RE2 would also print it
_BOUNDARY = r"[^\pL\pM\pN_\-]"


class Found(Protocol):
    """A match, as :class:`re.Match` and :class:`Span` both are."""

    def start(self) -> int: ...
    def end(self) -> int: ...
    def span(self) -> tuple[int, int]: ...


class Finder(Protocol):
    """Compiled patterns, as :class:`re.Pattern` and :class:`LinearPatterns` both are."""

    def finditer(self, text: str, /) -> Iterator[Found]: ...
    def search(self, text: str, /) -> Found | None: ...


def linear_error(pattern: str) -> str | None:
    """Why RE2 cannot run ``pattern`` (None: it can)."""
    try:
        re2.compile(pattern, _OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        return reason.decode() if isinstance(reason, bytes) else str(reason)
    return None


@attrs.frozen
class Span:
    """One match: ``start()``, ``end()`` and ``span()`` as :class:`re.Match` has them."""

    begin: int
    stop: int

    def start(self) -> int:
        """Where the match starts."""
        return self.begin

    def end(self) -> int:
        """Where the match ends."""
        return self.stop

    def span(self) -> tuple[int, int]:
        """Both."""
        return self.begin, self.stop


class LinearPatterns:
    """Any of some patterns, as whole words, case-insensitively, on RE2."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        either = "|".join(f"(?:{p})" for p in patterns)
        # Group 1 opens first, so it is the token whatever groups the patterns hold.
        self._compiled: Any = re2.compile(
            f"(?i)(?:^|{_BOUNDARY})({either})(?:{_BOUNDARY}|$)", _OPTIONS
        )

    def finditer(self, text: str) -> Iterator[Span]:
        """Every whole-word match, left to right, not overlapping."""
        position = 0
        while position <= len(text):
            found = self._compiled.search(text, position)
            if found is None:
                return
            start, end = found.span(1)
            yield Span(start, end)
            # The next match may use the character after this one as its boundary.
            position = max(end, start + 1)

    def search(self, text: str) -> Span | None:
        """The first match, if any."""
        return next(self.finditer(text), None)


@functools.cache
def linear_patterns(patterns: tuple[str, ...]) -> LinearPatterns:
    """The compiled :class:`LinearPatterns` for ``patterns`` (kept: rules are reused)."""
    return LinearPatterns(patterns)
