"""The lint gate of ``spikecontent export``: errors stop it, warnings are reported."""

from __future__ import annotations

from pathlib import Path

from spikecontent.diagnostics import ContentError, Diagnostic
from spikecontent.lint import Level, LintFinding, lint_content, project_rules
from spikecontent.loading.loader import LoadedContent

__all__ = ["lint_gate"]


def lint_gate(content: Path, loaded: LoadedContent, exporters: Path) -> tuple[str, ...]:
    """The lint warnings; :class:`ContentError` listing every error when there are any.

    Rule-file errors raise :class:`~spikecontent.lint.RuleFileError` (a ContentError).
    """
    findings = lint_content(loaded, project_rules(content), exporters=exporters)
    errors = [_diagnostic(f) for f in findings if f.level is Level.ERROR]
    if errors:
        raise ContentError(errors)
    return tuple(
        f"{f.path}:{f.line}:{f.col}: {f.rule}: {f.message} ({f.suggestion})"
        for f in findings
        if f.level is Level.WARNING
    )


def _diagnostic(finding: LintFinding) -> Diagnostic:
    return Diagnostic(
        file=finding.path,
        line=finding.line,
        col=finding.col,
        field=finding.field,
        message=f"lint {finding.rule}: {finding.message}",
        fix=finding.suggestion,
    )
