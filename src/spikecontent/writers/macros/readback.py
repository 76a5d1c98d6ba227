"""Read rendered macro files back: each reply's title (or id) and the text agents send."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

from spikecontent.writers.json_output import parse_json
from spikecontent.writers.macros.targets import CSV_COLUMNS, identity_of
from spikecontent.writers.readback import html_text

__all__ = ["RULE", "part_replies", "replies"]

RULE = "=" * 72
"""The line around each title in ``all.txt``."""

Reply = tuple[str, str]
"""``(key, text)``: the key is what the file names a reply by (its id, versioned title
or title)."""
Reader = Callable[[bytes], Iterator[Reply]]


def _all_txt(data: bytes) -> Iterator[Reply]:
    # all.txt is RULE, title, RULE, blank line, text; for each macro.
    chunks = data.decode().split(f"{RULE}\n")[1:]
    for title, text in zip(chunks[::2], chunks[1::2], strict=True):
        yield title.strip(), text


def _zendesk(items: list[Any]) -> Iterator[Reply]:
    for item in items:
        macro = item["macro"]
        key = identity_of(macro["description"]) or macro["title"]
        for action in macro["actions"]:
            if action["field"] == "comment_value":
                yield key, action["value"]
            elif action["field"] == "comment_value_html":
                yield key, html_text(action["value"])


def _gorgias(items: list[Any]) -> Iterator[Reply]:
    for item in items:
        for action in item["actions"]:
            arguments = action["arguments"]
            if "body_text" in arguments:
                key = identity_of(item["external_id"]) or item["name"]
                yield key, arguments["body_text"]
                yield key, html_text(arguments["body_html"])


def _helpscout(items: list[Any]) -> Iterator[Reply]:
    for item in items:
        yield item["name"], item["chatText"]
        yield item["name"], html_text(item["text"])


def _freshdesk(items: list[Any]) -> Iterator[Reply]:
    for item in items:
        yield item["title"], html_text(item["content_html"])


def _index(items: list[Any]) -> Iterator[Reply]:
    for item in items:
        yield item["id"], item["text"]


def _espanso(data: bytes) -> Iterator[Reply]:
    # The match file is JSON under a comment line (see targets._espanso_yaml): JSON is
    # the YAML 1.2 that espanso reads, and a JSON parser reads it many times faster.
    body = b"\n".join(line for line in data.splitlines() if not line.startswith(b"#"))
    for match in parse_json(body)["matches"]:
        yield match["label"], match["replace"]


# Up to the first ``</pre>``, as ``(.*?)</pre>`` would say; written out so that the
# search runs through the text at once instead of trying ``</pre>`` at every character.
_BOARD_TEXT = re.compile(r'<pre id="text-([^"]+)">([^<]*(?:<(?!/pre>)[^<]*)*)</pre>')


def _board(data: bytes) -> Iterator[Reply]:
    # The copy buttons copy these elements' text: that is what agents paste.
    for found in _BOARD_TEXT.finditer(data.decode()):
        yield found.group(1), html.unescape(found.group(2))


def _csv(data: bytes) -> Iterator[Reply]:
    # utf-8-sig: the file starts with the byte-order mark Excel needs.
    for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")):
        yield row["id"], row["text"].removeprefix("'")


def _json(shape: Callable[[list[Any]], Iterator[Reply]]) -> Reader:
    return lambda data: shape(parse_json(data))


def replies(path: str, data: bytes) -> Iterator[Reply]:
    """The replies in a macros file; none for files that hold no reply text."""
    readers = _READERS.get(path)
    return readers[0](data) if readers else iter(())


def _espanso_match(data: bytes) -> Iterator[Reply]:
    match = parse_json(data)
    yield match["label"], match["replace"]


_ID, _TEXT = CSV_COLUMNS.index("id"), CSV_COLUMNS.index("text")


def _csv_row(data: bytes) -> Iterator[Reply]:
    # A plain reader: a DictReader per row (9,000 a full export) cost three times as much.
    for row in csv.reader(io.StringIO(data.decode(), newline="")):
        yield row[_ID], row[_TEXT].removeprefix("'")


def _json_item(shape: Callable[[list[Any]], Iterator[Reply]]) -> Reader:
    return lambda data: shape([parse_json(data)])


# Each file's reader of the whole file and of one part (a macro's item, row or card).
_READERS: dict[str, tuple[Reader, Reader]] = {
    "all.txt": (_all_txt, _all_txt),
    "zendesk.json": (_json(_zendesk), _json_item(_zendesk)),
    "gorgias.json": (_json(_gorgias), _json_item(_gorgias)),
    "helpscout.json": (_json(_helpscout), _json_item(_helpscout)),
    "freshdesk.json": (_json(_freshdesk), _json_item(_freshdesk)),
    "espanso.yml": (_espanso, _espanso_match),
    "macros.csv": (_csv, _csv_row),
    "macros.json": (_json(_index), _json_item(_index)),
    "index.html": (_board, _board),
}


def part_replies(path: str, data: bytes) -> Iterator[Reply]:
    """The reply in one part of a macros file (one macro's item, row or card)."""
    readers = _READERS.get(path)
    return readers[1](data) if readers else iter(())
