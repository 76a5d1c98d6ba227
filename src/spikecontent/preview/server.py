"""``spikecontent preview``: a local web server showing each article as readers see it.

The standard library's threading HTTP server is enough for one editor on loopback, and
keeps the preview free of the API's dependencies. Saves are watched with watchfiles (as
``serve --watch`` does); each one rebuilds the state and tells every open page through
server-sent events, and the page swaps its content in without reloading.
"""

from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path
from typing import Any, Final

from spikecontent.preview.pages import article_page, errors_page, index_page
from spikecontent.preview.state import PreviewState
from spikecontent.saves import saved_files

__all__ = ["PreviewServer"]

_ARTICLE: Final = re.compile(r"^/articles/([a-z0-9-]+)(/leaflet\.pdf)?$")
_HEARTBEAT_SECONDS: Final = 15.0


class PreviewServer(http.server.ThreadingHTTPServer):
    """The preview of ``content`` (and the profiles in ``exporters``) on ``host:port``."""

    daemon_threads = True

    def __init__(
        self, content: Path, exporters: Path, *, host: str = "127.0.0.1", port: int = 8001
    ) -> None:
        self.content = content
        self.exporters = exporters
        self.state = PreviewState.build(content, exporters, 1)
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        super().__init__((host, port), _Handler)
        self.url = f"http://{host}:{self.server_address[1]}"

    def rebuild(self) -> None:
        """Build the state again and tell every page."""
        state = PreviewState.build(self.content, self.exporters, self.state.version + 1)
        with self.changed:
            self.state = state
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """The state's version once it is no longer ``seen`` (or ``timeout`` passed)."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.state.version != seen or self.stopping.is_set(), timeout=timeout
            )
            return self.state.version

    def watch(self) -> threading.Thread:
        """Rebuild on every save under the content or profile folders, until :meth:`stop`."""
        from watchfiles import watch

        def run() -> None:
            folders = [str(p) for p in (self.content, self.exporters) if p.exists()]
            for changes in watch(*folders, stop_event=self.stopping, debounce=100, step=20):
                if saved_files(changes):  # not only temporary files that came and went
                    self.rebuild()

        thread = threading.Thread(target=run, name="spikecontent-preview-watch", daemon=True)
        thread.start()
        return thread

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
        with self.changed:
            self.changed.notify_all()
        self.shutdown()
        self.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, *_: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        state = self.server.state
        if path == "/events":
            self._events(state.version)
            return
        if state.errors:
            self._send(200, errors_page(state).encode(), "text/html; charset=utf-8")
            return
        if path == "/":
            self._send(200, index_page(state).encode(), "text/html; charset=utf-8")
            return
        found = _ARTICLE.match(path)
        slugs = {a.slug for a in state.articles}
        if found is None or found.group(1) not in slugs:
            self._send(404, b"not found", "text/plain; charset=utf-8")
            return
        slug = found.group(1)
        if found.group(2):
            self._leaflet(state, slug)
            return
        pages = state.artifacts("html", slug)
        page = state.render("html", pages[0]) if pages else "the html writer is not enabled"
        self._send(200, article_page(state, slug, page).encode(), "text/html; charset=utf-8")

    def _leaflet(self, state: PreviewState, slug: str) -> None:
        leaflets = state.artifacts("pdf", slug)
        rendered = state.render("pdf", leaflets[0]) if leaflets else "no pdf profile is enabled"
        if isinstance(rendered, bytes):
            self._send(200, rendered, "application/pdf")
        else:
            self._send(200, rendered.encode(), "text/plain; charset=utf-8")

    def _events(self, seen: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        server = self.server
        try:
            self._event(seen)
            while not server.stopping.is_set():
                current = server.wait_for_change(seen, _HEARTBEAT_SECONDS)
                if current != seen:
                    seen = current
                    self._event(seen)
                else:
                    self.wfile.write(b": still here\n\n")  # a comment keeps proxies open
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page went away

    def _event(self, version: int) -> None:
        self.wfile.write(f"event: change\ndata: {version}\n\n".encode())
        self.wfile.flush()

    def _send(self, status: int, body: bytes, media_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
