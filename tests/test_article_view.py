"""One view of an article for the channels that show it (issue 39, item 4): the page and
the leaflet render from the same view; the delivery document comes from a converter
configured for one library."""

from __future__ import annotations

import gc
import weakref

from markupsafe import Markup, escape

import spikecontent
from spikecontent.article_view import Prose, article_view
from spikecontent.document import article_document, delivery_converter
from spikecontent.richtext import to_html
from spikecontent.writers.html.page import page_values
from spikecontent.writers.pdf.leaflet import leaflet_values
from tests.conftest import CONTENT, SLUG


def test_the_view_words_the_article_as_readers_read_it(library: spikecontent.Library) -> None:
    view = article_view(library, library.resolve(SLUG))
    citations = view.research.entries if view.research else ()
    # Only a study the content gives a reference for gets a number, in citation order.
    assert [(c.study.id, c.number) for c in citations] == [
        ("bed-of-nails-2011", None),
        ("hohmann-2012", 1),
        ("applied-sciences-2021", 2),
        ("kisker-2024", 3),
    ]
    assert [c.size for c in citations] == ["n = 32", "total n = 42", "n = 44", "n not given"]
    assert citations[1].design == "pair of randomized pilot studies"  # as the seed says
    assert view.offer is not None
    assert view.offer.terms == "From 34.99 USD · free shipping · 30-day money-back guarantee"
    assert view.offer.url == "https://www.spikerest.example/products/spikerest-mat"
    assert view.evidence is not None
    table = library.article(SLUG).evidence_table
    assert table is not None
    height = max(len(table.supported), len(table.not_established))
    assert len(view.evidence.rows) == height
    assert view.evidence.rows[0] == (table.supported[0], table.not_established[0])
    # Prose is escaped HTML, made when an autoescaping template shows it.
    assert isinstance(view.intro, Prose)
    shown = escape(view.intro)
    assert isinstance(shown, Markup)
    assert shown.startswith("<p>")
    assert shown == to_html(view.intro.text, library.resolve_href)
    assert view.sections[0].field == "sections[0].body"


def test_the_page_and_the_leaflet_show_the_same_view(library: spikecontent.Library) -> None:
    resolved = library.resolve(SLUG)
    view = article_view(library, resolved)
    page = page_values(library, resolved)
    leaflet = leaflet_values(library, resolved)
    for part in ("research", "evidence", "cautions", "disclaimer", "offer", "faq", "tips"):
        assert page[part] == leaflet[part] == getattr(view, part), part
    assert leaflet["brief"] == view.sections[0]
    assert leaflet["reviewed"] == "Reviewed July 4, 2026. Curator: Maya Ellison."


def test_a_leaflet_leaves_out_the_sections_its_profile_does_not_print(
    library: spikecontent.Library,
) -> None:
    values = leaflet_values(library, library.resolve(SLUG), frozenset({"faq"}))
    assert values["faq"] is not None
    for left_out in ("brief", "research", "evidence", "user_reports", "sleep", "tips"):
        assert values[left_out] is None, left_out
    assert values["honesty_note"] is None
    # Safety and legal text is not a layout choice.
    for kept in ("cautions", "disclaimer", "offer"):
        assert values[kept] is not None, kept


def test_the_delivery_converter_is_kept_for_its_library_and_lets_it_go() -> None:
    library = spikecontent.load(CONTENT)
    conv = delivery_converter(library)
    assert delivery_converter(library) is conv
    assert article_document(library, SLUG)["cautions"]["items"][0]["id"] == "pregnancy"
    gone = weakref.ref(library)
    del library, conv
    gc.collect()
    assert gone() is None
