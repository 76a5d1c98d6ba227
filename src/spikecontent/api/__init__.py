"""The read-only HTTP content API (``pip install spikecontent[api]``).

:func:`create_api` loads and checks the content, renders every artifact with the export
profiles' writers into a snapshot, and returns an ASGI app that serves it (plain ASGI), with
CORS, compression and, when a preview token is set, drafts for those who hold it.
``spikecontent serve`` runs it with uvicorn and keeps the snapshot current.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spikecontent.api.app import ASGIApp, create_app
from spikecontent.api.live import PREVIEW_TOKEN_VARIABLE, LiveContent, Served, Snapshot
from spikecontent.api.routes import DEFAULT_LIMIT, MAX_LIMIT
from spikecontent.delivery.webhooks import Change

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "PREVIEW_TOKEN_VARIABLE",
    "ASGIApp",
    "Change",
    "LiveContent",
    "Served",
    "Snapshot",
    "create_api",
    "create_app",
]


def create_api(
    content: str | Path = "content",
    exporters: str | Path = "exporters",
    *,
    include_drafts: bool = False,
    preview_token: str | None = None,
    max_age: int = 300,
    cors_origins: Sequence[str] = ("*",),
    history: str | Path | None = None,
) -> ASGIApp:
    """The API over a content folder; :class:`~spikecontent.ContentError` when invalid.
    ``history``: an export's output folder, whose history ``/sync`` tokens come from."""
    live = LiveContent(
        Path(content),
        Path(exporters),
        include_drafts=include_drafts,
        preview_token=preview_token,
        history=Path(history) if history is not None else None,
    )
    return create_app(live, max_age=max_age, cors_origins=cors_origins)
