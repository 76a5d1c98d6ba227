"""Cautions (who should not use a product) and disclaimers."""

from __future__ import annotations

import re

import attrs

from spikecontent.model.fields import FieldError, identifier, non_empty_text

__all__ = ["Caution", "Disclaimer"]

_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


@attrs.frozen(kw_only=True)
class Caution:
    """A group of people who should avoid the product or check with a clinician first."""

    id: str = attrs.field(validator=identifier)
    applies_to: str = attrs.field(validator=non_empty_text)
    """Who it is for, e.g. "Pregnancy"."""
    advice: str = attrs.field(validator=non_empty_text)
    """What they should do, e.g. "talk to your doctor before use."."""


@attrs.frozen(kw_only=True)
class Disclaimer:
    """A disclaimer shown verbatim wherever the content is health-related."""

    id: str = attrs.field(validator=identifier)
    label: str = attrs.field(validator=non_empty_text)
    text: str = attrs.field(validator=non_empty_text)
    short_text: str | None = attrs.field(default=None, validator=non_empty_text)
    """The disclaimer in fewer words, for a channel with little room (a support reply,
    which names its cautions on a line of its own): made of whole sentences of ``text``,
    word for word, so that it can leave sentences out but never say anything else."""

    def __attrs_post_init__(self) -> None:
        if self.short_text is None:
            return
        for sentence in _SENTENCE.findall(self.short_text):
            if sentence.strip() not in self.text:
                raise FieldError(
                    "short_text",
                    f"{sentence.strip()!r} is not a sentence of the disclaimer's text",
                    "make the short form of whole sentences of text, copied word for word",
                )
