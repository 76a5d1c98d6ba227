"""Short reader-facing phrases that every channel words the same way."""

from __future__ import annotations

import datetime

from spikecontent.model import Offer, PriceBasis, Study

__all__ = ["long_date", "offer_terms", "sample_size"]


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
