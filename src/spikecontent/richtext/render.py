"""Render the rich-text tree as escaped HTML or as plain text.

Both renderers take a ``resolve`` callable that turns a link target (``page:<id>``, a site
path or an absolute URL) into an absolute URL; :meth:`spikecontent.Library.resolve_href`
is the usual one.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from spikecontent.links import ARTICLE_SCHEME, PAGE_SCHEME
from spikecontent.richtext import tree

__all__ = ["LinkResolver", "inline_text", "link_kind", "to_html", "to_plain_text"]

LinkResolver = Callable[[str], str]


def to_html(
    text: tree.RichText,
    resolve: LinkResolver,
    *,
    list_start: bool = True,
    external_rel: bool = False,
) -> str:
    """Escaped HTML: ``p``, ``ul``/``ol``/``li``, ``em``, ``strong``, ``a href``, ``br`` only.

    ``list_start=False`` drops the ``start`` attribute of ordered lists, leaving ``href`` as
    the only attribute (for consumers such as search engines that allow no other).
    ``external_rel`` gives links that leave the site ``rel="noopener"`` (for pages of other
    sites that insert the HTML).
    """
    rel = external_rel
    return "".join(
        _html_block(b, resolve, tight=False, start=list_start, rel=rel) for b in text.blocks
    )


def link_kind(href: str) -> str:
    """What a link target names: ``page``, ``article``, ``path`` (a site path) or
    ``external``."""
    if href.startswith(PAGE_SCHEME):
        return "page"
    if href.startswith(ARTICLE_SCHEME):
        return "article"
    if href.startswith("/"):
        return "path"
    return "external"


def _html_block(
    block: tree.Block, resolve: LinkResolver, *, tight: bool, start: bool, rel: bool
) -> str:
    if isinstance(block, tree.Paragraph):
        inner = _html_inlines(block.children, resolve, rel)
        return inner if tight else f"<p>{inner}</p>"
    items = "".join(
        _html_item(item, resolve, tight=block.tight, start=start, rel=rel) for item in block.items
    )
    if isinstance(block, tree.BulletList):
        return f"<ul>{items}</ul>"
    attribute = f' start="{block.start}"' if start and block.start != 1 else ""
    return f"<ol{attribute}>{items}</ol>"


def _html_item(
    item: tree.ListItem, resolve: LinkResolver, *, tight: bool, start: bool, rel: bool
) -> str:
    inner = "".join(_html_block(b, resolve, tight=tight, start=start, rel=rel) for b in item.blocks)
    return f"<li>{inner}</li>"


def _html_inlines(nodes: tuple[tree.Inline, ...], resolve: LinkResolver, rel: bool) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, tree.Text):
            parts.append(escape(node.text, quote=False))
        elif isinstance(node, tree.LineBreak):
            parts.append("<br>")
        elif isinstance(node, tree.Emphasis):
            parts.append(f"<em>{_html_inlines(node.children, resolve, rel)}</em>")
        elif isinstance(node, tree.Strong):
            parts.append(f"<strong>{_html_inlines(node.children, resolve, rel)}</strong>")
        else:
            url = escape(resolve(node.href), quote=True)
            extra = ' rel="noopener"' if rel and link_kind(node.href) == "external" else ""
            label = _html_inlines(node.children, resolve, rel)
            parts.append(f'<a href="{url}"{extra}>{label}</a>')
    return "".join(parts)


def to_plain_text(text: tree.RichText, resolve: LinkResolver) -> str:
    """Plain text: one line per paragraph, a blank line between blocks, no Markdown left.

    Links read "label (absolute URL)"; list items start with "- " or "1. ".
    """
    return "\n\n".join(_plain_block(block, resolve) for block in text.blocks)


def _plain_block(block: tree.Block, resolve: LinkResolver) -> str:
    if isinstance(block, tree.Paragraph):
        return _plain_inlines(block.children, resolve)
    lines: list[str] = []
    start = block.start if isinstance(block, tree.OrderedList) else 1
    for number, item in enumerate(block.items, start=start):
        marker = "- " if isinstance(block, tree.BulletList) else f"{number}. "
        body = "\n".join(_plain_block(inner, resolve) for inner in item.blocks)
        indent = "\n" + " " * len(marker)
        lines.append(marker + body.replace("\n", indent))
    separator = "\n" if block.tight else "\n\n"
    return separator.join(lines)


def _plain_inlines(nodes: tuple[tree.Inline, ...], resolve: LinkResolver) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, tree.Link):
            label = inline_text(node.children)
            url = resolve(node.href)
            parts.append(label if label == url else f"{label} ({url})")
        elif isinstance(node, tree.LineBreak):
            parts.append("\n")
        elif isinstance(node, tree.Emphasis | tree.Strong):
            parts.append(_plain_inlines(node.children, resolve))
        else:
            parts.append(node.text)
    return "".join(parts)


def inline_text(nodes: tuple[tree.Inline, ...]) -> str:
    """The bare words of inline nodes: no markup, no URLs."""
    return "".join(
        node.text
        if isinstance(node, tree.Text)
        else " "
        if isinstance(node, tree.LineBreak)
        else inline_text(node.children)
        for node in nodes
    )
