"""A support reply in neutral form: blocks of lines made of text, links and slots.

A reply is written once. Slots (the customer's first name, the agent's name) stay abstract
until a helpdesk target fills them with its own placeholder syntax; links stay structured
until a target writes them as "label (URL)" in plain text or as ``<a href>`` in HTML.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from typing import Final

import attrs
from markupsafe import escape

from spikecontent.diagnostics import SpikecontentError

__all__ = [
    "BODY_LIMIT",
    "Block",
    "BlockKind",
    "Line",
    "Link",
    "Macro",
    "MacroContentError",
    "Piece",
    "Slot",
    "check_size",
    "neutral_slot",
    "to_html",
    "to_text",
]


class Slot(enum.Enum):
    """A value only the helpdesk knows when the reply is sent."""

    FIRST_NAME = "first_name"
    AGENT_NAME = "agent_name"


@attrs.frozen(kw_only=True)
class Link:
    """A link with a reader-facing label and an absolute URL."""

    label: str
    url: str


Piece = str | Link | Slot
Line = tuple[Piece, ...]


class BlockKind(enum.Enum):
    """How a block's lines are joined: a paragraph has one line, the others one per item."""

    PARAGRAPH = "paragraph"
    LIST = "list"
    SIGNATURE = "signature"


@attrs.frozen(kw_only=True)
class Block:
    """A paragraph, a list (one line per item) or the signature (closing, then name)."""

    kind: BlockKind
    lines: tuple[Line, ...]


Fill = Callable[[Slot], str | None]
"""What a target writes for a slot; None drops the line holding it."""


@attrs.frozen(kw_only=True)
class Macro:
    """One reply: what support agents paste, with where it came from."""

    id: str
    title: str
    article: str
    """Slug of the article it is made from."""
    health: bool
    """Whether the topic is health-related (then it carries the cautions and disclaimer)."""
    blocks: tuple[Block, ...]
    reviewed: str | None
    """The article's ``last_reviewed`` date, ``YYYY-MM-DD``; None when it has none (the
    reply then says nothing about a review)."""
    dated: str
    """The date the version starts with: ``last_reviewed``, else ``modified``."""
    answer_words: int
    """Length of the answer in words, without the greeting and the fixed lines around it."""
    answer: str = ""
    """The answer alone, as plain text: what this macro says that the others do not."""
    keywords: str = ""
    """Words agents search for that the reply need not contain (``refund`` for the offer)."""
    shares: tuple[tuple[str, int], ...] = ()
    group: str | None = None
    """The article's short name when a profile's replies come from more than one article:
    it groups them in each helpdesk (see :attr:`display_title`)."""
    article_name: str = ""
    """The article's short name, shown on the board's card."""
    """The content fields the reply is made from (``"article 'x' faq.items[0].answer"``),
    each with the words it adds: what to shorten when the reply is too long."""
    text: str = attrs.field(init=False)
    """The plain reply with slots in their neutral ``[first name]`` form."""
    version: str = attrs.field(init=False)
    """``<dated>.<hash>``: changes exactly when the title or the text changes."""
    words: int = attrs.field(init=False)
    """The reply's length in words as pasted, each name filled in counted as one word."""

    def __attrs_post_init__(self) -> None:
        text = check_size(self.id, to_text(self.blocks, neutral_slot))
        digest = hashlib.sha256(f"{self.title}\n{text}".encode()).hexdigest()[:8]
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "version", f"{self.dated}.{digest}")
        object.__setattr__(self, "words", len(to_text(self.blocks, _one_word).split()))

    def named(self, article_name: str, *, group: str | None) -> Macro:
        """This macro with its article's short name and group. Neither changes the text,
        version or length, so they are copied, not computed again as ``attrs.evolve``
        would: every file of a profile's replies shows every macro (64,000 copies at
        1,000 articles, made and dropped one by one)."""
        # Field by field: copy.copy passes through __reduce_ex__ and the class's state
        # methods, which took two and a half times as long.
        named = object.__new__(type(self))
        for name in _MACRO_FIELDS:
            object.__setattr__(named, name, getattr(self, name))
        object.__setattr__(named, "article_name", article_name)
        object.__setattr__(named, "group", group)
        return named

    @property
    def search_terms(self) -> dict[str, str]:
        """What the board matches a search against, as terms (:mod:`.words`): the title,
        the words agents use for it, the answer. What every reply shares (greeting,
        cautions line, disclaimer, link, signature) is left out."""
        from spikecontent.writers.macros.words import terms

        return {
            "title": " ".join(terms(self.title)),
            "keywords": " ".join(terms(self.keywords)),
            "answer": " ".join(dict.fromkeys(terms(self.answer))),
        }

    @property
    def display_title(self) -> str:
        """The title helpdesks list: ``<group>: <title>`` when grouped (Gorgias' and
        Help Scout's names, Freshdesk's titles, the CSV and JSON), else the title."""
        return f"{self.group}: {self.title}" if self.group else self.title

    @property
    def zendesk_title(self) -> str:
        """Zendesk's nested form, ``<group>::<title>``: the macro listed in a category."""
        return f"{self.group}::{self.title}" if self.group else self.title

    @property
    def versioned_title(self) -> str:
        """The title with the version, so that agents see when a macro changed."""
        return f"{self.display_title} (v{self.version})"

    @property
    def tag(self) -> str:
        """A helpdesk tag naming the macro and its version (letters, digits, ``_``, ``-``)."""
        return f"macro_{self.id}_v{self.version.replace('.', '_')}"


