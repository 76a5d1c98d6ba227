"""``spikecontent macros push``: the exported macros into a helpdesk, through its API."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from spikecontent.push import PushError, PushReport

__all__ = ["macros_app"]

macros_app = typer.Typer(help="Support macros in the helpdesks.", no_args_is_help=True)


@macros_app.command("push")
def push_command(
    target: Annotated[str, typer.Argument(help="zendesk, gorgias, helpscout or freshdesk.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The output folder export wrote.")
    ] = Path("dist"),
    profile_output: Annotated[
        str, typer.Option("--folder", help="The macros profile's output folder in it.")
    ] = "macros",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; write nothing.")
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Retire macros this tool made that are gone.")
    ] = False,
    max_wait: Annotated[
        float,
        typer.Option(
            "--max-wait",
            min=0,
            help="Seconds the push may wait, in all, for a helpdesk that asks it to (429, 5xx).",
        ),
    ] = 300.0,
    custom_host: Annotated[
        str | None,
        typer.Option(
            "--custom-host",
            help="The helpdesk's API is at this host, not the vendor's documented one.",
        ),
    ] = None,
    allow_insecure_loopback: Annotated[
        bool,
        typer.Option(
            "--allow-insecure-loopback",
            help="For tests: allow a loopback address, over plain http too.",
        ),
    ] = False,
) -> None:
    """Create, update (and with --prune retire) the helpdesk's macros to match the export.

    The base URL and credentials come from the environment (SPIKECONTENT_<TARGET>_URL and
    the target's own variables, see docs/support-macros.md); they are never printed. The
    URL must be https:// on the vendor's documented host (or --custom-host). The files
    must be as the export wrote them.
    Exit codes: 0 done, 1 a refused request, setting, file or answer, 2 usage.
    """
    try:
        from spikecontent.push import VENDORS, PushError, push
    except ImportError as error:
        typer.echo(f"push needs its extra: pip install 'spikecontent[push]' ({error})", err=True)
        raise typer.Exit(2) from None
    if target not in VENDORS:
        raise typer.BadParameter(f"use one of {', '.join(VENDORS)}", param_hint="'TARGET'")
    try:
        report = push(
            target,
            out / profile_output,
            out=out,
            dry_run=dry_run,
            prune=prune,
            max_wait=max_wait,
            custom_host=custom_host,
            insecure_loopback=allow_insecure_loopback,
        )
    except PushError as error:
        _show_failure(target, error)
        raise typer.Exit(1) from None
    _show_report(report)


def _show_failure(target: str, error: PushError) -> None:
    """What stopped the push, what it had written by then, and what to do."""
    typer.echo(f"{target}: {error}", err=True)
    for line in error.written:
        typer.echo(f"written before the error: {line}", err=True)
    if error.written:
        typer.echo("Run the push again to finish.", err=True)
    else:
        typer.echo("Nothing was written.", err=True)


def _show_report(report: PushReport) -> None:
    """Each write (made, or with --dry-run planned), each one not made and why, the counts."""
    from spikecontent.push import Action

    verb = "would " if report.dry_run else ""
    for step in report.steps:
        if step.action is not Action.UNCHANGED:
            typer.echo(f"{verb}{step.action.value} {step.macro}  {step.title}")
    for step, why in report.kept:
        typer.echo(f"not {_DONE[step.action.value]}: {step.macro} ({why})", err=True)
    counts = ", ".join(f"{report.count(a)} {a.value}" for a in Action)
    writes = "no writes (dry run)" if report.dry_run else f"{len(report.written)} writes"
    typer.echo(f"{report.target}: {counts}; {writes}")


_DONE = {"update": "updated", "retire": "retired"}
"""How a write the push did not make is named (see ``PushReport.kept``)."""
