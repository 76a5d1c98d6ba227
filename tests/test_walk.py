"""The pruned walk: entering only the fields that can hold what a check reads skips
nothing that the full walk would give that check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

import spikecontent
from spikecontent.model import COLLECTIONS, Image, Library
from spikecontent.model.fields import REF_KIND, href
from spikecontent.model.walk import HREF, field_values
from spikecontent.richtext import RichText
from tests.pictures import with_merchant_listing

CHECKED = (REF_KIND, RichText, HREF, Image)


def checked(path: Any, value: Any, field: attrs.Attribute[Any]) -> bool:
    """Whether the reference check reads this node (as Library does)."""
    return (
        (REF_KIND in field.metadata and isinstance(value, str))
        or isinstance(value, (RichText, Image))
        or (field.validator is href and isinstance(value, str))
    )


def entities(library: Library) -> list[Any]:
    return [library.site, *(e for kind in COLLECTIONS for e in library.all(kind))]


def assert_pruning_keeps_every_checked_node(library: Library) -> list[Any]:
    """The checked values, after asserting the pruned walk gives each at its path."""
    values = []
    for entity in entities(library):
        full = [(p, v) for p, v, f in field_values(entity) if checked(p, v, f)]
        pruned = [(p, v) for p, v, f in field_values(entity, holding=CHECKED) if checked(p, v, f)]
        assert pruned == full, type(entity).__name__
        values += [v for _, v in full]
    return values


def test_the_seed_keeps_every_reference_link_and_prose(library: Library) -> None:
    values = assert_pruning_keeps_every_checked_node(library)
    assert "hohmann-2012" in values  # a reference
    assert any(isinstance(v, RichText) for v in values)


def test_pictures_are_kept_too(content_copy: Path) -> None:
    library = spikecontent.load(with_merchant_listing(content_copy))
    images = [
        v
        for e in entities(library)
        for _, v, _ in field_values(e, holding=CHECKED)
        if isinstance(v, Image)
    ]
    assert images
    assert_pruning_keeps_every_checked_node(library)
