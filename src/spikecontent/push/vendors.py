"""The helpdesks ``spikecontent macros push`` knows: where their macros live, how they are
listed (with pagination), and by what each is recognised as one of ours.

Written from the vendors' API references (cited in docs/support-macros.md): Zendesk's
Macros API and cursor pagination, Gorgias' Macro object and cursor pagination, Help
Scout's saved replies (Mailbox API 2.0), Freshdesk's canned responses and their folders
(API v2, pages linked by ``Link: <...>; rel="next"``).
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any, Final

import attrs
import httpx

from spikecontent.links import is_loopback_host
from spikecontent.push.client import Api, PushError, Reply, Secrets
from spikecontent.push.ledger import reply_mark
from spikecontent.writers.macros.targets import FRESHDESK, GORGIAS, HELPSCOUT, ZENDESK, Target

__all__ = ["MAX_PAGES", "VENDORS", "Account", "Bearer", "Vendor", "credentials"]

_PAGE: Final = 100
MAX_PAGES: Final = 1_000
"""Pages of one list a push reads at most (100,000 macros at 100 a page): a helpdesk that
pages on and on stops the push instead of running it forever."""


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
    secrets: Secrets = attrs.field(repr=False, factory=Secrets)
    """What no message may show (see :meth:`Secrets.redact`)."""


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
    body = reply.body.get("macro", reply.body) if isinstance(reply.body, dict) else None
    if not isinstance(body, dict) or not _is_id(body.get("id")):
        reply.unexpected("without the new record's id")
    ident: int | str = body["id"]
    return ident


def _is_id(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and bool(value)
    )


def _records(reply: Reply, items: object, what: str) -> list[dict[str, Any]]:
    """``items`` when it is a list of records with an id; else the push stops."""
    if not isinstance(items, list):
        reply.unexpected(f"without a list of {what}")
    for item in items:
        if not isinstance(item, dict) or not _is_id(item.get("id")):
            reply.unexpected(f"with an item of {what} that has no id")
    return items


def _fetched(api: Api, path: str, what: str) -> dict[str, Any]:
    """The one record at ``path``; the push stops when the answer is not ``what``."""
    reply = api.send("GET", path)
    if not isinstance(reply.body, dict):
        reply.unexpected(f"that is not {what}")
    found: dict[str, Any] = reply.body
    return found


def _field(reply: Reply, name: str) -> Any:
    """The field ``name`` of the answer's object; the push stops when there is none."""
    if not isinstance(reply.body, dict) or name not in reply.body:
        reply.unexpected(f'without "{name}"')
    return reply.body[name]


