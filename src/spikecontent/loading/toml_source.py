"""Read a TOML file into plain Python data plus a map from field paths to positions.

:mod:`tomllib` parses; it keeps no positions, and neither tomlkit nor any other maintained
TOML library exposes line numbers, so a small line scanner recovers where each table and
key was written. It needs no grammar of its own: tomllib has already accepted the file, and
the scanner only recognises ``[table]``, ``[[array]]`` and ``key = value`` line starts.
Values inside inline or multi-line arrays are placed at their array.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from spikecontent.loading.source_map import (
    Position,
    SourceDocument,
    SourceMap,
    SourceSyntaxError,
    decode_text,
    read_bytes,
)
from spikecontent.model.fields import FieldPath

__all__ = ["parse_toml", "read_toml"]

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_TABLE = re.compile(rf"^\s*\[\s*({_DOTTED_KEY})\s*\]")
_ARRAY_TABLE = re.compile(rf"^\s*\[\[\s*({_DOTTED_KEY})\s*\]\]")
_ASSIGNMENT = re.compile(rf"^(\s*)({_DOTTED_KEY})(\s*=\s*)")
_PART = re.compile(_KEY_PART)
_ERROR_AT = re.compile(r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def read_toml(path: Path, display: str) -> SourceDocument:
    """Parse ``path`` (shown as ``display`` in messages) or raise :class:`SourceSyntaxError`."""
    return parse_toml(decode_text(read_bytes(path, display), display), display)


def _syntax_error(error: tomllib.TOMLDecodeError, display: str) -> SourceSyntaxError:
    # Python 3.11's TOMLDecodeError carries its position only in the message.
    found = _ERROR_AT.match(str(error))
    if found is None:
        return SourceSyntaxError(display, (1, 1), str(error))
    position = (int(found["line"]), int(found["col"]))
    return SourceSyntaxError(display, position, f"invalid TOML: {found['message']}")


def parse_toml(text: str, display: str) -> SourceDocument:
    """Parse ``text`` (shown as ``display`` in messages) or raise :class:`SourceSyntaxError`."""
    # A byte order mark, as some Windows editors write it: accepted, as in a YAML file.
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except (RecursionError, ValueError) as error:
        if isinstance(error, tomllib.TOMLDecodeError):
            raise _syntax_error(error, display) from None
        # tomllib recurses into nested tables and calls int() on any digit run.
        what = "nested too deeply" if isinstance(error, RecursionError) else "a number too long"
        raise SourceSyntaxError(display, (1, 1), f"invalid TOML: {what}") from None
    values, keys = _positions(text)

    source = SourceMap(
        file=display,
        values=values,
        keys=keys,
        block_scalars=frozenset(),
        lines=tuple(text.splitlines()),
    )
    return SourceDocument(data=data, source=source)


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _PART.findall(dotted))


def _positions(text: str) -> tuple[dict[FieldPath, Position], dict[FieldPath, Position]]:
    values: dict[FieldPath, Position] = {(): (1, 1)}
    keys: dict[FieldPath, Position] = {}
    table: FieldPath = ()
    array_counts: dict[FieldPath, int] = {}
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if found := _ARRAY_TABLE.match(line):
            name = _split(found[1])
            index = array_counts.get(name, 0)
            array_counts[name] = index + 1
            table = (*name, index)
            values.setdefault(name, (number, found.start(1) + 1))
            values[table] = keys[table] = (number, found.start(1) + 1)
        elif found := _TABLE.match(line):
            table = _split(found[1])
            values[table] = keys[table] = (number, found.start(1) + 1)
        elif found := _ASSIGNMENT.match(line):
            here = (*table, *_split(found[2]))
            keys[here] = (number, found.start(2) + 1)
            values[here] = (number, found.end(3) + 1)
            rest = line[found.end(3) :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
    return values, keys
