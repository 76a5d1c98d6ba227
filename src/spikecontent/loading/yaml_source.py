"""Read a YAML 1.2 file into plain Python data plus a map from field paths to positions.

ruamel.yaml composes the file into a node tree in which every node keeps its line and
column; with ruamel.yaml.clib installed this runs in C, about ten times faster than the
round-trip loader (see docs/performance.md). We walk that tree once: positions go into a
:class:`SourceMap`, scalars are built by ruamel's own safe constructor, and cattrs gets
plain ``dict``/``list``/scalars. Timestamps stay text: YAML 1.2 has no timestamp type, and
the model's date hook reports a bad date such as 2026-13-04 at its line.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from pathlib import Path
from typing import Any, Final, NoReturn

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from spikecontent.loading.indentation import explain_syntax
from spikecontent.loading.source_map import (
    Position,
    SourceDocument,
    SourceMap,
    SourceSyntaxError,
    decode_text,
    read_bytes,
)
from spikecontent.model.fields import FieldPath

__all__ = ["parse_yaml", "read_yaml"]

_CORE: Final = "tag:yaml.org,2002:"
_SCALAR_TAGS: Final = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP: Final = _CORE + "timestamp"
_STR: Final = _CORE + "str"
_MERGE: Final = _CORE + "merge"
_BLOCK_STYLES: Final = frozenset("|>")
MAX_DEPTH: Final = 32
"""Mappings and lists nested deeper than this are refused (content needs about six)."""
MAX_SCALAR: Final = 100_000
"""Characters in one value; a longer one is refused (the whole seed article is 20,000)."""


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 rules for every file. The versioned resolver otherwise looks up the
    document's ``%YAML`` directive for every scalar, a fifth of all parsing time; and its
    ``resolve`` gathers the rules and makes a new tag for every node it is asked about,
    the most of what is left. Content uses no path resolvers, the only other thing it does.
    """

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            starting, anywhere = _plain_rules()
            for tag, regexp in starting.get(value[:1], anywhere):
                if regexp.match(value):
                    return tag
        return _DEFAULT_TAGS[kind]


_DEFAULT_TAGS: Final[dict[type[Node], Tag]] = {
    ScalarNode: VersionedResolver.DEFAULT_SCALAR_TAG,
    SequenceNode: VersionedResolver.DEFAULT_SEQUENCE_TAG,
    MappingNode: VersionedResolver.DEFAULT_MAPPING_TAG,
}
_Rules = list[tuple[Tag, "re.Pattern[str]"]]


@cache
def _plain_rules() -> tuple[dict[str, _Rules], _Rules]:
    """ruamel's YAML 1.2 rules for plain scalars by first character, and those for any
    other character (gathered once: ruamel makes a resolver for every file)."""
    by_first = VersionedResolver(version=(1, 2)).versioned_resolver
    anywhere = [(Tag(suffix=tag), regexp) for tag, regexp in by_first.get(None, [])]
    starting = {
        first: [(Tag(suffix=tag), regexp) for tag, regexp in rules] + anywhere
        for first, rules in by_first.items()
        if first is not None
    }
    return starting, anywhere


def _compose(text: str) -> Node | None:
    """The node tree of ``text``'s one document, by the C parser when it is installed.

    ``YAML.compose`` defines a loader class and records the document's details in a list
    that only grows, for every file: a long-running watch or API process kept each one.
    """
    node: Node | None
    if _CParser is None:  # pragma: no cover - ruamel.yaml.clib is installed on CPython
        node = _yaml().compose(text)
        return node
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        return node
    finally:
        loader.dispose()
        # It refers to itself: left so, each file would leave garbage for the collector.
        loader.__dict__.clear()


try:
    from ruamel.yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - without ruamel.yaml.clib
    _CParser = None
