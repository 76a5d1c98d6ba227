"""``spikecontent evidence check`` and ``spikecontent evidence accept``.

The network client (httpx) is imported inside ``check`` only: ``validate``, ``export``
and ``accept`` never load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spikecontent.cli.options import ContentDir

__all__ = ["evidence_app"]

evidence_app = typer.Typer(
    help="Check the cited studies against Crossref and PubMed.", no_args_is_help=True
)


@evidence_app.command("check")
def check_command(
    studies: Annotated[
        list[str] | None, typer.Argument(metavar="[STUDY]...", help="Only these studies.")
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Write what was fetched into the lock.")
    ] = False,
    content: ContentDir = Path("content"),
    mailto: Annotated[
        str | None,
        typer.Option(
            "--mailto", help="Contact for Crossref and NCBI (or SPIKECONTENT_CROSSREF_MAILTO)."
        ),
    ] = None,
) -> None:
    """Find each cited study's record (by DOI, else by a bibliographic search), report
    every difference and update notice as file:line:col, and propose candidate DOIs.
    With --refresh, write content/evidence.lock.yaml (review its diff).
    Exit codes: 0 nothing wrong, 1 errors (a retraction, a study not checked), 2 usage."""
    from spikecontent.diagnostics import Level

    try:
        from spikecontent.evidence.check import check
        from spikecontent.evidence.files import write_lock
        from spikecontent.evidence.registries import Registries, RegistryError, Settings
    except ImportError as error:
        typer.echo(f"check needs httpx: pip install 'spikecontent[push]' ({error})", err=True)
        raise typer.Exit(2) from None
    try:
        settings = Settings.from_environment(mailto=mailto)
    except RegistryError as error:
        typer.echo(f"evidence check: {error}", err=True)
        raise typer.Exit(2) from None
    if settings.mailto is None:
        typer.echo(
            "warning: no contact address (--mailto or SPIKECONTENT_CROSSREF_MAILTO): Crossref"
            " answers from its public pool, NCBI gets no email",
            err=True,
        )
    try:
        with Registries(settings) as registries:
            checked = check(content, registries, only=studies or ())
    except KeyError as error:
        typer.echo(f"evidence check: no study {error}", err=True)
        raise typer.Exit(2) from None
    for finding in checked.findings:
        typer.echo(str(finding), err=finding.level is Level.ERROR)
    for ident, candidates in sorted(checked.candidates.items()):
        for candidate in candidates:
            title = f"  {candidate.title}" if candidate.title else ""
            typer.echo(f"candidate {ident} {candidate.doi} score {candidate.score:.2f}{title}")
            typer.echo(f"  from {candidate.source}")
    if refresh:
        from spikecontent.loading.evidence_lock import read_lock

        previous, _ = read_lock(content)
        held = set(previous.studies) if previous else set()
        keep = checked.failed | (held - set(checked.entries) if studies else frozenset())
        path = write_lock(content, checked.entries, keep=frozenset(keep))
        typer.echo(f"wrote {path} ({len(checked.entries)} studies checked)")
    errors = sum(f.level is Level.ERROR for f in checked.findings)
    typer.echo(f"{len(checked.entries) + len(checked.failed)} studies, {errors} errors")
    if errors:
        raise typer.Exit(1)


@evidence_app.command("accept")
def accept_command(
    study: Annotated[str, typer.Argument(metavar="STUDY", help="The study's id.")],
    doi: Annotated[str, typer.Argument(metavar="DOI", help="A candidate check proposed.")],
    content: ContentDir = Path("content"),
) -> None:
    """Write doi: into the study's file (comments and formatting kept), once you have
    compared the candidate with the paper. Offline: the DOI must be a candidate the lock
    holds. Run 'evidence check --refresh STUDY' after it to lock its record."""
    from spikecontent.evidence.files import accept

    path = accept(content, study, doi)  # an AcceptError says why, exit code 1
    typer.echo(f"{path}: doi: {doi}")
    typer.echo(f"next: spikecontent evidence check --refresh {study}")
