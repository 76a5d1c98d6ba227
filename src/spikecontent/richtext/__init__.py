"""Prose: a small Markdown subset parsed once into a typed tree, rendered to HTML or text."""

from spikecontent.richtext.delivery import delivery_forms
from spikecontent.richtext.parse import ProseError, parse_prose
from spikecontent.richtext.render import LinkResolver, inline_text, to_html, to_plain_text
from spikecontent.richtext.tree import (
    Block,
    BulletList,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    RichText,
    Strong,
    Text,
)

__all__ = [
    "Block",
    "BulletList",
    "Emphasis",
    "Inline",
    "LineBreak",
    "Link",
    "LinkResolver",
    "ListItem",
    "OrderedList",
    "Paragraph",
    "ProseError",
    "RichText",
    "Strong",
    "Text",
    "delivery_forms",
    "inline_text",
    "parse_prose",
    "to_html",
    "to_plain_text",
]
