"""Local stand-ins for the helpdesks' macro APIs, written from each vendor's documentation
(docs/support-macros.md cites the pages): the paths, the auth header, the fields a create
call requires, the pagination, what a create answers, and a 429 with ``Retry-After`` on
demand. They keep the macros in memory and count every write; they bind 127.0.0.1 and
call nothing.

Besides what the vendors document, each can give the answers a push must survive without
a traceback, a leak or a hang (issue 42): any raw answer for a given request (an HTML page
with 200, a redirect to another server, JSON of another shape), an endless list (the same
cursor, or the same next link, on every page), a long ``Retry-After``, and a 401 whose body
echoes the ``Authorization`` header it received."""

from __future__ import annotations

import base64
import http.server
import itertools
import json
import re
import threading
from typing import Any
from urllib.parse import parse_qs, urlparse

__all__ = ["FakeFreshdesk", "FakeGorgias", "FakeHelpScout", "FakeHelpdesk", "FakeZendesk"]

Answer = tuple[int, Any, dict[str, str]]
"""Status, JSON body (None for none) and extra headers."""
Raw = tuple[int, bytes, dict[str, str]]
"""Status, body bytes as they are and headers: an answer no vendor documents."""
ENDLESS_PAGES = 200
"""How many pages an endless list gives before it ends after all: a push that follows a
repeated cursor then finishes (and its test fails) instead of hanging the suite."""


class FakeHelpdesk(http.server.ThreadingHTTPServer):
    """A helpdesk holding ``macros`` at ``collection``, its lists ``page_size`` long."""

    collection = ""
    required: tuple[str, ...] = ()

    def __init__(self, user: str, password: str, *, page_size: int = 3) -> None:
        self.expected_auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.macros: dict[int, dict[str, Any]] = {}
        self.ids = itertools.count(1001)
        self.page_size = page_size
        self.writes: list[tuple[str, int]] = []
        self.requests = 0
        self.asked: list[tuple[str, str]] = []
        """Every request's method and path, in order."""
        self.throttle: set[int] = set()
        """Request numbers (1-based) answered 429 with Retry-After: 0."""
        self.fail_writes_after: int | None = None
        """After this many writes, every write answers 503 (a helpdesk going down)."""
        self.retry_after = "0"
        """The ``Retry-After`` of the throttled answers."""
        self.raw: dict[int, Raw] = {}
        """Request numbers (1-based) answered with these bytes, whatever was asked."""
        self.endless = False
        """Lists say there is more, with the same cursor, for :data:`ENDLESS_PAGES` pages."""
        self.endless_served = 0
        self.echo_auth = False
        """A 401 quotes the ``Authorization`` header received (as some servers' debug
        messages do)."""
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def state(self) -> list[dict[str, Any]]:
        """The macros held, without the server's own fields, in id order."""
        return [
            {k: v for k, v in macro.items() if k not in ("id", "url", "created_at")}
            for _, macro in sorted(self.macros.items())
        ]

    # The routes; a vendor whose paths differ overrides answer().
    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        ident = self.id_in(path)
        if method == "GET" and path == self.collection:
            return self.list_page(query)
        if method == "GET" and ident is not None:
            return self.get_one(ident)
        if method == "POST" and path == self.collection:
            return self.create(body)
        if method == "PUT" and ident is not None:
            return self.update(ident, body)
        if method == "DELETE" and ident is not None:
            return self.delete(ident)
        return 404, {"error": "Not found"}, {}

    def id_in(self, path: str) -> int | None:
        rest = path.removeprefix(self.collection).strip("/")
        return int(rest) if path.startswith(self.collection) and rest.isdigit() else None

    # What differs per vendor.
    def unwrap(self, body: Any) -> dict[str, Any]:
        return dict(body)

    def wrap_one(self, macro: dict[str, Any]) -> Any:
        return macro

    def page(self, items: list[dict[str, Any]], cursor: int, more: bool) -> Any:
        raise NotImplementedError

    def cursor_of(self, query: dict[str, list[str]]) -> int:
        raise NotImplementedError

    def created(self, macro: dict[str, Any]) -> Answer:
        return 201, self.wrap_one(macro), {}

    def stored(self, macro: dict[str, Any]) -> dict[str, Any]:
        """What the helpdesk keeps of a body it accepted."""
        return macro

    # The shared behaviour.
    def list_page(self, query: dict[str, list[str]]) -> Answer:
        cursor = self.cursor_of(query)
        items = [m for _, m in sorted(self.macros.items())]
        if self.endless_page():
            # The first page again, saying there is more, with the cursor it was asked by.
            return 200, self.page(items[: self.page_size], cursor, True), {}
        chunk = items[cursor : cursor + self.page_size]
        more = cursor + self.page_size < len(items)
        return 200, self.page(chunk, cursor + self.page_size, more), {}

    def endless_page(self) -> bool:
        with self.lock:
            if not self.endless or self.endless_served >= ENDLESS_PAGES:
                return False
            self.endless_served += 1
            return True

    def get_one(self, ident: int) -> Answer:
        if ident not in self.macros:
            return 404, {"error": "RecordNotFound"}, {}
        return 200, self.wrap_one(self.macros[ident]), {}

    def valid(self, body: Any) -> dict[str, Any] | Answer:
        try:
            macro = self.unwrap(body)
        except (ValueError, KeyError, TypeError):
            return 400, {"error": "InvalidEndpoint", "description": "Bad JSON body"}, {}
        missing = [f for f in self.required if macro.get(f) in (None, "")]
        if missing:
            return 422, {"error": "RecordInvalid", "description": f"{missing[0]} is required"}, {}
        return macro

    def create(self, body: Any) -> Answer:
        macro = self.valid(body)
        if isinstance(macro, tuple):
            return macro
        with self.lock:
            ident = next(self.ids)
            self.macros[ident] = {**self.stored(macro), "id": ident}
            self.writes.append(("create", ident))
        return self.created(self.macros[ident])

    def update(self, ident: int, body: Any) -> Answer:
        if ident not in self.macros:
            return 404, {"error": "RecordNotFound"}, {}
        macro = self.valid(body)
        if isinstance(macro, tuple):
            return macro
        with self.lock:
            self.macros[ident] = {**self.stored(macro), "id": ident}
            self.writes.append(("update", ident))
        return 200, self.wrap_one(self.macros[ident]), {}

    def delete(self, ident: int) -> Answer:
        with self.lock:
            if ident not in self.macros:
                return 404, {"error": "RecordNotFound"}, {}
            del self.macros[ident]
            self.writes.append(("delete", ident))
        return 204, None, {}


