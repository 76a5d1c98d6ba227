"""Read a YAML 1.2 file into plain Python data plus a map from field paths to positions.

ruamel.yaml's round-trip loader keeps the line and column of every key and value; we copy
them out once into a :class:`SourceMap` and hand cattrs plain ``dict``/``list``/scalars, so
that the converter never sees ruamel's scalar subclasses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from spikecontent.loading.source_map import Position, SourceDocument, SourceMap, SourceSyntaxError
from spikecontent.model.fields import FieldPath

__all__ = ["read_yaml"]


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


def read_yaml(path: Path, display: str) -> SourceDocument:
    """Parse ``path`` (shown as ``display`` in messages) or raise :class:`SourceSyntaxError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SourceSyntaxError(display, (1, 1), f"not UTF-8 text ({error.reason})") from None
    try:
        root = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (error.context, error.problem) if part)
        raise SourceSyntaxError(display, position, message or "invalid YAML") from None
    except YAMLError as error:
        raise SourceSyntaxError(display, (1, 1), str(error).splitlines()[0]) from None
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
    return SourceDocument(data=data, source=source)


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
