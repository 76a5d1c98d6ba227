"""Read a YAML 1.2 file into plain Python data plus a map from field paths to positions.

ruamel.yaml's round-trip loader keeps the line and column of every key and value; we copy
them out once into a :class:`SourceMap` and hand cattrs plain ``dict``/``list``/scalars, so
that the converter never sees ruamel's scalar subclasses.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from spikecontent.model.fields import FieldPath

__all__ = ["Position", "SourceMap", "YamlDocument", "YamlSyntaxError", "read_yaml"]

Position = tuple[int, int]
"""Line and column, both 1-based."""


class YamlSyntaxError(Exception):
    """A file that is not well-formed YAML."""

    def __init__(self, file: str, position: Position, message: str) -> None:
        super().__init__(f"{file}:{position[0]}:{position[1]}: {message}")
        self.file = file
        self.position = position
        self.message = message


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

    def find(self, path: FieldPath, needle: str) -> Position:
        """Position of ``needle`` in the file at or after the value at ``path``."""
        start_line, start_col = self.value(path)
        for number in range(start_line, len(self.lines) + 1):
            text = self.lines[number - 1]
            column = text.find(needle, start_col - 1 if number == start_line else 0)
            if column >= 0:
                return (number, column + 1)
        return (start_line, start_col)


@attrs.frozen(kw_only=True)
class YamlDocument:
    """One YAML file: plain data and where each part of it was written."""

    data: Any
    source: SourceMap


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that leaves timestamps as text.

    YAML 1.2 has no timestamp type, and ruamel's own date construction raises a bare
    ValueError (no position) for 2026-13-04; the model's date hook parses the text instead
    and reports bad dates at their line.
    """


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def read_yaml(path: Path, display: str) -> YamlDocument:
    """Parse ``path`` (shown as ``display`` in messages) or raise :class:`YamlSyntaxError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlSyntaxError(display, (1, 1), f"not UTF-8 text ({error.reason})") from None
    try:
        root = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlSyntaxError(display, position, message or "invalid YAML") from None
    except YAMLError as error:
        raise YamlSyntaxError(display, (1, 1), str(error).splitlines()[0]) from None
    values: dict[FieldPath, Position] = {(): (1, 1)}
    keys: dict[FieldPath, Position] = {}
    blocks: set[FieldPath] = set()
    data = _plain(root, (), values, keys, blocks)
    source = SourceMap(
        file=display,
        values=values,
        keys=keys,
        block_scalars=frozenset(blocks),
        lines=tuple(text.splitlines()),
    )
    return YamlDocument(data=data, source=source)


def _plain(
    node: Any,
    path: FieldPath,
    values: dict[FieldPath, Position],
    keys: dict[FieldPath, Position],
    blocks: set[FieldPath],
) -> Any:
    if isinstance(node, LiteralScalarString | FoldedScalarString):
        blocks.add(path)
    if isinstance(node, CommentedMap):
        result: dict[Any, Any] = {}
        for name, child in node.items():
            here = (*path, name)
            key_line, key_col = node.lc.key(name)
            value_line, value_col = node.lc.value(name)
            keys[here] = (key_line + 1, key_col + 1)
            values[here] = (value_line + 1, value_col + 1)
            result[name] = _plain(child, here, values, keys, blocks)
        return result
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for index, child in enumerate(node):
            line, col = node.lc.item(index)
            values[(*path, index)] = (line + 1, col + 1)
            items.append(_plain(child, (*path, index), values, keys, blocks))
        return items
    return _scalar(node)


def _scalar(node: Any) -> Any:
    # ruamel returns subclasses (ScalarFloat, ScalarBoolean, LiteralScalarString)
    # that keep formatting; the model wants the plain built-in values.
    if node is None or type(node) in (str, int, float, bool):
        return node
    if isinstance(node, ScalarBoolean):  # an anchored true/false; an int subclass in ruamel
        return bool(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node
