"""Reading rendered bytes back as text, for the export's disclaimer check.

Only what a reader would see counts: tags are dropped and entities decoded. A regular
expression is enough here (the markup is our own writers' output, never hostile input),
and it keeps a full HTML parser out of every export.
"""

from __future__ import annotations

import html
import re
from typing import Any

from spikecontent.writers.json_output import parse_json

__all__ = ["html_text", "json_strings", "json_text"]

_TAG = re.compile(r"<[^>]*>")


def html_text(markup: str) -> str:
    """The text of an HTML fragment: tags replaced by spaces, entities decoded."""
    return html.unescape(_TAG.sub(" ", markup))


def json_strings(data: Any) -> list[str]:
    """Every string value in parsed JSON, depth first."""
    # A stack, not a generator per container: every JSON file an export writes is read
    # back, and nested generators passed each string up through every level above it.
    found: list[str] = []
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            pending.extend(reversed(value.values()))
        elif isinstance(value, list):
            pending.extend(reversed(value))
    return found


def json_text(raw: bytes | str) -> str:
    """Every string value of a JSON document, one per line."""
    return "\n".join(json_strings(parse_json(raw)))
