"""What the leaflet says: the resolved article reduced to the values the template shows.

Prose is rendered to escaped HTML here and marked safe; every other value is plain text
that the template autoescapes.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from markupsafe import Markup

from spikecontent.model import Image, Library, ResolvedArticle, Section
from spikecontent.richtext import RichText, to_html
from spikecontent.wording import long_date, offer_terms, sample_size, study_reference
from spikecontent.writers.pdf.fetcher import ASSET_SCHEME
from spikecontent.writers.pdf.sections import SECTIONS

__all__ = ["leaflet_values", "picture", "picture_assets"]


def picture(image: Image | None) -> dict[str, Any] | None:
    """An image as the templates show it: an ``asset:`` source, its words and its shape."""
    if image is None:
        return None
    return {
        "src": f"{ASSET_SCHEME}{image.file}",
        "alt": image.alt,
        "width": image.width,
        "height": image.height,
    }


def picture_assets(library: Library, resolved: ResolvedArticle) -> dict[str, tuple[bytes, str]]:
    """The bytes of the pictures a leaflet shows, by the asset name :func:`picture` gives."""
    shown = [resolved.article.image, resolved.product.image if resolved.product else None]
    return {i.file: (library.media[i.file], i.media_type) for i in shown if i is not None}


def leaflet_values(
    library: Library, resolved: ResolvedArticle, sections: frozenset[str] = frozenset(SECTIONS)
) -> dict[str, Any]:
    """The template's variables for one article; a section not in ``sections`` is None."""
    values = _all_values(library, resolved)
    return {k: None if k in SECTIONS and k not in sections else v for k, v in values.items()}


def _all_values(library: Library, resolved: ResolvedArticle) -> dict[str, Any]:
    article = resolved.article

    def prose(text: RichText | None) -> Markup | None:
        return Markup(to_html(text, library.resolve_href)) if text else None

    def section(part: Section | None) -> dict[str, Any] | None:
        return {"heading": part.heading, "body": prose(part.body)} if part else None

    day = article.last_reviewed
    credits = [f"{c.role.value.capitalize()}: {c.person.name}." for c in resolved.credits]
    reviewed = " ".join(([f"Reviewed {long_date(day)}."] if day else []) + credits)
    table = article.evidence_table
    return {
        "lang": resolved.site.language,
        "site_name": resolved.site.name,
        "title": article.title,
        "description": article.description,
        # The page speaks as "we": the publisher is the author, as in the JSON-LD.
        "author": resolved.site.name,
        "url": resolved.url,
        "intro": prose(article.intro),
        "brief": section(article.sections[0]) if article.sections else None,
        "research": (
            {
                "heading": article.research.heading,
                "studies": _studies(resolved),
            }
            if article.research
            else None
        ),
        # Every page's footer: whose leaflet it is, from the content.
        "footer": f"{resolved.site.name} · {article.title}",
        "evidence": (
            {
                "heading": table.heading,
                "supported_heading": table.supported_heading,
                "unsupported_heading": table.unsupported_heading,
                "rows": list(zip_longest(table.supported, table.not_established, fillvalue="")),
                "takeaway": prose(table.takeaway),
            }
            if table
            else None
        ),
        "user_reports": section(article.user_reports),
        "sleep": section(article.sleep),
        "honesty": section(article.honesty_note),
        "faq": (
            {
                "heading": article.faq.heading,
                "entries": [
                    {"question": e.question, "answer": prose(e.answer)} for e in article.faq.items
                ],
            }
            if article.faq
            else None
        ),
        "tips": (
            {
                "heading": article.tips.heading,
                "entries": [{"title": t.title, "body": prose(t.body)} for t in article.tips.items],
            }
            if article.tips
            else None
        ),
        "cautions": (
            {
                "heading": article.cautions.heading,
                "intro": article.cautions.intro,
                "entries": resolved.cautions,
            }
            if article.cautions
            else None
        ),
        "disclaimer": resolved.disclaimer,
        "offer": (
            {
                "product": resolved.product.name,
                "terms": " · ".join(offer_terms(resolved.offer)),
                "image": picture(resolved.product.image),
            }
            if resolved.offer and resolved.product
            else None
        ),
        "image": picture(article.image),
        "reviewed": reviewed,
    }


def _studies(resolved: ResolvedArticle) -> list[dict[str, Any]]:
    """The research rows; a study with a source gets the next reference number."""
    rows: list[dict[str, Any]] = []
    numbered = 0
    for c in resolved.citations:
        reference = study_reference(c.study)
        numbered += bool(reference)
        rows.append(
            {
                "year": c.study.year,
                "design": c.study.design.label,
                "pilot": c.study.is_pilot,
                "size": sample_size(c.study),
                "finding": c.study.finding,
                "limits": " ".join(c.study.limitations),
                "reference": reference,
                "number": numbered if reference else None,
            }
        )
    return rows
