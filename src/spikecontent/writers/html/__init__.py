"""The ``html`` writer: each article as a semantic, accessible web page.

One self-contained HTML5 document per article (its stylesheet inline, no script): landmarks
(banner, main, contentinfo), one ``h1``, the lead picture (at ``media_url``, measured and
described), sections labelled by their headings, the research
with each study's year, design, sample size, limits and source, the evidence table with
header scopes, the cautions, the disclaimer as a note, tips, the offer, the FAQ and the
page's changes; and ``sitemap.xml``, the published pages for search engines
(:mod:`.sitemap`). Every text element names the content field it shows (``data-field``, and
``data-entry`` where it comes from another entity), which ``spikecontent preview`` uses to
point at lint findings.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from spikecontent.model import ARTICLES
from spikecontent.pipeline import Artifact, HealthText, Writer, WriterContext
from spikecontent.writers.html.page import page_values
from spikecontent.writers.html.sitemap import SITEMAP, sitemap_file, sitemap_files
from spikecontent.writers.readback import html_text
from spikecontent.writers.templating import CompiledTemplates

__all__ = ["HtmlOptions", "HtmlWriter"]

_PAGE = "page.html"
_STYLE = "page.css"


@attrs.frozen(kw_only=True)
class HtmlOptions:
    """Options of the ``html`` writer (none yet: override ``page.html`` or ``page.css`` in
    the profile's template folder to restyle it)."""


class HtmlWriter(Writer[HtmlOptions]):
    """Each article as a web page."""

    name = "html"
    version = "2"
    description = "Web pages: each article as a semantic, accessible HTML page, and a sitemap"
    options = HtmlOptions
    templates = "spikecontent.writers.html.templates"

    def __init__(self, context: WriterContext[HtmlOptions]) -> None:
        super().__init__(context)
        self._compiled = CompiledTemplates(context.templates)

    def plan(self) -> Iterator[Artifact]:
        """``<slug>.html`` for each article, then ``sitemap.xml`` (and past 50,000 pages,
        the parts it indexes)."""
        for article in self.context.articles:
            yield Artifact(
                path=f"{article.slug}.html",
                entries=(ARTICLES.key(article.slug),),
                templates=(_PAGE, _STYLE),
                subject=article.slug,
            )
        everything = tuple(ARTICLES.key(article.slug) for article in self.context.articles)
        for path, articles in sitemap_files(self.context.library, self.context.articles).items():
            # Which pages a file lists depends on every article's status; what it says of
            # them, on those articles alone.
            listed = tuple(ARTICLES.key(article.slug) for article in articles)
            yield Artifact(path=path, entries=everything if path == SITEMAP else listed)

    def render(self, artifact: Artifact) -> bytes:
        """The article's page, or a sitemap file."""
        context = self.context
        if not artifact.subject:
            return sitemap_file(context.library, artifact.path, context.articles)
        values = page_values(context.library, context.library.resolve(artifact.subject))
        css = context.templates.read_text(_STYLE)
        page = self._compiled.get(_PAGE).render(**values, css=css)
        return page.encode()

    def health_texts(self, artifact: Artifact, data: bytes) -> Iterator[HealthText]:
        """The page's text, as a reader (or a search engine) gets it (the sitemap holds
        addresses and dates only)."""
        if not artifact.subject:
            return
        yield HealthText(part="page", article=artifact.subject, text=html_text(data.decode()))
