"""What the article page shows: the article's view as template values. With markers on
(``spikecontent preview``), each text names the field it comes from (``data-field``, and
``data-entry`` where it comes from another entity), so a tool can point at a field in the
page; published pages carry none."""

from __future__ import annotations

from typing import Any

import attrs
from markupsafe import Markup, escape

from spikecontent.article_view import article_view
from spikecontent.model import Library, ResolvedArticle
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
    """The page template's variables for one article: the article's view (see
    :mod:`spikecontent.article_view`), its lead ``picture`` as the site publishes it, and
    ``at``, which marks each text's field when ``markers`` is on."""
    view = article_view(library, resolved)
    return {
        **attrs.asdict(view, recurse=False),
        "at": Marks(markers),
        "entry": f"articles/{view.slug}",
        "picture": _picture(resolved),
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
