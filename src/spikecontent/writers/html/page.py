"""What the article page shows: the resolved article as template values. With markers on
(``spikecontent preview``), each text names the field it comes from (``data-field``, and
``data-entry`` where it comes from another entity), so a tool can point at a field in the
page; published pages carry none."""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from markupsafe import Markup, escape

from spikecontent.model import Library, ResolvedArticle
from spikecontent.richtext import RichText, to_html
from spikecontent.wording import long_date, offer_terms, sample_size, study_reference
from spikecontent.writers.pictures import largest, variants

__all__ = ["Marks", "page_values"]


class Marks:
    """``at(entry=..., field=...)`` in a template: the ``data-entry`` and ``data-field``
    attributes that say where a text comes from, or nothing when markers are off."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, entry: str | None = None, field: str | None = None) -> Markup:
        if not self.on:
            return Markup("")
        found = [("data-entry", entry), ("data-field", field)]
        return Markup("").join(
            Markup(' {}="{}"').format(name, escape(value)) for name, value in found if value
        )


def page_values(
    library: Library, resolved: ResolvedArticle, *, markers: bool = False
) -> dict[str, Any]:
    """The page template's variables for one article (``at`` marks each text's field when
    ``markers`` is on)."""
    article = resolved.article

    def prose(text: RichText | None) -> Markup | None:
        return Markup(to_html(text, library.resolve_href)) if text else None

    def section(value: Any, name: str) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"heading": value.heading, "body": prose(value.body), "field": f"{name}.body"}

    table = article.evidence_table
    return {
        "at": Marks(markers),
        "lang": resolved.site.language,
        "site_name": resolved.site.name,
        "site_url": resolved.site.base_url,
        "entry": f"articles/{article.slug}",
        "title": article.title,
        "description": article.description,
        "url": resolved.url,
        "published": article.published,
        "modified": article.modified,
        "modified_text": long_date(article.modified),
        "reviewed": long_date(article.last_reviewed) if article.last_reviewed else None,
        "credits": [{"role": c.role.value, "name": c.person.name} for c in resolved.credits],
        "image": _picture(resolved),
        "intro": prose(article.intro),
        "sections": [
            {"heading": s.heading, "body": prose(s.body), "field": f"sections[{i}].body"}
            for i, s in enumerate(article.sections)
        ],
        "research": (
            {
                "heading": article.research.heading,
                "citations": [
                    {
                        "summary": prose(c.summary),
                        "field": f"research.citations[{i}].summary",
                        "key_finding": c.key_finding,
                        "key_field": f"research.citations[{i}].key_finding",
                        "study": c.study,
                        "design": c.study.design.label,
                        "pilot": c.study.is_pilot,
                        "size": sample_size(c.study),
                        # The page links the DOI or URL itself, after the reference.
                        "source": study_reference(c.study, link=False),
                    }
                    for i, c in enumerate(resolved.citations)
                ],
            }
            if article.research
            else None
        ),
        "evidence": (
            {
                "heading": table.heading,
                "supported_heading": table.supported_heading,
                "unsupported_heading": table.unsupported_heading,
                "rows": [
                    (i, known, unknown)
                    for i, (known, unknown) in enumerate(
                        zip_longest(table.supported, table.not_established, fillvalue="")
                    )
                ],
                "takeaway": prose(table.takeaway),
            }
            if table
            else None
        ),
        "user_reports": section(article.user_reports, "user_reports"),
        "sleep": section(article.sleep, "sleep"),
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
        "honesty_note": section(article.honesty_note, "honesty_note"),
        "tips": (
            {
                "heading": article.tips.heading,
                "intro": prose(article.tips.intro),
                "entries": [
                    {"title": t.title, "body": prose(t.body), "index": i}
                    for i, t in enumerate(article.tips.items)
                ],
                "closing": prose(article.tips.closing),
            }
            if article.tips
            else None
        ),
        "offer": (
            {
                "product": resolved.product.name,
                "terms": " · ".join(offer_terms(resolved.offer)),
                "url": library.resolve_href(resolved.offer.url or resolved.product.url),
            }
            if resolved.offer and resolved.product
            else None
        ),
        "faq": (
            {
                "heading": article.faq.heading,
                "entries": [
                    {"id": e.id, "question": e.question, "answer": prose(e.answer), "index": i}
                    for i, e in enumerate(article.faq.items)
                ],
            }
            if article.faq
            else None
        ),
        "revisions": [
            {"date": r.date, "text": long_date(r.date), "summary": r.summary, "index": i}
            for i, r in enumerate(article.revisions)
        ],
    }


SIZES = "(min-width: 44rem) 41.5rem, calc(100vw - 2.5rem)"
"""How wide the lead picture is shown (``page.css``: the column is 44rem less 1.25rem of
padding each side, the whole viewport less that padding on a narrower screen), for the
browser to pick a variant before it lays the page out."""


def _picture(resolved: ResolvedArticle) -> dict[str, Any] | None:
    """The lead picture where the site publishes it (the ``media`` writer's files):
    ``srcset`` of its variants in WebP and in its own format, ``src`` the widest in its
    own format, measured, so the browser reserves its place before it loads."""
    image = resolved.article.image
    site = resolved.site
    if image is None or site.media_url is None:
        return None
    widest = largest(image)
    by_type: dict[str, list[str]] = {}
    for variant in variants(image):
        by_type.setdefault(variant.media_type, []).append(
            f"{site.media(variant.file)} {variant.width}w"
        )
    own = by_type.pop(image.media_type, [])
    return {
        "src": site.media(widest.file if widest else image.file),
        "srcset": ", ".join(own),
        "sources": [{"type": kind, "srcset": ", ".join(found)} for kind, found in by_type.items()],
        "sizes": SIZES,
        "alt": image.alt,
        "width": widest.width if widest else image.width,
        "height": widest.height if widest else image.height,
    }
