"""Indentation mistakes named as such, at the line that moved.

In YAML a line's indentation says what it belongs to, so a line moved by a few spaces is
read as something else, and the plain reading of the result misleads:

- a prose line dedented out of a ``|`` block becomes a key (``unknown field 'Many people
  ...'``, whose "remove it" would delete the paragraph), or a parser error;
- a key indented into the text block above it becomes part of that text, and the key is
  then "missing" (or, when it is optional, silently gone);
- a bare parser message ("while parsing a block collection did not find expected '-'
  indicator") names no structure and no line to look at.

This module recognises these shapes from the file's lines (and, for a file that parsed,
its source map and model class) and says what happened, with a fix that mends the file.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any, Final

import attrs

from spikecontent.diagnostics import Diagnostic, format_path
from spikecontent.loading.findings import Anchor, Finding, place
from spikecontent.loading.source_map import Position, SourceMap
from spikecontent.model.fields import FieldPath

__all__ = [
    "MOVED_INTO_TEXT",
    "MOVED_OUT_OF_TEXT",
    "TextBlock",
    "explain_syntax",
    "explained",
    "is_sentence",
    "joined_items",
    "moved_out_fix",
    "swallowed_keys",
    "text_block_above",
]

MOVED_OUT_OF_TEXT: Final = "this line looks like part of the text above: indent it to match"
MOVED_INTO_TEXT: Final = "this looks like a key indented into the text above"

_BLOCK_HEADER: Final = re.compile(r"(?:^|:\s|^\s*-\s)\s*[|>][-+]?[1-9]?[-+]?\s*(?:#.*)?$")
"""A line that opens a ``|`` or ``>`` block (``key: |``, ``key: >-``, ``- |``)."""
_KEY_LINE: Final = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*):(?:\s|$)")
_FIELD_LINE: Final = re.compile(r"^(\s*)([a-z_][a-z0-9_]*):(?:\s|$)")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


@attrs.frozen(kw_only=True)
class TextBlock:
    """A ``|`` or ``>`` block: the line that opens it and where its text is."""

    header: int
    """1-based line of the ``key: |`` line."""
    first: int
    """1-based line of its first line of text."""
    last: int
    """1-based line of its last line of text."""
    indent: int
    """The spaces before its text."""


def _block_at(lines: Sequence[str], header: int) -> TextBlock | None:
    """The block whose header is line ``header`` (1-based), when it holds any text."""
    first = header + 1
    while first <= len(lines) and _blank(lines[first - 1]):
        first += 1
    if first > len(lines):
        return None
    indent = _indent(lines[first - 1])
    if indent <= _indent(lines[header - 1]):
        return None
    last = first
    for number in range(first + 1, len(lines) + 1):
        line = lines[number - 1]
        if _blank(line):
            continue
        if _indent(line) < indent:
            break
        last = number
    return TextBlock(header=header, first=first, last=last, indent=indent)


def text_block_above(lines: Sequence[str], line: int) -> TextBlock | None:
    """The text block that ends just above line ``line`` (1-based; blank lines between
    them allowed) when ``line`` is less indented than its text: the block the line was
    probably moved out of."""
    if line > len(lines):
        return None
    moved = _indent(lines[line - 1])
    above = line - 1
    # Blank lines, and other prose lines moved with this one (a paragraph), lie between.
    while above >= 1 and (
        _blank(lines[above - 1])
        or (_indent(lines[above - 1]) == moved and _prose_line(lines[above - 1]))
    ):
        above -= 1
    if above < 1:
        return None
    floor = _indent(lines[above - 1])
    # Up to the line that opens the block: less indented than every line of its text.
    for header in range(above - 1, 0, -1):
        candidate = lines[header - 1]
        if _blank(candidate) or _indent(candidate) >= floor:
            continue
        floor = _indent(candidate)
        if not _BLOCK_HEADER.search(candidate):
            continue
        block = _block_at(lines, header)
        if block is None or block.last != above or moved >= block.indent:
            return None
        return block
    return None


def _prose_line(line: str) -> bool:
    """Whether a line reads as prose: no field name before a colon, no list item."""
    stripped = line.strip()
    if stripped.startswith(("-", "#")):
        return False
    key, colon, _ = stripped.partition(":")
    return not colon or is_sentence(key)


def moved_out_fix(block: TextBlock, line: str) -> str:
    """The fix for a line moved out of ``block``."""
    spaces = block.indent - _indent(line)
    return (
        f"indent it by {spaces} more space{'s' * (spaces != 1)}, to column {block.indent + 1} "
        f"like the text it continues (line {block.last}); it is text, not a field: do not "
        "remove it"
    )


def is_sentence(key: object) -> bool:
    """Whether a mapping key reads as prose rather than a field name."""
    if not isinstance(key, str):
        return False
    words = key.split()
    return len(words) >= 3 or (len(words) >= 2 and key.rstrip()[-1:] in ".!?,;")


def explained(finding: Finding, source: SourceMap) -> Diagnostic:
    """``finding`` placed in ``source``; when it is an unknown field whose name is a
    sentence, said as what it is: a prose line dedented out of the text block above it
    (removing the "field" would delete the text), at that line, under the block's field."""
    placed = place(finding, source)
    if finding.anchor is not Anchor.KEY or not finding.path or not is_sentence(finding.path[-1]):
        return placed
    line = source.key(finding.path)[0]
    block = text_block_above(source.lines, line)
    if block is None:
        fix = "indent it like the text it belongs to; it is text, not a field: do not remove it"
        return attrs.evolve(placed, message=MOVED_OUT_OF_TEXT, fix=fix)
    field = next(
        (format_path(p) for p in source.block_scalars if source.value(p)[0] == block.header),
        placed.field,
    )
    fix = moved_out_fix(block, source.lines[line - 1])
    return attrs.evolve(placed, field=field, message=MOVED_OUT_OF_TEXT, fix=fix)


