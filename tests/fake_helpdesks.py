"""Local stand-ins for the helpdesks' macro APIs, written from each vendor's documentation
(docs/support-macros.md cites the pages): the paths, Basic auth, the fields a create call
requires, the cursor pagination, and a 429 with ``Retry-After`` on demand. They keep the
macros in memory and count every write; they bind 127.0.0.1 and call nothing."""

from __future__ import annotations

import base64
import http.server
import itertools
import json
import threading
from typing import Any
from urllib.parse import parse_qs, urlparse

__all__ = ["FakeGorgias", "FakeHelpdesk", "FakeZendesk"]


class FakeHelpdesk(http.server.ThreadingHTTPServer):
    """A helpdesk with a macro collection at ``collection``, one page ``page_size`` long."""

    collection = ""
    required: tuple[str, ...] = ()

    def __init__(self, user: str, password: str, *, page_size: int = 3) -> None:
        self.expected_auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.macros: dict[int, dict[str, Any]] = {}
        self.ids = itertools.count(1001)
        self.page_size = page_size
        self.writes: list[tuple[str, int]] = []
        self.requests = 0
        self.throttle: set[int] = set()
        """Request numbers (1-based) answered 429 with Retry-After: 0."""
        self.fail_writes_after: int | None = None
        """After this many writes, every write answers 503 (a helpdesk going down)."""
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    # What differs per vendor.
    def unwrap(self, body: Any) -> dict[str, Any]:
        return dict(body)

    def wrap_one(self, macro: dict[str, Any]) -> Any:
        return macro

    def page(self, items: list[dict[str, Any]], cursor: int, more: bool) -> Any:
        raise NotImplementedError

    def cursor_of(self, query: dict[str, list[str]]) -> int:
        raise NotImplementedError

    def state(self) -> list[dict[str, Any]]:
        """The macros held, without the server's own fields, in id order."""
        return [
            {k: v for k, v in macro.items() if k not in ("id", "url", "created_at")}
            for _, macro in sorted(self.macros.items())
        ]


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
        """Auth and throttling; False when answered already."""
        server = self.server
        with server.lock:
            server.requests += 1
            number = server.requests
        if self.headers.get("Authorization") != server.expected_auth:
            self._answer(401, {"error": "Couldn't authenticate you"})
            return False
        if number in server.throttle:
            self._answer(429, {"error": "Too many requests"}, {"Retry-After": "0"})
            return False
        return True

    def _write_allowed(self) -> bool:
        server = self.server
        limit = server.fail_writes_after
        if limit is not None and len(server.writes) >= limit:
            self._answer(503, {"error": "Service unavailable"})
            return False
        return True

    def _id(self) -> int | None:
        path = urlparse(self.path).path
        rest = path.removeprefix(self.server.collection)
        return int(rest.strip("/")) if rest.strip("/").isdigit() else None

    def do_GET(self) -> None:
        if not self._gate():
            return
        server = self.server
        url = urlparse(self.path)
        if url.path != server.collection:
            self._answer(404, {"error": "Not found"})
            return
        cursor = server.cursor_of(parse_qs(url.query))
        items = [m for _, m in sorted(server.macros.items())]
        chunk = items[cursor : cursor + server.page_size]
        more = cursor + server.page_size < len(items)
        self._answer(200, server.page(chunk, cursor + server.page_size, more))

    def _body(self) -> dict[str, Any] | None:
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            macro = self.server.unwrap(json.loads(raw))
        except (ValueError, KeyError, TypeError):
            self._answer(400, {"error": "InvalidEndpoint", "description": "Bad JSON body"})
            return None
        missing = [f for f in self.server.required if not macro.get(f)]
        if missing:
            self._answer(
                422, {"error": "RecordInvalid", "description": f"{missing[0]} is required"}
            )
            return None
        return macro

    def do_POST(self) -> None:
        if self._gate() and self._write_allowed():
            self._store(None)

    def do_PUT(self) -> None:
        if not self._gate() or not self._write_allowed():
            return
        ident = self._id()
        if ident not in self.server.macros:
            self._answer(404, {"error": "RecordNotFound"})
            return
        self._store(ident)

    def _store(self, ident: int | None) -> None:
        """Create (``ident`` None) or replace a macro from the request body."""
        macro = self._body()
        if macro is None:
            return
        server = self.server
        with server.lock:
            created = ident is None
            ident = next(server.ids) if ident is None else ident
            server.macros[ident] = {**macro, "id": ident}
            server.writes.append(("create" if created else "update", ident))
        self._answer(201 if created else 200, server.wrap_one(server.macros[ident]))

    def do_DELETE(self) -> None:
        if not self._gate() or not self._write_allowed():
            return
        ident = self._id()
        server = self.server
        with server.lock:
            if ident not in server.macros:
                self._answer(404, {"error": "RecordNotFound"})
                return
            del server.macros[ident]
            server.writes.append(("delete", ident))
        self._answer(204)
