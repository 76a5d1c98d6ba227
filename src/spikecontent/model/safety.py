"""Cautions (who should not use a product) and disclaimers."""

from __future__ import annotations

import attrs

from spikecontent.model.fields import identifier, non_empty_text

__all__ = ["Caution", "Disclaimer"]


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
