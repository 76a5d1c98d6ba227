"""``spikecontent macros push``: put the exported macros into a helpdesk through its API.

The push reads the import file ``export`` wrote, lists what the helpdesk holds (every page),
and plans per macro, by a stable identity (never by title: the vendor's external id or
description where it has one, else the ledger of what this tool made, see
:mod:`spikecontent.push.ledger`): create what is missing,
update what differs, leave what is equal, and with ``prune`` retire macros this tool made
that the content no longer has. Each write is independent and keyed by identity, so a
push cut off half-way is finished by running it again.

What a push sends is read only as the export wrote it (:mod:`spikecontent.push.exported`),
goes only to the vendor's documented host over TLS (:func:`~spikecontent.push.vendors.check_url`),
and what it updates or retires from a ledger is first checked against the helpdesk's own
record.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from spikecontent.pipeline import private_folder
from spikecontent.push.client import DEFAULT_MAX_WAIT, Api, PushError
from spikecontent.push.exported import Export
from spikecontent.push.ledger import Ledger, body_digest
from spikecontent.push.vendors import VENDORS, Account, Vendor, credentials
from spikecontent.writers.macros import INDEX
from spikecontent.writers.macros.reply import Slot
from spikecontent.writers.macros.targets import FRESHDESK, ZENDESK

__all__ = [
    "DEFAULT_MAX_WAIT",
    "VENDORS",
    "Action",
    "Held",
    "PushError",
    "PushReport",
    "Step",
    "plan",
    "push",
]


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
    kept: tuple[tuple[Step, str], ...] = ()
    """Updates and retirements not made, each with why: the helpdesk's record is not what
    this tool sent (a ledger claiming a reply it did not make, or a reply edited there)."""

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
    mark: str | None = None
    """The ledger's mark of the body last sent (:func:`~spikecontent.push.ledger.reply_mark`)."""

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
    api_factory: Callable[..., Api] = Api,
    ledgers: Path | None = None,
    out: Path | None = None,
    insecure_loopback: bool = False,
    custom_host: str | None = None,
    max_wait: float = DEFAULT_MAX_WAIT,
) -> PushReport:
    """Push ``macros_folder``'s import file for ``target`` (a key of :data:`VENDORS`).

    ``out`` is the output folder the export wrote (default: ``macros_folder``'s parent);
    each file read must be as that export recorded it. ``ledgers`` is where the push
    remembers what it made in helpdesks that keep no identity of ours (default: ``push/``
    in the private folder beside the output folder, which outlives the export's
    generations). The helpdesk's URL must be ``https://`` on the vendor's documented host
    (``custom_host``: that host instead; ``insecure_loopback``: a loopback address, also
    over ``http://``, for tests). Waiting for a helpdesk that asks to (429, 5xx) takes at
    most ``max_wait`` seconds in all. ``api_factory`` is called with the base URL, the
    auth and the keywords ``max_wait`` and ``secrets``.

    Raises :class:`PushError` for a missing or changed file, a missing or refused
    setting, a refused request or an answer the vendor does not document; then
    ``error.written`` names what had been written before it.
    """
    vendor = VENDORS[target]
    out = macros_folder.parent if out is None else out
    account = credentials(
        vendor, environ, insecure_loopback=insecure_loopback, custom_host=custom_host
    )
    # Every file is read, and checked, before anything is asked of the helpdesk.
    wanted = _wanted(vendor, Export(out), macros_folder.relative_to(out).as_posix(), account)
    ledger: Ledger | None = None
    if vendor.identity is None:
        folder = ledgers if ledgers is not None else private_folder(out) / "push"
        ledger = Ledger.open(folder, vendor.name, account.key)
    api = api_factory(account.base_url, account.auth, max_wait=max_wait, secrets=account.secrets)
    written: list[Step] = []
    kept: list[tuple[Step, str]] = []
    try:
        vendor.prepare(api, account, [body for _, body in wanted])
        listed = list(vendor.list_all(api, account))
        held = _held(api, vendor, listed, ledger)
        steps = plan(wanted, held, prune=prune)
        if ledger is not None:
            steps, kept = _checked_writes(api, vendor, account, held, steps)
        if not dry_run:
            if ledger is not None:
                _mark_unchanged(vendor, ledger, steps, dict(wanted))
            for step in steps:
                if _apply(api, vendor, account, ledger, step):
                    written.append(step)
    except PushError as error:
        error.written = tuple(f"{step.action.value} {step.macro}" for step in written)
        raise
    finally:
        api.close()
    return PushReport(
        target=target, steps=steps, written=tuple(written), dry_run=dry_run, kept=tuple(kept)
    )


