"""The site's pages as a sitemap, in the XML format of the sitemaps protocol.

The home page comes first (``base_url``; its ``lastmod`` the newest ``modified`` of the
published articles it lists), then each published article's page.

Google reads ``loc`` and ``lastmod`` and ignores ``priority`` and ``changefreq``; it uses
``lastmod`` only while it is consistently and verifiably accurate ("Build and submit a
sitemap", Google Search Central). So each page's ``lastmod`` is its article's
``modified`` date, the same date the page itself shows as "Updated", and neither hint is
written. Only published articles are listed: a draft exported for review is not live at
its canonical URL.

A page with a lead picture lists it with Google's image extension (``xmlns:image``,
``<image:image><image:loc>``, "Image sitemaps", Google Search Central): the widest
variant the ``media`` writer publishes, the URL the page's Open Graph and JSON-LD give.

One sitemap file may list 50,000 URLs in 50 MB. Past either, the pages are split among
``sitemap-1.xml``, ``sitemap-2.xml``, ... in order, and ``sitemap.xml`` becomes their
sitemap index (the protocol's and Google's answer, "Manage your sitemaps with a sitemap
index file"), naming each part at the site's root, beside itself as Google requires, with
the newest ``lastmod`` of its pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Final
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from spikecontent.model import Article, Library, Status
from spikecontent.writers.pictures import largest

__all__ = ["MAX_BYTES", "MAX_URLS", "SITEMAP", "Page", "sitemap_file", "sitemap_files"]

SITEMAP: Final = "sitemap.xml"
"""The sitemap, or past one file's limits the index of its parts."""
MAX_URLS: Final = 50_000
"""The most URLs one sitemap file may list (sitemaps.org; Google's limit too)."""
MAX_BYTES: Final = 52_428_800
"""The most bytes one sitemap file may take, uncompressed (50 MB: sitemaps.org, Google)."""
_FRAME_BYTES: Final = 200
"""More than a file's declaration and root element take."""
_URL_BYTES: Final = len("  <url>\n    <loc></loc>\n    <lastmod>2026-01-01</lastmod>\n  </url>\n")
"""What a page's entry takes besides its address."""
_LONGEST_URL: Final = 2048
"""The longest address the protocol allows in ``loc``."""
_NAMESPACE: Final = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NAMESPACE: Final = "http://www.google.com/schemas/sitemap-image/1.1"
"""Google's image extension of the sitemaps protocol."""
_IMAGE_BYTES: Final = len("    <image:image>\n      <image:loc></image:loc>\n    </image:image>\n")
"""What a page's picture takes besides its address."""


Page = Article | None
"""An article's page, or (``None``) the home page."""


def sitemap_files(library: Library, articles: Iterable[Article]) -> dict[str, tuple[Page, ...]]:
    """Each sitemap file and the pages it lists (for the index, every part's):
    :data:`SITEMAP` alone while the home page and the published pages fit one file, else
    the index and its parts, each as full as :data:`MAX_URLS` and :data:`MAX_BYTES` allow,
    the home page first, then the articles' order."""
    published: tuple[Page, ...] = (
        None,
        *(article for article in articles if article.status is Status.PUBLISHED),
    )
    longest = _FRAME_BYTES + len(published) * (_URL_BYTES + _IMAGE_BYTES + 2 * _LONGEST_URL)
    if len(published) <= MAX_URLS and longest <= MAX_BYTES:
        return {SITEMAP: published}  # fits whatever the addresses: no need to make them
    parts: list[list[Page]] = [[]]
    size = _FRAME_BYTES
    for article in published:
        entry = _URL_BYTES + len(_escaped(_loc(library, article)))
        picture = _picture(library, article)
        if picture is not None:
            entry += _IMAGE_BYTES + len(_escaped(picture))
        if parts[-1] and (len(parts[-1]) == MAX_URLS or size + entry > MAX_BYTES):
            parts.append([])
            size = _FRAME_BYTES
        parts[-1].append(article)
        size += entry
    if len(parts) == 1:
        return {SITEMAP: published}
    named = {f"sitemap-{number}.xml": tuple(part) for number, part in enumerate(parts, 1)}
    return {SITEMAP: published, **named}


def sitemap_file(library: Library, path: str, articles: Iterable[Article]) -> bytes:
    """The sitemap file ``path`` of :func:`sitemap_files` for ``articles``."""
    files = sitemap_files(library, articles)
    home = _home_modified(files[SITEMAP])
    if path == SITEMAP and len(files) > 1:
        return _index(library, {name: files[name] for name in files if name != SITEMAP}, home)
    return _urlset(library, files[path], home)


def _loc(library: Library, page: Page) -> str:
    """The page's canonical URL, as its canonical link gives it."""
    return library.site.base_url if page is None else library.resolve_href(page.canonical_path)


def _picture(library: Library, page: Page) -> str | None:
    """The URL of the page's lead picture (its widest variant), if it shows one."""
    image = None if page is None else page.image
    widest = largest(image) if image is not None else None
    return library.site.media(widest.file) if widest is not None else None


def _home_modified(pages: Sequence[Page]) -> datetime.date | None:
    """The home page's date: the newest of the published articles it lists."""
    return max((page.modified for page in pages if page is not None), default=None)


def _modified(page: Page, home: datetime.date | None) -> datetime.date | None:
    return home if page is None else page.modified


def _urlset(library: Library, pages: Sequence[Page], home: datetime.date | None) -> bytes:
    """``pages``: each canonical URL with its ``lastmod`` (none for a home page that
    lists nothing), in order."""
    urlset = ElementTree.Element("urlset", {"xmlns": _NAMESPACE, "xmlns:image": IMAGE_NAMESPACE})
    for page in pages:
        url = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(url, "loc").text = _loc(library, page)
        modified = _modified(page, home)
        if modified is not None:
            ElementTree.SubElement(url, "lastmod").text = modified.isoformat()
        picture = _picture(library, page)
        if picture is not None:
            # Prefixed names written as they are: the prefix is declared on the root.
            image = ElementTree.SubElement(url, "image:image")
            ElementTree.SubElement(image, "image:loc").text = picture
    return _document(urlset)


def _index(
    library: Library, parts: dict[str, tuple[Page, ...]], home: datetime.date | None
) -> bytes:
    """The sitemap index of ``parts``, each at the site's root."""
    index = ElementTree.Element("sitemapindex", xmlns=_NAMESPACE)
    for name, pages in parts.items():
        sitemap = ElementTree.SubElement(index, "sitemap")
        ElementTree.SubElement(sitemap, "loc").text = library.resolve_href(f"/{name}")
        dates = [d for d in (_modified(page, home) for page in pages) if d is not None]
        if dates:
            ElementTree.SubElement(sitemap, "lastmod").text = max(dates).isoformat()
    return _document(index)


def _escaped(url: str) -> bytes:
    """``url`` as ``loc`` holds it: the protocol's entity escapes, in UTF-8."""
    return escape(url).encode()


def _document(root: ElementTree.Element) -> bytes:
    ElementTree.indent(root)
    # ElementTree escapes text for XML (&, <, >), which the protocol requires of URLs.
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
