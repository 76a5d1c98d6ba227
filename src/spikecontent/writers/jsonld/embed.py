"""JSON that is safe inside an HTML ``<script>`` element.

After serialising, ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026``
(as Jinja's ``htmlsafe_json_dumps`` and Django's ``json_script`` do), so no content can
close the element or open a comment; the line separators U+2028/U+2029 are escaped too.
The JSON is never HTML-escaped: parsers read the element's text verbatim.
"""

from __future__ import annotations

from typing import Any

from spikecontent.writers.json_output import json_document

__all__ = ["script_element", "script_safe_json"]

_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_safe_json(data: Any, indent: int | None = 2) -> str:
    """``data`` as JSON with the characters that matter to HTML escaped."""
    text = json_document(data, indent)
    # One replace per character, in C: str.translate looks every character up in its
    # table, two thirds of the writer's time for 2,000 documents.
    for character, escape in _ESCAPES:
        if character in text:
            text = text.replace(character, escape)
    return text


def script_element(data: Any) -> str:
    """One ``<script type="application/ld+json">`` element holding ``data``."""
    return f'<script type="application/ld+json">\n{script_safe_json(data)}\n</script>\n'
