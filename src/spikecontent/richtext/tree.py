"""The rich-text tree: the small Markdown subset prose fields may use.

Blocks are paragraphs and lists; inlines are text, emphasis, strong emphasis, links and hard
line breaks. Every writer renders from this tree, never from the Markdown source.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

__all__ = [
    "Block",
    "BulletList",
    "Emphasis",
    "Inline",
    "LineBreak",
    "Link",
    "ListItem",
    "OrderedList",
    "Paragraph",
    "RichText",
    "Strong",
    "Text",
]


@attrs.frozen(kw_only=True)
class Text:
    """Literal text; never contains markup."""

    text: str


@attrs.frozen(kw_only=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@attrs.frozen(kw_only=True)
class Emphasis:
    """Emphasised text (``*like this*``)."""

    children: tuple[Inline, ...]


@attrs.frozen(kw_only=True)
class Strong:
    """Strongly emphasised text (``**like this**``)."""

    children: tuple[Inline, ...]


@attrs.frozen(kw_only=True)
class Link:
    """A link; ``href`` is ``page:<id>``, a site path or an absolute URL (see ``check_href``)."""

    href: str
    children: tuple[Inline, ...]


Inline = Text | LineBreak | Emphasis | Strong | Link


@attrs.frozen(kw_only=True)
class Paragraph:
    """A paragraph of inline content."""

    children: tuple[Inline, ...]


@attrs.frozen(kw_only=True)
class ListItem:
    """One list item; usually a single paragraph."""

    blocks: tuple[Block, ...]


@attrs.frozen(kw_only=True)
class BulletList:
    """An unordered list. ``tight`` lists render items without paragraph spacing."""

    items: tuple[ListItem, ...]
    tight: bool = True


@attrs.frozen(kw_only=True)
class OrderedList:
    """A numbered list starting at ``start``."""

    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True


Block = Paragraph | BulletList | OrderedList


@attrs.frozen(kw_only=True)
class RichText:
    """Parsed prose: the Markdown ``source`` as written and the ``blocks`` parsed from it.

    Build one with :func:`spikecontent.richtext.parse_prose`; the source is kept so the
    content round-trips to exactly what the editor wrote.
    """

    source: str
    blocks: tuple[Block, ...]

    def links(self) -> Iterator[Link]:
        """Every link in document order."""
        for block in self.blocks:
            yield from _block_links(block)

    def __str__(self) -> str:
        return self.source


def _block_links(block: Block) -> Iterator[Link]:
    if isinstance(block, Paragraph):
        yield from _inline_links(block.children)
    else:
        for item in block.items:
            for inner in item.blocks:
                yield from _block_links(inner)


def _inline_links(inlines: tuple[Inline, ...]) -> Iterator[Link]:
    for node in inlines:
        if isinstance(node, Link):
            yield node
            yield from _inline_links(node.children)
        elif isinstance(node, Emphasis | Strong):
            yield from _inline_links(node.children)
