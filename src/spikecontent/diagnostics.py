"""Diagnostics: one problem at ``file:line:col`` with its field path and its fix.

Every content or configuration error, every lint finding and every export warning in
spikecontent is a :class:`Diagnostic`, printed one way; errors are raised all at once in a
:class:`ContentError`. Every exception spikecontent raises on purpose derives from
:class:`SpikecontentError`. Nothing here knows about YAML or cattrs; see
:mod:`spikecontent.loading.findings` for how errors are turned into diagnostics.
"""

from __future__ import annotations

import enum
import errno
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

__all__ = [
    "ContentError",
    "Diagnostic",
    "Level",
    "SpikecontentError",
    "format_path",
    "os_reason",
    "unreadable",
]


class SpikecontentError(Exception):
    """Base class of every error spikecontent raises on purpose; catch it to handle
    them all (bugs in spikecontent or in a writer are other exceptions). Its text is what
    the command line shows, and ``exit_code`` the code it exits with."""

    exit_code: int = 1
    """The command line's exit code for it: 1 for content and run errors, 2 for usage."""


class Level(enum.Enum):
    """Errors stop a run; warnings are reported (``lint --strict`` fails on them); allowed
    findings are waived by a reasoned ``lint_allow`` in the content and only reported."""

    ERROR = "error"
    WARNING = "warning"
    ALLOWED = "allowed"


def format_path(path: Iterable[str | int]) -> str:
    """``("studies", 0, "year")`` as ``studies[0].year``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One problem, where it is, and how to fix it. Lines and columns are 1-based."""

    file: str
    """The file, or for an export warning the artifact path in the output folder."""
    line: int | None = None
    col: int | None = None
    rule: str = ""
    """The lint rule that found it, e.g. ``disease-claim``; empty for other problems."""
    field: str = ""
    """Field path inside the file's entity, e.g. ``sample.n`` or ``faq.items[2].answer``."""
    message: str
    fix: str = ""
    level: Level = Level.ERROR
    link: str | None = None
    """Where the rule's reasoning is published."""
    reason: str = ""
    """For an allowed finding: why the content says the rule does not apply."""
    excerpt: str = ""
    """For a lint finding: the words it is about, as the reader sees them."""
    status: str = ""
    """For a claim finding: who says it and how firmly (``asserted``, ``hedged``,
    ``reported``), which decided its level."""
    form: str = ""
    """For a claim finding: the kind of claim (``effect``, ``safety``, ``guarantee``,
    ``evidence``, ``care``, ``wording``)."""

    def order(self) -> tuple[Any, ...]:
        """The one sort key of diagnostics (reading order: file, line, column, then rule,
        field, message and fix), as a tuple, which is compared in C. A finding without a
        line sorts before those with one."""
        line, col = self.line, self.col
        return (
            self.file,
            line is not None,
            line or 0,
            col is not None,
            col or 0,
            self.rule,
            self.field,
            self.message,
            self.fix,
        )

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        # Content errors are errors by definition; findings and warnings say what they are.
        if self.rule or self.level is not Level.ERROR:
            where += f": {' '.join(filter(None, (self.level.value, self.rule)))}"
        field = f" {self.field}:" if self.field else ""
        fix = f" (fix: {self.fix})" if self.fix and not self.reason else ""
        reason = f" (allowed: {self.reason})" if self.reason else ""
        return f"{where}:{field} {self.message}{fix}{reason}"

    def as_json(self) -> dict[str, object]:
        """The diagnostic as plain data (``--format json``)."""
        return {
            "path": self.file,
            "line": self.line,
            "col": self.col,
            "rule": self.rule,
            "level": self.level.value,
            "message": self.message,
            "suggestion": self.fix,
            "link": self.link,
            "field": self.field,
            "reason": self.reason,
            "excerpt": self.excerpt,
            "status": self.status,
            "form": self.form,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Diagnostic:
        """The diagnostic :meth:`as_json` gave ``data`` for."""
        return cls(
            file=data["path"],
            line=data["line"],
            col=data["col"],
            rule=data["rule"],
            level=Level(data["level"]),
            message=data["message"],
            fix=data["suggestion"],
            link=data["link"],
            field=data["field"],
            reason=data["reason"],
            excerpt=data["excerpt"],
            status=data.get("status", ""),
            form=data.get("form", ""),
        )


class ContentError(SpikecontentError):
    """Content or configuration that cannot be used, with every problem found."""

    def __init__(
        self, diagnostics: Iterable[Diagnostic], *, warnings: Iterable[Diagnostic] = ()
    ) -> None:
        self.diagnostics = tuple(sorted(set(diagnostics), key=Diagnostic.order))
        self.warnings = tuple(sorted(set(warnings), key=Diagnostic.order))
        """Warnings found in the same run: said with the errors, so that an editor meets
        every mistake at once, not the warnings only once the errors are mended."""
        super().__init__(self.report())

    def report(self, *, warnings: bool = True) -> str:
        """Every error (and, with ``warnings``, every warning) on its own line, in reading
        order, then a count."""
        count = len(self.diagnostics)
        files = len({d.file for d in self.diagnostics})
        summary = f"{count} error{'s' * (count != 1)} in {files} file{'s' * (files != 1)}"
        said = self.warnings if warnings else ()
        if said:
            summary += f" (and {len(said)} warning{'s' * (len(said) != 1)})"
        lines = sorted((*self.diagnostics, *said), key=Diagnostic.order)
        return "\n".join([*map(str, lines), summary])


_WHY_UNREADABLE: Final = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file (a link to nothing, or removed while being read)",
    errno.ELOOP: "a symbolic link that leads back to itself",
    errno.EISDIR: "a folder, not a file",
}


def os_reason(error: OSError) -> str:
    """Why the system refused, as a message says it: "no space left on device"."""
    return (error.strerror or str(error)).lower()


def unreadable(
    error: OSError | RuntimeError, display: str, *, folder: bool = False
) -> tuple[str, str]:
    """The message and fix for the file (or ``folder``) ``display`` that could not be read
    for ``error`` (a :class:`RuntimeError` is Python 3.11's symlink loop in ``resolve``)."""
    number = error.errno if isinstance(error, OSError) else errno.ELOOP
    why = _WHY_UNREADABLE.get(number or 0)
    if why is None:
        why = os_reason(error) if isinstance(error, OSError) else str(error)
    what = "folder" if folder else "file"
    if number in (errno.EACCES, errno.EPERM):
        mode = "u+rx" if folder else "u+r"
        fix = f"let your user read the {what} (e.g. chmod {mode} {display!r}), or move it out"
    elif number == errno.ELOOP or number == errno.ENOENT:
        fix = f"point the link at a real {what}, or replace the link with the {what} itself"
    else:
        fix = f"make the {what} readable, or move it out of the content folder"
    return f"cannot read: {why}", fix
