"""Errors caught once: every command runs inside :class:`ReportingGroup`.

A :class:`~spikecontent.diagnostics.SpikecontentError` a command lets through is shown on
stderr as what it says (a content error: every problem at its ``file:line:col``) and the
process exits with the error's own code, as Click does for its ``ClickException``. So no
command catches them one by one; a command catches only what it handles differently (the
export's watch goes on after a failed run; a push says what it wrote before the error).
"""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.core

__all__ = ["ReportingGroup"]


class ReportingGroup(typer.core.TyperGroup):
    """The command group whose every command (subgroups' too) reports
    :class:`SpikecontentError` on stderr with its exit code, and no traceback."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; show a spikecontent error as its message, exit with its code."""
        try:
            return super().invoke(ctx)
        except Exception as error:
            # Ours only if its module was imported: --help and --version (which end in an
            # exception too) import no attrs class for this.
            diagnostics = sys.modules.get("spikecontent.diagnostics")
            if diagnostics is None or not isinstance(error, diagnostics.SpikecontentError):
                raise
            typer.echo(str(error), err=True)
            raise typer.Exit(error.exit_code) from None
