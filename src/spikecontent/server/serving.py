"""What ``spikecontent serve`` runs: the app, its live content, watching, SIGHUP and hooks.

With ``--workers N`` uvicorn starts N processes, each importing :func:`app_from_environment`
and building its own snapshot from the settings the command put in the environment (the
only way uvicorn hands settings to worker processes). ``kill -HUP`` on the main process
restarts every worker, which reloads the content in each; ``--watch`` runs a watcher in
every worker.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path
from typing import Final

import attrs

from spikecontent.api import PREVIEW_TOKEN_VARIABLE, ASGIApp, LiveContent, create_app
from spikecontent.delivery.webhooks import SECRET_VARIABLE, Publisher
from spikecontent.saves import watch_saves
from spikecontent.server.protocol import BoundedHttpToolsProtocol

__all__ = [
    "BOUNDED_PROTOCOL",
    "KEEP_ALIVE_SECONDS",
    "SETTINGS_VARIABLE",
    "ServeSettings",
    "Server",
    "app_from_environment",
    "build",
    "reload_on_hangup",
    "watch",
]

SETTINGS_VARIABLE: Final = "SPIKECONTENT_SERVE_SETTINGS"
BOUNDED_PROTOCOL: Final = "spikecontent.server.protocol:BoundedHttpToolsProtocol"
"""uvicorn's ``http`` setting: its httptools protocol with bounded request heads."""
KEEP_ALIVE_SECONDS: Final = 5
"""How long an idle kept-alive connection stays open (uvicorn's default, said aloud)."""


@attrs.frozen(kw_only=True)
class ServeSettings:
    """Everything ``serve`` was asked for, but the secrets (they stay in the environment)."""

    content: str
    exporters: str
    include_drafts: bool = False
    max_age: int = 300
    cors_origins: tuple[str, ...] = ("*",)
    watch: bool = False
    on_change: tuple[str, ...] = ()
    header_timeout: float = 10.0
    max_per_client: int = 256
    log_requests: bool = True
    """One access log line per request, with its request id."""
    history: str | None = None
    """An export's output folder, whose history ``/sync`` reads."""

    def to_environment(self) -> str:
        """The settings as the JSON a worker reads back."""
        return json.dumps(attrs.asdict(self))

    @classmethod
    def from_environment(cls, text: str) -> ServeSettings:
        """The settings :meth:`to_environment` wrote."""
        data = json.loads(text)
        for name in ("cors_origins", "on_change"):
            data[name] = tuple(data[name])
        return cls(**data)


@attrs.frozen(kw_only=True)
class Server:
    """A built server: the ASGI app and the live content behind it."""

    app: ASGIApp
    live: LiveContent
    stop: threading.Event


def build(settings: ServeSettings) -> Server:
    """The app and its live content; :class:`~spikecontent.ContentError` when the
    content is invalid at start-up."""
    # Protocol instances read it per connection, in this process (each worker builds).
    BoundedHttpToolsProtocol.header_timeout = settings.header_timeout
    BoundedHttpToolsProtocol.max_per_client = settings.max_per_client
    live = LiveContent(
        Path(settings.content),
        Path(settings.exporters),
        include_drafts=settings.include_drafts,
        preview_token=os.environ.get(PREVIEW_TOKEN_VARIABLE) or None,
        history=Path(settings.history) if settings.history else None,
    )
    if settings.on_change:
        live.on_change(Publisher(settings.on_change, os.environ.get(SECRET_VARIABLE) or None))
    stop = threading.Event()
    if settings.watch:
        watch(live, stop)
    app = create_app(
        live,
        max_age=settings.max_age,
        cors_origins=settings.cors_origins,
        log_requests=settings.log_requests,
    )
    return Server(app=app, live=live, stop=stop)


def app_from_environment() -> ASGIApp:
    """The app of one worker process (uvicorn's ``factory``)."""
    return build(ServeSettings.from_environment(os.environ[SETTINGS_VARIABLE])).app


def watch(live: LiveContent, stop: threading.Event) -> threading.Thread:
    """Reload ``live`` whenever a file under its content or profile folders is saved, in a
    daemon thread, until ``stop`` is set."""
    folders = (live.content, live.exporters)
    return watch_saves(folders, stop, live.reload, name="spikecontent-watch")


def reload_on_hangup(live: LiveContent) -> None:
    """Reload ``live`` on SIGHUP (set from the main thread; the rebuild runs in the
    background)."""

    def handler(_signum: int, _frame: object) -> None:
        threading.Thread(target=live.reload, name="spikecontent-reload", daemon=True).start()

    signal.signal(signal.SIGHUP, handler)
