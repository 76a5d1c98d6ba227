"""Reading rendered bytes back as text, for the export's disclaimer check.

Only what a reader would see counts: tags are dropped and entities decoded. A regular
expression is enough here (the markup is our own writers' output, never hostile input),
and it keeps a full HTML parser out of every export.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from spikecontent.writers.json_output import parse_json

__all__ = ["html_text", "json_strings", "json_text"]

_TAG = re.compile(r"<[^>]*>")


def html_text(markup: str) -> str:
    """The text of an HTML fragment: tags replaced by spaces, entities decoded."""
    return html.unescape(_TAG.sub(" ", markup))


def json_strings(data: Any) -> Iterator[str]:
    """Every string value in parsed JSON, depth first."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)


def json_text(raw: bytes | str) -> str:
    """Every string value of a JSON document, one per line."""
    return "\n".join(json_strings(parse_json(raw)))
