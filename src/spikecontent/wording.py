"""Short reader-facing phrases that every channel words the same way."""

from __future__ import annotations

import datetime

from spikecontent.model import Offer, PriceBasis, Study

__all__ = ["long_date", "offer_terms", "sample_size", "study_reference"]


def long_date(day: datetime.date) -> str:
    """``"July 4, 2026"``: how reader-facing text writes a date."""
    return f"{day:%B} {day.day}, {day.year}"


def offer_terms(offer: Offer) -> list[str]:
    """``["From 34.99 USD", "free shipping", "30-day money-back guarantee"]``."""
    basis = "From " if offer.price_basis is PriceBasis.FROM else ""
    terms = [f"{basis}{offer.price} {offer.currency}"]
    if offer.free_shipping:
        terms.append("free shipping")
    if offer.money_back_days:
        terms.append(f"{offer.money_back_days}-day money-back guarantee")
    return terms


def sample_size(study: Study) -> str:
    """``"n = 42"``, or ``"n not given"`` when the source does not report it."""
    return f"n = {study.sample.n}" if study.sample.n else "n not given"


def study_reference(study: Study, *, link: bool = True) -> str:
    """The study as a reference, from what the content gives: authors, title, venue,
    year, then (with ``link``) ``doi:`` (when the evidence lock confirms it) or the URL;
    "" when the content gives nothing
    beyond the year."""
    authors = ", ".join(study.authors) + (" et al." if study.et_al else "")
    parts = [part for part in (authors, study.title, study.venue) if part]
    if not parts:
        return ""
    text = " ".join(p if p.endswith(".") else f"{p}." for p in [*parts, str(study.year)])
    if not link:
        return text
    if study.confirmed_doi:
        return f"{text} doi:{study.confirmed_doi}"
    if study.url:
        return f"{text} {study.url}"
    return text
