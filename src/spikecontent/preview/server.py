"""``spikecontent preview``: a local web server showing each article as readers see it.

The standard library's threading HTTP server is enough for one editor on loopback, and
keeps the preview free of the API's dependencies. Saves are watched with watchfiles (as
``serve --watch`` does); each one rebuilds the state and tells every open page through
server-sent events, and the page swaps its content in without reloading.

It answers only requests addressed to its own names (against DNS rebinding, see
:mod:`~spikecontent.preview.origins`), and holds at most ``max_streams`` event streams.
"""

from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path
from typing import Any, Final

from spikecontent.preview.origins import accepted_hosts, origin_allowed, request_host
from spikecontent.preview.pages import article_page, errors_page, index_page
from spikecontent.preview.state import PreviewState
from spikecontent.preview.streams import EventStreams, Stream, Woken
from spikecontent.saves import watch_saves

__all__ = ["PreviewServer"]

_ARTICLE: Final = re.compile(r"^/articles/([a-z0-9-]+)(/leaflet\.pdf)?$")
_HEARTBEAT_SECONDS: Final = 15.0
MAX_STREAMS: Final = 16
"""Event streams open at once, by default: one per open preview tab, and a browser
holds at most six connections to one host anyway."""
_RETRY_AFTER_SECONDS: Final = 5
_TEXT: Final = "text/plain; charset=utf-8"
_HTML: Final = "text/html; charset=utf-8"


class PreviewServer(http.server.ThreadingHTTPServer):
    """The preview of ``content`` (and the profiles in ``exporters``) on ``host:port``,
    with at most ``max_streams`` event streams open at once."""

    daemon_threads = True

    def __init__(
        self,
        content: Path,
        exporters: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8001,
        max_streams: int = MAX_STREAMS,
    ) -> None:
        self.content = content
        self.exporters = exporters
        self.state = PreviewState.build(content, exporters, 1)
        self.streams = EventStreams(max_streams)
        self.stopping = threading.Event()
        super().__init__((host, port), _Handler)
        bound, port = self.server_address[:2]
        self.hosts = accepted_hosts((host, str(bound)), port)
        """The ``Host`` values it answers; any other gets 421."""
        self.url = f"http://{host}:{port}"

    def rebuild(self) -> None:
        """Build the state again and tell every page."""
        self.state = PreviewState.build(self.content, self.exporters, self.state.version + 1)
        self.streams.wake_all()

    def watch(self) -> threading.Thread:
        """Rebuild on every save under the content or profile folders, until :meth:`stop`."""
        folders = (self.content, self.exporters)
        return watch_saves(folders, self.stopping, self.rebuild, name="spikecontent-preview-watch")

    def start(self) -> threading.Thread:
        """Serve in a background thread (tests, and the watch loop beside it)."""
        thread = threading.Thread(
            target=self.serve_forever, name="spikecontent-preview", daemon=True
        )
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop serving and watching."""
        self.stopping.set()
        self.streams.wake_all()
        self.shutdown()
        self.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, *_: Any) -> None:
        pass

    def do_GET(self) -> None:
        host = request_host(self.headers, self.server.hosts)
        if host is None:
            self._misdirected()
            return
        path = self.path.split("?", 1)[0]
        if path == "/events":
            self._events(host)
            return
        state = self.server.state
        if state.errors:
            self._send(200, errors_page(state).encode(), _HTML)
            return
        if path == "/":
            self._send(200, index_page(state).encode(), _HTML)
            return
        found = _ARTICLE.match(path)
        slugs = {a.slug for a in state.articles}
        if found is None or found.group(1) not in slugs:
            self._send(404, b"not found", _TEXT)
            return
        slug = found.group(1)
        if found.group(2):
            self._leaflet(state, slug)
            return
        pages = state.artifacts("html", slug)
        page = state.render("html", pages[0]) if pages else "the html writer is not enabled"
        self._send(200, article_page(state, slug, page).encode(), _HTML)

    def _misdirected(self) -> None:
        # Says which names it answers, and nothing of the content nor of the Host sent.
        names = ", ".join(sorted(self.server.hosts))
        body = f"misdirected request: this preview answers only to {names}\n"
        self._send(421, body.encode(), _TEXT)

    def _leaflet(self, state: PreviewState, slug: str) -> None:
        leaflets = state.artifacts("pdf", slug)
        rendered = state.render("pdf", leaflets[0]) if leaflets else "no pdf profile is enabled"
        if isinstance(rendered, bytes):
            self._send(200, rendered, "application/pdf")
        else:
            self._send(200, rendered.encode(), _TEXT)

    def _events(self, host: str) -> None:
        if not origin_allowed(self.headers, host):
            self._send(403, b"forbidden: event streams are for the preview's own pages\n", _TEXT)
            return
        stream = self.server.streams.open()
        if stream is None:
            body = b"too many event streams are open; close a preview tab or retry later\n"
            self._send(503, body, _TEXT, {"Retry-After": str(_RETRY_AFTER_SECONDS)})
            return
        try:
            self._stream(stream)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away
        finally:
            self.server.streams.close(stream)

    def _stream(self, stream: Stream) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        server = self.server
        # Read after the stream is open: a version made from here on wakes it.
        seen = server.state.version
        self._event(seen)
        while not server.stopping.is_set():
            woken = stream.wait(self.connection, _HEARTBEAT_SECONDS)
            if woken is Woken.CLOSED:
                return
            if server.state.version != seen:
                seen = server.state.version
                self._event(seen)
            elif woken is Woken.TIMEOUT:
                self.wfile.write(b": still here\n\n")  # a comment keeps proxies open
                self.wfile.flush()

    def _event(self, version: int) -> None:
        self.wfile.write(f"event: change\ndata: {version}\n\n".encode())
        self.wfile.flush()

    def _send(
        self, status: int, body: bytes, media_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
