"""The ``html`` writer: the website's pages, ready to publish on any static host.

One self-contained HTML5 document per article (its stylesheet inline, no script but its
JSON-LD): landmarks (banner, main, contentinfo), one ``h1``, the lead picture (at
``media_url``, measured and described), sections labelled by their headings, the research
with each study's year, design, sample size, limits and source, the evidence table with
header scopes, the cautions, the disclaimer as a note, tips, the offer, the FAQ and the
page's changes; in its head the canonical link, feed autodiscovery, Open Graph and Twitter
cards and the article's schema.org graph (:mod:`.head`). Each page is written as
``<slug>/index.html``, the file any static host serves at its canonical URL ``/<slug>/``.

Besides the pages: ``index.html``, the home page listing the published articles newest
first (:mod:`.site_pages`); ``404.html``, the page a server sends for an unknown address;
``robots.txt``, naming the sitemap; ``favicon.ico``, the site's icon when it is an
``.ico``; and ``sitemap.xml``, the published pages and the home
page for search engines (:mod:`.sitemap`).

With ``field_markers`` on (``spikecontent preview`` turns it on) every text element names
the content field it shows (``data-field``, and ``data-entry`` where it comes from another
entity), which the preview uses to point at lint findings; published pages carry none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import attrs
from markupsafe import Markup

from spikecontent.model import ARTICLES
from spikecontent.model.fields import must_be, site_folder
from spikecontent.sdk import Artifact, CompiledTemplates, HealthText, Writer, WriterContext
from spikecontent.writers.html.head import FAVICON, head_values, page_file
from spikecontent.writers.html.page import page_values
from spikecontent.writers.html.site_pages import (
    HOME,
    NOT_FOUND,
    ROBOTS,
    home_values,
    not_found_values,
    robots_txt,
)
from spikecontent.writers.html.sitemap import SITEMAP, sitemap_file, sitemap_files
from spikecontent.writers.readback import html_text

__all__ = ["HtmlOptions", "HtmlWriter"]

_LAYOUT: Final = "layout.html"
_PAGE: Final = "page.html"
_HOME: Final = "home.html"
_NOT_FOUND: Final = "not_found.html"
_STYLE: Final = "page.css"
_HOME_SUBJECT: Final = ":home"
_NOT_FOUND_SUBJECT: Final = ":404"
_ROBOTS_SUBJECT: Final = ":robots"
_FAVICON_SUBJECT: Final = ":favicon"


_feeds_path = must_be(
    "a site path",
    lambda value: value == "" or site_folder(value),
    "write it like '/feeds/' (the rss profile's path), or '' for no feed links",
)


@attrs.frozen(kw_only=True)
class HtmlOptions:
    """Options of the ``html`` writer (restyle it by overriding ``page.css`` or the
    templates in the profile's template folder)."""

    feeds: str = attrs.field(default="/feeds/", validator=_feeds_path)
    """The site path where the ``rss`` writer's output is served (its profile's ``path``):
    pages name the site's feeds and the article's there. ``""``: no feed links."""
    faq_page: bool = True
    """As the ``jsonld`` writer's option of the same name: the page's JSON-LD is the graph
    that writer makes, so keep the two alike."""
    field_markers: bool = False
    """Mark each text with the content field it shows (``data-field``, ``data-entry``),
    for ``spikecontent preview``; never for published pages."""


class HtmlWriter(Writer[HtmlOptions]):
    """The website's pages: each article, the home page, the 404 page, robots.txt and the
    sitemap."""

    name = "html"
    # 4: a DOI only when the evidence lock confirms it; 5: responsive pictures; 6: site icon;
    # 7: the head's JSON-LD describes a study's intervention and sample (jsonld 7);
    # 8: the byline ("Who wrote this") and the product's reviews link
    version = "8"
    description = (
        "Web pages: each article as a semantic, accessible HTML page, a home page,"
        " robots.txt and a sitemap"
    )
    options = HtmlOptions
    templates = "spikecontent.writers.html.templates"

    def __init__(self, context: WriterContext[HtmlOptions]) -> None:
        super().__init__(context)
        self._compiled = CompiledTemplates(context.templates)
        self._css: Markup | None = None

    def plan(self) -> Iterator[Artifact]:
        """``<slug>/index.html`` for each article, ``index.html``, ``404.html``,
        ``robots.txt``, then ``sitemap.xml`` (and past 50,000 pages, the parts it
        indexes)."""
        articles = self.context.articles
        for article in articles:
            yield Artifact.of_article(article, page_file(article), (_PAGE, _LAYOUT, _STYLE))
        everything = tuple(ARTICLES.key(article.slug) for article in articles)
        yield Artifact(
            path=HOME,
            entries=everything,
            templates=(_HOME, _LAYOUT, _STYLE),
            subject=_HOME_SUBJECT,
        )
        yield Artifact(
            path=NOT_FOUND, templates=(_NOT_FOUND, _LAYOUT, _STYLE), subject=_NOT_FOUND_SUBJECT
        )
        yield Artifact(path=ROBOTS, subject=_ROBOTS_SUBJECT)
        icon = self.context.library.site.icon
        if icon is not None and icon.media_type == "image/x-icon":
            # Where browsers ask for it unasked; the site (an input of every artifact)
            # carries the icon's digest, so a changed icon is copied again.
            yield Artifact(path=FAVICON, subject=_FAVICON_SUBJECT)
        for path, listed in sitemap_files(self.context.library, articles).items():
            # Which pages a file lists depends on every article's status; what it says of
            # them, on those articles alone (the home page's date, on every article).
            keys = tuple(ARTICLES.key(article.slug) for article in listed if article is not None)
            home = None in listed
            yield Artifact(path=path, entries=everything if path == SITEMAP or home else keys)

    def render(self, artifact: Artifact) -> bytes:
        """The article's page, the home page, the 404 page, robots.txt or a sitemap file."""
        context = self.context
        library = context.library
        subject = artifact.subject
        if subject == _ROBOTS_SUBJECT:
            return robots_txt(library.site)
        if subject == _FAVICON_SUBJECT:
            assert library.site.icon is not None
            # An ICO holds images and their sizes, nothing a phone or an editor adds.
            return bytes(library.media[library.site.icon.file])
        if not subject:
            return sitemap_file(library, artifact.path, context.articles)
        common = {"css": self._stylesheet()}
        if subject == _HOME_SUBJECT:
            values = home_values(library, context.articles, feeds=context.options.feeds)
            return self._compiled.get(_HOME).render(**values, **common).encode()
        if subject == _NOT_FOUND_SUBJECT:
            values = not_found_values(library.site)
            return self._compiled.get(_NOT_FOUND).render(**values, **common).encode()
        return self.page(subject, markers=context.options.field_markers)

    def page(self, slug: str, *, markers: bool) -> bytes:
        """The article's page; with ``markers``, each text names its field."""
        context = self.context
        library = context.library
        resolved = library.resolve(slug)
        values = page_values(library, resolved, markers=markers)
        head = head_values(
            library, resolved, feeds=context.options.feeds, faq_page=context.options.faq_page
        )
        page = self._compiled.get(_PAGE).render(
            **values,
            **head,
            page_title=f"{resolved.article.title} · {resolved.site.name}",
            css=self._stylesheet(),
        )
        return page.encode()

    def _stylesheet(self) -> Markup:
        """The stylesheet every page holds, read once, as the templates are compiled once,
        for the writer's lifetime (read for each page, it was a twentieth of a page's time)."""
        if self._css is None:
            self._css = _style(self.context.templates.read_text(_STYLE))
        return self._css

    def health_texts(self, artifact: Artifact, data: bytes) -> Iterator[HealthText]:
        """The article page's text, as a reader (or a search engine) gets it (the other
        files hold no article's text but its title and description)."""
        if not artifact.subject or artifact.subject.startswith(":"):
            return
        yield HealthText(part="page", article=artifact.subject, text=html_text(data.decode()))


def _style(css: str) -> Markup:
    """The stylesheet as the ``<style>`` element holds it: never HTML-escaped (``&#34;``
    is no quote to CSS, and the rule holding it would be dropped), with ``</`` written
    ``<\\/`` (the same characters to CSS) so that nothing in it can end the element."""
    return Markup(css.replace("</", "<\\/"))
