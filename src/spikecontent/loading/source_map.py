"""Where each part of a content or configuration file was written.

Readers (YAML, TOML) fill a :class:`SourceMap`; :func:`~spikecontent.loading.findings.place`
uses it to put every problem at its ``file:line:col``.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
from collections.abc import Mapping
from typing import Any, Final

import attrs

from spikecontent.diagnostics import Diagnostic, SpikecontentError, unreadable
from spikecontent.loading.positions import Packed, Position, PositionsByField, packed
from spikecontent.model.fields import FieldPath
from spikecontent.store.memo import per_object

__all__ = [
    "Position",
    "SourceDocument",
    "SourceMap",
    "SourceSyntaxError",
    "decode_text",
    "read_bytes",
    "words_pattern",
]


@attrs.frozen(kw_only=True)
class SourceMap:
    """Where each value (and each mapping key) of one file was written."""

    file: str
    values: Mapping[FieldPath, Position]
    keys: Mapping[FieldPath, Position]
    block_scalars: frozenset[FieldPath]
    lines: tuple[str, ...]

    def value(self, path: FieldPath) -> Position:
        """Position of the value at ``path``, or of its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found:
                return found
        return (1, 1)

    def key(self, path: FieldPath) -> Position:
        """Position of the key that introduces ``path``, falling back to its value."""
        return self.keys.get(path) or self.value(path)

    def prose_line(self, path: FieldPath, offset: int) -> Position:
        """Position of line ``offset`` (0-based) of the prose written at ``path``."""
        line, col = self.value(path)
        if path in self.block_scalars:
            # A `|` or `>` block starts on the line after its indicator.
            line += 1 + offset
            text = self.lines[line - 1] if line <= len(self.lines) else ""
            return (line, len(text) - len(text.lstrip(" ")) + 1)
        return (line + offset, col)

    def find(self, path: FieldPath, words: str, nth: int = 0) -> Position:
        """Position of the ``nth`` occurrence of ``words`` written at or after the value at
        ``path`` and before the next key or value the file holds (the field's own text); the
        value's own position when they cannot be found there."""
        start = self.value(path)
        pattern = words_pattern(words)
        if pattern is None:
            return start
        tail = "\n".join(self.lines[start[0] - 1 :])
        end = _offset(tail, start, _next_position(self, start))
        found = next(itertools.islice(pattern.finditer(tail, start[1] - 1, end), nth, None), None)
        if found is None:
            return start
        before = tail[: found.start()]
        return (start[0] + before.count("\n"), found.start() - (before.rfind("\n") + 1) + 1)

    def written(self, path: FieldPath) -> str | None:
        """The value at ``path`` as the file writes it, from its first character to where
        the next key or value outside it starts: its lines joined by spaces, comments left
        out. None when the file holds no value at ``path``. The text may not read back as
        the value (a block scalar's indicator, a comment sign inside quotes): a caller that
        quotes it checks that it does."""
        start = self.values.get(path)
        if start is None:
            return None
        depth = len(path)
        later = (
            at
            for field, at in itertools.chain(self.values.items(), self.keys.items())
            if at > start and field[:depth] != path
        )
        end = min(later, default=(len(self.lines) + 1, 1))
        first, last = start[0] - 1, end[0] - 1
        if first == last:
            pieces = [self.lines[first][start[1] - 1 : end[1] - 1]]
        else:
            pieces = [self.lines[first][start[1] - 1 :], *self.lines[first + 1 : last]]
        words = (_COMMENT.sub("", piece).strip() for piece in pieces)
        return " ".join(word for word in words if word) or None

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (in the load cache) with its positions by field, each unpickled when
        # first asked for (see spikecontent.loading.positions).
        fields = (packed(self.values), packed(self.keys), self.block_scalars, self.lines)
        return (_source_map, (self.file, *fields))


def _source_map(
    file: str,
    values: Packed,
    keys: Packed,
    block_scalars: frozenset[FieldPath],
    lines: tuple[str, ...],
) -> SourceMap:
    return SourceMap(
        file=file,
        values=PositionsByField(*values),
        keys=PositionsByField(*keys),
        block_scalars=block_scalars,
        lines=lines,
    )


_COMMENT: Final = re.compile(r"(?:^|\s)#.*")
"""A comment: '#' at a line's start or after a space, to the line's end."""


