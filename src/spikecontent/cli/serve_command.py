"""``spikecontent serve``: the read-only HTTP API, with uvicorn."""

from __future__ import annotations

import os
import resource
import urllib.parse
from pathlib import Path
from typing import Annotated

import typer

from spikecontent.diagnostics import ContentError

__all__ = ["serve_command"]

_WORKER_START_SECONDS = 300


def serve_command(
    content: Annotated[
        Path, typer.Option("--content", "-c", help="Content folder (holds site.yaml).")
    ] = Path("content"),
    exporters: Annotated[
        Path,
        typer.Option("--exporters", "-e", help="Export profiles: the API serves their output."),
    ] = Path("exporters"),
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to bind.", min=1, max=65535)] = 8000,
    include_drafts: Annotated[
        bool,
        typer.Option(
            "--include-drafts",
            help="Serve drafts and articles in review to everyone (local use only).",
        ),
    ] = False,
    max_age: Annotated[
        int, typer.Option("--max-age", min=0, help="Seconds in Cache-Control: public, max-age.")
    ] = 300,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin",
            help="An origin whose pages may read the API (repeatable) [default: *].",
        ),
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Reload when content/ or exporters/ change.")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes (each holds the content).")
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option("--access-log/--no-access-log", help="Log every request (uvicorn's)."),
    ] = True,
    on_change: Annotated[
        list[str] | None,
        typer.Option(
            "--on-change",
            help="POST a summary here after each reload (repeatable). Shows in the process"
            " list: give a URL with a token in SPIKECONTENT_ON_CHANGE or --on-change-file.",
        ),
    ] = None,
    on_change_file: Annotated[
        Path | None,
        typer.Option(
            "--on-change-file",
            help="A file of hook URLs, separated by whitespace ('#' starts a comment line).",
        ),
    ] = None,
    header_timeout: Annotated[
        float,
        typer.Option(
            "--header-timeout",
            min=0.1,
            help="Seconds a request's head may take to arrive before a 408.",
        ),
    ] = 10.0,
    max_per_client: Annotated[
        int,
        typer.Option(
            "--max-connections-per-client",
            min=0,
            help="Connections one client address may hold (0: no limit; use 0 behind a proxy).",
        ),
    ] = 256,
) -> None:
    """Serve the content over HTTP (GET and HEAD only) until interrupted.

    The content is loaded, checked and linted at start-up; invalid content stops the
    server from starting (exit 1). With --watch, or on SIGHUP, it is reloaded; an invalid
    edit keeps the last good content serving. Drafts are served only to requests bearing
    the token in SPIKECONTENT_PREVIEW_TOKEN. Publish hooks are read from --on-change,
    --on-change-file and SPIKECONTENT_ON_CHANGE (URLs separated by whitespace).
    """
    try:
        import uvicorn

        from spikecontent.api.hooks import HookError, hook_urls
        from spikecontent.api.serving import (
            BOUNDED_PROTOCOL,
            KEEP_ALIVE_SECONDS,
            SETTINGS_VARIABLE,
            ServeSettings,
            build,
        )
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
    )
    try:
        # Built here even with workers: errors and warnings are reported once, before any
        # worker starts.
        server = build(settings)
    except ContentError as error:
        typer.echo(error.report(), err=True)
        typer.echo("The server did not start.", err=True)
        raise typer.Exit(1) from None
    for warning in server.live.served.public.warnings:
        typer.echo(str(warning), err=True)
    if include_drafts:
        typer.echo(
            "warning: --include-drafts serves every draft to everyone: for local use only;"
            " set SPIKECONTENT_PREVIEW_TOKEN to preview drafts safely",
            err=True,
        )
    if server.live.previewable:
        typer.echo("preview: drafts are served to requests bearing the preview token", err=True)
    _allow_many_connections()
    if workers > 1:
        server.stop.set()
        os.environ[SETTINGS_VARIABLE] = settings.to_environment()
        uvicorn.run(
            "spikecontent.api.serving:app_from_environment",
            factory=True,
            workers=workers,
            # A new worker loads, checks and renders all the content before it is ready;
            # uvicorn's default 5 s would abort a reload of a large site (or a busy host).
            timeout_worker_healthcheck=_WORKER_START_SECONDS,
            host=host,
            port=port,
            log_level="info",
            access_log=access_log,
            server_header=False,
            http=BOUNDED_PROTOCOL,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        return
    server.live.reload_on_hangup()
    uvicorn.run(
        server.app,
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        server_header=False,
        http=BOUNDED_PROTOCOL,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


def _has_credentials(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return "@" in parts.netloc or bool(parts.query)


def _allow_many_connections() -> None:
    # Each connection is a file descriptor; the usual soft limit (1,024) would make a few
    # thousand idle clients lock out everyone else long before memory or CPU run short.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
