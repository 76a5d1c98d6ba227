"""The helpdesks ``spikecontent macros push`` knows: where their macros live, how they are
listed (with pagination), and by what each is recognised as one of ours.

Written from the vendors' API references (cited in docs/support-macros.md): Zendesk's
Macros API and cursor pagination, Gorgias' Macro object and cursor pagination, Help
Scout's saved replies (Mailbox API 2.0), Freshdesk's canned responses and their folders
(API v2, pages linked by ``Link: <...>; rel="next"``).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any, Final

import attrs
import httpx

from spikecontent.push.client import Api, PushError, Reply
from spikecontent.writers.macros.targets import identity_of

__all__ = ["VENDORS", "Account", "Bearer", "Vendor", "credentials"]

_PAGE: Final = 100


@attrs.frozen(kw_only=True)
class Account:
    """Where a push goes: the base URL, the auth, and the vendor's variables as read.

    ``key`` names the account and the part of it pushed to (Help Scout's mailbox): it keys
    the ledger of vendors that keep no metadata of ours. It holds no secret.
    """

    base_url: str
    auth: Any = attrs.field(repr=False)
    values: Mapping[str, str] = attrs.field(repr=False)
    key: str


class Bearer(httpx.Auth):
    """OAuth2 bearer-token auth (Help Scout's Mailbox API 2.0)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def _no_preparation(_api: Api, _account: Account, bodies: list[dict[str, Any]]) -> None:
    return None


def _created_id(reply: Reply) -> int | str:
    body = reply.body.get("macro", reply.body) if isinstance(reply.body, dict) else {}
    ident: int | str = body["id"]
    return ident


@attrs.frozen(kw_only=True)
class Vendor:
    """One helpdesk's macro API."""

    name: str
    file: str
    """The import file ``export`` wrote, in the macros output folder."""
    secrets: tuple[str, ...]
    """Environment variables besides ``SPIKECONTENT_<NAME>_URL``, in auth order."""
    scope: tuple[str, ...] = ()
    """Environment variables that name the part of the account pushed to (not secret)."""
    collection: Callable[[Account], str]
    """The path of the macro collection, e.g. ``/api/v2/macros``: creates go there, and
    one macro is ``<collection>/<id>``."""
    list_all: Callable[[Api, Account], Iterator[dict[str, Any]]]
    identity: Callable[[dict[str, Any]], str | None] | None
    """Our macro id for an item (as the API returns it, or as the file holds it); None for
    a helpdesk with no field to keep it in (then a :class:`~spikecontent.push.ledger.Ledger`
    does)."""
    body: Callable[[dict[str, Any]], dict[str, Any]]
    """The comparable part of an item: what a create or update sends."""
    wrap: Callable[[dict[str, Any]], Any] = lambda body: body
    """The request body for ``body`` (Zendesk wraps it in ``{"macro": ...}``)."""
    auth: Callable[[Mapping[str, str]], Any]
    created_id: Callable[[Reply], int | str] = _created_id
    """The helpdesk's id of a macro just created, from the create call's answer."""
    prepare: Callable[[Api, Account, list[dict[str, Any]]], None] = _no_preparation
    """Adjusts the bodies to the account before planning (Freshdesk's folder by name)."""
    retire: Callable[[Api, Account, int | str, str], None] | None = None
    """How a macro is retired, given its remote id and macro id; None: deleted."""
    optional: tuple[str, ...] = ()
    """Environment variables read when set."""

    def url_variable(self) -> str:
        """The environment variable holding the API's base URL."""
        return f"SPIKECONTENT_{self.name.upper()}_URL"


def credentials(vendor: Vendor, environ: Mapping[str, str] | None = None) -> Account:
    """The account from the environment; a :class:`PushError` naming every missing
    variable (values are never printed)."""
    values = os.environ if environ is None else environ
    names = (vendor.url_variable(), *vendor.secrets, *vendor.scope)
    missing = [name for name in names if not values.get(name)]
    if missing:
        raise PushError(
            f"set {', '.join(missing)} in the environment to push to {vendor.name}"
            " (see docs/support-macros.md)"
        )
    read = {name: values[name] for name in (*names, *vendor.optional) if values.get(name)}
    base_url = values[vendor.url_variable()].rstrip("/")
    key = " ".join((base_url, *(values[name] for name in vendor.scope)))
    return Account(base_url=base_url, auth=vendor.auth(values), values=read, key=key)


def _zendesk_list(api: Api, _: Account) -> Iterator[dict[str, Any]]:
    params: dict[str, Any] | None = {"page[size]": _PAGE}
    path = "/api/v2/macros"
    while True:
        page = api.request("GET", path, params=params)
        yield from (item for item in page["macros"])
        after = page.get("meta", {}).get("after_cursor")
        if not page.get("meta", {}).get("has_more") or not after:
            return
        params = {"page[size]": _PAGE, "page[after]": after}


def _zendesk_body(item: dict[str, Any]) -> dict[str, Any]:
    macro = item.get("macro", item)
    return {
        "title": macro["title"],
        "description": macro.get("description"),
        "active": macro.get("active", True),
        "actions": [{"field": a["field"], "value": a["value"]} for a in macro["actions"]],
    }


def _gorgias_list(api: Api, _: Account) -> Iterator[dict[str, Any]]:
    params: dict[str, Any] = {"limit": _PAGE}
    while True:
        page = api.request("GET", "/api/macros", params=params)
        yield from page["data"]
        cursor = page.get("meta", {}).get("next_cursor")
        if not cursor:
            return
        params = {"limit": _PAGE, "cursor": cursor}


def _gorgias_body(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": item["name"],
        "external_id": item.get("external_id"),
        "language": item.get("language"),
        "actions": [
            {
                "name": a["name"],
                "title": a.get("title"),
                "type": a.get("type"),
                "arguments": a["arguments"],
            }
            for a in item["actions"]
        ],
    }


def _helpscout_replies(account: Account) -> str:
    return f"/v2/mailboxes/{account.values['SPIKECONTENT_HELPSCOUT_MAILBOX']}/saved-replies"


def _helpscout_list(api: Api, account: Account) -> Iterator[dict[str, Any]]:
    # The list is one plain array, not paged ("List Saved Replies").
    yield from api.request("GET", _helpscout_replies(account)) or []


def _helpscout_created(reply: Reply) -> int | str:
    # "201 Created" with no body: Help Scout names the new record in Resource-ID (and
    # Location, whose last segment is the id).
    named = reply.headers.get("resource-id") or str(reply.headers.get("location", ""))
    tail = named.rstrip("/").rsplit("/", 1)[-1]
    if tail:
        return int(tail) if tail.isdigit() else tail
    return _created_id(reply)


def _helpscout_body(item: dict[str, Any]) -> dict[str, Any]:
    return {"name": item["name"], "text": item.get("text"), "chatText": item.get("chatText")}


_FRESHDESK_FOLDERS: Final = "/api/v2/canned_response_folders"
FRESHDESK_RETIRED: Final = "Retired by spikecontent"
"""The Freshdesk folder retired responses move to (its API documents no delete)."""


_FOLDERS: weakref.WeakKeyDictionary[Api, list[dict[str, Any]]] = weakref.WeakKeyDictionary()
"""The Freshdesk folders, per push's client: listed once, as every response moved into
the retired folder needs that folder's id (and each call counts against the rate limit)."""


def _freshdesk_folders(api: Api) -> list[dict[str, Any]]:
    folders = _FOLDERS.get(api)
    if folders is None:
        folders = _FOLDERS[api] = list(api.request("GET", _FRESHDESK_FOLDERS) or [])
    return folders


def _freshdesk_list(api: Api, _: Account) -> Iterator[dict[str, Any]]:
    # Responses are listed per folder; a folder's list is paged by a Link rel="next".
    for folder in list(_freshdesk_folders(api)):
        path: str | None = f"{_FRESHDESK_FOLDERS}/{folder['id']}/responses"
        while path:
            reply = api.send("GET", path)
            yield from reply.body or []
            path = reply.next_page


def _freshdesk_folder(api: Api, name: str) -> int | str:
    """The id of the folder called ``name``, made when there is none."""
    folders = _freshdesk_folders(api)
    for folder in folders:
        if folder.get("name") == name:
            ident: int | str = folder["id"]
            return ident
    made = _created_id(api.send("POST", _FRESHDESK_FOLDERS, json={"name": name}))
    folders.append({"id": made, "name": name})
    return made


def _freshdesk_prepare(api: Api, account: Account, bodies: list[dict[str, Any]]) -> None:
    name = account.values.get("SPIKECONTENT_FRESHDESK_FOLDER")
    if name:
        folder = _freshdesk_folder(api, name)
        for body in bodies:
            body["folder_id"] = folder


def _freshdesk_retire(api: Api, _: Account, remote: int | str, macro: str) -> None:
    folder = _freshdesk_folder(api, FRESHDESK_RETIRED)
    path = f"/api/v2/canned_responses/{remote}"
    api.request("PUT", path, json={"folder_id": folder}, macro=macro)


def _freshdesk_body(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": item["title"],
        "content_html": item["content_html"],
        "folder_id": item.get("folder_id"),
        "visibility": item.get("visibility"),
    }


VENDORS: Final = {
    vendor.name: vendor
    for vendor in (
        Vendor(
            name="zendesk",
            file="zendesk.json",
            secrets=("SPIKECONTENT_ZENDESK_EMAIL", "SPIKECONTENT_ZENDESK_TOKEN"),
            collection=lambda _: "/api/v2/macros",
            list_all=_zendesk_list,
            identity=lambda item: identity_of(item.get("macro", item).get("description") or ""),
            body=_zendesk_body,
            wrap=lambda body: {"macro": body},
            # API-token basic auth: "email/token" as the user, the token as the password.
            auth=lambda env: (
                f"{env['SPIKECONTENT_ZENDESK_EMAIL']}/token",
                env["SPIKECONTENT_ZENDESK_TOKEN"],
            ),
        ),
        Vendor(
            name="gorgias",
            file="gorgias.json",
            secrets=("SPIKECONTENT_GORGIAS_EMAIL", "SPIKECONTENT_GORGIAS_TOKEN"),
            collection=lambda _: "/api/macros",
            list_all=_gorgias_list,
            identity=lambda item: identity_of(item.get("external_id") or ""),
            body=_gorgias_body,
            auth=lambda env: (env["SPIKECONTENT_GORGIAS_EMAIL"], env["SPIKECONTENT_GORGIAS_TOKEN"]),
        ),
        Vendor(
            name="helpscout",
            file="helpscout.json",
            secrets=("SPIKECONTENT_HELPSCOUT_TOKEN",),
            scope=("SPIKECONTENT_HELPSCOUT_MAILBOX",),
            collection=_helpscout_replies,
            list_all=_helpscout_list,
            identity=None,
            body=_helpscout_body,
            created_id=_helpscout_created,
            auth=lambda env: Bearer(env["SPIKECONTENT_HELPSCOUT_TOKEN"]),
        ),
        Vendor(
            name="freshdesk",
            file="freshdesk.json",
            secrets=("SPIKECONTENT_FRESHDESK_API_KEY",),
            optional=("SPIKECONTENT_FRESHDESK_FOLDER",),
            collection=lambda _: "/api/v2/canned_responses",
            list_all=_freshdesk_list,
            identity=None,
            body=_freshdesk_body,
            prepare=_freshdesk_prepare,
            retire=_freshdesk_retire,
            # The API key is the user name; the password is any letter ("X" in the docs).
            auth=lambda env: (env["SPIKECONTENT_FRESHDESK_API_KEY"], "X"),
        ),
    )
}
