"""``spikecontent lint``: the editorial integrity check, on a content folder or on stdin."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["lint_command"]

STDIN = "-"


def lint_command(
    target: Annotated[
        str,
        typer.Argument(
            help="Content folder to lint, or - to lint text from stdin as article prose.",
            show_default=True,
        ),
    ] = "content",
    content: Annotated[
        Path,
        typer.Option("--content", "-c", help="With -, the content folder whose lint/ rules apply."),
    ] = Path("content"),
    exporters: Annotated[
        Path,
        typer.Option(
            "--exporters", "-e", help="Export profiles whose added wording is linted too."
        ),
    ] = Path("exporters"),
    output_format: Annotated[
        str, typer.Option("--format", help="text (one finding per line) or json.")
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check content for disease claims, overstated evidence and missing safety text.

    Exit codes: 0 no errors, 1 errors (or warnings with --strict), 2 usage or rule-file
    errors.
    """
    from spikecontent.cli.progress import plural
    from spikecontent.lint import Level, lint_content, lint_text, project_rules
    from spikecontent.loading.loader import load_with_sources
    from spikecontent.pipeline import Registry, load_profiles, profile_wording
    from spikecontent.pipeline.profiles import folder_problem

    if output_format not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="'--format'")
    folder = content if target == STDIN else Path(target)
    rules = project_rules(folder)  # a bad rule file: RuleFileError, exit code 2
    if target == STDIN:
        findings = lint_text(sys.stdin.read(), rules)
    else:
        missing = folder_problem(exporters)
        if missing is not None:  # a mistyped path would lint without the profiles' wording
            raise typer.BadParameter(
                f"{missing.message} (fix: {missing.fix})", param_hint=str(exporters)
            )
        loaded = load_with_sources(folder)
        # Profiles that fail to load are export's to report; their wording is skipped.
        profiles, _problems = load_profiles(exporters, Registry.installed())
        wording = profile_wording(profiles, loaded.library)
        findings = lint_content(loaded, rules, wording=wording)
    if output_format == "json":
        typer.echo(json.dumps([f.as_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            typer.echo(str(finding))
    errors = sum(f.level is Level.ERROR for f in findings)
    warnings = sum(f.level is Level.WARNING for f in findings)
    allowed = len(findings) - errors - warnings
    if output_format == "text":
        said = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {allowed} allowed"
        typer.echo(said, err=True)
    if errors or (strict and warnings):
        raise typer.Exit(1)
