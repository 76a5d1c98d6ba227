"""The ``jsonld`` writer: a schema.org graph per article, for SEO tools and search engines.

``<slug>.jsonld`` is the JSON-LD document; ``<slug>.jsonld.html`` is the same graph in one
``<script type="application/ld+json">`` element, safe to paste into a page template.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import attrs

from spikecontent.model import ARTICLES, Article, Library
from spikecontent.sdk import Artifact, HealthText, Writer, WriterWarning
from spikecontent.writers.json_output import json_document
from spikecontent.writers.jsonld.embed import script_element
from spikecontent.writers.jsonld.google import missing_recommended
from spikecontent.writers.jsonld.graph import article_graph, merchant_nodes
from spikecontent.writers.readback import json_text

__all__ = ["JsonLdOptions", "JsonLdWriter"]

_SNIPPET = ".html"


@attrs.frozen(kw_only=True)
class JsonLdOptions:
    """Options of the ``jsonld`` writer."""

    faq_page: bool = True
    """Type the page as FAQPage (with its questions as mainEntity) when it has a FAQ.
    Google no longer shows FAQ rich results for most sites; other consumers still read it."""


class JsonLdWriter(Writer[JsonLdOptions]):
    """A schema.org ``@graph`` per article, as JSON-LD and as an HTML script element."""

    name = "jsonld"
    # 5: a DOI only when the evidence lock confirms it; 6: images at their widest variant;
    # 7: a study's description says its intervention and how its sample adds up
    version = "7"
    description = "schema.org JSON-LD per article for SEO tools, plus a paste-ready script tag"
    options = JsonLdOptions

    def plan(self) -> Iterator[Artifact]:
        """``<slug>.jsonld`` and ``<slug>.jsonld.html`` for each article."""
        context = self.context
        for article in context.articles:
            for suffix in ("", _SNIPPET):
                yield Artifact.of_article(article, f"{article.slug}.jsonld{suffix}")

    def warnings(self) -> Iterator[WriterWarning]:
        """Each property Google recommends that the graph lacks, naming the content
        field that would fill it (:mod:`.google`)."""
        context = self.context
        for article in context.articles:
            make = functools.partial(_missing, context.library, article)
            for message in context.remember("missing", (ARTICLES.key(article.slug),), make):
                yield WriterWarning(path=f"{article.slug}.jsonld", message=message)

    def render(self, artifact: Artifact) -> bytes:
        """The document, or its script element."""
        context = self.context
        article = context.library.article(artifact.subject)
        graph = article_graph(context.library, article, faq_page=context.options.faq_page)
        if artifact.path.endswith(_SNIPPET):
            return script_element(graph).encode("utf-8")
        return (json_document(graph, indent=2) + "\n").encode("utf-8")

    def health_texts(self, artifact: Artifact, data: bytes) -> Iterator[HealthText]:
        """The whole graph: a page about the article must carry its disclaimer."""
        raw = data.decode("utf-8")
        if artifact.path.endswith(_SNIPPET):
            raw = raw[raw.index(">") + 1 : raw.rindex("</script>")]
        yield HealthText(part="page graph", article=artifact.subject, text=json_text(raw))


def _missing(library: Library, article: Article) -> tuple[str, ...]:
    resolved = library.resolve(article)
    return tuple(missing_recommended(merchant_nodes(library, resolved), resolved))