def explain_syntax(
    lines: Sequence[str],
    context: str | None,
    context_at: Position | None,
    problem: str | None,
    problem_at: Position | None,
) -> tuple[Position, str, str | None]:
    """Where a parser error is, what it means and, when known, its fix: a line moved out
    of a text block is named as such; a structure left open is named with where it
    started. Positions are 1-based."""
    bare = " ".join(part for part in (context, problem) if part) or "invalid YAML"
    at = problem_at or context_at or (1, 1)
    if context_at is not None and context == "while scanning a simple key":
        block = text_block_above(lines, context_at[0])
        if block is not None:
            return context_at, MOVED_OUT_OF_TEXT, moved_out_fix(block, lines[context_at[0] - 1])
        return (
            context_at,
            f"{bare}: this line is neither 'key: value' nor a '- ' item",
            "write it as 'key: value', or indent it under the field whose text it is",
        )
    if context_at is not None and context in _OPEN:
        what, expected = _OPEN[context]
        line, col = context_at
        owner = _owner(lines, line, col)
        under = f" (under '{owner}:')" if owner else ""
        sentence = (
            f"{bare}: the {what} that starts at line {line}, column {col}{under} was still "
            f"open here"
        )
        block = text_block_above(lines, at[0]) if at[0] <= len(lines) else None
        item = _item_above(lines, at[0])
        if item is not None and not (block and block.first <= item[0] <= block.last):
            # A '- ' line off its list's column is an item, not text the line above goes
            # on with: indenting it to that text would merge it into the item above.
            here = _indent(lines[at[0] - 1]) + 1
            if (
                here < item[1]
                and _first_of_list(lines, item[0])
                and (_next_item_at(lines, at[0], here) or _conventional(lines, item[0], here))
            ):
                # The list's first item set its column, and this line is in line with the
                # ones after it, or (with no item after it) where a list under its key is
                # written: the first is the one off (moving the rest would not end).
                first = (item[0], item[1])
                return (first, *_misaligned_item(lines[item[0] - 1], here, sentence, "below"))
            return (at, *_misaligned_item(lines[at[0] - 1], item[1], sentence))
        if block is not None:
            return at, f"{MOVED_OUT_OF_TEXT} ({sentence})", moved_out_fix(block, lines[at[0] - 1])
        fix = f"{expected.format(col=col)}, or indent it under the line it belongs to"
        sibling = _key_above(lines, at[0])
        if sibling is not None and _KEY_LINE.match(lines[at[0] - 1]):
            name, key_col = sibling
            fix = (
                f"indent it to column {key_col}, in line with '{name}:' above, if it belongs "
                f"to the same entry; else {expected.format(col=col)}"
            )
        return at, sentence, fix
    return at, bare, None


