"""Helpdesk import files: each target's documented shape and placeholder syntax.

A target fills the neutral slots of a reply with its own placeholders. Where a helpdesk has
no documented first-name placeholder the greeting uses the profile's fallback name, and
where it has no agent-name placeholder the name line is left out (the helpdesk adds the
agent's signature itself).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from spikecontent.writers.macros.reply import Fill, Macro, Slot, check_size, to_html, to_text
from spikecontent.writers.macros.spec import MacroOptions

__all__ = ["FILES", "HELPDESKS", "Target", "csv_table", "json_index"]


@attrs.frozen(kw_only=True)
class Target:
    """One helpdesk: where its file goes, its placeholders, and how it shapes a macro."""

    name: str
    file: str
    placeholders: Mapping[Slot, str]
    shape: Callable[[Macro, Fill, MacroOptions], Any]

    def fill(self, options: MacroOptions) -> Fill:
        """The slot filler: this target's placeholder, else the fallback name, else None."""

        def fill(slot: Slot) -> str | None:
            if slot in self.placeholders:
                return self.placeholders[slot]
            return options.fallback_name if slot is Slot.FIRST_NAME else None

        return fill

    def render(self, macros: tuple[Macro, ...], options: MacroOptions) -> bytes:
        """The import file for ``macros``."""
        fill = self.fill(options)
        items = [self.shape(macro, fill, options) for macro in macros]
        if self.file.endswith(".yml"):
            return _espanso_yaml(items)
        return json_lines(items).encode()


def _text(macro: Macro, fill: Fill) -> str:
    return check_size(macro.id, to_text(macro.blocks, fill))


def _html(macro: Macro, fill: Fill) -> str:
    return check_size(macro.id, to_html(macro.blocks, fill))


def _zendesk(macro: Macro, fill: Fill, _: MacroOptions) -> dict[str, Any]:
    return {
        "macro": {
            "title": macro.versioned_title,
            "description": f"From {macro.article}; version {macro.version}",
            "active": True,
            "actions": [
                {"field": "comment_value", "value": _text(macro, fill)},
                {"field": "comment_value_html", "value": _html(macro, fill)},
                {"field": "current_tags", "value": macro.tag},
            ],
        }
    }


def _gorgias(macro: Macro, fill: Fill, _: MacroOptions) -> dict[str, Any]:
    return {
        "name": macro.versioned_title,
        "external_id": macro.id,
        "actions": [
            {
                "name": "setResponseText",
                "arguments": {
                    "body_text": _text(macro, fill),
                    "body_html": _html(macro, fill),
                },
            },
            {"name": "addTags", "arguments": {"tags": macro.tag}},
        ],
    }


def _helpscout(macro: Macro, fill: Fill, _: MacroOptions) -> dict[str, Any]:
    return {
        "name": macro.versioned_title,
        "text": _html(macro, fill),
        "chatText": _text(macro, fill),
    }


def _freshdesk(macro: Macro, fill: Fill, options: MacroOptions) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "title": macro.versioned_title,
        "content_html": _html(macro, fill),
    }
    if options.freshdesk_folder_id is not None:
        shape["folder_id"] = options.freshdesk_folder_id
    return shape


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


def _espanso_yaml(matches: list[dict[str, Any]]) -> bytes:
    # A JSON document is a YAML 1.2 document, which espanso reads. Written as JSON, every
    # string is quoted and escaped exactly, and hundreds of matches take milliseconds where
    # ruamel.yaml's pure-Python emitter takes seconds.
    header = "# espanso match file made by spikecontent; do not edit, export again.\n"
    return f'{header}{{"matches": {json_lines(matches)}}}\n'.encode()


def json_lines(items: list[Any]) -> str:
    """A JSON array with one item per line: diffs show which macro changed, and without
    ``indent`` the json module encodes in C, ten times faster on thousands of macros."""
    body = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    return f"[\n{body}\n]\n" if items else "[]\n"


HELPDESKS = {
    target.name: target
    for target in (
        Target(
            name="zendesk",
            file="zendesk.json",
            placeholders={
                Slot.FIRST_NAME: "{{ticket.requester.first_name}}",
                Slot.AGENT_NAME: "{{current_user.first_name}}",
            },
            shape=_zendesk,
        ),
        Target(
            name="gorgias",
            file="gorgias.json",
            placeholders={
                Slot.FIRST_NAME: "{{ticket.customer.firstname}}",
                Slot.AGENT_NAME: "{{current_user.firstname}}",
            },
            shape=_gorgias,
        ),
        Target(name="helpscout", file="helpscout.json", placeholders={}, shape=_helpscout),
        Target(
            name="freshdesk",
            file="freshdesk.json",
            placeholders={
                Slot.FIRST_NAME: "{{ticket.requester.firstname}}",
                Slot.AGENT_NAME: "{{ticket.agent.name}}",
            },
            shape=_freshdesk,
        ),
        Target(
            name="espanso",
            file="espanso.yml",
            placeholders={
                Slot.FIRST_NAME: "{{" + _FORM + ".first_name}}",
                Slot.AGENT_NAME: "{{" + _FORM + ".agent_name}}",
            },
            shape=_espanso,
        ),
    )
}
FILES = {target.file: target for target in HELPDESKS.values()}


def csv_table(macros: tuple[Macro, ...]) -> bytes:
    """Every macro as a CSV row, for spreadsheets and helpdesks that import CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "title", "version", "article", "health", "text"])
    for macro in macros:
        writer.writerow(
            [macro.id, macro.title, macro.version, macro.article, macro.health, macro.text]
        )
    return out.getvalue().encode()


def json_index(macros: tuple[Macro, ...]) -> bytes:
    """Every macro as JSON (what the HTTP API's ``/macros`` serves)."""
    items = [
        {
            "id": m.id,
            "title": m.title,
            "version": m.version,
            "article": m.article,
            "health": m.health,
            "text": m.text,
        }
        for m in macros
    ]
    return json_lines(items).encode()
