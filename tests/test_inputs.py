"""What an artifact's digest covers: its entries and everything they reference."""

from __future__ import annotations

from spikecontent import load
from spikecontent.model import SITE_KEY, EntryKey
from spikecontent.model.walk import references
from spikecontent.pipeline.inputs import InputDigests
from spikecontent.sdk import Artifact
from tests.conftest import CONTENT


def test_a_closure_holds_every_entry_the_entities_reference() -> None:
    """The closure reads each entity's references from the walk the load cache keeps
    (``outgoing``): the model's own reference walk finds no entry it leaves out."""
    library = load(CONTENT)
    digests = InputDigests(library, "test")
    for kind, entities in library.entities.items():
        for entity in entities:
            key = EntryKey(kind, entity.slug if kind == "articles" else entity.id)
            closure = set(digests.closure(Artifact(path="x", entries=(key,))))
            named = {EntryKey(ref.kind, ref.id) for ref in references(entity)}
            assert {key, SITE_KEY, *named} <= closure, key
            for ref in named:  # and what those reference in turn
                assert set(digests.closure(Artifact(path="x", entries=(ref,)))) <= closure
    article = library.article("acupressure-mat-benefits")
    assert {EntryKey("studies", c.study) for c in article.research.citations} <= set(
        digests.closure(Artifact(path="x", entries=(EntryKey("articles", article.slug),)))
    )
