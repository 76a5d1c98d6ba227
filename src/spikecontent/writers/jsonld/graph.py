"""One article as a schema.org graph: every node once, with a stable ``@id``, linked by id.

Ids follow the Yoast pattern: site-wide nodes hang off the base URL (``#organization``,
``#website``, ``#study-<id>``, ``#person-<id>``, ``#product-<id>``, ``#offer-<id>``) so that
every page names them alike; page nodes hang off the canonical URL (``#webpage``,
``#article``, ``#breadcrumb``, ``#faq-<id>``). Only what the content says is emitted: no
rating, review, author, date or stock level is made up where a field is empty, and a node
Google would report as incomplete (a Product without an image or offer, shipping without a
destination or delivery time, a return policy without its countries) is left out whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from spikecontent.model import (
    Article,
    DayRange,
    Image,
    Library,
    Offer,
    PriceBasis,
    Product,
    ResolvedArticle,
    Role,
    Shipping,
    Site,
    Study,
)
from spikecontent.richtext import RichText, to_html
from spikecontent.wording import sample_size, study_label
from spikecontent.writers.pictures import largest

__all__ = ["article_graph", "merchant_listing", "merchant_nodes"]

Node = dict[str, Any]


def article_graph(library: Library, article: Article, *, faq_page: bool = True) -> Node:
    """The JSON-LD document for ``article``: ``@context`` and one ``@graph``."""
    resolved = library.resolve(article)
    ids = _Ids(library.site.base_url, resolved.url)
    nodes: list[Node] = [
        _organization(library.site, ids, library),
        _website(library.site, ids),
        _webpage(resolved, ids, library, faq_page=faq_page),
        _article(resolved, ids, library),
        _breadcrumb(resolved, ids),
        *_people(resolved, ids, library),
        *(_study(c.study, ids, library) for c in resolved.citations),
        *_questions(resolved, ids, library),
        *_commerce(resolved, ids, library),
    ]
    return {"@context": "https://schema.org", "@graph": nodes}


def merchant_nodes(library: Library, resolved: ResolvedArticle) -> list[Node]:
    """The Article, Product and Offer nodes of the article's graph, as
    :func:`article_graph` makes them, without building the rest (export warnings read
    only these, for every article on every export)."""
    ids = _Ids(library.site.base_url, resolved.url)
    return [_article(resolved, ids, library), *_commerce(resolved, ids, library)]


class _Ids:
    def __init__(self, base: str, canonical: str) -> None:
        self.base = base
        self.canonical = canonical
        self.organization = f"{base}#organization"
        self.website = f"{base}#website"
        self.webpage = f"{canonical}#webpage"
        self.article = f"{canonical}#article"
        self.breadcrumb = f"{canonical}#breadcrumb"

    def site_node(self, kind: str, ident: str) -> str:
        return f"{self.base}#{kind}-{ident}"

    def question(self, ident: str) -> str:
        return f"{self.canonical}#faq-{ident}"


def _ref(ident: str) -> Node:
    return {"@id": ident}


def _organization(site: Site, ids: _Ids, library: Library) -> Node:
    node: Node = {"@type": "Organization", "@id": ids.organization, "name": site.name}
    node["url"] = site.base_url
    if site.logo:
        node["logo"] = {"@type": "ImageObject", "url": library.resolve_href(site.logo)}
    return node


def _website(site: Site, ids: _Ids) -> Node:
    return {
        "@type": "WebSite",
        "@id": ids.website,
        "url": site.base_url,
        "name": site.name,
        "publisher": _ref(ids.organization),
        "inLanguage": site.language,
    }


def _webpage(resolved: ResolvedArticle, ids: _Ids, library: Library, *, faq_page: bool) -> Node:
    article = resolved.article
    faq = article.faq_entries
    node: Node = {
        "@type": ["WebPage", "FAQPage"] if faq and faq_page else "WebPage",
        "@id": ids.webpage,
        "url": resolved.url,
        "name": article.title,
        "description": article.description,
        "isPartOf": _ref(ids.website),
        "breadcrumb": _ref(ids.breadcrumb),
        "inLanguage": resolved.site.language,
    }
    if article.last_reviewed:
        node["lastReviewed"] = article.last_reviewed.isoformat()
    reviewers = _reviewers(resolved)
    if reviewers:
        node["reviewedBy"] = [_ref(ids.site_node("person", p)) for p in reviewers]
    if faq and faq_page:
        node["mainEntity"] = [_ref(ids.question(entry.id)) for entry in faq]
    if resolved.disclaimer:
        # The disclaimer travels with the page, word for word, as the part of it it is.
        node["hasPart"] = {
            "@type": "WebPageElement",
            "@id": f"{resolved.url}#disclaimer",
            "name": resolved.disclaimer.label,
            "text": resolved.disclaimer.text,
        }
    return node


def _reviewers(resolved: ResolvedArticle) -> list[str]:
    found = [c.person.id for c in resolved.credits if c.role is Role.REVIEWER]
    latest = resolved.article.revisions[-1].reviewed_by if resolved.article.revisions else None
    if latest and latest not in found:
        found.append(latest)
    return found


def _article(resolved: ResolvedArticle, ids: _Ids, library: Library) -> Node:
    article = resolved.article
    site = resolved.site
    authors = [c.person.id for c in resolved.credits if c.role is Role.AUTHOR]
    node: Node = {
        "@type": "Article",
        "@id": ids.article,
        "headline": article.title,
        "description": article.description,
        "inLanguage": site.language,
        "mainEntityOfPage": _ref(ids.webpage),
        "isPartOf": _ref(ids.webpage),
        # The page speaks as "we": with no author credited, the organization is the author.
        "author": [_ref(ids.site_node("person", p)) for p in authors] or _ref(ids.organization),
        "publisher": _ref(ids.organization),
    }
    if article.published:
        node["datePublished"] = site.day_start(article.published).isoformat()
    node["dateModified"] = site.day_start(article.modified).isoformat()
    editors = [c.person.id for c in resolved.credits if c.role is Role.EDITOR]
    if editors:
        node["editor"] = [_ref(ids.site_node("person", p)) for p in editors]
    contributors = [c.person.id for c in resolved.credits if c.role is Role.CURATOR]
    if contributors:
        node["contributor"] = [_ref(ids.site_node("person", p)) for p in contributors]
    if resolved.citations:
        node["citation"] = [_ref(ids.site_node("study", c.study.id)) for c in resolved.citations]
    if article.image:
        node["image"] = _image(article.image, resolved.site)
    listing = merchant_listing(resolved)
    if listing is not None:
        node["mentions"] = _ref(ids.site_node("product", listing[0].id))
    elif resolved.product:
        # Not a Product node: one without a complete Offer is an error to Google.
        url = library.resolve_href(resolved.product.url)
        node["mentions"] = {"@type": "Thing", "name": resolved.product.name, "url": url}
    return node


def merchant_listing(resolved: ResolvedArticle) -> tuple[Product, Offer, Image] | None:
    """The product, offer and picture when the article's product can be a Product with
    an Offer (Google's merchant listings require its name, an image and the offer's price
    and currency); None when it cannot."""
    product, offer = resolved.product, resolved.offer
    if product is None or offer is None or product.image is None:
        return None
    return product, offer, product.image


def _image(image: Image, site: Site) -> Node:
    """The picture's widest variant (the ``media`` writer publishes it beside the
    picture: at most 1600 pixels wide, in the picture's format)."""
    widest = largest(image)
    return {
        "@type": "ImageObject",
        "url": site.media(widest.file if widest else image.file),
        "width": widest.width if widest else image.width,
        "height": widest.height if widest else image.height,
        "caption": image.alt,
    }


