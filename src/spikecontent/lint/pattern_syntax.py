"""The shape of a rule's regular expression: its literals, groups, branches and repeats.

Two things are read from a rule's patterns before any text is matched: whether a
repetition repeats a repetition (``(a+)+``, which Python's backtracking engine can take
exponential time on; see :mod:`.rules`), and the literal word prefixes every match starts
with (see :mod:`.anchors`). Python ships no public parser of its own syntax (``re._parser``
is private and changes between versions), and RE2, which project rules run on, exposes
no parse tree either (google-re2 gives a compiled program's size and a possible match
range, not its structure). So this module parses the syntax itself, on purpose only as far
as those two questions need: every atom that is not a literal character is one opaque
:class:`Other`, and a character class only counts as a literal when it holds one
character (as ``[.]``), where it is one.

Read: literal characters and escapes (``\\.``, ``\\n``, ``\\x41``, ``\\u00e9``,
``\\N{...}``, octal), character classes, ``.``, ``^``, ``$``, class and zero-width
escapes (``\\w``, ``\\b``), back-references, groups (capturing, ``(?:``, ``(?P<name>``,
atomic ``(?>``, with inline flags ``(?i)`` or ``(?i:``), comments ``(?#...)``,
look-arounds, alternation, and the repeats ``*``, ``+``, ``?``, ``{m}``, ``{m,}``,
``{,n}``, ``{m,n}``, lazy or possessive. Not read (:class:`UnsupportedPattern`): verbose
mode ``(?x)``, conditional groups ``(?(1)...)``, and RE2's own escapes (``\\pL``,
``\\Q...\\E``); a caller then assumes the worst (a rule that always runs; a packaged
pattern refused).
"""

from __future__ import annotations

import unicodedata
from typing import TypeAlias

import attrs

__all__ = [
    "Branch",
    "Group",
    "Literal",
    "Look",
    "Node",
    "Other",
    "Repeat",
    "UnsupportedPattern",
    "parse",
]


class UnsupportedPattern(ValueError):
    """A pattern this module does not read (see the module's docstring)."""


@attrs.frozen(slots=True)
class Literal:
    """One literal character."""

    char: str


@attrs.frozen(slots=True)
class Other:
    """Any other single atom: a class, ``.``, an escape such as ``\\w`` or ``\\b``, an
    anchor, a back-reference."""


@attrs.frozen(slots=True)
class Group:
    """A group the match goes through (capturing or not, atomic, with flags)."""

    body: tuple[Node, ...]
    plain: bool = False
    """``(?:...)``: only groups (a sequence reads it as its nodes, unless it is repeated)."""


@attrs.frozen(slots=True)
class Look:
    """A look-ahead or look-behind: it matches no characters of its own."""

    body: tuple[Node, ...]


@attrs.frozen(slots=True)
class Repeat:
    """``body`` repeated from ``low`` to ``high`` times (None: without limit)."""

    low: int
    high: int | None
    body: tuple[Node, ...]


@attrs.frozen(slots=True)
class Branch:
    """Alternatives (``a|b``), each a sequence of nodes."""

    alternatives: tuple[tuple[Node, ...], ...]


Node: TypeAlias = Literal | Other | Group | Look | Repeat | Branch

_OTHER = Other()
_SIMPLE_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_CATEGORY_ESCAPES = frozenset("dDsSwWbBAZ")
_HEX_LENGTHS = {"x": 2, "u": 4, "U": 8}
_OCTAL = frozenset("01234567")
_DIGITS = frozenset("0123456789")
_FLAGS = frozenset("aiLmsu-")  # "x" (verbose) changes how the rest is read: not read


