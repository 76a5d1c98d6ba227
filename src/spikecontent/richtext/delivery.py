"""Prose as a frontend receives it: Markdown, HTML and a tree, every link resolved.

The tree is in the spirit of Portable Text: a list of blocks, each a paragraph or a list
item (``listItem`` and ``level``), holding spans with marks (``em``, ``strong``, or the key
of a link annotation in the block's ``markDefs``). A link annotation carries the link's
kind (``page``, ``article``, ``path`` for a site path, ``external``), the id it names
when it names one, and its absolute URL, so a client can route internal links itself and
needs no table of ours. ``docs/richtext-tree.schema.json`` is its JSON Schema.
"""

from __future__ import annotations

import re
from typing import Any, Final

from spikecontent.links import ARTICLE_SCHEME, PAGE_SCHEME
from spikecontent.richtext import tree
from spikecontent.richtext.render import LinkResolver, link_kind, to_html

__all__ = ["delivery_forms", "delivery_html", "delivery_markdown", "delivery_tree"]

# The inline link form is the only one the prose subset has (see richtext.parse).
_MARKDOWN_TARGET: Final = re.compile(r"\]\(((?:page|article):[a-z0-9-]+)\)")


def delivery_forms(text: tree.RichText, resolve: LinkResolver) -> dict[str, Any]:
    """``{"markdown", "html", "tree"}`` for one prose field."""
    return {
        "markdown": delivery_markdown(text, resolve),
        "html": delivery_html(text, resolve),
        "tree": delivery_tree(text, resolve),
    }


def delivery_markdown(text: tree.RichText, resolve: LinkResolver) -> str:
    """The Markdown as written, with ``page:``/``article:`` targets as absolute URLs."""
    return _MARKDOWN_TARGET.sub(lambda m: f"]({resolve(m.group(1))})", text.source)


def delivery_html(text: tree.RichText, resolve: LinkResolver) -> str:
    """Escaped HTML as every channel renders it (``p``, lists, ``em``, ``strong``, ``br``,
    ``a``), links absolute, those that leave the site with ``rel="noopener"``."""
    return to_html(text, resolve, external_rel=True)


def delivery_tree(text: tree.RichText, resolve: LinkResolver) -> list[dict[str, Any]]:
    """The prose as blocks of spans with marks (see the module)."""
    blocks: list[dict[str, Any]] = []
    for block in text.blocks:
        _tree_block(block, resolve, blocks, list_item=None, level=0)
    return blocks


def _tree_block(
    block: tree.Block,
    resolve: LinkResolver,
    out: list[dict[str, Any]],
    *,
    list_item: str | None,
    level: int,
) -> None:
    if isinstance(block, tree.Paragraph):
        spans: list[dict[str, Any]] = []
        mark_defs: list[dict[str, Any]] = []
        _spans(block.children, (), resolve, spans, mark_defs)
        entry: dict[str, Any] = {"_type": "block", "style": "normal"}
        if list_item is not None:
            entry |= {"listItem": list_item, "level": level}
        out.append(entry | {"children": spans, "markDefs": mark_defs})
        return
    kind = "bullet" if isinstance(block, tree.BulletList) else "number"
    for item in block.items:
        _tree_item(item, resolve, out, kind=kind, level=level + 1)


def _tree_item(
    item: tree.ListItem, resolve: LinkResolver, out: list[dict[str, Any]], *, kind: str, level: int
) -> None:
    # A paragraph of the item is a block at this level; a list inside it goes one deeper.
    for inner in item.blocks:
        _tree_block(inner, resolve, out, list_item=kind, level=level)


def _spans(
    nodes: tuple[tree.Inline, ...],
    marks: tuple[str, ...],
    resolve: LinkResolver,
    spans: list[dict[str, Any]],
    mark_defs: list[dict[str, Any]],
) -> None:
    for node in nodes:
        if isinstance(node, tree.Text):
            spans.append({"_type": "span", "text": node.text, "marks": list(marks)})
        elif isinstance(node, tree.LineBreak):
            spans.append({"_type": "span", "text": "\n", "marks": list(marks)})
        elif isinstance(node, tree.Emphasis):
            _spans(node.children, (*marks, "em"), resolve, spans, mark_defs)
        elif isinstance(node, tree.Strong):
            _spans(node.children, (*marks, "strong"), resolve, spans, mark_defs)
        else:
            key = f"link{len(mark_defs)}"
            mark_defs.append(_annotation(key, node, resolve))
            _spans(node.children, (*marks, key), resolve, spans, mark_defs)


def _annotation(key: str, link: tree.Link, resolve: LinkResolver) -> dict[str, Any]:
    kind = link_kind(link.href)
    annotation: dict[str, Any] = {"_key": key, "_type": "link", "kind": kind}
    if kind == "page":
        annotation["id"] = link.href.removeprefix(PAGE_SCHEME)
    elif kind == "article":
        annotation["id"] = link.href.removeprefix(ARTICLE_SCHEME)
    annotation["url"] = resolve(link.href)
    return annotation
