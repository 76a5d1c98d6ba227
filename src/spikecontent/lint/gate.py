"""The lint gate of ``spikecontent export``: errors stop it, warnings are reported."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spikecontent.diagnostics import ContentError, Diagnostic, Level
from spikecontent.lint import lint_content, project_rules
from spikecontent.lint.findings_cache import FindingsCache, rules_digest
from spikecontent.lint.texts import Text
from spikecontent.loading.loader import LINT_FOLDER, LoadedContent
from spikecontent.loading.source_map import SourceMap

__all__ = ["lint_gate"]


def lint_gate(
    content: Path,
    loaded: LoadedContent,
    wording: Iterable[tuple[Text, SourceMap]] = (),
    *,
    cache: Path | None = None,
) -> tuple[Diagnostic, ...]:
    """The lint warnings and allowed findings on the content and on ``wording`` (see
    :func:`~spikecontent.lint.lint_content`); :class:`ContentError` listing every error
    when there are any. With ``cache`` (a folder), unchanged articles keep the findings
    stored there (:mod:`~spikecontent.lint.findings_cache`).

    Rule-file errors raise :class:`~spikecontent.lint.RuleFileError` (a ContentError).
    """
    store = None
    if cache is not None:
        store = FindingsCache(cache, rules_digest(content / LINT_FOLDER))
    findings = lint_content(loaded, project_rules(content), wording=wording, cache=store)
    errors = [f for f in findings if f.level is Level.ERROR]
    # Allowed findings travel with the warnings: a reviewer sees what was waived, and why.
    others = tuple(f for f in findings if f.level is not Level.ERROR)
    if errors:
        raise ContentError(errors, warnings=others)
    return others