def _items(export: Export, relative: str) -> list[dict[str, Any]]:
    items = export.json(relative)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise PushError(f"{export.out / relative}: not a list of macros; run spikecontent export")
    return items


def _wanted(
    vendor: Vendor, export: Export, folder: str, account: Account
) -> list[tuple[str, dict[str, Any]]]:
    if vendor.identity is not None:
        wanted = []
        for item in _items(export, f"{folder}/{vendor.file}"):
            ident = vendor.identity(item)
            if ident is None:
                raise PushError(f"{vendor.file}: an item without a spikecontent identity")
            wanted.append((ident, vendor.body(item)))
        return wanted
    # The vendor's file holds no identity: the export's index lists the same macros in the
    # same order, with their ids.
    index = _items(export, f"{folder}/{INDEX}")
    if vendor.helpdesk is FRESHDESK and not export.has(f"{folder}/{vendor.file}"):
        if (export.out / folder / vendor.file).exists():
            export.read(f"{folder}/{vendor.file}")  # refused: put there after the export
        bodies = _freshdesk_bodies(export, folder, index, account)
    else:
        bodies = [vendor.body(item) for item in _items(export, f"{folder}/{vendor.file}")]
    if len(index) != len(bodies) or any(
        entry.get("title") != _title(body) for entry, body in zip(index, bodies, strict=True)
    ):
        raise PushError(
            f"{vendor.file} and {INDEX} do not list the same macros: run spikecontent export"
        )
    return [(str(entry["id"]), body) for entry, body in zip(index, bodies, strict=True)]


_PLACEHOLDER: Final = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _freshdesk_bodies(
    export: Export, folder: str, index: list[dict[str, Any]], account: Account
) -> list[dict[str, Any]]:
    """Freshdesk's bodies when the export wrote no ``freshdesk.json`` (its profile names no
    folder id, which belongs to one account): from ``zendesk.json``, whose HTML replies are
    made from the same content with the same lines, its placeholders replaced by
    Freshdesk's (both are Liquid; the writer's own placeholder table says which), the
    titles from the index, Freshdesk's default visibility (0, all agents), and the folder
    named by ``SPIKECONTENT_FRESHDESK_FOLDER`` (filled in by the vendor's ``prepare``)."""
    if not account.values.get("SPIKECONTENT_FRESHDESK_FOLDER"):
        raise PushError(
            f"{FRESHDESK.file} was not exported, as the macros profile names no"
            " freshdesk_folder_id: set SPIKECONTENT_FRESHDESK_FOLDER to the name of the folder"
            " to push into, or set freshdesk_folder_id in the profile and export again"
        )
    zendesk = f"{folder}/{ZENDESK.file}"
    if not export.has(zendesk):
        raise PushError(
            f"{FRESHDESK.file} was not exported (the macros profile names no"
            f" freshdesk_folder_id) and neither was {ZENDESK.file}, which it can be made from:"
            f" set freshdesk_folder_id or keep {ZENDESK.name} in the profile's targets, and"
            " export again"
        )
    items = _items(export, zendesk)
    if len(items) != len(index):
        raise PushError(f"{ZENDESK.file} and {INDEX} do not list the same macros: export again")
    pairs = _zendesk_to_freshdesk()
    allowed = {t for _, theirs in pairs for t in _PLACEHOLDER.findall(theirs)}
    pairs = [(ours, theirs) for ours, theirs in pairs if ours != theirs]
    bodies = []
    for item, entry in zip(items, index, strict=True):
        macro = item.get("macro") or {}
        if ZENDESK.identity is None or ZENDESK.identity(item) != entry.get("id"):
            raise PushError(f"{ZENDESK.file} and {INDEX} do not list the same macros: export again")
        html = next(
            (
                a.get("value")
                for a in macro.get("actions", [])
                if a.get("field") == "comment_value_html"
            ),
            None,
        )
        if not isinstance(html, str):
            raise PushError(f"{ZENDESK.file}: macro {entry.get('id')} has no HTML reply")
        for ours, theirs in pairs:
            html = html.replace(ours, theirs)
        if not set(_PLACEHOLDER.findall(html)) <= allowed:
            raise PushError(
                f"{ZENDESK.file}: macro {entry.get('id')} holds placeholders the push cannot"
                " turn into Freshdesk's: set freshdesk_folder_id in the profile and export again"
            )
        bodies.append(
            {"title": entry.get("title"), "content_html": html, "folder_id": None, "visibility": 0}
        )
    return bodies