def _breadcrumb(resolved: ResolvedArticle, ids: _Ids) -> Node:
    trail = [(resolved.site.name, resolved.site.base_url), (resolved.article.title, resolved.url)]
    return {
        "@type": "BreadcrumbList",
        "@id": ids.breadcrumb,
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def _people(resolved: ResolvedArticle, ids: _Ids, library: Library) -> Iterator[Node]:
    seen: list[str] = []
    for credit in resolved.credits:
        if credit.person.id not in seen:
            seen.append(credit.person.id)
    seen += [p for p in _reviewers(resolved) if p not in seen]
    for ident in seen:
        person = library.person(ident)
        node: Node = {"@type": "Person", "@id": ids.site_node("person", ident), "name": person.name}
        if person.url:
            node["url"] = library.resolve_href(person.url)
        yield node


def _study(study: Study, ids: _Ids, library: Library) -> Node:
    node: Node = {"@type": "ScholarlyArticle", "@id": ids.site_node("study", study.id)}
    if study.title:
        node["name"] = study.title
    node["description"] = _study_description(study)
    node["datePublished"] = str(study.year)
    if study.authors:
        # As the content names them (often a surname, with "et al." in creditText).
        node["author"] = [{"@type": "Person", "name": name} for name in study.authors]
    if study.author_credit:
        node["creditText"] = study.author_credit
    if study.venue:
        node["isPartOf"] = {"@type": "Periodical", "name": study.venue}
    same_as = []
    identifiers: list[Node] = []
    if study.confirmed_doi:  # only what the evidence lock confirms
        doi = study.confirmed_doi
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": doi})
        same_as.append(f"https://doi.org/{doi}")
    # The PubMed record only as the evidence lock holds it for the study's DOI (issue 43).
    if study.record is not None and study.record.pmid is not None:
        pmid = str(study.record.pmid)
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": pmid})
        same_as.append(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
    if identifiers:
        node["identifier"] = identifiers[0] if len(identifiers) == 1 else identifiers
    if study.url:
        same_as.append(library.resolve_href(study.url))
    if same_as:
        node["sameAs"] = same_as
    return node


def _study_description(study: Study) -> str:
    size = sample_size(study) if study.sample.n else "sample size not reported"
    design = study_label(study)
    parts = [f"{design[0].upper()}{design[1:]} ({study.year}, {size})."]
    # What was tested and how the sample adds up, where the record says: without them a
    # pair of pilot studies of a needle pad reads as one trial of the product.
    if study.sample.note:
        parts.append(f"Sample: {study.sample.note.rstrip('.')}.")
    if study.population:
        parts.append(f"Population: {study.population}.")
    parts.append(f"Intervention: {study.intervention.rstrip('.')}.")
    parts.append(f"Finding: {study.finding}")
    parts.append("Limitations: " + " ".join(study.limitations))
    return " ".join(part.strip() for part in parts)


def _questions(resolved: ResolvedArticle, ids: _Ids, library: Library) -> Iterator[Node]:
    for entry in resolved.article.faq_entries:
        yield {
            "@type": "Question",
            "@id": ids.question(entry.id),
            "name": entry.question,
            "isPartOf": _ref(ids.webpage),
            "acceptedAnswer": {"@type": "Answer", "text": _answer_html(entry.answer, library)},
        }


def _answer_html(answer: RichText, library: Library) -> str:
    # The prose subset renders to p, ul, ol, li, em, strong, a and br: all tags search
    # engines show in answers; links are absolute and href is their only attribute.
    return to_html(answer, library.resolve_href, list_start=False)


def _commerce(resolved: ResolvedArticle, ids: _Ids, library: Library) -> Iterator[Node]:
    listing = merchant_listing(resolved)
    if listing is None:
        return
    product, offer, image = listing
    node: Node = {
        "@type": "Product",
        "@id": ids.site_node("product", product.id),
        "name": product.name,
        "url": library.resolve_href(product.url),
        "image": _image(image, resolved.site),
    }
    if product.description:
        node["description"] = product.description
    if product.brand:
        node["brand"] = {"@type": "Brand", "name": product.brand}
    if product.sku:
        node["sku"] = product.sku
    if product.gtin:
        node["gtin"] = product.gtin
    node["offers"] = _ref(ids.site_node("offer", offer.id))
    yield node
    yield _offer(offer, ids, library)


def _offer(offer: Offer, ids: _Ids, library: Library) -> Node:
    price = str(offer.price)
    node: Node = {
        "@type": "Offer",
        "@id": ids.site_node("offer", offer.id),
        "price": price,
        "priceCurrency": offer.currency,
        "itemOffered": _ref(ids.site_node("product", offer.product)),
    }
    if offer.price_basis is PriceBasis.FROM:
        # "From $34.99": the lowest of several prices.
        node["priceSpecification"] = {
            "@type": "PriceSpecification",
            "minPrice": price,
            "priceCurrency": offer.currency,
        }
    if offer.availability is not None:
        node["availability"] = offer.availability.schema_org
    if offer.url:
        node["url"] = library.resolve_href(offer.url)
    if offer.condition is not None:
        node["itemCondition"] = offer.condition.schema_org
    # Shipping and returns only whole: Google reports a half-filled one as an error.
    rate = offer.shipping_rate
    if offer.shipping is not None and rate is not None:
        node["shippingDetails"] = _shipping(offer.shipping, rate, offer.currency)
    if offer.return_countries and offer.money_back_days is not None:
        node["hasMerchantReturnPolicy"] = _returns(offer)
    return node


def _shipping(shipping: Shipping, rate: Decimal, currency: str) -> Node:
    return {
        "@type": "OfferShippingDetails",
        "shippingRate": {"@type": "MonetaryAmount", "value": str(rate), "currency": currency},
        "shippingDestination": [
            {"@type": "DefinedRegion", "addressCountry": code} for code in shipping.countries
        ],
        "deliveryTime": {
            "@type": "ShippingDeliveryTime",
            "handlingTime": _days(shipping.handling_days),
            "transitTime": _days(shipping.transit_days),
        },
    }


def _days(days: DayRange) -> Node:
    return {
        "@type": "QuantitativeValue",
        "minValue": days.min,
        "maxValue": days.max,
        "unitCode": "DAY",
    }


def _returns(offer: Offer) -> Node:
    countries = list(offer.return_countries)
    if not offer.money_back_days:
        return {
            "@type": "MerchantReturnPolicy",
            "applicableCountry": countries,
            "returnPolicyCategory": "https://schema.org/MerchantReturnNotPermitted",
        }
    node: Node = {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": countries,
        "returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow",
        "merchantReturnDays": offer.money_back_days,
    }
    if offer.return_method is not None:
        node["returnMethod"] = offer.return_method.schema_org
    if offer.return_fees is not None:
        node["returnFees"] = offer.return_fees.schema_org
    return node
