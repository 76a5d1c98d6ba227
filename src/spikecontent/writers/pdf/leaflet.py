"""What the leaflet says: the article's view (:mod:`spikecontent.article_view`) as the
template's values, with the leaflet's own lines (its footer, its reviewed line) and
without the sections its profile does not print.

Prose in the view is escaped HTML marked safe; every other value is plain text that the
template autoescapes. Pictures are shown from ``asset:`` sources (see :mod:`.fetcher`),
named by their content path.
"""

from __future__ import annotations

from typing import Any

import attrs

from spikecontent.article_view import ArticleView, article_view
from spikecontent.model import Library, ResolvedArticle
from spikecontent.writers.pdf.sections import SECTIONS

__all__ = ["leaflet_values", "picture_assets"]


def picture_assets(library: Library, resolved: ResolvedArticle) -> dict[str, tuple[bytes, str]]:
    """The bytes of the pictures a leaflet shows, by their content path (``asset:`` names)."""
    shown = [resolved.article.image, resolved.product.image if resolved.product else None]
    return {i.file: (library.media[i.file], i.media_type) for i in shown if i is not None}


_VARIABLE = {"honesty": "honesty_note"}
"""A section's template variable, where its name in the ``sections`` option differs."""


def leaflet_values(
    library: Library, resolved: ResolvedArticle, sections: frozenset[str] = frozenset(SECTIONS)
) -> dict[str, Any]:
    """The template's variables for one article; a section not in ``sections`` is None."""
    view = article_view(library, resolved)
    values = {
        **attrs.asdict(view, recurse=False),
        # The leaflet's brief is the article's first section.
        "brief": view.sections[0] if view.sections else None,
        # The page speaks as "we": the publisher is the author, as in the JSON-LD.
        "author": view.site_name,
        # Every page's footer: whose leaflet it is, from the content.
        "footer": f"{view.site_name} · {view.title}",
        "reviewed": _reviewed(view),
    }
    for name in SECTIONS:
        if name not in sections:
            values[_VARIABLE.get(name, name)] = None
    return values


def _reviewed(view: ArticleView) -> str:
    """``"Reviewed July 4, 2026. Author: Ana Ruiz."``: when, and by whom."""
    said = [f"Reviewed {view.reviewed_text}."] if view.reviewed_text else []
    credits = [f"{c.role.value.capitalize()}: {c.person.name}." for c in view.credits]
    return " ".join(said + credits)
