"""``spikecontent serve``: the read-only HTTP API, with uvicorn."""

from __future__ import annotations

import enum
import os
import resource
import shutil
import signal
import tempfile
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from spikecontent.server.serving import Server, ServeSettings

__all__ = ["serve_command"]

_WORKER_START_SECONDS = 300
# The same name as api.metrics.MULTIPROCESS_VARIABLE, written out here because it must be set
# before api.metrics is imported: prometheus_client chooses its value class on import.
_METRICS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


class LogFormat(enum.Enum):
    """How ``serve`` writes its log."""

    AUTO = "auto"
    JSON = "json"
    TEXT = "text"


def _option(*names: str, help: str, variable: str | None = None, **more: Any) -> Any:
    """A ``serve`` option, read from ``SPIKECONTENT_<VARIABLE>`` too (by default its long
    name in capitals)."""
    variable = variable or names[0].lstrip("-").split("/")[0].replace("-", "_").upper()
    return typer.Option(*names, help=help, envvar=f"SPIKECONTENT_{variable}", **more)


Content = Annotated[Path, _option("--content", "-c", help="Content folder (holds site.yaml).")]
Exporters = Annotated[
    Path, _option("--exporters", "-e", help="Export profiles: the API serves their output.")
]
Host = Annotated[str, _option("--host", help="Address to bind.")]
Port = Annotated[int, _option("--port", help="Port to bind.", min=1, max=65535)]
IncludeDrafts = Annotated[
    bool,
    _option(
        "--include-drafts", help="Serve drafts and articles in review to everyone (local use only)."
    ),
]
MaxAge = Annotated[
    int, _option("--max-age", min=0, help="Seconds in Cache-Control: public, max-age.")
]
CorsOrigin = Annotated[
    list[str] | None,
    _option(
        "--cors-origin", help="An origin whose pages may read the API (repeatable) [default: *]."
    ),
]
Watch = Annotated[bool, _option("--watch", help="Reload when content/ or exporters/ change.")]
Workers = Annotated[
    int, _option("--workers", min=1, help="Worker processes (each holds the content).")
]
AccessLog = Annotated[
    bool,
    _option("--access-log/--no-access-log", help="Log every request, with its request id."),
]
OnChange = Annotated[
    list[str] | None,
    typer.Option(
        "--on-change",
        help="POST a summary here after each reload (repeatable). Shows in the process"
        " list: give a URL with a token in SPIKECONTENT_ON_CHANGE or --on-change-file.",
    ),
]
OnChangeFile = Annotated[
    Path | None,
    _option(
        "--on-change-file",
        help="A file of hook URLs, separated by whitespace ('#' starts a comment line).",
    ),
]
HeaderTimeout = Annotated[
    float,
    _option(
        "--header-timeout",
        min=0.1,
        help="Seconds a request's head may take to arrive before a 408.",
    ),
]
MaxPerClient = Annotated[
    int,
    _option(
        "--max-connections-per-client",
        min=0,
        help="Connections one client address may hold (0: no limit; use 0 behind a proxy).",
    ),
]
LogFormatOption = Annotated[
    LogFormat,
    _option(
        "--log-format",
        help="Log lines as JSON objects or text; auto: text on a terminal, else JSON.",
    ),
]
GracefulTimeout = Annotated[
    int,
    _option(
        "--graceful-timeout",
        min=0,
        help="On SIGTERM, seconds to let requests in flight finish before closing them.",
    ),
]
History = Annotated[
    Path | None,
    _option(
        "--history",
        help="An export's output folder: /sync tokens come from the history that export"
        " keeps, and stay valid across restarts [default: this process's own history].",
    ),
]


