"""The jsonld writer: a valid, connected schema.org graph, true to the content, safe to embed."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import spikecontent
from spikecontent import Library
from spikecontent.writers.jsonld.embed import script_element
from spikecontent.writers.jsonld.graph import article_graph
from tests.conftest import REPO, SLUG, Edit, Project
from tests.pictures import with_merchant_listing
from tests.schema_vocabulary import SCHEMA, vocabulary

GOLDEN = REPO / "tests" / "golden"


def graph_of(library: Library, **options: Any) -> dict[str, Any]:
    return article_graph(library, library.article(SLUG), **options)


def nodes_by_id(graph: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["@id"]: node for node in graph["@graph"]}


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in ``value``, nested ones included."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from objects(child)


def typed_nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every object with an @type, nested ones included."""
    return (node for node in objects(value) if "@type" in node)


def references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            yield value["@id"]
        for child in value.values():
            yield from references(child)
    elif isinstance(value, list):
        for child in value:
            yield from references(child)


def types_of(node: dict[str, Any]) -> list[str]:
    kind = node["@type"]
    return kind if isinstance(kind, list) else [kind]


@pytest.fixture
def published(content_copy: Path) -> Library:
    """The content with what the seed does not give (a publication date, pictures, a
    shop's shipping and return policy), for checks that need a complete graph (test data
    only: content/ stays without them)."""
    return spikecontent.load(with_merchant_listing(content_copy))


def test_every_type_and_property_is_in_the_pinned_vocabulary(published: Library) -> None:
    vocab = vocabulary()
    assert vocab.release == "30.0"
    for node in typed_nodes(graph_of(published)):
        types = types_of(node)
        assert all(t in vocab.parents for t in types), types
        for prop in node:
            if prop.startswith("@"):
                continue
            assert prop in vocab.domains, f"{prop} is not a schema.org property"
            assert vocab.allows(types, prop), f"{prop} does not apply to {types}"


def test_enumeration_values_are_schema_org_members(published: Library) -> None:
    offer = next(n for n in typed_nodes(graph_of(published)) if n["@type"] == "Offer")
    policy = offer["hasMerchantReturnPolicy"]["returnPolicyCategory"]
    for url in (offer["availability"], policy):
        assert url.startswith(SCHEMA)
        assert url.removeprefix(SCHEMA) in vocabulary().members
    assert offer["availability"] == "https://schema.org/InStock"


def test_the_graph_has_unique_ids_no_dangling_reference_and_no_orphan(library: Library) -> None:
    graph = graph_of(library)
    ids = [node["@id"] for node in graph["@graph"]]
    assert len(ids) == len(set(ids))
    edges = [(node["@id"], target) for node in graph["@graph"] for target in references(node)]
    assert {target for _, target in edges} <= set(ids)
    # Connected: every node is reachable from the web page, following links either way.
    reached, frontier = set(), [f"https://www.spikerest.example/{SLUG}/#webpage"]
    while frontier:
        here = frontier.pop()
        if here not in reached:
            reached.add(here)
            frontier += [b for a, b in edges if a == here] + [a for a, b in edges if b == here]
    assert reached == set(ids)


def test_required_and_recommended_properties_are_present(published: Library) -> None:
    by_type: dict[str, list[dict[str, Any]]] = {}
    for node in typed_nodes(graph_of(published)):
        for kind in types_of(node):
            by_type.setdefault(kind, []).append(node)

    [page] = by_type["FAQPage"]
    assert len(page["mainEntity"]) == 4
    for question in by_type["Question"]:
        assert question["name"]
        assert question["acceptedAnswer"]["text"].startswith("<p>")
    [article] = by_type["Article"]
    for key in ("headline", "author", "datePublished", "dateModified", "publisher"):
        assert article[key], key
    published_at = datetime.datetime.fromisoformat(article["datePublished"])
    modified_at = datetime.datetime.fromisoformat(article["dateModified"])
    assert published_at.utcoffset() is not None
    assert modified_at >= published_at
    [product] = by_type["Product"]
    [offer] = by_type["Offer"]
    assert product["name"]
    assert product["offers"] == {"@id": offer["@id"]}
    assert (offer["price"], offer["priceCurrency"]) == ("34.99", "USD")
    assert offer["url"].startswith("https://")
    assert page["lastReviewed"] == "2026-07-04"


