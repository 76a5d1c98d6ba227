"""Helpdesk import files: each item exactly the body of the vendor's documented create
call, with the vendor's own placeholder syntax (sources in docs/support-macros.md).

A target fills the neutral slots of a reply with its own placeholders: the customer's
first name with the profile's fallback name where the helpdesk's template language can
say "if empty", the agent's name where it has a placeholder for it (else the line is left
out: the helpdesk adds the agent's signature itself). Titles are stable; the version and
the macro's identity go where each vendor keeps metadata, so a new export updates a macro
instead of adding a second one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from spikecontent.sdk import PartBytes
from spikecontent.writers.json_output import json_bytes, parse_json
from spikecontent.writers.macros.reply import Fill, Macro, Slot, check_size, to_html, to_text
from spikecontent.writers.readback import html_text

if TYPE_CHECKING:  # spec names the targets (HELPDESKS) as a profile may list them
    from spikecontent.writers.macros.spec import MacroOptions

__all__ = [
    "CSV_COLUMNS",
    "ESPANSO",
    "FRESHDESK",
    "GORGIAS",
    "HELPDESKS",
    "HELPSCOUT",
    "IDENTITY",
    "ZENDESK",
    "Reply",
    "Target",
    "csv_header",
    "csv_row",
    "identity_of",
    "index_item",
    "json_array_chunks",
]


def json_array_chunks(items: Sequence[PartBytes]) -> list[PartBytes]:
    """A JSON array of encoded items, one per line (diffs show which macro changed), as
    chunks with ``items`` among them as they are: written in turn, or joined once (each
    ``+`` copied the whole file, tens of MB, again)."""
    if not items:
        return [b"[]\n"]
    chunks: list[PartBytes] = [b"[\n"]
    for item in items:
        chunks += (item, b",\n")
    chunks[-1] = b"\n]\n"
    return chunks


Reply = tuple[str, str]
"""``(key, text)``, a reply read back from a file: the key is what the file names it by
(its id, versioned title or title)."""


@attrs.frozen(kw_only=True)
class Target:
    """One helpdesk: where its import file goes, its placeholders, how it shapes a macro
    and reads the replies back, and where it keeps our identity. The push
    (:mod:`spikecontent.push.vendors`) reads its file and identity from this same row."""

    name: str
    file: str
    """The import file, in the macros output folder."""
    placeholders: Mapping[Slot, str]
    shape: Callable[[Macro, Fill, MacroOptions], Any]
    replies: Callable[[dict[str, Any]], Iterator[Reply]]
    """The replies in one item of the file, as agents send them."""
    identity: Callable[[dict[str, Any]], str | None] | None = None
    """Our macro id in an item (as the file holds it, or as the helpdesk's API returns
    it); None for a helpdesk with no field to keep it in."""
    chunked: Callable[[Sequence[PartBytes]], list[PartBytes]] = json_array_chunks
    """The file from its items, in order, as chunks with the items among them as they
    are: a JSON array, unless the helpdesk reads another form."""
    first_name: Callable[[str], str] | None = None
    """The first-name placeholder with a fallback for an empty name, given the fallback;
    None where the helpdesk documents no such form."""
    needs: Callable[[MacroOptions], str | None] = lambda _options: None
    """Why the file cannot be written with these options (an account-specific value it
    needs is missing), or None."""

    def fill(self, options: MacroOptions) -> Fill:
        """The slot filler: this target's placeholder, else the fallback name, else None."""

        def fill(slot: Slot) -> str | None:
            if slot is Slot.FIRST_NAME and self.first_name is not None:
                return self.first_name(options.fallback_name)
            if slot in self.placeholders:
                return self.placeholders[slot]
            return options.fallback_name if slot is Slot.FIRST_NAME else None

        return fill

    def part(self, macro: Macro, options: MacroOptions) -> bytes:
        """One macro's item in the import file, as one line of JSON."""
        return _json_item(self.shape(macro, self.fill(options), options))

    def join_chunks(self, parts: Sequence[PartBytes]) -> list[PartBytes]:
        """The import file from its items (:meth:`part`), in order, as chunks with the
        items among them as they are."""
        return self.chunked(parts)

    def part_replies(self, data: bytes) -> Iterator[Reply]:
        """The replies in one item of the file (:meth:`part`)."""
        return self.replies(parse_json(data))


def _text(macro: Macro, fill: Fill) -> str:
    return check_size(macro.id, to_text(macro.blocks, fill))


def _html(macro: Macro, fill: Fill) -> str:
    return check_size(macro.id, to_html(macro.blocks, fill))


IDENTITY = "spikecontent:"
"""Starts the metadata that names a macro's id where a vendor has no external id field."""