@per_object
def _positions(source: SourceMap) -> tuple[Position, ...]:
    """Every key's and value's position in the file, in order."""
    return tuple(sorted({*source.keys.values(), *source.values.values()}))


def _next_position(source: SourceMap, start: Position) -> Position | None:
    """The first key or value written after ``start``: where the field at ``start`` ends
    at the latest (a finding's words looked for past it would land in another field)."""
    positions = _positions(source)
    at = bisect.bisect_right(positions, start)
    return positions[at] if at < len(positions) else None


def _offset(tail: str, start: Position, end: Position | None) -> int:
    """``end``'s offset in ``tail``, the file's text from ``start``'s line on."""
    if end is None:
        return len(tail)
    lines = tail.split("\n", end[0] - start[0])
    return sum(len(line) + 1 for line in lines[: end[0] - start[0]]) + end[1] - 1


def words_pattern(words: str) -> re.Pattern[str] | None:
    """``words`` as a pattern that finds them as written in a file: prose is read without
    its Markdown, and folded YAML joins lines, so between the words the file may hold any
    run of spaces, line breaks or emphasis marks. None for no words."""
    parts = [re.escape(word) for word in re.findall(r"\S+", words)]
    return re.compile(r"[\s*_]+".join(parts), re.IGNORECASE) if parts else None


@attrs.frozen(kw_only=True)
class SourceDocument:
    """One parsed file: plain data and where each part of it was written."""

    data: Any
    source: SourceMap


class SourceSyntaxError(SpikecontentError):
    """A file that cannot be parsed at all (bad YAML or TOML syntax, not UTF-8)."""

    def __init__(
        self, file: str, position: Position, message: str, *, fix: str | None = None
    ) -> None:
        super().__init__(f"{file}:{position[0]}:{position[1]}: {message}")
        self.file = file
        self.position = position
        self.message = message
        self.fix = fix
        """The fix for this very mistake, when the reader recognised it."""

    def diagnostic(self, fix: str, *, prefix: str = "") -> Diagnostic:
        """The error as a diagnostic at its position, with its own fix or else ``fix``."""
        return Diagnostic(
            file=self.file,
            line=self.position[0],
            col=self.position[1],
            message=f"{prefix}{self.message}",
            fix=self.fix or fix,
        )


MAX_FILE_BYTES: Final = 2 * 1024 * 1024
"""No content or profile file is this long: a larger one is refused before it is parsed."""


def decode_text(data: bytes, display: str) -> str:
    """``data`` as UTF-8 text, or :class:`SourceSyntaxError` naming the file (also for a
    file over :data:`MAX_FILE_BYTES`)."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceSyntaxError(
            display, (1, 1), f"{len(data):,} bytes, more than {MAX_FILE_BYTES:,}: split it up"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(data, display, error) from None


def _not_utf8(data: bytes, display: str, error: UnicodeDecodeError) -> SourceSyntaxError:
    """The first byte that is not UTF-8, at its line and column, said for what it is."""
    start = data.rfind(b"\n", 0, error.start) + 1
    line = data.count(b"\n", 0, error.start) + 1
    col = len(data[start : error.start].decode("utf-8", errors="replace")) + 1
    byte = data[error.start]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        what = "the file is UTF-16 text"
    elif byte >= 0xA0 or byte in _CP1252:
        what = (
            f"the byte 0x{byte:02X} ({bytes([byte]).decode('cp1252')!r} in Latin-1 or Windows-1252)"
        )
        what += " is not UTF-8"
    else:
        what = f"the byte 0x{byte:02X} is not UTF-8 ({error.reason})"
    return SourceSyntaxError(
        display,
        (line, col),
        f"not UTF-8 text: {what}",
        fix="save the file as UTF-8 (in most editors: Save with Encoding, UTF-8)",
    )


_CP1252: Final = frozenset(
    byte for byte in range(0x80, 0xA0) if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
)
"""The bytes 0x80-0x9F that are letters or marks in Windows-1252 (such as 0x92, ')."""


def read_bytes(path: str | os.PathLike[str], display: str) -> bytes:
    """The bytes of the file at ``path``, or :class:`SourceSyntaxError` at its ``1:1``
    saying why it cannot be read (a user's mistake, never a traceback)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        message, fix = unreadable(error, display)
        raise SourceSyntaxError(display, (1, 1), message, fix=fix) from None
