"""Writers unit-tested on their own: made for a profile, planned and rendered in memory,
with no export, no output folder and no files written."""

from __future__ import annotations

import json
from typing import Any

import feedparser

import spikecontent
from spikecontent.pipeline import Profile, Registry, make_writer
from spikecontent.sdk import Writer
from spikecontent.writers.json_output import json_document
from spikecontent.writers.macros import MacroOptions
from spikecontent.writers.readback import json_strings
from tests.conftest import SLUG


def writer_for(library: spikecontent.Library, name: str, options: object = None) -> Writer[Any]:
    cls = Registry.installed().get(name)
    profile = Profile(
        name=name,
        writer=cls,
        output=name,
        options=options if options is not None else cls.options(),
    )
    return make_writer(profile, library)


def test_json_renders_the_article_document(library: spikecontent.Library) -> None:
    writer = writer_for(library, "json")
    artifacts = {a.path: a for a in writer.plan()}
    data = json.loads(writer.render(artifacts[f"articles/{SLUG}.json"]))
    assert data == spikecontent.article_document(library, SLUG)


def test_documents_are_the_json_the_standard_library_writes(
    library: spikecontent.Library,
) -> None:
    # Encoded by msgspec for speed; the text is the json module's, indented or compact.
    document = spikecontent.article_document(library, SLUG)
    hostile = {"text": '<\u2028 "é" \\ \t\x01', "empty": [[], {}], "n": [0.5, -3, None]}
    for data in (document, hostile):
        assert json_document(data, 2) == json.dumps(data, ensure_ascii=False, indent=2)
        compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        assert json_document(data) == compact


def test_a_feed_renders_and_reads_back_its_entries(library: spikecontent.Library) -> None:
    writer = writer_for(library, "rss")
    artifacts = {a.path: a for a in writer.plan()}
    site, own = artifacts["site.atom.xml"], artifacts[f"articles/{SLUG}.atom.xml"]
    parsed = feedparser.parse(writer.render(site))
    assert parsed.bozo == 0
    # The site's feed is read back an entry (a part) at a time, an article's whole.
    assert site.parts is not None
    read = [t for p in site.parts for t in writer.health_texts(site, writer.render_part(site, p))]
    assert [t.part for t in read] == [f"entry {e.id}" for e in parsed.entries]
    assert len(list(writer.health_texts(own, writer.render(own)))) == len(parsed.entries) > 0


def test_macros_are_built_once_per_writer_and_say_what_options_add(
    library: spikecontent.Library,
) -> None:
    options = MacroOptions(greeting="Hello", closing="Warmly,")
    writer = writer_for(library, "macros", options)
    writer.prepare()
    first = writer.built  # type: ignore[attr-defined]
    planned = list(writer.plan())
    assert writer.built is first  # type: ignore[attr-defined]
    (offer,) = [a for a in planned if a.path == f"{SLUG}-offer.txt"]
    text = writer.render(offer).decode()
    assert text.startswith("Hello ")
    assert "Warmly," in text
    wording = {w.path: w.text for w in writer.wording()}
    assert wording[("greeting",)] == "Hello"
    assert wording[("closing",)] == "Warmly,"


def test_a_content_failure_travels_back_from_a_rendering_process() -> None:
    # Rendered results cross process boundaries when the pool runs: the place must too.
    import pickle

    from spikecontent.model import ARTICLES
    from spikecontent.sdk import ContentFailure

    failure = ContentFailure(ARTICLES.key("a"), ("faq", "items", 2, "answer"), "too long", "cut")
    again = pickle.loads(pickle.dumps(failure))
    assert (again.entry, again.path, again.message, again.fix) == (
        failure.entry,
        failure.path,
        "too long",
        "cut",
    )


def test_json_strings_reads_every_string_depth_first_in_document_order() -> None:
    document = {"a": ["x", {"b": "y", "c": [1, "z", [["w"]], None]}], "d": "v", "e": {}}
    assert json_strings(document) == ["x", "y", "z", "w", "v"]
    assert json_strings("alone") == ["alone"]
    assert json_strings([]) == []
