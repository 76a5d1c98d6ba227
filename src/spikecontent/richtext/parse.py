"""Parse prose Markdown into the rich-text tree with markdown-it-py.

Anything outside the subset (headings, images, code, raw HTML, tables, quotes, rules) is an
error with its line, not silently passed through, so every channel renders the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Final

from spikecontent.diagnostics import SpikecontentError
from spikecontent.links import check_href
from spikecontent.richtext import tree

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

__all__ = ["ProseError", "parse_prose"]

_UNSUPPORTED: Final = {
    "heading": ("headings are not allowed in prose", "use the section's heading field instead"),
    "image": ("images are not allowed in prose", "remove the image; channels add their own art"),
    "code_inline": ("inline code is not allowed in prose", "remove the backticks"),
    "code_block": (
        "indented code is not allowed in prose",
        "remove the leading spaces (4 or more start a code block)",
    ),
    "fence": ("code blocks are not allowed in prose", "remove the ``` fence"),
    "html_block": ("raw HTML is not allowed in prose", "use Markdown: *emphasis*, [link](page:id)"),
    "html_inline": (
        "raw HTML is not allowed in prose",
        "use Markdown: *emphasis*, [link](page:id)",
    ),
    "blockquote": (
        "quotes ('>') are not allowed in prose",
        "remove the '>'; quote the words in the sentence instead",
    ),
    "hr": ("horizontal rules are not allowed in prose", "remove the '---' line"),
    "table": (
        "tables are not allowed in prose",
        "write it as a list, or use the evidence table section",
    ),
}


class ProseError(SpikecontentError, ValueError):
    """Markdown outside the supported subset, at ``line`` (0-based, within the prose)."""

    def __init__(self, message: str, fix: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.line = line


@cache
def _parser() -> MarkdownIt:
    # Imported here: most prose takes the fast path below, and a process that parses none
    # (`validate` of an unchanged project) should not pay for the parser.
    from markdown_it import MarkdownIt

    # Tables are not CommonMark: without their rule a table would be read as a paragraph
    # of pipes and dashes and published as such. With it, a table (a row of cells over a
    # delimiter row such as |---|---| or --- | ---) is a node, refused like the others.
    parser = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    # markdown-it silently turns a disallowed link into plain text; we would rather report it,
    # so accept every URL here and judge it with check_href below.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def parse_prose(source: str) -> tree.RichText:
    """Parse Markdown ``source`` into :class:`RichText`, or raise :class:`ProseError`."""
    blocks = _plain_paragraphs(source)
    if blocks is None:
        from markdown_it.tree import SyntaxTreeNode

        root = SyntaxTreeNode(_parser().parse(source))
        blocks = tuple(_block(node) for node in root.children)
    return tree.RichText(source=source, blocks=blocks)


# Characters that can start Markdown syntax anywhere in a line, and line starts that can
# open a block (list item, heading underline, indented code, ordered list).
_SYNTAX_CHARACTER: Final = re.compile(r"[*_`\[\]<>&\\!#~|\t\r]")
_BLOCK_START: Final = re.compile(r"[-+= ]|\d{1,9}[.)]")
_LATER_BLOCK_START: Final = re.compile(r"\n(?:[-+= ]|\d{1,9}[.)])")


def _markup(text: str) -> bool:
    """Whether ``text`` holds anything Markdown could read as syntax, a hard line break
    (a space before the line's end) included. Each piece is looked for on its own: one
    pattern of them all tried every alternative at every character, four times slower."""
    return (
        _SYNTAX_CHARACTER.search(text) is not None
        or " \n" in text
        or text.endswith(" ")
        or _BLOCK_START.match(text) is not None
        or ("\n" in text and _LATER_BLOCK_START.search(text) is not None)
    )


# An inline link to a page or an article, on one line: the ids' letters are the same
# before and after markdown-it's URL normalisation, so its tree is known too.
_SITE_LINK: Final = re.compile(r"\[([^\[\]\n]+)\]\(((?:page|article):[a-z0-9]+(?:-[a-z0-9]+)*)\)")
# Where a link was taken out; markdown-it replaces NUL, so prose holding one is not plain.
_HOLE: Final = "\0"


def _plain_paragraphs(source: str) -> tuple[tree.Block, ...] | None:
    """The paragraphs of prose with no Markdown syntax but site links, or None.

    Most prose fields are plain sentences, at most with a ``[label](page:id)`` link or
    two; markdown-it is most of the cost of loading, and for such text its result is
    known: paragraphs split at blank lines, line breaks read as spaces, each link one
    :class:`Link` of its plain label. Anything else that could be syntax goes to
    markdown-it (a property test checks that both give the same tree).
    """
    labels: list[str] = []
    links: list[tree.Link] = []

    def hole(match: re.Match[str]) -> str:
        labels.append(match[1])
        links.append(tree.Link(href=match[2], children=(tree.Text(text=match[1]),)))
        return _HOLE

    if _HOLE in source:
        return None
    # Most prose links nowhere: without a bracket there is nothing to take out.
    text = _SITE_LINK.sub(hole, source) if "[" in source else source
    if _markup(text) or any(_markup(label) for label in labels):
        return None
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    remaining = iter(links)
    return tuple(
        tree.Paragraph(children=_with_links(" ".join(p), remaining)) for p in paragraphs if p
    )


def _with_links(text: str, links: Iterator[tree.Link]) -> tuple[tree.Inline, ...]:
    children: list[tree.Inline] = []
    for index, piece in enumerate(text.split(_HOLE)):
        if index:
            children.append(next(links))
        if piece:
            children.append(tree.Text(text=piece))
    return tuple(children)


def _line(node: SyntaxTreeNode) -> int:
    while node.map is None and node.parent is not None:
        node = node.parent
    return node.map[0] if node.map else 0


def _unsupported(node: SyntaxTreeNode) -> ProseError:
    message, fix = _UNSUPPORTED.get(node.type, (f"'{node.type}' is not allowed in prose", ""))
    return ProseError(message, fix or "use paragraphs, lists, emphasis and links only", _line(node))


def _block(node: SyntaxTreeNode) -> tree.Block:
    if node.type == "paragraph":
        (inline,) = node.children
        return tree.Paragraph(children=_inlines(inline.children))
    if node.type in ("bullet_list", "ordered_list"):
        items = tuple(
            tree.ListItem(blocks=tuple(_block(child) for child in item.children))
            for item in node.children
        )
        tight = all(
            child.hidden
            for item in node.children
            for child in item.children
            if child.type == "paragraph"
        )
        if node.type == "bullet_list":
            return tree.BulletList(items=items, tight=tight)
        start = node.attrs.get("start", 1)
        return tree.OrderedList(items=items, start=int(start), tight=tight)
    raise _unsupported(node)


def _inlines(nodes: list[SyntaxTreeNode]) -> tuple[tree.Inline, ...]:
    result: list[tree.Inline] = []
    for node in nodes:
        inline = _inline(node)
        # Adjacent text (markdown-it splits at soft breaks and entities) is merged so that
        # equal prose always gives an equal tree.
        if isinstance(inline, tree.Text) and result and isinstance(result[-1], tree.Text):
            result[-1] = tree.Text(text=result[-1].text + inline.text)
        else:
            result.append(inline)
    return tuple(result)


def _inline(node: SyntaxTreeNode) -> tree.Inline:
    if node.type == "text":
        return tree.Text(text=node.content)
    if node.type == "softbreak":
        return tree.Text(text=" ")
    if node.type == "hardbreak":
        return tree.LineBreak()
    if node.type == "em":
        return tree.Emphasis(children=_inlines(node.children))
    if node.type == "strong":
        return tree.Strong(children=_inlines(node.children))
    if node.type == "link":
        target = str(node.attrs.get("href", ""))
        problem = check_href(target)
        if problem:
            raise ProseError(
                f"link target {target!r} is not allowed",
                f"{problem}; for example [reviews](page:reviews)",
                _line(node),
            )
        return tree.Link(href=target, children=_inlines(node.children))
    raise _unsupported(node)
