"""The read-back check of every export: each health-related part of each rendered
artifact carries its article's disclaimer, word for word (a brief part, such as a support
reply, its short form when the content gives one)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from spikecontent.model import Library
from spikecontent.sdk.writer import HealthText

__all__ = ["missing_disclaimers", "normalized"]

# Layout may hyphenate and break lines anywhere; what must survive is the words, in order.
_LAYOUT = re.compile(r"[\s\u00ad\u2010\u2011-]+")


@functools.lru_cache(maxsize=64)
def _normalized_disclaimer(text: str) -> str:
    return normalized(text)


def normalized(text: str) -> str:
    """``text`` without whitespace, soft hyphens or hyphens, lower-cased."""
    return _LAYOUT.sub("", text).lower()


def missing_disclaimers(parts: Iterable[HealthText], library: Library) -> Iterator[str]:
    """A message for each part that lacks its article's disclaimer."""
    for part in parts:
        ident = library.article(part.article).disclaimer
        disclaimer = library.disclaimer(ident) if ident else None
        # An article without one already failed the lint gate's structural check.
        if disclaimer is None:
            continue
        forms = [disclaimer.text]
        if part.brief and disclaimer.short_text:
            forms.append(disclaimer.short_text)
        if any(form in part.text for form in forms):
            continue  # word for word, as every channel but print carries it
        # Layout may have broken lines and hyphenated words: compare the words alone.
        words = normalized(part.text)
        if not any(_normalized_disclaimer(form) in words for form in forms):
            yield f"{part.part}: the disclaimer {disclaimer.id!r} is missing"
