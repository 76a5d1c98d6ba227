"""Short reader-facing phrases that every channel words the same way."""

from __future__ import annotations

import datetime

from spikecontent.model import Offer, PriceBasis, Study

__all__ = ["long_date", "offer_terms", "sample_size", "study_label", "study_reference"]


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
    """``"n = 42"`` (``"total n = 42"`` for several studies reported together), or ``"n not
    given"`` when the source does not report it."""
    if not study.sample.n:
        return "n not given"
    return f"{'total ' if study.sample.studies else ''}n = {study.sample.n}"


def study_label(study: Study) -> str:
    """What the study is, as readers read it: its design's label (``"randomized pilot
    study"``), or for several studies reported together ``"pair of randomized pilot
    studies"``, ``"3 pilot studies"``."""
    label = study.design.label
    count = study.sample.studies
    if not count:
        return label
    head, _, last = label.rpartition(" ")
    named = f"{head} {_PLURALS.get(last, last + 's')}".lstrip()
    return f"pair of {named}" if count == 2 else f"{count} {named}"


_PLURALS = {"study": "studies", "review": "reviews", "meta-analysis": "meta-analyses"}
"""The last word of a design's label, as several of them are named."""


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