def serve_command(
    content: Content = Path("content"),
    exporters: Exporters = Path("exporters"),
    host: Host = "127.0.0.1",
    port: Port = 8000,
    include_drafts: IncludeDrafts = False,
    max_age: MaxAge = 300,
    cors_origin: CorsOrigin = None,
    watch: Watch = False,
    workers: Workers = 1,
    access_log: AccessLog = True,
    on_change: OnChange = None,
    on_change_file: OnChangeFile = None,
    header_timeout: HeaderTimeout = 10.0,
    max_per_client: MaxPerClient = 256,
    log_format: LogFormatOption = LogFormat.AUTO,
    graceful_timeout: GracefulTimeout = 30,
    history: History = None,
) -> None:
    """Serve the content over HTTP (GET and HEAD only) until interrupted.

    The content is loaded, checked and linted at start-up; invalid content stops the
    server from starting (exit 1). With --watch, or on SIGHUP, it is reloaded; an invalid
    edit keeps the last good content serving. Drafts are served only to requests bearing
    the token in SPIKECONTENT_PREVIEW_TOKEN. Publish hooks are read from --on-change,
    --on-change-file and SPIKECONTENT_ON_CHANGE (URLs separated by whitespace). Every
    option can also be set by its SPIKECONTENT_* environment variable. On SIGTERM the
    server stops accepting, lets requests in flight finish (--graceful-timeout) and
    exits 0.
    """
    try:
        from spikecontent.delivery.webhooks import HookError, hook_urls
        from spikecontent.server.serving import ServeSettings
    except ImportError as error:
        typer.echo(f"the API needs its extra: pip install 'spikecontent[api]' ({error})", err=True)
        raise typer.Exit(2) from None
    try:
        hooks = hook_urls(on_change or (), file=on_change_file, environ=os.environ)
    except HookError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if any(_has_credentials(url) for url in on_change or ()):
        typer.echo(
            "warning: an --on-change URL holds a credential (userinfo or a query), which every"
            " user sees in the process list: give it in SPIKECONTENT_ON_CHANGE or"
            " --on-change-file",
            err=True,
        )
    settings = ServeSettings(
        content=str(content),
        exporters=str(exporters),
        include_drafts=include_drafts,
        max_age=max_age,
        cors_origins=tuple(cors_origin or ("*",)),
        watch=watch,
        on_change=hooks,
        header_timeout=header_timeout,
        max_per_client=max_per_client,
        log_requests=access_log,
        history=str(history) if history is not None else None,
    )
    metrics_folder = None
    if workers > 1 and not os.environ.get(_METRICS_VARIABLE):
        # Before the metrics are first imported: each worker writes its values there.
        metrics_folder = tempfile.mkdtemp(prefix="spikecontent-metrics-")
        os.environ[_METRICS_VARIABLE] = metrics_folder
    try:
        _serve(
            settings,
            host=host,
            port=port,
            workers=workers,
            log_format=log_format.value,
            graceful_timeout=graceful_timeout,
        )
    finally:
        if metrics_folder is not None:
            shutil.rmtree(metrics_folder, ignore_errors=True)


def _serve(
    settings: ServeSettings,
    *,
    host: str,
    port: int,
    workers: int,
    log_format: str,
    graceful_timeout: int,
) -> None:
    import logging.config as logging_config

    import uvicorn

    from spikecontent.server.logs import log_config
    from spikecontent.server.serving import (
        BOUNDED_PROTOCOL,
        KEEP_ALIVE_SECONDS,
        SETTINGS_VARIABLE,
        reload_on_hangup,
    )

    server = _started(settings)
    _allow_many_connections()
    _exit_0_on_sigterm()
    # Configured only now: a server that does not start leaves the process's logging as
    # it was (the command's own messages above go to stderr as they are).
    logging = log_config(log_format)
    logging_config.dictConfig(logging)
    if workers > 1:
        server.stop.set()
        os.environ[SETTINGS_VARIABLE] = settings.to_environment()
        app: Any = "spikecontent.server.serving:app_from_environment"
        # A new worker loads, checks and renders all the content before it is ready;
        # uvicorn's default 5 s would abort a reload of a large site (or a busy host).
        how: dict[str, Any] = {
            "factory": True,
            "workers": workers,
            "timeout_worker_healthcheck": _WORKER_START_SECONDS,
        }
    else:
        reload_on_hangup(server.live)
        app, how = server.app, {}
    uvicorn.run(
        app,
        **how,
        host=host,
        port=port,
        log_level="info",
        log_config=logging,
        access_log=False,  # the API logs each request itself, with its request id
        server_header=False,
        http=BOUNDED_PROTOCOL,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=graceful_timeout,
    )


def _started(settings: ServeSettings) -> Server:
    """The server, built once here even with workers: errors and warnings are reported
    once, before any worker starts; exit 1 for invalid content."""
    from spikecontent.diagnostics import ContentError
    from spikecontent.server.serving import build

    try:
        server = build(settings)
    except ContentError as error:
        typer.echo(error.report(), err=True)
        typer.echo("The server did not start.", err=True)
        raise typer.Exit(1) from None
    for warning in server.live.served.public.warnings:
        typer.echo(str(warning), err=True)
    if settings.include_drafts:
        typer.echo(
            "warning: --include-drafts serves every draft to everyone: for local use only;"
            " set SPIKECONTENT_PREVIEW_TOKEN to preview drafts safely",
            err=True,
        )
    if server.live.previewable:
        typer.echo("preview: drafts are served to requests bearing the preview token", err=True)
    return server


def _has_credentials(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return "@" in parts.netloc or bool(parts.query)


def _exit_0_on_sigterm() -> None:
    # uvicorn stops on SIGTERM gracefully (no new connections; requests in flight get
    # --graceful-timeout seconds), then raises the signal again to the handler it found:
    # this one, so the command exits 0, a clean stop, rather than dying by the signal.
    def stop(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)


def _allow_many_connections() -> None:
    # Each connection is a file descriptor; the usual soft limit (1,024) would make a few
    # thousand idle clients lock out everyone else long before memory or CPU run short.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
