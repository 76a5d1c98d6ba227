"""Read the writer's own files back: each reply's title (or id) and the text agents send.

A helpdesk import file's items are read by their :class:`~.targets.Target`; these are the
readers of one part of the other files (a macro's block, row, item or card)."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator

from spikecontent.writers.json_output import parse_json
from spikecontent.writers.macros.targets import CSV_COLUMNS, Reply

__all__ = ["RULE", "all_txt_replies", "board_replies", "csv_replies", "index_replies"]

RULE = "=" * 72
"""The line around each title in ``all.txt``."""


def all_txt_replies(data: bytes) -> Iterator[Reply]:
    """The replies in ``all.txt``: RULE, title, RULE, blank line, text; for each macro."""
    chunks = data.decode().split(f"{RULE}\n")[1:]
    for title, text in zip(chunks[::2], chunks[1::2], strict=True):
        yield title.strip(), text


def index_replies(data: bytes) -> Iterator[Reply]:
    """The reply in one item of ``macros.json``."""
    item = parse_json(data)
    yield item["id"], item["text"]


# Up to the first ``</pre>``, as ``(.*?)</pre>`` would say; written out so that the
# search runs through the text at once instead of trying ``</pre>`` at every character.
_BOARD_TEXT = re.compile(r'<pre id="text-([^"]+)">([^<]*(?:<(?!/pre>)[^<]*)*)</pre>')


def board_replies(data: bytes) -> Iterator[Reply]:
    """The replies in the board's cards: the copy buttons copy these elements' text,
    which is what agents paste."""
    for found in _BOARD_TEXT.finditer(data.decode()):
        yield found.group(1), html.unescape(found.group(2))


_ID, _TEXT = CSV_COLUMNS.index("id"), CSV_COLUMNS.index("text")


def csv_replies(data: bytes) -> Iterator[Reply]:
    """The reply in one row of ``macros.csv``."""
    # A plain reader: a DictReader per row (9,000 a full export) cost three times as much.
    for row in csv.reader(io.StringIO(data.decode(), newline="")):
        yield row[_ID], row[_TEXT].removeprefix("'")