_MACRO_FIELDS: Final = tuple(field.name for field in attrs.fields(Macro))
"""Every field of a macro, those computed from the others included."""


BODY_LIMIT = 20_480
"""Bytes a reply body may take: Intercom's macro limit, the strictest of the helpdesks."""


class MacroContentError(SpikecontentError, ValueError):
    """Content, or a profile, that cannot become a safe reply. With ``fix``, the content
    is to blame and the writer reports it at the content's place."""

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix


def check_size(macro_id: str, body: str) -> str:
    """``body`` unchanged, or :class:`MacroContentError` when it is over :data:`BODY_LIMIT`."""
    size = len(body.encode())
    if size > BODY_LIMIT:
        raise MacroContentError(
            f"the reply of macro {macro_id!r} is {size:,} bytes, over the {BODY_LIMIT:,}-byte"
            " limit of helpdesk macros",
            fix="shorten the content it is made from",
        )
    return body


def _one_word(_: Slot) -> str:
    return "name"


_NEUTRAL = {Slot.FIRST_NAME: "[first name]", Slot.AGENT_NAME: "[your name]"}


def neutral_slot(slot: Slot) -> str:
    """The form agents see and replace by hand: ``[first name]``, ``[your name]``."""
    return _NEUTRAL[slot]


def to_text(blocks: tuple[Block, ...], fill: Fill) -> str:
    """Plain text: one line per paragraph or item, a blank line between blocks."""
    out = []
    for block in blocks:
        lines = [t for t in (_line_text(line, fill) for line in block.lines) if t is not None]
        if lines:
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def to_html(blocks: tuple[Block, ...], fill: Fill) -> str:
    """HTML: ``p`` per paragraph, ``ul`` per list, the signature as lines of one ``p``."""
    out = []
    for block in blocks:
        lines = [h for h in (_line_html(line, fill) for line in block.lines) if h is not None]
        if not lines:
            continue
        if block.kind is BlockKind.LIST:
            out.append("<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")
        else:
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(out)


# The two line writers are written out rather than one taking a function per kind of
# piece: every reply of every helpdesk file passes through them, 100,000 lines a file.
def _line_text(line: Line, fill: Fill) -> str | None:
    parts: list[str] = []
    for piece in line:
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, Link):
            parts.append(piece.url if piece.label == piece.url else f"{piece.label} ({piece.url})")
        else:
            value = fill(piece)
            if value is None:
                return None
            parts.append(value)  # the helpdesk's placeholder markup, intact
    return "".join(parts)


def _line_html(line: Line, fill: Fill) -> str | None:
    parts: list[str] = []
    for piece in line:
        if isinstance(piece, str):
            parts.append(escape(piece))  # Markup, a str: joined as it is
        elif isinstance(piece, Link):
            parts.append(f'<a href="{escape(piece.url)}">{escape(piece.label)}</a>')
        else:
            value = fill(piece)
            if value is None:
                return None
            # Placeholders are the helpdesk's markup, not text: they must reach it intact.
            parts.append(value)
    return "".join(parts)
