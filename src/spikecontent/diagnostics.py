"""Diagnostics: one problem at ``file:line:col`` with its field path and its fix.

Every content or configuration error in spikecontent is reported this way, all at once, in
a :class:`ContentError`. Nothing here knows about YAML or cattrs; see
:mod:`spikecontent.loading.findings` for how errors are turned into diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["ContentError", "Diagnostic", "format_path"]


def format_path(path: Iterable[str | int]) -> str:
    """``("studies", 0, "year")`` as ``studies[0].year``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@attrs.frozen(kw_only=True, order=True)
class Diagnostic:
    """One problem, where it is, and how to fix it. Lines and columns are 1-based."""

    file: str
    line: int | None = None
    col: int | None = None
    field: str = ""
    """Field path inside the file's entity, e.g. ``sample.n`` or ``faq.items[2].answer``."""
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        field = f" {self.field}:" if self.field else ""
        fix = f" (fix: {self.fix})" if self.fix else ""
        return f"{where}:{field} {self.message}{fix}"


class ContentError(Exception):
    """Content or configuration that cannot be used, with every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(set(diagnostics), key=_reading_order))
        super().__init__(self.report())

    def report(self) -> str:
        """Every diagnostic on its own line, then a count."""
        count = len(self.diagnostics)
        files = len({d.file for d in self.diagnostics})
        summary = f"{count} error{'s' * (count != 1)} in {files} file{'s' * (files != 1)}"
        return "\n".join([*map(str, self.diagnostics), summary])


def _reading_order(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line or 0, d.col or 0, d.field, d.message)
