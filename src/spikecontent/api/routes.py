"""The API's artifact routes, as a table: each URL and the writer artifact it serves.

Adding an endpoint that serves an artifact is one row here; the handler, its OpenAPI
entry, ETags, 304s and 404s come from :func:`spikecontent.api.app.create_app`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import attrs

from spikecontent.api.schemas import MacroEntry
from spikecontent.model import Caution, Study

__all__ = ["ROUTES", "ArtifactRoute"]

_PARAMETER = re.compile(r"\{(\w+):str\}")


@attrs.frozen(kw_only=True)
class ArtifactRoute:
    """One GET route whose body is one writer artifact."""

    name: str
    """The handler's name (the OpenAPI operation id ends with it)."""
    path: str
    """The URL path, with at most one ``{name:str}`` parameter."""
    summary: str
    writer: str
    """The writer whose artifact is served (its first enabled profile's)."""
    artifact: str
    """The artifact path; ``{name}`` is replaced by the URL parameter."""
    schema: Any = None
    """The body's type for the OpenAPI document, when it has one."""
    media_type: str | None = None
    """Declared in the OpenAPI document; the body's own comes from the artifact."""
    accepts: Callable[[str], bool] | None = None
    """Which parameter values may name an artifact (others answer 404)."""
    projectable: bool = False
    """Whether ``?fields=`` may choose the top-level fields of the (JSON) body."""

    @property
    def parameter(self) -> str | None:
        """The URL parameter's name, if the path has one."""
        found = _PARAMETER.search(self.path)
        return found.group(1) if found else None

    def artifact_for(self, value: str | None) -> str | None:
        """The artifact path for the URL parameter ``value``; None when none may match."""
        if value is None:
            return self.artifact
        if self.accepts is not None and not self.accepts(value):
            return None
        return self.artifact.replace(f"{{{self.parameter}}}", value)


def _single_macro(name: str) -> bool:
    return name.endswith(".txt") and name != "all.txt"


ROUTES: Final = (
    ArtifactRoute(
        name="article",
        path="/articles/{slug:str}",
        summary="An article with every reference resolved (the json writer's document)",
        writer="json",
        artifact="articles/{slug}.json",
        schema=dict[str, Any],
        projectable=True,
    ),
    ArtifactRoute(
        name="article_jsonld",
        path="/articles/{slug:str}/jsonld",
        summary="The article's schema.org JSON-LD graph",
        writer="jsonld",
        artifact="{slug}.jsonld",
        schema=dict[str, Any],
        media_type="application/ld+json",
    ),
    ArtifactRoute(
        name="article_leaflet",
        path="/articles/{slug:str}/leaflet.pdf",
        summary="The article's printable leaflet",
        writer="pdf",
        artifact="{slug}.pdf",
        schema=bytes,
        media_type="application/pdf",
    ),
    ArtifactRoute(
        name="studies",
        path="/studies",
        summary="The studies the articles cite",
        writer="json",
        artifact="studies.json",
        schema=list[Study],
    ),
    ArtifactRoute(
        name="study",
        path="/studies/{ident:str}",
        summary="One study",
        writer="json",
        artifact="studies/{ident}.json",
        schema=Study,
    ),
    ArtifactRoute(
        name="cautions",
        path="/cautions",
        summary="Who should avoid the products, as the articles list them",
        writer="json",
        artifact="cautions.json",
        schema=list[Caution],
    ),
    ArtifactRoute(
        name="feed_rss",
        path="/feed.rss",
        summary="Site-wide update feed, RSS 2.0",
        writer="rss",
        artifact="site.rss.xml",
        media_type="application/rss+xml",
    ),
    ArtifactRoute(
        name="feed_atom",
        path="/feed.atom",
        summary="Site-wide update feed, Atom 1.0",
        writer="rss",
        artifact="site.atom.xml",
        media_type="application/atom+xml",
    ),
    ArtifactRoute(
        name="macros",
        path="/macros",
        summary="Support macros",
        writer="macros",
        artifact="macros.json",
        schema=list[MacroEntry],
    ),
    ArtifactRoute(
        name="macro_text",
        path="/macros/{name:str}",
        summary="One support macro as plain text; name is the macro id followed by .txt",
        writer="macros",
        artifact="{name}",
        media_type="text/plain",
        accepts=_single_macro,
    ),
)