def parse(pattern: str) -> tuple[Node, ...]:
    """The nodes of ``pattern`` in order; a top-level alternation is one :class:`Branch`."""
    parser = _Parser(pattern)
    nodes = parser.alternation()
    if parser.position != len(pattern):
        raise UnsupportedPattern(f"unbalanced ')' at {parser.position}")
    return nodes


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.position = 0

    def _peek(self, offset: int = 0) -> str:
        at = self.position + offset
        return self.pattern[at] if at < len(self.pattern) else ""

    def _take(self) -> str:
        char = self._peek()
        if not char:
            raise UnsupportedPattern("unexpected end of pattern")
        self.position += 1
        return char

    def _taken(self, text: str) -> bool:
        if self.pattern.startswith(text, self.position):
            self.position += len(text)
            return True
        return False

    def alternation(self) -> tuple[Node, ...]:
        alternatives = [self.sequence()]
        while self._taken("|"):
            alternatives.append(self.sequence())
        if len(alternatives) == 1:
            return alternatives[0]
        return (Branch(tuple(alternatives)),)

    def sequence(self) -> tuple[Node, ...]:
        nodes: list[Node] = []
        while self._peek() not in ("", "|", ")"):
            atom = self.atom()
            if atom is None:
                continue  # a comment or a flag setting: no node
            node = self.repeated(atom)
            if node is atom and isinstance(atom, Group) and atom.plain:
                nodes.extend(atom.body)  # as Python's parser: (?:ab)c is abc
            else:
                nodes.append(node)
        return tuple(nodes)

    def repeated(self, atom: Node) -> Node:
        bounds = self._bounds()
        if bounds is None:
            return atom
        low, high = bounds
        if self._peek() in ("?", "+"):  # lazy or possessive: the same bounds
            self.position += 1
        if self._peek() in ("*", "+", "?") or self._bounds_ahead():
            raise UnsupportedPattern("a repeat of a repeat without a group")
        return Repeat(low, high, atom.body if isinstance(atom, Group) else (atom,))

    def _bounds(self) -> tuple[int, int | None] | None:
        char = self._peek()
        simple = {"*": (0, None), "+": (1, None), "?": (0, 1)}
        if char in simple:
            self.position += 1
            return simple[char]
        if char == "{":
            braces = self._braces()
            if braces is not None:
                self.position, low, high = braces
                return low, high
        return None

    def _bounds_ahead(self) -> bool:
        return self._peek() == "{" and self._braces() is not None

    def _braces(self) -> tuple[int, int, int | None] | None:
        """``{m}``, ``{m,}``, ``{,n}``, ``{m,n}`` at the position: where it ends, and
        its bounds; None where Python reads the ``{`` as a literal."""
        at = self.position + 1
        lowest = at
        while at < len(self.pattern) and self.pattern[at] in _DIGITS:
            at += 1
        low_text = self.pattern[lowest:at]
        high_text: str | None = low_text
        if at < len(self.pattern) and self.pattern[at] == ",":
            at += 1
            highest = at
            while at < len(self.pattern) and self.pattern[at] in _DIGITS:
                at += 1
            high_text = self.pattern[highest:at] or None
        elif not low_text:
            return None  # "{}" or "{x": literal
        if at >= len(self.pattern) or self.pattern[at] != "}":
            return None
        return at + 1, int(low_text or 0), None if high_text is None else int(high_text)

    def atom(self) -> Node | None:
        char = self._take()
        if char == "(":
            return self.group()
        if char == "[":
            return self.character_class()
        if char == "\\":
            return self.escape()
        if char in ".^$":
            return _OTHER
        if char in "*+?":
            raise UnsupportedPattern(f"nothing to repeat at {self.position - 1}")
        if char == "{" and self._braces_here():
            raise UnsupportedPattern(f"nothing to repeat at {self.position - 1}")
        return Literal(char)

    def _braces_here(self) -> bool:
        self.position -= 1
        try:
            return self._braces() is not None
        finally:
            self.position += 1

    def group(self) -> Node | None:
        if not self._taken("?"):
            return self._closed(Group(self.alternation()))
        char = self._take()
        if char == ":":
            return self._closed(Group(self.alternation(), plain=True))
        if char == ">":
            return self._closed(Group(self.alternation()))
        if char == "#":
            self._past(")", "comment")
            return None
        if char in "=!":
            return self._closed(Look(self.alternation()))
        if char == "<" and self._peek() in ("=", "!"):
            self.position += 1
            return self._closed(Look(self.alternation()))
        if char == "P" and self._taken("<"):
            self._past(">", "group name")
            return self._closed(Group(self.alternation()))
        if char == "P" and self._taken("="):
            self._past(")", "back-reference")
            return _OTHER
        self.position -= 1
        return self._flags()

    def _past(self, closing: str, what: str) -> None:
        """Move past the next ``closing`` character (that ends a ``what``)."""
        end = self.pattern.find(closing, self.position)
        if end < 0:
            raise UnsupportedPattern(f"unterminated {what}")
        self.position = end + 1

    def _flags(self) -> Node | None:
        start = self.position
        while self._peek() in _FLAGS:
            self.position += 1
        if self.position == start and self._peek() != ":":
            raise UnsupportedPattern(f"group syntax (?{self._peek()} not read")
        if self._taken(")"):
            return None  # flags for the whole pattern: no node
        if self._taken(":"):
            return self._closed(Group(self.alternation()))
        raise UnsupportedPattern(f"flag {self._peek()!r} not read")

    def _closed(self, node: Node) -> Node:
        if not self._taken(")"):
            raise UnsupportedPattern("missing ')'")
        return node

    def character_class(self) -> Node:
        negated = self._taken("^")
        members: set[str] = set()
        single = True  # every member so far is one literal character
        first = True
        while True:
            char = self._take()
            if char == "]" and not first:
                break
            first = False
            if char == "\\":
                escaped = self.escape()
                if isinstance(escaped, Literal):
                    members.add(escaped.char)
                else:
                    single = False
            elif self._peek() == "-" and self._peek(1) not in ("]", ""):
                self.position += 1  # a range: its end is one character or an escape
                if self._take() == "\\":
                    self.escape()
                single = False
            else:
                members.add(char)
        # As Python's own parser: a class of one character is that character.
        if single and not negated and len(members) == 1:
            return Literal(next(iter(members)))
        return _OTHER

    def escape(self) -> Node:
        char = self._take()
        if char in _SIMPLE_ESCAPES:
            return Literal(_SIMPLE_ESCAPES[char])
        if char in _CATEGORY_ESCAPES:
            return _OTHER
        if char in _HEX_LENGTHS:
            digits = self.pattern[self.position : self.position + _HEX_LENGTHS[char]]
            if len(digits) != _HEX_LENGTHS[char]:
                raise UnsupportedPattern(f"incomplete \\{char} escape")
            self.position += len(digits)
            return Literal(chr(int(digits, 16)))
        if char == "N" and self._taken("{"):
            end = self.pattern.find("}", self.position)
            if end < 0:
                raise UnsupportedPattern("unterminated \\N{...}")
            name = self.pattern[self.position : end]
            self.position = end + 1
            try:
                return Literal(unicodedata.lookup(name))
            except KeyError:
                raise UnsupportedPattern(f"unknown character name {name!r}") from None
        if char in _DIGITS:
            return self._number(char)
        if char.isascii() and char.isalnum():
            raise UnsupportedPattern(f"escape \\{char} not read")
        return Literal(char)

    def _number(self, first: str) -> Node:
        """An octal character (``\\0``, ``\\012``, ``\\101``) or a back-reference."""
        if first == "0":
            digits = first
            while len(digits) < 3 and self._peek() in _OCTAL:
                digits += self._take()
            return Literal(chr(int(digits, 8)))
        following = self.pattern[self.position : self.position + 2]
        if first in _OCTAL and len(following) == 2 and set(following) <= _OCTAL:
            self.position += 2
            return Literal(chr(int(first + following, 8)))
        if self._peek() in _DIGITS:
            self.position += 1
        return _OTHER
