"""The site's own files beside the article pages: the home page, the 404 page and
``robots.txt``.

The home page (``index.html``, at the site's root: ``base_url``) lists the published
articles, newest first (by their first publication, ``published``, else by
``modified``), each with its title, description and date; every page's header links it.
The 404 page is what a server sends for an address it has no page for (nginx:
``error_page 404 /404.html``); it is kept out of search results. ``robots.txt`` allows
everything and names the sitemap (sitemaps.org, "Informing search engine crawlers").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from spikecontent.model import Article, Library, Site, Status
from spikecontent.wording import long_date
from spikecontent.writers.html.head import feed_links, icon_link, og_locale
from spikecontent.writers.html.sitemap import SITEMAP

__all__ = [
    "HOME",
    "NOT_FOUND",
    "ROBOTS",
    "home_values",
    "newest_first",
    "not_found_values",
    "robots_txt",
]

HOME: Final = "index.html"
NOT_FOUND: Final = "404.html"
ROBOTS: Final = "robots.txt"


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """The published ``articles``, newest first; one day's by title."""
    published = sorted(
        (a for a in articles if a.status is Status.PUBLISHED), key=lambda a: a.title.casefold()
    )
    published.sort(key=lambda a: a.published or a.modified, reverse=True)
    return published


def home_values(library: Library, articles: Iterable[Article], *, feeds: str) -> dict[str, Any]:
    """The home page template's variables."""
    site = library.site
    listed = [
        {
            "url": library.resolve_href(article.canonical_path),
            "title": article.title,
            "description": article.description,
            "date_label": "Published" if article.published else "Updated",
            "date": (article.published or article.modified).isoformat(),
            "date_text": long_date(article.published or article.modified),
        }
        for article in newest_first(articles)
    ]
    description = f"Every article {site.name} publishes, newest first."
    return {
        **_site_values(site),
        "page_title": site.name,
        "heading": f"Articles from {site.name}",
        "description": description,
        "url": site.base_url,
        "robots": None,
        "feeds": feed_links(site, feeds, None),
        "open_graph": [
            ("og:type", "website"),
            ("og:title", site.name),
            ("og:description", description),
            ("og:url", site.base_url),
            ("og:site_name", site.name),
            ("og:locale", og_locale(site.language)),
        ],
        "twitter": [],
        "jsonld": None,
        "articles": listed,
    }


def not_found_values(site: Site) -> dict[str, Any]:
    """The 404 page's variables: no canonical URL, not for search results."""
    return {
        **_site_values(site),
        "page_title": f"Page not found · {site.name}",
        "description": None,
        "url": None,
        "robots": "noindex",
        "feeds": [],
        "open_graph": [],
        "twitter": [],
        "jsonld": None,
    }


def robots_txt(site: Site) -> bytes:
    """Every crawler may read every page; the sitemap is at the site's root."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.base_url}{SITEMAP}\n".encode()


def _site_values(site: Site) -> dict[str, Any]:
    return {
        "lang": site.language,
        "site_name": site.name,
        "site_url": site.base_url,
        "icon": icon_link(site),
    }
