"""uvicorn's HTTP protocol with the limits a server facing the public needs.

uvicorn (0.54, httptools) bounds neither the size nor the number of request headers and
sets no deadline for a request's head: a connection that sends nothing, or one byte a
second, holds its place for ever, and a 100 MB header is buffered whole. Its keep-alive
timeout only runs between requests. So this subclass adds what nginx calls
``large_client_header_buffers`` and ``client_header_timeout``:

- the head of a request (request line and headers) may be at most :data:`HEAD_BYTES`
  long and hold at most :data:`HEADER_COUNT` headers, else ``431`` and the connection
  closes, before more of it is read;
- it must arrive within ``header_timeout`` seconds of the connection opening (or of its
  first byte on a kept-alive connection), else ``408`` and the connection closes;
- one client address may hold at most ``max_per_client`` connections at once (what
  nginx's ``limit_conn`` does per ``$binary_remote_addr``); past that a new connection
  gets ``503`` and is closed at once, so one host cannot take every file descriptor the
  server has. Behind a proxy every connection comes from the proxy: set it to 0 (no
  limit) there and let the proxy limit its clients.

Everything else stays uvicorn's. Another maintained server (Hypercorn, Granian) has some
of these settings, but swapping servers would lose uvicorn's worker restarts that
``serve --workers`` relies on; the limits are twenty lines on uvicorn's documented
protocol class, chosen by ``uvicorn.run(http=...)``.
"""

from __future__ import annotations

import asyncio
import json
from http import HTTPStatus
from typing import Any, ClassVar, Final

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["HEADER_COUNT", "HEAD_BYTES", "BoundedHttpToolsProtocol"]

HEAD_BYTES: Final = 32 * 1024
"""Most bytes of one request's head (nginx's default is four 8 KiB buffers)."""
HEADER_COUNT: Final = 100
"""Most headers in one request (as Hypercorn and h11 servers commonly allow)."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with bounded request heads (see the module)."""

    header_timeout: ClassVar[float] = 10.0
    """Seconds a request's head may take to arrive; ``serve --header-timeout`` sets it."""
    max_per_client: ClassVar[int] = 256
    """Connections one client address may hold (0: no limit);
    ``serve --max-connections-per-client`` sets it."""
    _open: ClassVar[dict[str, int]] = {}
    """Open connections by client address, in this process (one event loop: no lock)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_bytes = 0
        self._in_head = True
        self._refused = False
        self._head_deadline: asyncio.TimerHandle | None = None
        self._address = self.client[0] if self.client else ""
        cls = type(self)
        held = cls._open.get(self._address, 0)
        cls._open[self._address] = held + 1
        if cls.max_per_client and held >= cls.max_per_client:
            self._refuse(503, f"at most {cls.max_per_client} connections from one address")
            return
        self._head_deadline = self.loop.call_later(cls.header_timeout, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        cls = type(self)
        left = cls._open.get(self._address, 1) - 1
        if left > 0:
            cls._open[self._address] = left
        else:
            cls._open.pop(self._address, None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            if self._head_deadline is None:  # the first byte of a kept-alive request
                self._head_deadline = self.loop.call_later(
                    type(self).header_timeout, self._head_too_slow
                )
            self._head_bytes += len(data)
            if self._head_bytes > HEAD_BYTES:
                self._refuse(431, f"a request's head may be at most {HEAD_BYTES} bytes")
                return
        super().data_received(data)

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(self.headers) >= HEADER_COUNT:
            self._refused = True
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_deadline()
        if self._refused:
            self._refuse(431, f"a request may carry at most {HEADER_COUNT} headers")
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self._refused:
            super().on_message_complete()

    def on_response_complete(self) -> None:
        # The next request on this connection gets its own head budget and deadline,
        # which starts at its first byte (until then, uvicorn's keep-alive timeout runs).
        self._in_head = True
        self._head_bytes = 0
        super().on_response_complete()

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self._in_head and not self.transport.is_closing():
            seconds = type(self).header_timeout
            self._refuse(408, f"the request's head did not arrive within {seconds:g} s")

    def _cancel_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _refuse(self, status: int, detail: str) -> None:
        """Answer ``status`` with the API's JSON error body, then close."""
        self._refused = True
        self._cancel_deadline()
        if self.transport.is_closing():
            return
        reason = HTTPStatus(status).phrase
        body = json.dumps({"error": reason.lower(), "detail": detail}).encode()
        head: list[Any] = [f"HTTP/1.1 {status} {reason}\r\n".encode()]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.append(
            b"content-type: application/json\r\ncontent-length: %d\r\n"
            b"connection: close\r\n\r\n" % len(body)
        )
        self.transport.write(b"".join(head) + body)
        self.transport.close()