class _Pages:
    """The cursors (or next-page links) one list has followed: the same one twice, or
    more than :data:`MAX_PAGES` pages, stops the push."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def follow(self, reply: Reply, cursor: object) -> str:
        if not isinstance(cursor, str) or not cursor:
            reply.unexpected("with more pages but no cursor to them")
        if cursor in self.seen:
            raise PushError(
                f"{reply.request}: the helpdesk gave the cursor {cursor[:40]!r} again after"
                f" {len(self.seen) + 1} pages; stopped, as following it would never end"
            )
        if len(self.seen) + 1 >= MAX_PAGES:
            raise PushError(
                f"{reply.request}: more than {MAX_PAGES:,} pages; stopped (a helpdesk that"
                " pages on and on, or far more macros than a push is made for)"
            )
        self.seen.add(cursor)
        return cursor


@attrs.frozen(kw_only=True)
class Vendor:
    """One helpdesk's macro API, beside the writer's row of that helpdesk."""

    helpdesk: Target
    """The helpdesk as the macros writer knows it: its name, the import file ``export``
    wrote for it, and where that file and the API keep our identity."""
    secrets: tuple[str, ...]
    """Environment variables besides ``SPIKECONTENT_<NAME>_URL``, in auth order."""
    scope: tuple[str, ...] = ()
    """Environment variables that name the part of the account pushed to (not secret)."""
    collection: Callable[[Account], str]
    """The path of the macro collection, e.g. ``/api/v2/macros``: creates go there, and
    one macro is ``<collection>/<id>``."""
    list_all: Callable[[Api, Account], Iterator[dict[str, Any]]]
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
    host: re.Pattern[str]
    """The host of the vendor's API, in the form its documentation gives."""
    host_form: str
    """The same, for people: ``<subdomain>.zendesk.com``."""
    fetch: Callable[[Api, Account, int | str], dict[str, Any]] | None = None
    """One record as the helpdesk holds it now (for a helpdesk the ledger knows: checked
    before a retirement)."""
    mark: Callable[[dict[str, Any]], str] | None = None
    """What identifies a body as the one sent, in a form the helpdesk's rewriting of its
    HTML leaves alone (see :func:`~spikecontent.push.ledger.reply_mark`)."""

    @property
    def name(self) -> str:
        """The helpdesk's name, as ``macros push`` and a profile's targets call it."""
        return self.helpdesk.name

    @property
    def file(self) -> str:
        """The import file ``export`` wrote, in the macros output folder."""
        return self.helpdesk.file

    @property
    def identity(self) -> Callable[[dict[str, Any]], str | None] | None:
        """Our macro id for an item (as the API returns it, or as the file holds it); None
        for a helpdesk with no field to keep it in (then a
        :class:`~spikecontent.push.ledger.Ledger` does)."""
        return self.helpdesk.identity

    def url_variable(self) -> str:
        """The environment variable holding the API's base URL."""
        return f"SPIKECONTENT_{self.name.upper()}_URL"


def credentials(
    vendor: Vendor,
    environ: Mapping[str, str] | None = None,
    *,
    insecure_loopback: bool = False,
    custom_host: str | None = None,
) -> Account:
    """The account from the environment; a :class:`PushError` naming every missing
    variable (values are never printed), or a URL :func:`check_url` refuses."""
    values = os.environ if environ is None else environ
    names = (vendor.url_variable(), *vendor.secrets, *vendor.scope)
    missing = [name for name in names if not values.get(name)]
    if missing:
        raise PushError(
            f"set {', '.join(missing)} in the environment to push to {vendor.name}"
            " (see docs/support-macros.md)"
        )
    read = {name: values[name] for name in (*names, *vendor.optional) if values.get(name)}
    base_url = check_url(
        vendor,
        values[vendor.url_variable()],
        insecure_loopback=insecure_loopback,
        custom_host=custom_host,
    )
    key = " ".join((base_url, *(values[name] for name in vendor.scope)))
    auth = vendor.auth(values)
    secrets = Secrets.of((values[name] for name in vendor.secrets), auth)
    return Account(base_url=base_url, auth=auth, values=read, key=key, secrets=secrets)


def check_url(
    vendor: Vendor, url: str, *, insecure_loopback: bool = False, custom_host: str | None = None
) -> str:
    """``url`` as the base URL of ``vendor``'s API, or a :class:`PushError`: it must be
    ``https://`` (plain ``http://`` only to a loopback address, and only with
    ``insecure_loopback``, for tests), hold no user name or password, no query and no
    fragment, and name a host of the vendor's documented form (any host with
    ``custom_host``, which must then be that host; a loopback address with
    ``insecure_loopback``). The message never quotes the URL, which may hold a secret."""
    variable = vendor.url_variable()
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError):
        raise PushError(f"{variable} is not a URL") from None
    if parsed.userinfo:
        raise PushError(
            f"{variable} holds a user name or password: remove it; the credentials come from"
            f" {', '.join(vendor.secrets)} only"
        )
    if parsed.scheme not in ("https", "http") or not parsed.host:
        raise PushError(
            f"{variable} must be an https:// URL with a host, like https://{vendor.host_form}"
        )
    if parsed.query or parsed.fragment:
        raise PushError(f"{variable} must not have a query or a fragment")
    host = parsed.host.lower()
    loopback = insecure_loopback and is_loopback_host(host)
    if parsed.scheme != "https" and not loopback:
        raise PushError(
            f"{variable} must start with https://: over http:// the credentials would cross"
            " the network in clear (only a loopback address may be reached over http, with"
            " --allow-insecure-loopback, for tests)"
        )
    if loopback:
        pass
    elif custom_host is not None:
        if host != custom_host.strip().lower().rstrip("."):
            raise PushError(
                f"{variable} names the host {host}, not the --custom-host {custom_host.strip()}"
            )
    elif not vendor.host.fullmatch(host) or parsed.port is not None or parsed.path not in ("", "/"):
        raise PushError(
            f"{variable} names {host}{'' if parsed.port is None else f':{parsed.port}'}"
            f"{parsed.path.rstrip('/')}, not {vendor.name}'s API at https://{vendor.host_form}"
            f" (its documented form); if your helpdesk is really there, say so with"
            f" --custom-host {host}"
        )
    return str(parsed.copy_with(path=parsed.path.rstrip("/") or "/")).rstrip("/")