def test_nothing_the_content_does_not_say_is_emitted(library: Library) -> None:
    text = json.dumps(graph_of(library))
    for absent in ("aggregateRating", "review", "availability", "doi"):
        assert absent not in text
    article = nodes_by_id(graph_of(library))[f"https://www.spikerest.example/{SLUG}/#article"]
    assert "datePublished" not in article  # the seed gives no publication date
    assert article["author"] == {"@id": "https://www.spikerest.example/#organization"}


def test_faq_answers_use_only_allowed_tags_and_absolute_links(library: Library) -> None:
    allowed = {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "ol",
        "ul",
        "li",
        "a",
        "p",
        "div",
        "b",
        "strong",
        "i",
        "em",
    }
    for node in typed_nodes(graph_of(library)):
        if node["@type"] != "Answer":
            continue
        tags = TagCollector.of(node["text"])
        assert {tag for tag, _ in tags} <= allowed
        for tag, attributes in tags:
            assert [name for name, _ in attributes] == (["href"] if tag == "a" else [])
            if tag == "a":
                assert attributes[0][1].startswith("https://")


def test_the_graph_matches_the_model(library: Library) -> None:
    graph = graph_of(library)
    article = library.article(SLUG)
    nodes = list(typed_nodes(graph))
    questions = [n["name"] for n in nodes if n["@type"] == "Question"]
    assert questions == [entry.question for entry in article.faq_entries]
    studies = {n["@id"]: n for n in nodes if n["@type"] == "ScholarlyArticle"}
    for study_id in article.study_ids:
        study = library.study(study_id)
        node = studies[f"https://www.spikerest.example/#study-{study_id}"]
        size = f"n = {study.sample.n}" if study.sample.n else "sample size not reported"
        assert size in node["description"]
        assert study.limitations[0] in node["description"]
        if study.design.is_pilot:
            assert "pilot" in node["description"]
        # Authors as the content names them, and only then; no invented names.
        expected = [{"@type": "Person", "name": name} for name in study.authors]
        assert node.get("author", []) == expected
        assert node.get("name") == study.title
    assert len(studies) == len(article.study_ids)
    # The seed's product has no picture: no Product or Offer node, only a mention.
    assert not [n for n in nodes if n["@type"] in ("Product", "Offer")]
    [article_node] = [n for n in nodes if n["@type"] == "Article"]
    product = library.product(library.offer(article.offer).product)
    assert article_node["mentions"] == {
        "@type": "Thing",
        "name": product.name,
        "url": library.resolve_href(product.url),
    }


def test_a_complete_offer_matches_the_model(published: Library) -> None:
    nodes = list(typed_nodes(graph_of(published)))
    [offer] = [n for n in nodes if n["@type"] == "Offer"]
    [product] = [n for n in nodes if n["@type"] == "Product"]
    model_offer = published.offer(published.article(SLUG).offer)
    model_product = published.product(model_offer.product)
    assert offer["@id"].endswith(f"#offer-{model_offer.id}")
    assert (offer["price"], offer["priceCurrency"]) == (
        str(model_offer.price),
        model_offer.currency,
    )
    policy = offer["hasMerchantReturnPolicy"]
    assert policy["merchantReturnDays"] == model_offer.money_back_days
    assert policy["applicableCountry"] == ["US"]
    shipping = offer["shippingDetails"]
    assert shipping["shippingRate"] == {"@type": "MonetaryAmount", "value": "0", "currency": "USD"}
    assert shipping["shippingDestination"] == [{"@type": "DefinedRegion", "addressCountry": "US"}]
    transit = shipping["deliveryTime"]["transitTime"]
    assert (transit["minValue"], transit["maxValue"], transit["unitCode"]) == (2, 5, "DAY")
    assert offer["itemCondition"] == "https://schema.org/NewCondition"
    assert model_product.image is not None
    assert product["image"] == {
        "@type": "ImageObject",
        "url": "https://media.spikerest.example/content/images/spikerest-mat-640w.png",
        "width": 640,
        "height": 480,
        "caption": model_product.image.alt,
    }
    assert product["brand"] == {"@type": "Brand", "name": "SpikeRest"}


def test_faq_page_typing_can_be_turned_off(library: Library) -> None:
    page = graph_of(library, faq_page=False)["@graph"][2]
    assert page["@type"] == "WebPage"
    assert "mainEntity" not in page


