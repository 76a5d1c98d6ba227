"""``spikecontent macros push``: put the exported macros into a helpdesk through its API.

The push reads the import file ``export`` wrote, lists what the helpdesk holds (every page),
and plans per macro, by a stable identity (never by title): create what is missing,
update what differs, leave what is equal, and with ``prune`` retire macros this tool made
that the content no longer has. Each write is independent and keyed by identity, so a
push cut off half-way is finished by running it again.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from spikecontent.push.client import Api, PushError
from spikecontent.push.vendors import VENDORS, Vendor, credentials

__all__ = ["VENDORS", "Action", "PushError", "PushReport", "Step", "plan", "push"]


class Action(enum.Enum):
    """What a push does to one macro."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    RETIRE = "retire"


@attrs.frozen(kw_only=True)
class Step:
    """One macro's action; ``remote`` is the helpdesk's id when it has the macro."""

    action: Action
    macro: str
    title: str
    remote: int | str | None = None
    body: dict[str, Any] | None = None


@attrs.frozen(kw_only=True)
class PushReport:
    """What a push did (or, dry, would do)."""

    target: str
    steps: tuple[Step, ...]
    written: tuple[Step, ...] = ()
    """The writes that were made, in order."""
    dry_run: bool = False

    def count(self, action: Action) -> int:
        """How many macros get ``action``."""
        return sum(step.action is action for step in self.steps)


def plan(
    vendor: Vendor, wanted: list[dict[str, Any]], held: list[dict[str, Any]], *, prune: bool
) -> tuple[Step, ...]:
    """The steps that make ``held`` (the helpdesk's macros) hold ``wanted``."""
    ours: dict[str, dict[str, Any]] = {}
    for item in held:
        ident = vendor.identity(item)
        if ident is not None:
            ours.setdefault(ident, item)
    steps = []
    for item in wanted:
        ident = vendor.identity(item)
        if ident is None:
            raise PushError(f"{vendor.file}: an item without a spikecontent identity")
        body = vendor.body(item)
        title = _title(body)
        existing = ours.pop(ident, None)
        if existing is None:
            steps.append(Step(action=Action.CREATE, macro=ident, title=title, body=body))
        elif vendor.body(existing) != body:
            steps.append(
                Step(
                    action=Action.UPDATE, macro=ident, title=title, remote=existing["id"], body=body
                )
            )
        else:
            steps.append(
                Step(action=Action.UNCHANGED, macro=ident, title=title, remote=existing["id"])
            )
    if prune:
        for ident, item in sorted(ours.items()):
            title = _title(vendor.body(item))
            steps.append(Step(action=Action.RETIRE, macro=ident, title=title, remote=item["id"]))
    return tuple(steps)


def _title(body: dict[str, Any]) -> str:
    # Zendesk calls it a title, Gorgias a name.
    return str(body.get("title") or body.get("name"))


def push(
    target: str,
    macros_folder: Path,
    *,
    dry_run: bool = False,
    prune: bool = False,
    environ: Mapping[str, str] | None = None,
    api_factory: Callable[[str, Any], Api] = Api,
) -> PushReport:
    """Push ``macros_folder``'s import file for ``target`` (a key of :data:`VENDORS`).

    Raises :class:`PushError` for a missing file or variable, or a refused request; then
    ``error.written`` names what had been written before it.
    """
    vendor = VENDORS[target]
    path = macros_folder / vendor.file
    if not path.is_file():
        raise PushError(f"{path} is missing: run spikecontent export first")
    wanted: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    base_url, auth = credentials(vendor, environ)
    api = api_factory(base_url, auth)
    written: list[Step] = []
    try:
        steps = plan(vendor, wanted, list(vendor.list_all(api)), prune=prune)
        if not dry_run:
            for step in steps:
                if _apply(api, vendor, step):
                    written.append(step)
    except PushError as error:
        error.written = tuple(f"{step.action.value} {step.macro}" for step in written)
        raise
    finally:
        api.close()
    return PushReport(target=target, steps=steps, written=tuple(written), dry_run=dry_run)


def _apply(api: Api, vendor: Vendor, step: Step) -> bool:
    collection = vendor.collection
    if step.action is Action.CREATE:
        api.request("POST", collection, json=vendor.wrap(step.body or {}), macro=step.macro)
    elif step.action is Action.UPDATE:
        path = f"{collection}/{step.remote}"
        api.request("PUT", path, json=vendor.wrap(step.body or {}), macro=step.macro)
    elif step.action is Action.RETIRE:
        api.request("DELETE", f"{collection}/{step.remote}", macro=step.macro)
    else:
        return False
    return True