else:

    class _CLoader(_CParser, _Yaml12Resolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            # The C parser calls back into the resolver, which looks for these two.
            self._parser = self._composer = self
            _Yaml12Resolver.__init__(self, version=(1, 2), loadumper=self)


@cache
def _yaml() -> YAML:
    # pure=False picks the C parser when ruamel.yaml.clib is installed.
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _Yaml12Resolver
    return yaml


def read_yaml(path: Path, display: str) -> SourceDocument:
    """Parse ``path`` (shown as ``display`` in messages) or raise :class:`SourceSyntaxError`."""
    return parse_yaml(decode_text(read_bytes(path, display), display), display)


def parse_yaml(text: str, display: str) -> SourceDocument:
    """Parse ``text`` (shown as ``display`` in messages) or raise :class:`SourceSyntaxError`."""
    # YAML also breaks lines at U+0085, U+2028 and U+2029, which an editor shows inside
    # its line: positions are told in the editor's lines (only such a file pays for it).
    lines = _Lines(text) if _UNUSUAL_BREAK.search(text) else None
    try:
        root = _compose(text)
    except RecursionError:
        raise SourceSyntaxError(display, (1, 1), "invalid YAML: nested too deeply") from None
    except MarkedYAMLError as error:
        raise _syntax_error(text, lines, display, error) from None
    except ReaderError as error:
        raise _reader_error(text, lines, display, error) from None
    except YAMLError as error:
        raise SourceSyntaxError(display, (1, 1), str(error).splitlines()[0]) from None
    builder = _Builder(display)
    try:
        data = builder.build(root, ()) if root is not None else None
    except SourceSyntaxError as error:
        if lines is None:
            raise
        at = lines.editor(error.position)
        raise SourceSyntaxError(display, at, error.message, fix=error.fix) from None
    values, keys = builder.values, builder.keys
    if lines is not None:
        values = {path: lines.editor(at) for path, at in values.items()}
        keys = {path: lines.editor(at) for path, at in keys.items()}
    source = SourceMap(
        file=display,
        values=values,
        keys=keys,
        block_scalars=frozenset(builder.blocks),
        lines=tuple(text.splitlines()) if lines is None else lines.shown,
    )
    return SourceDocument(data=data, source=source)


_UNUSUAL_BREAK: Final = re.compile("[\x85\u2028\u2029]")
_PARSER_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EDITOR_BREAK: Final = re.compile("\r\n|[\r\n]")
_BREAK_NAMES: Final = {
    "\x85": "a next-line character",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}


class _Lines:
    """A text's lines as the YAML parser counts them and as an editor shows them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.parsed = [0, *(found.end() for found in _PARSER_BREAK.finditer(text))]
        self.starts = [0, *(found.end() for found in _EDITOR_BREAK.finditer(text))]
        self.shown = tuple(_EDITOR_BREAK.split(text.removesuffix("\n").removesuffix("\r")))

    def offset(self, at: Position) -> int:
        line = min(at[0], len(self.parsed))
        return min(self.parsed[line - 1] + at[1] - 1, len(self.text))

    def editor(self, at: Position) -> Position:
        """``at``, a position in the parser's lines, in the editor's."""
        offset = self.offset(at)
        line = bisect.bisect_right(self.starts, offset)
        return (line, offset - self.starts[line - 1] + 1)

    def unusual_break(self, at: Position) -> tuple[Position, str] | None:
        """The first unusual line break on the editor's line of ``at`` (editor's)."""
        start = self.starts[at[0] - 1]
        end = self.starts[at[0]] if at[0] < len(self.starts) else len(self.text)
        found = _UNUSUAL_BREAK.search(self.text, start, end)
        if found is None:
            return None
        return (at[0], found.start() - start + 1), found.group()


def _syntax_error(
    text: str, lines: _Lines | None, display: str, error: MarkedYAMLError
) -> SourceSyntaxError:
    shown = text.splitlines() if lines is None else list(lines.shown)
    context_at, problem_at = _mark(error.context_mark), _mark(error.problem_mark)
    if lines is not None:
        context_at = lines.editor(context_at) if context_at else None
        problem_at = lines.editor(problem_at) if problem_at else None
    if problem_at is not None and _past_end(shown, problem_at):
        # The parser met the file's end: what is wrong is what was left open (a quote, a
        # bracket), where it was opened; else the end of the last line.
        problem_at = context_at or _last(shown)
    if context_at is not None and error.context == "while scanning a quoted scalar":
        line, col = context_at
        quote = shown[line - 1][col - 1 : col] if line <= len(shown) else '"'
        return SourceSyntaxError(
            display,
            context_at,
            f"the quoted value that starts here with {quote} is never closed",
            fix=f"end the value with {quote}, or remove the {quote} at its start",
        )
    # A bare parser message names no structure: say which one was open, and name a line
    # moved out of a text block as such (spikecontent.loading.indentation).
    position, message, fix = explain_syntax(
        shown, error.context, context_at, error.problem, problem_at
    )
    odd = lines.unusual_break(position) if lines is not None else None
    if odd is not None and odd[0][1] < position[1] and not _past_end(shown, position):
        # What the parser makes of the line after it (text moved out of a block, a key
        # without a colon) is not what the editor shows: the character is the mistake.
        (line, col), character = odd
        code = f"U+{ord(character):04X}"
        position = (line, col)
        message = (
            f"{_BREAK_NAMES[character]} ({code}): a line break to YAML, which an editor "
            f"does not show ({' '.join(part for part in (error.context, error.problem) if part)})"
        )
        fix = (
            f"remove the {code} at line {line}, column {col}: YAML reads a line break there "
            f'that an editor does not show (to keep the character, write "\\u{code[2:]}" '
            "inside double quotes)"
        )
    return SourceSyntaxError(display, position, message, fix=fix)


def _reader_error(
    text: str, lines: _Lines | None, display: str, error: ReaderError
) -> SourceSyntaxError:
    """A character YAML does not allow, at its place (the C reader counts in bytes)."""
    character = error.character
    found = text.find(character) if isinstance(character, str) else text.find(chr(character))
    code = ord(character) if isinstance(character, str) else int(character)
    if found < 0:
        return SourceSyntaxError(display, (1, 1), f"the character U+{code:04X} is not allowed")
    starts = [0, *(m.end() for m in _EDITOR_BREAK.finditer(text, 0, found))]
    position = (len(starts), found - starts[-1] + 1)
    return SourceSyntaxError(
        display,
        position,
        f"the character U+{code:04X} is not allowed in YAML ({error.reason})",
        fix="delete it: it is invisible in most editors (it often comes with pasted text)",
    )


def _past_end(lines: list[str], at: Position) -> bool:
    return at[0] > len(lines) or (at[0] == len(lines) and at[1] > len(lines[-1]) + 1)


def _last(lines: list[str]) -> Position:
    return (len(lines), len(lines[-1]) + 1) if lines else (1, 1)


def _mark(mark: Any) -> Position | None:
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _position(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Plain data from a node tree, recording where each value and key was written."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.values: dict[FieldPath, Position] = {(): (1, 1)}
        self.keys: dict[FieldPath, Position] = {}
        self.blocks: set[FieldPath] = set()
        self.seen: set[int] = set()

    def build(self, node: Node, path: FieldPath) -> Any:
        # An alias is the same node met twice: refused, or a few lines of aliases would
        # expand into billions of values (the "billion laughs").
        if id(node) in self.seen:
            self._fail(node, "anchors and aliases (& and *) are not supported; write it out")
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            self._fail(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                self.values[(*path, index)] = _position(child)
                items.append(self.build(child, (*path, index)))
            return items
        if not isinstance(node, ScalarNode):  # pragma: no cover - composers make only these
            self._fail(node, "unexpected YAML node")
        return self._scalar(node, path, node.tag)

    def _mapping(self, node: MappingNode, path: FieldPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # A node's tag is a property that builds its text each time: read it once.
            key_tag = key_node.tag
            if key_tag == _MERGE:
                self._fail(key_node, "merge keys ('<<') are not supported; write the fields out")
            if not isinstance(key_node, ScalarNode) or key_tag != _STR:
                self._fail(key_node, "a key must be a plain name")
            key = self._scalar(key_node, path, key_tag)
            here = (*path, key)
            if key in result:
                line, col = self.keys[here]
                self._fail(key_node, f"duplicate key {key!r} (first at line {line}, column {col})")
            self.keys[here] = _position(key_node)
            self.values[here] = _position(value_node)
            result[key] = self.build(value_node, here)
        return result

    def _scalar(self, node: ScalarNode, path: FieldPath, tag: str | None) -> Any:
        if len(node.value) > MAX_SCALAR:
            self._fail(node, f"{len(node.value):,} characters, more than {MAX_SCALAR:,}")
        if node.style in _BLOCK_STYLES:
            self.blocks.add(path)
        if tag in (_STR, _TIMESTAMP):
            return node.value
        if tag not in _SCALAR_TAGS:
            self._fail(node, f"the tag {tag!r} is not supported; remove it")
        try:
            return _yaml().constructor.construct_object(node, deep=True)
        except ValueError:  # Python refuses to convert integers of over 4,300 digits
            self._fail(node, "a number too long")

    def _fail(self, node: Node, message: str) -> NoReturn:
        raise SourceSyntaxError(self.display, _position(node), message)
