"""``spikecontent macros push``: put the exported macros into a helpdesk through its API.

The push reads the import file ``export`` wrote, lists what the helpdesk holds (every page),
and plans per macro, by a stable identity (never by title: the vendor's external id or
description where it has one, else the ledger of what this tool made, see
:mod:`spikecontent.push.ledger`): create what is missing,
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

from spikecontent.pipeline.generations import private_folder
from spikecontent.push.client import Api, PushError
from spikecontent.push.ledger import Ledger, body_digest
from spikecontent.push.vendors import VENDORS, Account, Vendor, credentials
from spikecontent.writers.macros import INDEX

__all__ = ["VENDORS", "Action", "Held", "PushError", "PushReport", "Step", "plan", "push"]


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


@attrs.frozen(kw_only=True)
class Held:
    """One of our macros as the helpdesk holds it: its id there, and either its current
    body (a helpdesk that keeps our identity) or the digest of the body last sent (a
    helpdesk whose macros only the ledger knows)."""

    remote: int | str
    body: dict[str, Any] | None = None
    digest: str | None = None

    def holds(self, body: dict[str, Any]) -> bool:
        """Whether the helpdesk already holds ``body``."""
        if self.body is not None:
            return self.body == body
        return self.digest == body_digest(body)


def plan(
    wanted: list[tuple[str, dict[str, Any]]], held: Mapping[str, Held], *, prune: bool
) -> tuple[Step, ...]:
    """The steps that make the helpdesk, holding ``held`` (ours, by macro id), hold
    ``wanted`` (macro id and body, in file order)."""
    ours = dict(held)
    steps = []
    for ident, body in wanted:
        title = _title(body)
        existing = ours.pop(ident, None)
        if existing is None:
            steps.append(Step(action=Action.CREATE, macro=ident, title=title, body=body))
        elif not existing.holds(body):
            steps.append(
                Step(
                    action=Action.UPDATE,
                    macro=ident,
                    title=title,
                    remote=existing.remote,
                    body=body,
                )
            )
        else:
            steps.append(
                Step(action=Action.UNCHANGED, macro=ident, title=title, remote=existing.remote)
            )
    if prune:
        for ident, item in sorted(ours.items()):
            title = _title(item.body) if item.body is not None else ident
            steps.append(Step(action=Action.RETIRE, macro=ident, title=title, remote=item.remote))
    return tuple(steps)


def _title(body: dict[str, Any]) -> str:
    # Zendesk and Freshdesk call it a title, Gorgias and Help Scout a name.
    return str(body.get("title") or body.get("name"))


def push(
    target: str,
    macros_folder: Path,
    *,
    dry_run: bool = False,
    prune: bool = False,
    environ: Mapping[str, str] | None = None,
    api_factory: Callable[[str, Any], Api] = Api,
    ledgers: Path | None = None,
) -> PushReport:
    """Push ``macros_folder``'s import file for ``target`` (a key of :data:`VENDORS`).

    ``ledgers`` is where the push remembers what it made in helpdesks that keep no
    identity of ours (default: ``push/`` in the private folder beside the output folder
    that holds ``macros_folder``, which outlives the export's generations). Raises
    :class:`PushError` for a missing file or variable, or a refused request; then
    ``error.written`` names what had been written before it.
    """
    vendor = VENDORS[target]
    items = _read(macros_folder / vendor.file)
    account = credentials(vendor, environ)
    api = api_factory(account.base_url, account.auth)
    ledger: Ledger | None = None
    if vendor.identity is None:
        folder = ledgers if ledgers is not None else private_folder(macros_folder.parent) / "push"
        ledger = Ledger.open(folder, vendor.name, account.key)
    written: list[Step] = []
    try:
        wanted = _wanted(vendor, items, macros_folder)
        vendor.prepare(api, account, [body for _, body in wanted])
        listed = list(vendor.list_all(api, account))
        held = _held(vendor, listed, ledger)
        steps = plan(wanted, held, prune=prune)
        if not dry_run:
            for step in steps:
                if _apply(api, vendor, account, ledger, step):
                    written.append(step)
    except PushError as error:
        error.written = tuple(f"{step.action.value} {step.macro}" for step in written)
        raise
    finally:
        api.close()
    return PushReport(target=target, steps=steps, written=tuple(written), dry_run=dry_run)


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise PushError(f"{path} is missing: run spikecontent export first")
    try:
        items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise PushError(f"{path}: not JSON ({error}); run spikecontent export again") from None
    return items


def _wanted(
    vendor: Vendor, items: list[dict[str, Any]], macros_folder: Path
) -> list[tuple[str, dict[str, Any]]]:
    if vendor.identity is not None:
        wanted = []
        for item in items:
            ident = vendor.identity(item)
            if ident is None:
                raise PushError(f"{vendor.file}: an item without a spikecontent identity")
            wanted.append((ident, vendor.body(item)))
        return wanted
    # The vendor's file holds no identity: the export's index lists the same macros in the
    # same order, with their ids.
    index = _read(macros_folder / INDEX)
    bodies = [vendor.body(item) for item in items]
    if len(index) != len(bodies) or any(
        entry["title"] != _title(body) for entry, body in zip(index, bodies, strict=True)
    ):
        raise PushError(
            f"{vendor.file} and {INDEX} do not list the same macros: run spikecontent export"
        )
    return [(entry["id"], body) for entry, body in zip(index, bodies, strict=True)]


def _held(vendor: Vendor, listed: list[dict[str, Any]], ledger: Ledger | None) -> dict[str, Held]:
    if ledger is None:
        assert vendor.identity is not None
        held: dict[str, Held] = {}
        for item in listed:
            ident = vendor.identity(item)
            if ident is not None and ident not in held:
                held[ident] = Held(remote=item["id"], body=vendor.body(item))
        return held
    # Only what the ledger says we made, and the helpdesk still has (one deleted by hand
    # is made again).
    present = {str(item["id"]) for item in listed}
    return {
        macro: Held(remote=entry.remote, digest=entry.digest)
        for macro, entry in ledger.entries.items()
        if str(entry.remote) in present
    }


def _apply(api: Api, vendor: Vendor, account: Account, ledger: Ledger | None, step: Step) -> bool:
    collection = vendor.collection(account)
    body = step.body or {}
    if step.action is Action.CREATE:
        reply = api.send("POST", collection, json=vendor.wrap(body), macro=step.macro)
        if ledger is not None:
            ledger.record(step.macro, vendor.created_id(reply), body_digest(body))
    elif step.action is Action.UPDATE:
        path = f"{collection}/{step.remote}"
        api.request("PUT", path, json=vendor.wrap(body), macro=step.macro)
        if ledger is not None and step.remote is not None:
            ledger.record(step.macro, step.remote, body_digest(body))
    elif step.action is Action.RETIRE and step.remote is not None:
        if vendor.retire is not None:
            vendor.retire(api, account, step.remote, step.macro)
        else:
            api.request("DELETE", f"{collection}/{step.remote}", macro=step.macro)
        if ledger is not None:
            ledger.forget(step.macro)
    else:
        return False
    return True