def identity_of(description: str) -> str | None:
    """The macro id in metadata spikecontent wrote (a Zendesk description, a Gorgias
    external id), or None for anything else."""
    if not description.startswith(IDENTITY):
        return None
    return description.removeprefix(IDENTITY).split(" ", 1)[0] or None


def _zendesk(macro: Macro, fill: Fill, options: MacroOptions) -> dict[str, Any]:
    # Zendesk macros have no external id: the description carries the identity.
    groups = options.zendesk_groups.get(macro.article)
    # Zendesk's Macros API: "restriction" is {"type": "Group", "ids": [...]}, or absent
    # (null) for every agent of the account.
    restriction = {"restriction": {"type": "Group", "ids": list(groups)}} if groups else {}
    return {
        "macro": {
            **restriction,
            "title": macro.zendesk_title,
            "description": (
                f"{IDENTITY}{macro.id} version {macro.version}; made from {macro.article}"
                " by spikecontent: edit the content, not this macro"
            ),
            "active": True,
            "actions": [
                {"field": "comment_value", "value": _text(macro, fill)},
                {"field": "comment_value_html", "value": _html(macro, fill)},
                {"field": "current_tags", "value": macro.tag},
            ],
        }
    }


def _zendesk_identity(item: dict[str, Any]) -> str | None:
    # The file's items are wrapped in {"macro": ...}; the API's list gives them bare.
    return identity_of(item.get("macro", item).get("description") or "")


def _zendesk_replies(item: dict[str, Any]) -> Iterator[Reply]:
    macro = item["macro"]
    key = _zendesk_identity(item) or macro["title"]
    for action in macro["actions"]:
        if action["field"] == "comment_value":
            yield key, action["value"]
        elif action["field"] == "comment_value_html":
            yield key, html_text(action["value"])


def _gorgias(macro: Macro, fill: Fill, options: MacroOptions) -> dict[str, Any]:
    return {
        "name": macro.display_title,
        # The external id is the vendor's field for exactly this; the prefix tells our
        # macros from those another tool keeps there.
        "external_id": f"{IDENTITY}{macro.id}",
        "language": options.language,
        "actions": [
            {
                "name": "setResponseText",
                "title": "Set response text",
                "type": "user",
                "arguments": {
                    "body_text": _text(macro, fill),
                    "body_html": _html(macro, fill),
                },
            },
            {
                "name": "addTags",
                "title": "Add tags",
                "type": "user",
                "arguments": {"tags": macro.tag},
            },
        ],
    }


def _gorgias_identity(item: dict[str, Any]) -> str | None:
    return identity_of(item.get("external_id") or "")


def _gorgias_replies(item: dict[str, Any]) -> Iterator[Reply]:
    for action in item["actions"]:
        arguments = action["arguments"]
        if "body_text" in arguments:
            key = _gorgias_identity(item) or item["name"]
            yield key, arguments["body_text"]
            yield key, html_text(arguments["body_html"])


def _helpscout(macro: Macro, fill: Fill, _: MacroOptions) -> dict[str, Any]:
    return {
        "name": macro.display_title,
        "text": _html(macro, fill),
        "chatText": _text(macro, fill),
    }


def _helpscout_replies(item: dict[str, Any]) -> Iterator[Reply]:
    yield item["name"], item["chatText"]
    yield item["name"], html_text(item["text"])


def _freshdesk(macro: Macro, fill: Fill, options: MacroOptions) -> dict[str, Any]:
    return {
        "title": macro.display_title,
        "content_html": _html(macro, fill),
        "folder_id": options.freshdesk_folders.get(macro.article, options.freshdesk_folder_id),
        "visibility": options.freshdesk_visibility,
    }


def _freshdesk_replies(item: dict[str, Any]) -> Iterator[Reply]:
    yield item["title"], html_text(item["content_html"])


def _freshdesk_needs(options: MacroOptions) -> str | None:
    if options.freshdesk_folder_id is None:
        return (
            "not written: Freshdesk needs the id of a canned-response folder of your"
            " account; set freshdesk_folder_id in the profile"
        )
    return None


def _liquid_first_name(placeholder: str) -> Callable[[str], str]:
    # Zendesk and Freshdesk render placeholders with Liquid: an empty name is "blank".
    def first_name(fallback: str) -> str:
        return (
            f"{{% if {placeholder} != blank %}}{{{{{placeholder}}}}}"
            f"{{% else %}}{fallback}{{% endif %}}"
        )

    return first_name


_FORM = "reply"
"""The espanso form variable that asks for the slots when a trigger expands."""


