"""What a page's ``<head>`` says about it besides its title: where it lives, its feeds, its
social cards and its structured data.

- The canonical link, the same URL the sitemap, the feeds and the JSON-LD give
  (:attr:`Article.canonical_path <spikecontent.model.Article.canonical_path>`), and the
  file that URL is served from on a static host (:func:`page_file`).
- Feed autodiscovery (``<link rel="alternate">``, RSS 2.0 and Atom) for the site's feeds
  and the article's, where the ``rss`` writer's output is served.
- Open Graph (ogp.me): ``og:type`` ``article``, title, description, URL, site name,
  locale, the lead picture (its widest variant) with its width, height and alt text, and
  ``article:published_time`` and ``article:modified_time`` when known; a Twitter
  ``summary_large_image`` card when there is a picture.
- The site's icon (``site.yaml``'s ``icon``): an ``.ico`` at ``/favicon.ico``, where the
  html writer copies it (browsers ask there unasked), a ``.png`` at ``media_url``, where
  the ``media`` writer publishes it.
- The article's schema.org graph, as the ``jsonld`` writer makes it, made safe for a
  ``<script>`` element as that writer does (:mod:`spikecontent.writers.jsonld.embed`).

Only what the content says is written: no picture, date or description is made up.
"""

from __future__ import annotations

from typing import Any, Final

import attrs
from markupsafe import Markup

from spikecontent.model import Article, Library, ResolvedArticle, Site, Status
from spikecontent.writers.jsonld.embed import script_safe_json
from spikecontent.writers.jsonld.graph import article_graph
from spikecontent.writers.pictures import largest

__all__ = [
    "FAVICON",
    "Alternate",
    "SiteIcon",
    "feed_links",
    "head_values",
    "icon_link",
    "og_locale",
    "page_file",
]


def page_file(article: Article) -> str:
    """The file that serves the article at its canonical URL on any static host:
    ``<slug>/index.html`` for ``/<slug>/`` (the folder's index, as nginx, object storage
    behind a CDN and static file servers serve it), ``guides/mat/index.html`` for a
    ``path`` of ``/guides/mat/``. An article published elsewhere (an absolute ``path``)
    is written at ``<slug>/index.html``."""
    path = article.canonical_path
    folder = path.strip("/") if path.startswith("/") else article.slug
    return f"{folder or article.slug}/index.html"


@attrs.frozen(kw_only=True)
class Alternate:
    """A feed the page names for autodiscovery."""

    href: str
    type: str
    title: str


FAVICON: Final = "favicon.ico"
"""Where the html writer copies an ``.ico`` site icon, at the site's root."""


@attrs.frozen(kw_only=True)
class SiteIcon:
    """The site icon's ``<link rel="icon">``."""

    href: str
    type: str
    sizes: str | None


def icon_link(site: Site) -> SiteIcon | None:
    """The link to the site's icon, or None without one."""
    icon = site.icon
    if icon is None:
        return None
    if icon.media_type == "image/x-icon":
        href = site.base_url + FAVICON
    else:
        href = site.media(icon.file) or ""  # the model requires media_url for a PNG icon
    sizes = f"{icon.width}x{icon.height}" if icon.media_type == "image/png" else None
    return SiteIcon(href=href, type=icon.media_type, sizes=sizes)


_FORMATS = (("rss", "application/rss+xml", "RSS"), ("atom", "application/atom+xml", "Atom"))


def feed_links(site: Site, feeds: str, article: Article | None) -> list[Alternate]:
    """The site's feeds and, for an article's page, the article's, at ``feeds`` (the site
    path where the ``rss`` writer's output is served; none when empty)."""
    if not feeds:
        return []
    root = f"{site.base_url.rstrip('/')}{feeds}"
    found = [
        Alternate(href=f"{root}site.{form}.xml", type=kind, title=f"{site.name} ({label})")
        for form, kind, label in _FORMATS
    ]
    if article is not None and article.status is Status.PUBLISHED:
        found += [
            Alternate(
                href=f"{root}articles/{article.slug}.{form}.xml",
                type=kind,
                title=f"{article.title} ({site.name}, {label})",
            )
            for form, kind, label in _FORMATS
        ]
    return found


def head_values(
    library: Library, resolved: ResolvedArticle, *, feeds: str, faq_page: bool
) -> dict[str, Any]:
    """The head of the article's page: canonical URL, robots, feeds, Open Graph, Twitter
    and JSON-LD."""
    article = resolved.article
    site = resolved.site
    image = article.image
    # The widest variant in the picture's own format, as the JSON-LD names it.
    widest = largest(image) if image else None
    src = site.media(widest.file) if widest else None
    meta: list[tuple[str, str]] = [
        ("og:type", "article"),
        ("og:title", article.title),
        ("og:description", article.description),
        ("og:url", resolved.url),
        ("og:site_name", site.name),
        ("og:locale", og_locale(site.language)),
    ]
    if image is not None and widest is not None and src is not None:
        meta += [
            ("og:image", src),
            ("og:image:width", str(widest.width)),
            ("og:image:height", str(widest.height)),
            ("og:image:alt", image.alt),
        ]
    if article.published:
        meta.append(("article:published_time", site.day_start(article.published).isoformat()))
    meta.append(("article:modified_time", site.day_start(article.modified).isoformat()))
    graph = article_graph(library, article, faq_page=faq_page)
    return {
        # A draft or an article in review exported for a reviewer is not for search engines.
        "robots": None if article.status is Status.PUBLISHED else "noindex",
        "feeds": feed_links(site, feeds, article),
        "icon": icon_link(site),
        "open_graph": meta,
        "twitter": (
            [("twitter:card", "summary_large_image"), ("twitter:image:alt", image.alt)]
            if image is not None and src is not None
            else []
        ),
        # Already safe inside <script>: <, > and & are JSON escapes, never HTML entities.
        "jsonld": Markup(script_safe_json(graph)),
    }


def og_locale(language: str) -> str:
    """The site's BCP 47 tag as Open Graph's ``language_TERRITORY`` (``en-US`` is
    ``en_US``, ``zh-Hant-TW`` is ``zh_TW``): a script or variant subtag has no place in it,
    and a tag with no two-letter region gives the language alone."""
    language_part, *rest = language.split("-")
    region = next((part for part in rest if len(part) == 2 and part.isalpha()), None)
    return f"{language_part.lower()}_{region.upper()}" if region else language_part.lower()