class FakeZendesk(FakeHelpdesk):
    """``/api/v2/macros``: ``{"macro": {...}}`` bodies, ``title`` and ``actions`` required,
    cursor pagination with ``page[size]``, ``meta.has_more`` and ``meta.after_cursor``."""

    collection = "/api/v2/macros"
    required = ("title", "actions")

    def unwrap(self, body: Any) -> dict[str, Any]:
        return dict(body["macro"])

    def wrap_one(self, macro: dict[str, Any]) -> Any:
        return {"macro": macro}

    def page(self, items: list[dict[str, Any]], cursor: int, more: bool) -> Any:
        meta = {"has_more": more, "after_cursor": str(cursor) if more else None}
        return {"macros": items, "meta": meta, "links": {}}

    def cursor_of(self, query: dict[str, list[str]]) -> int:
        return int(query.get("page[after]", ["0"])[0])


class FakeGorgias(FakeHelpdesk):
    """``/api/macros``: bare bodies, ``name`` required, cursor pagination with ``limit``,
    ``cursor`` and ``meta.next_cursor``."""

    collection = "/api/macros"
    required = ("name",)

    def page(self, items: list[dict[str, Any]], cursor: int, more: bool) -> Any:
        return {
            "data": items,
            "object": "list",
            "meta": {"next_cursor": str(cursor) if more else None},
        }

    def cursor_of(self, query: dict[str, list[str]]) -> int:
        return int(query.get("cursor", ["0"])[0])


class FakeHelpScout(FakeHelpdesk):
    """Mailbox API 2.0 saved replies of mailbox ``mailbox``: OAuth2 bearer auth, ``name``
    required; the list is one plain array of ``{id, name, preview}`` (no text, no
    metadata); a create answers ``201`` with no body and the new id in ``Resource-ID``
    and ``Location``; update and delete answer ``204``."""

    required = ("name",)

    def __init__(self, token: str, *, mailbox: str = "100", **options: Any) -> None:
        self.collection = f"/v2/mailboxes/{mailbox}/saved-replies"
        super().__init__("", "", **options)
        self.expected_auth = f"Bearer {token}"

    def list_page(self, query: dict[str, list[str]]) -> Answer:
        replies = [
            {"id": ident, "name": reply["name"], "preview": _preview(reply.get("text") or "")}
            for ident, reply in sorted(self.macros.items())
        ]
        return 200, replies, {}

    def created(self, macro: dict[str, Any]) -> Answer:
        location = f"{self.url}{self.collection}/{macro['id']}"
        return 201, None, {"Resource-ID": str(macro["id"]), "Location": location}

    def update(self, ident: int, body: Any) -> Answer:
        status, _, headers = super().update(ident, body)
        return (204 if status == 200 else status), None, headers