def test_offline_expansion_yields_only_known_iris(published: Library) -> None:
    from pyld import jsonld

    def local_context(url: str, options: Any = None) -> dict[str, Any]:
        # Built from the pinned vocabulary; nothing is fetched.
        assert url.rstrip("/") == "https://schema.org", url
        document = {"@context": {"@vocab": SCHEMA}}
        return {"contextUrl": None, "documentUrl": url, "document": document}

    expanded = jsonld.expand(graph_of(published), {"documentLoader": local_context})

    vocab = vocabulary()
    iris: set[str] = set()
    for node in objects(expanded):
        iris |= {key for key in node if not key.startswith("@")}
        iris |= set(node.get("@type", []))
    assert iris
    unknown = {i for i in iris if i.removeprefix(SCHEMA) not in vocab.parents | vocab.domains}
    assert unknown == set()


# No U+2028 here: the loader refuses it (tests/test_hardening.py), so no channel meets it.
ADVERSARIAL = "Mats </script><script>alert(1)</script> </SCRIPT > <!--<script> & \"q\" 'q' 🧘"


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's escapes are YAML's too)."""
    return json.dumps(text, ensure_ascii=False)


def test_the_snippet_survives_adversarial_text(content_copy: Path, edit: Edit) -> None:
    edit(
        f"articles/{SLUG}.yaml",
        "title: 'Acupressure Mat Benefits: What the Research Really Says'",
        f"title: {yaml_quoted(ADVERSARIAL)}",
    )
    edit(
        f"articles/{SLUG}.yaml",
        "question: Do acupressure mats work?",
        f"question: {yaml_quoted(ADVERSARIAL)}",
    )
    library = spikecontent.load(content_copy)

    snippet = script_element(graph_of(library))
    parsed = ScriptCollector.of(snippet)

    assert parsed.scripts == [[("type", "application/ld+json")]]
    [body] = parsed.bodies
    assert "<" not in body
    assert ">" not in body
    data = json.loads(body)
    assert data == graph_of(library)
    names = [n.get("name") for n in data["@graph"]]
    assert ADVERSARIAL in names  # the page name and the question, byte for byte


def test_the_seed_article_matches_its_golden_files(tmp_path: Path) -> None:
    jsonld = Project(tmp_path).exported("jsonld", only=["jsonld"])
    for name in (f"{SLUG}.jsonld", f"{SLUG}.jsonld.html"):
        produced = (jsonld / name).read_text(encoding="utf-8")
        assert produced == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_a_studys_description_says_what_was_tested_and_how_its_sample_adds_up(
    tmp_path: Path,
) -> None:
    """The seed's 2012 citation is a pair of pilot studies of a needle pad, n = 42 in
    total: said so, it does not read as one trial of the mat."""
    jsonld = Project(tmp_path).exported("jsonld", only=["jsonld"])
    graph = json.loads((jsonld / f"{SLUG}.jsonld").read_text(encoding="utf-8"))["@graph"]
    [hohmann] = [n for n in graph if "(2012, total n = 42)" in n.get("description", "")]
    description = hohmann["description"]
    assert description.startswith("Pair of randomized pilot studies (2012, total n = 42).")
    assert "Sample: Total across a pair of randomized controlled pilot studies." in description
    assert "Intervention: Two weeks of self-use of a mechanical needle-stimulation pad." in (
        description
    )


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    @classmethod
    def of(cls, html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.tags


class ScriptCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[list[tuple[str, str | None]]] = []
        self.bodies: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(attrs)
        else:
            self.other.append(tag)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.bodies.append(data)

    def handle_comment(self, data: str) -> None:
        self.other.append("comment")

    @classmethod
    def of(cls, html: str) -> ScriptCollector:
        parser = cls()
        parser.feed(html)
        parser.close()
        assert parser.other == []
        return parser


def test_dates_begin_in_the_site_time_zone(content_copy: Path, edit: Edit) -> None:
    edit("site.yaml", "timezone: UTC", "timezone: Europe/Berlin")
    library = spikecontent.load(content_copy)

    article = nodes_by_id(graph_of(library))[f"https://www.spikerest.example/{SLUG}/#article"]

    assert article["dateModified"] == "2026-07-04T00:00:00+02:00"  # CEST in July