def _is_item(line: str) -> bool:
    stripped = line.lstrip(" ")
    return stripped == "-" or stripped.startswith("- ")


def _item_above(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    """When line ``line`` (1-based) is a list item ('- ') whose '-' is not in line with
    the previous item of the list above it, that item's line and the column (1-based) of
    its '-'. The previous item is the nearest '- ' line above that every line between
    them is indented deeper than (they are its own text or fields)."""
    if line > len(lines) or not _is_item(lines[line - 1]):
        return None
    indent = _indent(lines[line - 1])
    deepest = len(lines[line - 1])  # the least indentation of the lines between, so far
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if _blank(text) or text.lstrip().startswith("#"):
            continue
        here = _indent(text)
        if here < deepest and _is_item(text):
            return None if here == indent else (number, here + 1)
        if here < deepest and here <= indent:
            return None  # a field or a line of its own: no list this line is off from
        deepest = min(deepest, here)
    return None


def _first_of_list(lines: Sequence[str], line: int) -> bool:
    """Whether the list item on line ``line`` (1-based) is its list's first: between it
    and the line above that is indented less, only blank lines and comments."""
    indent = _indent(lines[line - 1])
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if _blank(text) or text.lstrip().startswith("#"):
            continue
        return _indent(text) < indent and not _is_item(text)
    return True


def _next_item_at(lines: Sequence[str], line: int, column: int) -> bool:
    """Whether the next list item below line ``line`` (1-based) has its '-' at ``column``
    too: the items after the first agree with each other, so the first is the odd one."""
    indent = _indent(lines[line - 1])
    for text in lines[line:]:
        if _blank(text) or text.lstrip().startswith("#"):
            continue
        here = _indent(text)
        if here > indent and not _is_item(text):
            continue  # the item's own text
        return _is_item(text) and here + 1 == column
    return False


def _conventional(lines: Sequence[str], first: int, column: int) -> bool:
    """Whether a list item's '-' at ``column`` is where a list under the key above the
    list's first item (line ``first``) is written: in line with the key, or two spaces
    in."""
    indent = _indent(lines[first - 1])
    for number in range(first - 1, 0, -1):
        text = lines[number - 1]
        if _blank(text) or text.lstrip().startswith("#"):
            continue
        key = _indent(text)
        return key < indent and column - 1 in (key, key + 2)
    return False


def _misaligned_item(
    line: str, column: int, sentence: str, others: str = "above"
) -> tuple[str, str]:
    """The message and fix for the list item ``line`` whose '-' should be at ``column``,
    where the items ``others`` it are."""
    off = _indent(line) - (column - 1)
    spaces = "one space" if abs(off) == 1 else f"{abs(off)} spaces"
    more = "more" if off > 0 else "less"
    message = (
        f"this list item is indented by {spaces} {more} than the items {others} it ({sentence})"
    )
    fix = f"align its '-' with theirs at column {column}"
    if off > 0:
        fix += "; it is an item of its own, not text: do not indent it further"
    return message, fix


_OPEN: Final = {
    "while parsing a block collection": ("list", "start the line with '- ' at column {col}"),
    "while parsing a block mapping": ("mapping of fields", "start the field at column {col}"),
}
"""What a parser's context names, and what a line inside it must look like."""


def _key_above(lines: Sequence[str], line: int) -> tuple[str, int] | None:
    """The key on the nearest written line above ``line``, and its column."""
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if _blank(text) or text.lstrip().startswith("#"):
            continue
        found = _KEY_LINE.match(text)
        return (found.group(2), found.start(2) + 1) if found else None
    return None


def _owner(lines: Sequence[str], line: int, col: int) -> str | None:
    """The key a structure starting at ``line``, ``col`` belongs to."""
    if line > len(lines):
        return None
    here = _KEY_LINE.match(lines[line - 1])
    if here and line == 1 and col == 1:
        return None  # the file's own fields
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if _blank(text) or text.lstrip().startswith("#"):
            continue
        if _indent(text) <= col - 1:
            found = _KEY_LINE.match(text)
            return found.group(2) if found and text.rstrip().endswith(":") else None
    return None


def swallowed_keys(data: Any, source: SourceMap, cls: type) -> Iterator[Diagnostic]:
    """A line inside a text block that is shaped like a field of the mapping holding the
    block (``key_finding: >-`` indented into the ``summary`` above it), when that mapping
    lacks the field: it was meant to be the field, and was read as text."""
    lines = source.lines
    for path in sorted(source.block_scalars, key=source.value):
        if not path or not isinstance(path[-1], str):
            continue
        block = _block_at(lines, source.value(path)[0])
        if block is None:
            continue
        keyed = [
            (number, found)
            for number in range(block.first, block.last + 1)
            if (found := _FIELD_LINE.match(lines[number - 1])) is not None
        ]
        if not keyed:  # most text has no line shaped like a key: nothing to look up
            continue
        holder = _value_at(data, path[:-1])
        names = _field_names(cls, path[:-1])
        if not isinstance(holder, dict) or not names:
            continue
        key_col = source.key(path)[1]
        for number, found in keyed:
            if found.group(2) not in names or found.group(2) in holder:
                continue
            name = found.group(2)
            yield Diagnostic(
                file=source.file,
                line=number,
                col=len(found.group(1)) + 1,
                field=format_path((*path[:-1], name)),
                message=f"{MOVED_INTO_TEXT} ({path[-1]!r}, line {block.header})",
                fix=(
                    f"move '{name}:' and its text back to column {key_col}, in line with "
                    f"'{path[-1]}:'; it is a field of its own"
                ),
            )
            break


def joined_items(data: Any, source: SourceMap) -> Iterator[Diagnostic]:
    """A '- ' line indented further than the list item above it, which YAML reads as
    more words of that item's text (``- one`` then `` - two`` is the one item
    ``'one - two'``): it parses, so nothing else would say it."""
    lines = source.lines
    for path, text in _listed_texts(data, ()):
        if " -" not in text and "\n-" not in text:  # a joined item reads '... - ...'
            continue
        line, col = source.value(path)
        written = lines[line - 1] if line <= len(lines) else ""
        if written[col - 1 : col] in ("|", ">", '"', "'") or not _is_item(written):
            # A text block's lines are kept apart (Markdown lists are its own); a quoted
            # text says where it ends, so a dash inside it is meant.
            continue
        indent = _indent(written)
        for number in range(line + 1, len(lines) + 1):
            below = lines[number - 1]
            if _blank(below):
                continue
            if _indent(below) <= indent or below.lstrip().startswith("#"):
                break
            if _is_item(below):
                sentence = f"YAML reads it as more words of the item on line {line}"
                message, fix = _misaligned_item(below, indent + 1, sentence)
                yield Diagnostic(
                    file=source.file,
                    line=number,
                    col=_indent(below) + 1,
                    field=format_path(path),
                    message=message,
                    fix=fix,
                )


def _listed_texts(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    """Each text that is an item of a list, with its path, anywhere in ``data``."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _listed_texts(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, str):
                yield (*path, index), item
            else:
                yield from _listed_texts(item, (*path, index))


def _value_at(data: Any, path: FieldPath) -> Any:
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _field_names(cls: type, path: FieldPath) -> frozenset[str]:
    """The field names of the model class at ``path`` inside ``cls`` (none when the
    path leads elsewhere than to an attrs class)."""
    current: Any = cls
    for part in path:
        current = _unwrapped(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            if typing.get_origin(current) is not tuple or not args:
                return frozenset()
            current = args[0]
        else:
            if not attrs.has(current):
                return frozenset()
            current = _hints(current).get(part)
            if current is None:
                return frozenset()
    current = _unwrapped(current)
    if not attrs.has(current):
        return frozenset()
    return frozenset(field.name for field in attrs.fields(current) if field.init)


def _unwrapped(kind: Any) -> Any:
    """``X`` for ``X | None``."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        members = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return kind


@functools.cache  # per class: resolving a class's hints took 1.4 ms, 31,000 times per 1,000 files
def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):  # pragma: no cover - the model's hints all resolve
        return {}
