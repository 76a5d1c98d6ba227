"""The site's pages as a sitemap, in the XML format of the sitemaps protocol.

Google reads ``loc`` and ``lastmod`` and ignores ``priority`` and ``changefreq``; it uses
``lastmod`` only while it is consistently and verifiably accurate ("Build and submit a
sitemap", Google Search Central). So each page's ``lastmod`` is its article's
``modified`` date, the same date the page itself shows as "Updated", and neither hint is
written. Only published articles are listed: a draft exported for review is not live at
its canonical URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final
from xml.etree import ElementTree

from spikecontent.diagnostics import SpikecontentError
from spikecontent.model import Article, Library, Status

__all__ = ["MAX_URLS", "SITEMAP", "SitemapTooLarge", "sitemap_xml"]

SITEMAP: Final = "sitemap.xml"
MAX_URLS: Final = 50_000
"""The most URLs one sitemap file may list (sitemaps.org; Google's limit too)."""
_NAMESPACE: Final = "http://www.sitemaps.org/schemas/sitemap/0.9"


class SitemapTooLarge(SpikecontentError, ValueError):
    """More published pages than one sitemap may list: search engines refuse the file."""


def sitemap_xml(library: Library, articles: Iterable[Article]) -> bytes:
    """The sitemap of the published ``articles``' canonical URLs (as each page's
    canonical link gives it), in the given order."""
    published = [article for article in articles if article.status is Status.PUBLISHED]
    if len(published) > MAX_URLS:
        raise SitemapTooLarge(
            f"{SITEMAP} would list {len(published):,} pages, more than the {MAX_URLS:,} one"
            " sitemap may hold; split the articles among html profiles (their 'articles'"
            " lists), each with its own sitemap"
        )
    urlset = ElementTree.Element("urlset", xmlns=_NAMESPACE)
    for article in published:
        url = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(url, "loc").text = library.resolve_href(article.canonical_path)
        ElementTree.SubElement(url, "lastmod").text = article.modified.isoformat()
    ElementTree.indent(urlset)
    # ElementTree escapes text for XML (&, <, >), which the protocol requires of URLs.
    document: bytes = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