class FakeFreshdesk(FakeHelpdesk):
    """API v2 canned responses: Basic auth with the API key and ``X``; ``title``,
    ``content_html``, ``folder_id`` and ``visibility`` required on create, the folder must
    exist; the stored HTML is wrapped in Freshdesk's own ``<div dir="ltr">`` (so what comes
    back differs from what was sent); responses are listed per folder, paged by a
    ``Link: <...>; rel="next"`` header; folders are listed and made at
    ``/api/v2/canned_response_folders``; there is no delete."""

    collection = "/api/v2/canned_responses"
    required = ("title", "content_html", "folder_id", "visibility")
    folders_path = "/api/v2/canned_response_folders"

    def __init__(self, api_key: str, **options: Any) -> None:
        super().__init__(api_key, "X", **options)
        self.folders: dict[int, str] = {7: "General"}
        self.folder_ids = itertools.count(8)

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Answer:
        if path == self.folders_path and method == "GET":
            folders = [{"id": i, "name": n, "personal": False} for i, n in self.folders.items()]
            return 200, folders, {}
        if path == self.folders_path and method == "POST":
            if not isinstance(body, dict) or not body.get("name"):
                return 400, {"description": "Validation failed", "errors": ["name"]}, {}
            with self.lock:
                ident = next(self.folder_ids)
                self.folders[ident] = body["name"]
                self.writes.append(("create folder", ident))
            return 201, {"id": ident, "name": body["name"]}, {}
        match = re.fullmatch(rf"{self.folders_path}/(\d+)/responses", path)
        if match and method == "GET":
            return self.folder_page(int(match.group(1)), query)
        if method == "DELETE":
            return 405, {"message": "DELETE is not supported"}, {}
        if method == "GET" and path == self.collection:
            return 405, {"message": "list canned responses per folder"}, {}
        return super().answer(method, path, query, body)

    def folder_page(self, folder: int, query: dict[str, list[str]]) -> Answer:
        if folder not in self.folders:
            return 404, {"code": "access_denied"}, {}
        page = int(query.get("page", ["1"])[0])
        items = [m for _, m in sorted(self.macros.items()) if m["folder_id"] == folder]
        chunk = items[(page - 1) * self.page_size : page * self.page_size]
        headers = {}
        if self.endless_page():
            url = f"{self.url}{self.folders_path}/{folder}/responses?page={page}"
            headers["Link"] = f'<{url}>; rel="next"'
        elif page * self.page_size < len(items):
            url = f"{self.url}{self.folders_path}/{folder}/responses?page={page + 1}"
            headers["Link"] = f'<{url}>; rel="next"'
        return 200, chunk, headers

    def valid(self, body: Any) -> dict[str, Any] | Answer:
        checked = super().valid(body)
        if isinstance(checked, dict) and checked["folder_id"] not in self.folders:
            return 400, {"description": "Validation failed", "errors": ["folder_id"]}, {}
        return checked

    def update(self, ident: int, body: Any) -> Answer:
        # An update may send only the fields it changes.
        if ident not in self.macros:
            return 404, {"code": "not_found"}, {}
        old = self.macros[ident]
        merged = {
            "title": old["title"],
            "content_html": _unwrap_div(old["content_html"]),
            "folder_id": old["folder_id"],
            "visibility": old["visibility"],
            **body,
        }
        return super().update(ident, merged)

    def stored(self, macro: dict[str, Any]) -> dict[str, Any]:
        html = _unwrap_div(macro["content_html"])
        return {**macro, "content_html": f'<div dir="ltr">{html}</div>'}

    def state(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in macro.items() if k != "id"}
            for _, macro in sorted(self.macros.items())
        ]


def _preview(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html).strip()[:100]


def _unwrap_div(html: str) -> str:
    prefix, suffix = '<div dir="ltr">', "</div>"
    if html.startswith(prefix) and html.endswith(suffix):
        return html[len(prefix) : -len(suffix)]
    return html


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeHelpdesk

    def log_message(self, *_: object) -> None:
        pass

    def _answer(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _gate(self) -> bool:
        """Auth, throttling and raw answers; False when answered already."""
        server = self.server
        with server.lock:
            server.requests += 1
            number = server.requests
        received = self.headers.get("Authorization")
        if received != server.expected_auth:
            echo = f" with Authorization: {received}" if server.echo_auth else ""
            self._answer(401, {"error": f"Couldn't authenticate you{echo}"})
            return False
        if number in server.throttle:
            retry = {"Retry-After": server.retry_after}
            self._answer(429, {"error": "Too many requests"}, retry)
            return False
        if number in server.raw:
            status, data, headers = server.raw[number]
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return False
        return True

    def _write_allowed(self) -> bool:
        server = self.server
        limit = server.fail_writes_after
        if limit is not None and len(server.writes) >= limit:
            self._answer(503, {"error": "Service unavailable"})
            return False
        return True

    def _serve(self, method: str) -> None:
        if not self._gate():
            return
        if method != "GET" and not self._write_allowed():
            return
        url = urlparse(self.path)
        with self.server.lock:
            self.server.asked.append((method, url.path))
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            self._answer(400, {"error": "InvalidEndpoint", "description": "Bad JSON body"})
            return
        self._answer(*self.server.answer(method, url.path, parse_qs(url.query), body))

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")