def _espanso(macro: Macro, fill: Fill, options: MacroOptions) -> dict[str, Any]:
    layout = "First name: [[first_name]]\nYour name: [[agent_name]]"
    return {
        "trigger": f"{options.espanso_prefix}{macro.id}",
        "label": macro.versioned_title,
        "replace": _text(macro, fill),
        "vars": [
            {
                "name": _FORM,
                "type": "form",
                "params": {
                    "layout": layout,
                    "fields": {"first_name": {"default": options.fallback_name}},
                },
            }
        ],
    }


def _espanso_replies(match: dict[str, Any]) -> Iterator[Reply]:
    yield match["label"], match["replace"]


def _espanso_yaml(matches: Sequence[PartBytes]) -> list[PartBytes]:
    # A JSON document is a YAML 1.2 document, which espanso reads. Written as JSON, every
    # string is quoted and escaped exactly, and hundreds of matches take milliseconds where
    # ruamel.yaml's pure-Python emitter takes seconds.
    header = b"# espanso match file made by spikecontent; do not edit, export again.\n"
    return [header, b'{"matches": ', *json_array_chunks(matches), b"}\n"]


def _json_item(item: Any) -> bytes:
    # Compact, by msgspec: a third of the json module's time on 36,000 items a full export.
    return json_bytes(item)


ZENDESK = Target(
    name="zendesk",
    file="zendesk.json",
    placeholders={
        Slot.FIRST_NAME: "{{ticket.requester.first_name}}",
        Slot.AGENT_NAME: "{{current_user.first_name}}",
    },
    shape=_zendesk,
    replies=_zendesk_replies,
    identity=_zendesk_identity,
    first_name=_liquid_first_name("ticket.requester.first_name"),
)
GORGIAS = Target(
    name="gorgias",
    file="gorgias.json",
    placeholders={
        Slot.FIRST_NAME: "{{ticket.customer.firstname}}",
        Slot.AGENT_NAME: "{{current_user.firstname}}",
    },
    shape=_gorgias,
    replies=_gorgias_replies,
    identity=_gorgias_identity,
)
HELPSCOUT = Target(
    name="helpscout",
    file="helpscout.json",
    placeholders={},
    shape=_helpscout,
    replies=_helpscout_replies,
    first_name=lambda fallback: f"{{%customer.firstName,fallback={fallback}%}}",
)
FRESHDESK = Target(
    name="freshdesk",
    file="freshdesk.json",
    placeholders={
        Slot.FIRST_NAME: "{{ticket.requester.firstname}}",
        Slot.AGENT_NAME: "{{ticket.agent.name}}",
    },
    shape=_freshdesk,
    replies=_freshdesk_replies,
    first_name=_liquid_first_name("ticket.requester.firstname"),
    needs=_freshdesk_needs,
)
ESPANSO = Target(
    name="espanso",
    file="espanso.yml",
    placeholders={
        Slot.FIRST_NAME: "{{" + _FORM + ".first_name}}",
        Slot.AGENT_NAME: "{{" + _FORM + ".agent_name}}",
    },
    shape=_espanso,
    replies=_espanso_replies,
    chunked=_espanso_yaml,
)
HELPDESKS = {target.name: target for target in (ZENDESK, GORGIAS, HELPSCOUT, FRESHDESK, ESPANSO)}
"""Every helpdesk by name, in the order a profile's ``targets`` lists them by default."""


CSV_COLUMNS = ("id", "title", "version", "article", "health", "text")
"""The CSV's columns (documented in docs/support-macros.md)."""


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(cell: str) -> str:
    """``cell`` as a spreadsheet shows it, never runs it: a leading ``'`` where it would
    start a formula (OWASP's advice on CSV injection)."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def csv_header() -> bytes:
    """The first line of ``macros.csv``, after the byte-order mark Excel needs to know
    the file is UTF-8."""
    return "\ufeff".encode() + _csv_line(CSV_COLUMNS)


def csv_row(macro: Macro) -> bytes:
    """One macro's row in ``macros.csv``, for spreadsheets and helpdesks that import CSV."""
    row = [
        macro.id,
        macro.display_title,
        macro.version,
        macro.article,
        str(macro.health),
        macro.text,
    ]
    return _csv_line([_inert(cell) for cell in row])


def _csv_line(cells: Sequence[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue().encode()


def index_item(macro: Macro) -> bytes:
    """One macro's item in ``macros.json`` (what the HTTP API's ``/macros`` serves)."""
    return _json_item(
        {
            "id": macro.id,
            "title": macro.display_title,
            "version": macro.version,
            "article": macro.article,
            "health": macro.health,
            "text": macro.text,
        }
    )
