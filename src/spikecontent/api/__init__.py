"""The read-only HTTP content API (``pip install spikecontent[api]``).

:func:`create_api` loads and checks the content once, renders every artifact with the
export profiles' writers, and returns an ASGI app that serves them (Litestar). ``spikecontent
serve`` runs it with uvicorn.
"""

from __future__ import annotations

from pathlib import Path

from litestar.types import ASGIApp

from spikecontent.api.app import DEFAULT_LIMIT, MAX_LIMIT, create_app
from spikecontent.api.resources import ApiContent

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "ApiContent", "create_api", "create_app"]


def create_api(
    content: str | Path = "content",
    exporters: str | Path = "exporters",
    *,
    include_drafts: bool = False,
    max_age: int = 300,
) -> ASGIApp:
    """The API over a content folder; :class:`~spikecontent.ContentError` when invalid."""
    loaded = ApiContent(Path(content), Path(exporters), include_drafts=include_drafts)
    return create_app(loaded, max_age=max_age)