def _zendesk_to_freshdesk() -> list[tuple[str, str]]:
    """Each piece of Zendesk's placeholders, with Freshdesk's in its place (some pieces
    are the same in both)."""
    zendesk, freshdesk = ZENDESK, FRESHDESK
    pairs: list[tuple[str, str]] = []
    if zendesk.first_name is not None and freshdesk.first_name is not None:
        # The first name with its fallback, around the fallback (the same in both).
        pairs += zip(
            zendesk.first_name("\x00").split("\x00"),
            freshdesk.first_name("\x00").split("\x00"),
            strict=True,
        )
    else:
        pairs.append(
            (zendesk.placeholders[Slot.FIRST_NAME], freshdesk.placeholders[Slot.FIRST_NAME])
        )
    pairs.append((zendesk.placeholders[Slot.AGENT_NAME], freshdesk.placeholders[Slot.AGENT_NAME]))
    return pairs


def _held(
    api: Api, vendor: Vendor, listed: list[dict[str, Any]], ledger: Ledger | None
) -> dict[str, Held]:
    if ledger is None:
        assert vendor.identity is not None
        held: dict[str, Held] = {}
        for item in listed:
            try:
                ident = vendor.identity(item)
                if ident is not None and ident not in held:
                    held[ident] = Held(remote=item["id"], body=vendor.body(item))
            except (AttributeError, KeyError, TypeError):
                raise PushError(
                    f"{vendor.name}: a listed macro (id {item.get('id')!r}) is not shaped as"
                    f" the API documents: {api.secrets.excerpt(str(item))}"
                ) from None
        return held
    # Only what the ledger says we made, and the helpdesk still has (one deleted by hand
    # is made again).
    present = {str(item["id"]) for item in listed}
    return {
        macro: Held(remote=entry.remote, digest=entry.digest, mark=entry.mark)
        for macro, entry in ledger.entries.items()
        if str(entry.remote) in present
    }


_CHECKED: Final = (Action.UPDATE, Action.RETIRE)
"""The writes to a reply that exists, which a ledger could aim at one this tool did not
make: each is made only when the helpdesk's record still has the ledger's mark."""


def _checked_writes(
    api: Api, vendor: Vendor, account: Account, held: Mapping[str, Held], steps: tuple[Step, ...]
) -> tuple[tuple[Step, ...], list[tuple[Step, str]]]:
    """``steps`` without the updates and retirements of replies whose record in the
    helpdesk is not what this tool last sent, and those, each with why."""
    assert vendor.fetch is not None
    assert vendor.mark is not None
    checked: list[Step] = []
    kept: list[tuple[Step, str]] = []
    for step in steps:
        if step.action not in _CHECKED or step.remote is None:
            checked.append(step)
            continue
        mark = held[step.macro].mark
        if mark is None:
            kept.append((step, "the ledger, from an older version, keeps no mark to check it by"))
            continue
        record = vendor.fetch(api, account, step.remote)
        if vendor.mark(record) != mark:
            kept.append(
                (
                    step,
                    f"{vendor.name}'s record {step.remote} is not the reply this tool sent (edited"
                    " there, or the ledger names a reply this tool did not make)",
                )
            )
            continue
        checked.append(step)
    return tuple(checked), kept


def _mark_unchanged(
    vendor: Vendor, ledger: Ledger, steps: tuple[Step, ...], bodies: Mapping[str, dict[str, Any]]
) -> None:
    # A ledger from before marks were kept gets the mark of each body it still holds.
    assert vendor.mark is not None
    for step in steps:
        entry = ledger.entries.get(step.macro)
        if step.action is Action.UNCHANGED and entry is not None and entry.mark is None:
            ledger.record(step.macro, entry.remote, entry.digest, vendor.mark(bodies[step.macro]))


def _apply(api: Api, vendor: Vendor, account: Account, ledger: Ledger | None, step: Step) -> bool:
    collection = vendor.collection(account)
    body = step.body or {}
    mark = vendor.mark(body) if vendor.mark is not None else None
    if step.action is Action.CREATE:
        reply = api.send("POST", collection, json=vendor.wrap(body), macro=step.macro)
        if ledger is not None:
            ledger.record(step.macro, vendor.created_id(reply), body_digest(body), mark)
    elif step.action is Action.UPDATE:
        path = f"{collection}/{step.remote}"
        api.request("PUT", path, json=vendor.wrap(body), macro=step.macro)
        if ledger is not None and step.remote is not None:
            ledger.record(step.macro, step.remote, body_digest(body), mark)
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
