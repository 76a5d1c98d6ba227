"""The options every command that reads a project shares, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "ContentDir",
    "ExecutorUrl",
    "ExportersDir",
    "Force",
    "IncludeDrafts",
    "Jobs",
    "Only",
    "OutDir",
    "TlsCaFile",
    "TlsCert",
    "TlsKey",
    "Verbose",
    "Wait",
    "Watch",
]

ContentDir = Annotated[
    Path,
    typer.Option("--content", "-c", help="Content folder (holds site.yaml).", show_default=True),
]
"""``--content``/``-c``: the content folder."""

ExportersDir = Annotated[
    Path,
    typer.Option("--exporters", "-e", help="Export profiles (TOML), checked with the content."),
]
"""``--exporters``/``-e``: the export profiles' folder."""

# The export command's own options (cli/export_command.py).
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
Only = Annotated[
    list[str] | None,
    typer.Option("--only", help="Export only this profile (repeat for more).", metavar="NAME"),
]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Render in N processes [default: CPU count]."),
]
Force = Annotated[bool, typer.Option("--force", help="Rebuild every artifact, changed or not.")]
IncludeDrafts = Annotated[
    bool, typer.Option("--include-drafts", help="Export drafts and articles in review too.")
]
Wait = Annotated[
    bool, typer.Option("--wait", help="If another export is writing into --out, wait for it.")
]
Watch = Annotated[bool, typer.Option("--watch", help="Export again on every save, until Ctrl-C.")]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="List every warning, also those said before.")
]
ExecutorUrl = Annotated[
    str | None,
    typer.Option(
        "--executor",
        help="Render on a Dask cluster: dask://HOST:PORT (plain TCP) or tls://HOST:PORT"
        " (needs spikecontent[dask]).",
        metavar="URL",
    ),
]
TlsCaFile = Annotated[
    Path | None,
    typer.Option(
        "--tls-ca-file",
        help="For tls://: the certificate authority's certificate (PEM)"
        " [default: Dask's distributed.comm.tls.ca-file].",
        exists=True,
        dir_okay=False,
    ),
]
TlsCert = Annotated[
    Path | None,
    typer.Option(
        "--tls-cert",
        help="For tls://: this client's certificate (PEM, its key may follow)"
        " [default: Dask's distributed.comm.tls.client.cert].",
        exists=True,
        dir_okay=False,
    ),
]
TlsKey = Annotated[
    Path | None,
    typer.Option(
        "--tls-key",
        help="For tls://: this client's private key (PEM)"
        " [default: Dask's distributed.comm.tls.client.key].",
        exists=True,
        dir_okay=False,
    ),
]
