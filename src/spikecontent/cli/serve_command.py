"""``spikecontent serve``: the read-only HTTP API, with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spikecontent.diagnostics import ContentError

__all__ = ["serve_command"]


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
        bool, typer.Option("--include-drafts", help="Serve drafts and articles in review too.")
    ] = False,
    max_age: Annotated[
        int, typer.Option("--max-age", min=0, help="Seconds in Cache-Control: public, max-age.")
    ] = 300,
) -> None:
    """Serve the content over HTTP (GET and HEAD only) until interrupted.

    The content is loaded, checked and linted once at start-up; invalid content stops the
    server from starting (exit 1).
    """
    try:
        import uvicorn

        from spikecontent.api import ApiContent, create_app
    except ImportError as error:
        typer.echo(f"the API needs its extra: pip install 'spikecontent[api]' ({error})", err=True)
        raise typer.Exit(2) from None
    try:
        loaded = ApiContent(content, exporters, include_drafts=include_drafts)
    except ContentError as error:
        typer.echo(error.report(), err=True)
        typer.echo("The server did not start.", err=True)
        raise typer.Exit(1) from None
    for warning in loaded.warnings:
        typer.echo(str(warning), err=True)
    app = create_app(loaded, max_age=max_age)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
