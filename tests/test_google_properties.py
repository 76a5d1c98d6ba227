"""The exported JSON-LD against Google's documented structured-data rules.

The table below is written from Google's pages (each row cites its own), not from the
writer: every node Google reads must carry its required properties, and each recommended
property it lacks must come out of the export as a warning naming the content field that
would fill it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spikecontent.cli import app
from tests.conftest import SLUG, Project
from tests.pictures import with_merchant_listing
from tests.test_jsonld import typed_nodes, types_of

ARTICLE = "https://developers.google.com/search/docs/appearance/structured-data/article"
BREADCRUMB = "https://developers.google.com/search/docs/appearance/structured-data/breadcrumb"
FAQ = "https://developers.google.com/search/docs/appearance/structured-data/faqpage"
MERCHANT = "https://developers.google.com/search/docs/appearance/structured-data/merchant-listing"

REQUIRED = "required"
RECOMMENDED = "recommended"
# (node type, property, level, Google's page). "Recommended" rows that the content model
# has no field for are in NOT_MODELLED, with the reason, and must be listed in the docs.
GOOGLE = [
    ("Article", "headline", RECOMMENDED, ARTICLE),
    ("Article", "author", RECOMMENDED, ARTICLE),
    ("Article", "datePublished", RECOMMENDED, ARTICLE),
    ("Article", "dateModified", RECOMMENDED, ARTICLE),
    ("Article", "image", RECOMMENDED, ARTICLE),
    ("BreadcrumbList", "itemListElement", REQUIRED, BREADCRUMB),
    ("ListItem", "position", REQUIRED, BREADCRUMB),
    ("ListItem", "name", REQUIRED, BREADCRUMB),
    ("ListItem", "item", REQUIRED, BREADCRUMB),
    ("FAQPage", "mainEntity", REQUIRED, FAQ),
    ("Question", "name", REQUIRED, FAQ),
    ("Question", "acceptedAnswer", REQUIRED, FAQ),
    ("Answer", "text", REQUIRED, FAQ),
    ("Product", "name", REQUIRED, MERCHANT),
    ("Product", "image", REQUIRED, MERCHANT),
    ("Product", "offers", REQUIRED, MERCHANT),
    ("Product", "description", RECOMMENDED, MERCHANT),
    ("Product", "brand", RECOMMENDED, MERCHANT),
    ("Product", "sku", RECOMMENDED, MERCHANT),
    ("Product", "gtin", RECOMMENDED, MERCHANT),
    ("Product", "aggregateRating", RECOMMENDED, MERCHANT),
    ("Product", "review", RECOMMENDED, MERCHANT),
    ("Offer", "price", REQUIRED, MERCHANT),
    ("Offer", "priceCurrency", REQUIRED, MERCHANT),
    ("Offer", "availability", RECOMMENDED, MERCHANT),
    ("Offer", "itemCondition", RECOMMENDED, MERCHANT),
    ("Offer", "shippingDetails", RECOMMENDED, MERCHANT),
    ("Offer", "hasMerchantReturnPolicy", RECOMMENDED, MERCHANT),
    ("OfferShippingDetails", "shippingRate", REQUIRED, MERCHANT),
    ("OfferShippingDetails", "shippingDestination", REQUIRED, MERCHANT),
    ("OfferShippingDetails", "deliveryTime", REQUIRED, MERCHANT),
    ("ShippingDeliveryTime", "handlingTime", REQUIRED, MERCHANT),
    ("ShippingDeliveryTime", "transitTime", REQUIRED, MERCHANT),
    ("MerchantReturnPolicy", "applicableCountry", REQUIRED, MERCHANT),
    ("MerchantReturnPolicy", "returnPolicyCategory", REQUIRED, MERCHANT),
    ("MerchantReturnPolicy", "returnMethod", RECOMMENDED, MERCHANT),
    ("MerchantReturnPolicy", "returnFees", RECOMMENDED, MERCHANT),
]
NOT_MODELLED = {
    ("Product", "aggregateRating"): "ratings are never made up; none are content here",
    ("Product", "review"): "reviews are never made up; none are content here",
}
DOCS = Path(__file__).resolve().parent.parent / "docs" / "structured-data.md"


def exported(project: Project) -> tuple[dict[str, Any], str]:
    """The exported graph of the flagship article, and what the export printed."""
    result = CliRunner().invoke(app, project.export_arguments("jsonld"))
    assert result.exit_code == 0, result.output
    graph = json.loads((project.out / "jsonld" / f"{SLUG}.jsonld").read_text(encoding="utf-8"))
    return graph, result.output


@pytest.fixture(params=["seed", "merchant listing"])
def export(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, Any], str]:
    project = Project(tmp_path)
    if request.param == "merchant listing":
        with_merchant_listing(project.content)
    return exported(project)


def nodes_of(graph: dict[str, Any], node_type: str) -> list[dict[str, Any]]:
    return [n for n in typed_nodes(graph) if node_type in types_of(n)]


def test_every_node_google_reads_has_its_required_properties(
    export: tuple[dict[str, Any], str],
) -> None:
    graph, _output = export
    checked = 0
    for node_type, name, level, _page in GOOGLE:
        if level != REQUIRED:
            continue
        for node in nodes_of(graph, node_type):
            assert node.get(name) not in (None, "", []), f"{node_type} lacks {name}"
            checked += 1
    assert checked >= 12  # the breadcrumb and the FAQ are on every page
    for policy in nodes_of(graph, "MerchantReturnPolicy"):
        if policy["returnPolicyCategory"].endswith("FiniteReturnWindow"):
            assert policy["merchantReturnDays"] > 0  # required with a finite window


_SAID = r"which Google recommends \(([^)]+)\): fill (\S+)"


def test_each_missing_recommended_property_is_a_warning_naming_its_field(
    export: tuple[dict[str, Any], str],
) -> None:
    graph, output = export
    warnings = " ".join(output.split())  # the terminal may wrap long lines
    for node_type, name, level, page in GOOGLE:
        if level != RECOMMENDED or (node_type, name) in NOT_MODELLED:
            continue
        for node in nodes_of(graph, node_type):
            said = re.search(
                rf"{node_type} has no {name}, which Google recommends \(([^)]+)\): fill (\S+)",
                warnings,
            )
            if name in node:
                assert said is None, f"warned about {node_type}.{name}, which is there"
            else:
                assert said is not None, f"no warning for {node_type}.{name}"
                assert said.group(1) == page


def test_the_seed_product_is_mentioned_until_it_can_be_a_merchant_listing(tmp_path: Path) -> None:
    graph, output = exported(Project(tmp_path))
    assert not nodes_of(graph, "Product")
    assert not nodes_of(graph, "Offer")
    assert "fill products/spikerest-mat.yaml: image" in " ".join(output.split())
    complete, said = exported(with_listing(tmp_path / "complete"))
    assert nodes_of(complete, "Product")
    assert nodes_of(complete, "Offer")
    assert "products/spikerest-mat.yaml" not in " ".join(said.split())


def with_listing(root: Path) -> Project:
    root.mkdir()
    project = Project(root)
    with_merchant_listing(project.content)
    return project


def test_the_docs_list_what_the_content_cannot_fill_yet() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for (node_type, name), _reason in NOT_MODELLED.items():
        assert f"`{node_type}.{name}`" in text, f"docs/structured-data.md does not list {name}"
    for page in {row[3] for row in GOOGLE}:
        assert page in text