def _subdomain_of(domain: str) -> re.Pattern[str]:
    """``<one DNS label>.<domain>``."""
    return re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\." + re.escape(domain))


def _cursor_list(
    api: Api, path: str, items: str, first: dict[str, Any], *, more: str, cursor: str, ask: str
) -> Iterator[dict[str, Any]]:
    """Every record of a cursor-paged list: the ``items`` of each page, then, while the
    page's ``meta.<more>`` is set, the next page, asked for by ``meta.<cursor>`` as the
    query parameter ``ask``."""
    params = first
    pages = _Pages()
    while True:
        reply = api.send("GET", path, params=params)
        yield from _records(reply, _field(reply, items), f'"{items}"')
        meta = reply.body.get("meta") or {}
        if not isinstance(meta, dict):
            reply.unexpected('with a "meta" that is not an object')
        if not meta.get(more):
            return
        params = {**first, ask: pages.follow(reply, meta.get(cursor))}


def _zendesk_list(api: Api, _: Account) -> Iterator[dict[str, Any]]:
    # Cursor pagination ("page[size]"): meta.has_more and meta.after_cursor.
    first = {"page[size]": _PAGE}
    return _cursor_list(
        api,
        "/api/v2/macros",
        "macros",
        first,
        more="has_more",
        cursor="after_cursor",
        ask="page[after]",
    )


def _zendesk_body(item: dict[str, Any]) -> dict[str, Any]:
    macro = item.get("macro", item)
    return {
        "title": macro["title"],
        "description": macro.get("description"),
        "active": macro.get("active", True),
        "actions": [{"field": a["field"], "value": a["value"]} for a in macro["actions"]],
    }


def _gorgias_list(api: Api, _: Account) -> Iterator[dict[str, Any]]:
    # Cursor pagination: "data", and meta.next_cursor while there are more.
    first = {"limit": _PAGE}
    return _cursor_list(
        api, "/api/macros", "data", first, more="next_cursor", cursor="next_cursor", ask="cursor"
    )


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
    reply = api.send("GET", _helpscout_replies(account))
    yield from _records(reply, reply.body, "saved replies")


def _helpscout_fetch(api: Api, account: Account, remote: int | str) -> dict[str, Any]:
    # "Get Saved Reply": id, name, text and chatText (the list shows only a preview).
    return _fetched(api, f"{_helpscout_replies(account)}/{remote}", "a saved reply")


def _helpscout_created(reply: Reply) -> int | str:
    # "201 Created" with no body: Help Scout names the new record in Resource-ID (and
    # Location, whose last segment is the id).
    named = reply.headers.get("resource-id") or str(reply.headers.get("location", ""))
    tail = named.rstrip("/").rsplit("/", 1)[-1]
    if tail:
        return int(tail) if tail.isdigit() else tail
    if not reply.body:
        reply.unexpected("without Resource-ID, Location or a body naming the new reply")
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
        reply = api.send("GET", _FRESHDESK_FOLDERS)
        folders = _FOLDERS[api] = list(_records(reply, reply.body, "folders"))
    return folders


