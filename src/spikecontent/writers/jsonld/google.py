"""Google's recommended properties for the nodes this writer emits, and the content field
that fills each: a property Google recommends and the graph lacks becomes an export
warning naming that field (``docs/structured-data.md`` cites each page).

Required properties are not listed here: the graph emits a node only when it can carry
all of them (:mod:`.graph`), which ``tests/test_google_properties.py`` checks against its
own table of Google's rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs

from spikecontent.model import ResolvedArticle
from spikecontent.writers.jsonld.graph import merchant_listing

__all__ = ["RECOMMENDED", "Recommended", "missing_recommended"]

ARTICLE_PAGE: Final = "https://developers.google.com/search/docs/appearance/structured-data/article"
MERCHANT_PAGE: Final = (
    "https://developers.google.com/search/docs/appearance/structured-data/merchant-listing"
)


@attrs.frozen(kw_only=True)
class Recommended:
    """A property Google recommends on a node type, and what in the content fills it."""

    node_type: str
    name: str
    field: str
    """The content file and field, with ``{id}`` for the entry's id."""
    page: str


_SHIPPING = "shipping (countries, handling_days, transit_days; rate unless free_shipping)"

RECOMMENDED: Final = tuple(
    Recommended(node_type=node_type, name=name, field=field, page=page)
    for node_type, name, field, page in (
        ("Article", "image", "articles/{id}.yaml: image", ARTICLE_PAGE),
        ("Article", "datePublished", "articles/{id}.yaml: published", ARTICLE_PAGE),
        ("Product", "description", "products/{id}.yaml: description", MERCHANT_PAGE),
        ("Product", "brand", "products/{id}.yaml: brand", MERCHANT_PAGE),
        ("Product", "sku", "products/{id}.yaml: sku", MERCHANT_PAGE),
        ("Product", "gtin", "products/{id}.yaml: gtin", MERCHANT_PAGE),
        ("Offer", "availability", "offers/{id}.yaml: availability", MERCHANT_PAGE),
        ("Offer", "itemCondition", "offers/{id}.yaml: condition", MERCHANT_PAGE),
        ("Offer", "shippingDetails", f"offers/{{id}}.yaml: {_SHIPPING}", MERCHANT_PAGE),
        (
            "Offer",
            "hasMerchantReturnPolicy",
            "offers/{id}.yaml: return_countries and money_back_days",
            MERCHANT_PAGE,
        ),
        ("MerchantReturnPolicy", "returnMethod", "offers/{id}.yaml: return_method", MERCHANT_PAGE),
        ("MerchantReturnPolicy", "returnFees", "offers/{id}.yaml: return_fees", MERCHANT_PAGE),
    )
)
"""Those of Google's recommended properties that the content model can fill. The others
(``aggregateRating``, ``review``) are left out on purpose: ratings and reviews are never
made up here."""

_NOT_PERMITTED: Final = "https://schema.org/MerchantReturnNotPermitted"


def missing_recommended(
    nodes: Iterable[dict[str, Any]], resolved: ResolvedArticle
) -> Iterator[str]:
    """A message per recommended property the graph lacks, naming the field to fill;
    and one when the product is only mentioned because it cannot be a merchant listing."""
    offer = resolved.offer.id if resolved.offer else ""
    ids = {
        "Article": resolved.article.slug,
        "Product": resolved.product.id if resolved.product else "",
        "Offer": offer,
        "MerchantReturnPolicy": offer,
    }
    for node in (n for top in nodes for n in _with_nested(top)):
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if node.get("returnPolicyCategory") == _NOT_PERMITTED:
            continue  # no returns: there is no method or fee to give
        for rule in RECOMMENDED:
            if rule.node_type in types and rule.name not in node:
                field = rule.field.format(id=ids[rule.node_type])
                yield (
                    f"{rule.node_type} has no {rule.name}, which Google recommends "
                    f"({rule.page}): fill {field}"
                )
    product = resolved.product
    # A product comes with the article's offer, so only its picture can be missing.
    if product is not None and merchant_listing(resolved) is None:
        yield (
            f"the product {product.id!r} is mentioned by name and URL only: a Product with "
            f"an Offer needs an image for Google's merchant listings ({MERCHANT_PAGE}): "
            f"fill products/{product.id}.yaml: image"
        )


def _with_nested(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """``node`` and the typed nodes written inside it (an Offer's return policy)."""
    yield node
    for value in node.values():
        if isinstance(value, dict) and "@type" in value:
            yield value
