"""Turn structuring errors into diagnostics placed at the right line of the right file.

cattrs reports problems as exception groups whose notes carry the attribute name or list
index (``group_exceptions()``); following them gives the field path without parsing any
message text. The path is then looked up in the file's :class:`SourceMap`.
"""

from __future__ import annotations

import difflib
import enum
import tomllib
from collections.abc import Iterator
from typing import Final

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from spikecontent.diagnostics import Diagnostic, Level, SpikecontentError, format_path
from spikecontent.loading.converter import StrictTypeError
from spikecontent.loading.source_map import Position, SourceMap
from spikecontent.model import EntryKey
from spikecontent.model.fields import FieldError, FieldPath
from spikecontent.richtext import ProseError

__all__ = ["Anchor", "Finding", "findings_from", "place", "quote_as_written"]


class Anchor(enum.Enum):
    """Which part of the file a finding points at."""

    VALUE = "value"
    KEY = "key"
    """The key itself, for unknown keys."""
    PARENT = "parent"
    """The enclosing mapping, for missing keys."""


@attrs.frozen(kw_only=True)
class Finding:
    """A problem at a field path, not yet placed in a file: the one record every check
    makes (the loader's structuring, the linter's structural checks, profile checks),
    turned into a :class:`~spikecontent.diagnostics.Diagnostic` by :func:`place`.

    Kept apart from the diagnostic because it is made before any line is known: while
    one document is being structured, or by a check that sees only the model.
    """

    path: FieldPath
    message: str
    fix: str
    entry: EntryKey | None = None
    """The entry whose file holds it; None while that file is the one being read."""
    rule: str = ""
    """The lint rule that found it; empty for content errors."""
    level: Level = Level.ERROR
    anchor: Anchor = Anchor.VALUE
    prose_line: int | None = None
    """For prose: the 0-based line inside the Markdown."""
    needle: str | None = None
    """Words to point at, at or after the value, for a precise column (e.g. ``page:foo``,
    or the sentence a finding is about); also the diagnostic's excerpt."""
    first_at: FieldPath | None = None
    """For a duplicate: where its first copy is, named in the message by its line."""
    related: tuple[EntryKey, FieldPath] | None = None
    """Another entry's field the finding is about (the caution a safety claim
    contradicts), named in the message at its ``file:line:col``."""
    unquoted: object = None
    """For text the file's syntax read as another value (``- Note: more trials are
    needed`` is a mapping): that value. :func:`place` makes the fix quote the text as the
    file writes it, when it reads back as this value."""


def findings_from(error: BaseException, path: FieldPath = ()) -> Iterator[Finding]:
    """Every problem inside a cattrs/attrs structuring error, with its field path."""
    if isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without_notes = error.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, IterableValidationNote):
                yield from findings_from(inner, (*path, note.index))
            elif isinstance(note, AttributeValidationNote):
                yield from findings_from(inner, (*path, note.name))
            else:  # pragma: no cover - cattrs only attaches the two note types above
                yield from findings_from(inner, path)
        for inner in without_notes:
            yield from findings_from(inner, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        allowed = [f.name for f in attrs.fields(error.cl) if f.init] if attrs.has(error.cl) else []
        for key in sorted(error.extra_fields, key=str):
            close = difflib.get_close_matches(str(key), allowed, n=1)
            fix = (
                f"did you mean '{close[0]}'?"
                if close
                else f"remove it; allowed: {', '.join(allowed)}"
            )
            yield Finding(
                path=(*path, key), message=f"unknown field '{key}'", fix=fix, anchor=Anchor.KEY
            )
    elif isinstance(error, KeyError) and path:
        yield Finding(
            path=path,
            message="required field is missing",
            fix=f"add the field '{path[-1]}' with a value",
            anchor=Anchor.PARENT,
        )
    elif isinstance(error, FieldError):
        first_at = None if error.first_at is None else (*path, *error.first_at)
        yield Finding(
            path=(*path, *error.path), message=error.message, fix=error.fix, first_at=first_at
        )
    elif isinstance(error, ProseError):
        yield Finding(path=path, message=error.message, fix=error.fix, prose_line=error.line)
    elif isinstance(error, StrictTypeError):
        yield Finding(path=path, message=error.message, fix=error.fix, unquoted=error.unquoted)
    else:
        yield Finding(
            path=path,
            message=str(error) or type(error).__name__,
            fix="check this value against docs/content-model.md",
        )


def place(finding: Finding, source: SourceMap, *, related: SourceMap | None = None) -> Diagnostic:
    """The finding as a diagnostic at its position in ``source`` (the file of its entry);
    ``related`` is the file of :attr:`Finding.related`'s entry, when it has one."""
    position: Position
    if finding.needle is not None:
        position = source.find(finding.path, finding.needle)
    elif finding.prose_line is not None:
        position = source.prose_line(finding.path, finding.prose_line)
    elif finding.anchor is Anchor.KEY:
        position = source.key(finding.path)
    elif finding.anchor is Anchor.PARENT:
        position = source.value(finding.path[:-1])
    else:
        position = source.value(finding.path)
    message = finding.message
    if finding.first_at is not None:
        message += f" (first at line {source.value(finding.first_at)[0]})"
    if finding.related is not None and related is not None:
        line, col = related.value(finding.related[1])
        message += f"; see {related.file}:{line}:{col}"
    fix = finding.fix
    if finding.unquoted is not None:
        fix = quote_as_written(source, finding.path, finding.unquoted) or fix
    return Diagnostic(
        file=source.file,
        line=position[0],
        col=position[1],
        rule=finding.rule,
        level=finding.level,
        field=format_path(finding.path),
        message=message,
        fix=fix,
        excerpt=finding.needle or "",
    )


_EXCERPT: Final = 60
"""The most characters of the file's text a fix quotes (as a message quotes a value)."""


def quote_as_written(source: SourceMap, path: FieldPath, value: object) -> str | None:
    """The fix for text the file's syntax read as ``value`` (``- Note: more trials are
    needed`` as a mapping): the text at ``path`` as the file writes it, in quotes, e.g.
    ``put the whole text in quotes: "Note: more trials are needed"``. None when that text
    does not read back as ``value`` (then the fix can only say to quote the whole value):
    quoted, it is exactly what the editor wrote."""
    text = source.written(path)
    if text is None or _read(f"{text}\n", source.file) != (True, value):
        return None
    quoted = _quoted(text)
    if _read(f"{quoted}\n", source.file) != (True, text):
        return None  # a safeguard: the quotes chosen read back as the text
    if len(quoted) <= _EXCERPT:
        return f"put the whole text in quotes: {quoted}"
    return f"put the whole text in quotes, all of it: {quoted[: _EXCERPT - 2]}…{quoted[0]}"


def _quoted(text: str) -> str:
    """``text`` quoted for YAML and TOML alike, as plainly as it can be."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"  # no escapes inside single quotes, in YAML as in TOML
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _read(text: str, file: str) -> tuple[bool, object]:
    """What ``text`` reads as, as a value in a file named ``file`` (TOML or YAML), as
    ``(True, value)``; ``(False, None)`` when it does not read."""
    # Imported here: the YAML reader places its own findings with this module.
    from spikecontent.loading.yaml_source import parse_yaml

    try:
        if file.endswith(".toml"):
            return True, tomllib.loads(f"value = {text}")["value"]
        return True, parse_yaml(text, file).data
    except (SpikecontentError, tomllib.TOMLDecodeError):
        return False, None