def _freshdesk_list(api: Api, _: Account) -> Iterator[dict[str, Any]]:
    # Responses are listed per folder; a folder's list is paged by a Link rel="next".
    for folder in list(_freshdesk_folders(api)):
        path: str | None = f"{_FRESHDESK_FOLDERS}/{folder['id']}/responses"
        pages = _Pages()
        while path:
            reply = api.send("GET", path)
            yield from _records(reply, reply.body, "canned responses")
            path = pages.follow(reply, reply.next_page) if reply.next_page else None


def _freshdesk_fetch(api: Api, _: Account, remote: int | str) -> dict[str, Any]:
    # "View a Canned Response".
    return _fetched(api, f"/api/v2/canned_responses/{remote}", "a canned response")


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
            helpdesk=ZENDESK,
            secrets=("SPIKECONTENT_ZENDESK_EMAIL", "SPIKECONTENT_ZENDESK_TOKEN"),
            collection=lambda _: "/api/v2/macros",
            list_all=_zendesk_list,
            body=_zendesk_body,
            wrap=lambda body: {"macro": body},
            # API-token basic auth: "email/token" as the user, the token as the password.
            auth=lambda env: (
                f"{env['SPIKECONTENT_ZENDESK_EMAIL']}/token",
                env["SPIKECONTENT_ZENDESK_TOKEN"],
            ),
            # "https://{subdomain}.zendesk.com/api/v2/..." in every example of the API
            # reference; "replace {{subdomain}} with your actual subdomain".
            host=_subdomain_of("zendesk.com"),
            host_form="<subdomain>.zendesk.com",
        ),
        Vendor(
            helpdesk=GORGIAS,
            secrets=("SPIKECONTENT_GORGIAS_EMAIL", "SPIKECONTENT_GORGIAS_TOKEN"),
            collection=lambda _: "/api/macros",
            list_all=_gorgias_list,
            body=_gorgias_body,
            auth=lambda env: (env["SPIKECONTENT_GORGIAS_EMAIL"], env["SPIKECONTENT_GORGIAS_TOKEN"]),
            # "https://your-customer-account.gorgias.com/api/account" (Access Tokens).
            host=_subdomain_of("gorgias.com"),
            host_form="<account>.gorgias.com",
        ),
        Vendor(
            helpdesk=HELPSCOUT,
            secrets=("SPIKECONTENT_HELPSCOUT_TOKEN",),
            scope=("SPIKECONTENT_HELPSCOUT_MAILBOX",),
            collection=_helpscout_replies,
            list_all=_helpscout_list,
            body=_helpscout_body,
            created_id=_helpscout_created,
            auth=lambda env: Bearer(env["SPIKECONTENT_HELPSCOUT_TOKEN"]),
            # The Mailbox API has one host for every account.
            host=re.compile(re.escape("api.helpscout.net")),
            host_form="api.helpscout.net",
            fetch=_helpscout_fetch,
            mark=lambda item: reply_mark(item.get("name"), item.get("text")),
        ),
        Vendor(
            helpdesk=FRESHDESK,
            secrets=("SPIKECONTENT_FRESHDESK_API_KEY",),
            optional=("SPIKECONTENT_FRESHDESK_FOLDER",),
            collection=lambda _: "/api/v2/canned_responses",
            list_all=_freshdesk_list,
            body=_freshdesk_body,
            prepare=_freshdesk_prepare,
            retire=_freshdesk_retire,
            # The API key is the user name; the password is any letter ("X" in the docs).
            auth=lambda env: (env["SPIKECONTENT_FRESHDESK_API_KEY"], "X"),
            # "API endpoints are mapped to your account domain: https://domain.freshdesk.com",
            # and "all API requests should hit the secured endpoint, that is, only HTTPS".
            host=_subdomain_of("freshdesk.com"),
            host_form="<domain>.freshdesk.com",
            fetch=_freshdesk_fetch,
            mark=lambda item: reply_mark(item.get("title"), item.get("content_html")),
        ),
    )
}
