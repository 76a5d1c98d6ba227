"""Servers for tests: the API under uvicorn in a thread or as a ``spikecontent serve``
process, and a local receiver of webhook posts. Everything binds 127.0.0.1."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """An ASGI app run by uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, app: object) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = ""

    def __enter__(self) -> httpx.Client:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.client = httpx.Client(base_url=self.url, timeout=30)
        return self.client

    def __exit__(self, *_: object) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join()


class ServeProcess:
    """A running ``spikecontent serve``: its process, base URL and, once it has
    stopped, everything it printed."""

    def __init__(self, process: subprocess.Popen[bytes], url: str) -> None:
        self.process = process
        self.url = url
        self.output = ""


@contextmanager
def serve_process(
    args: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None
) -> Iterator[ServeProcess]:
    """``spikecontent serve ARGS`` on a free port, once it answers ``/healthz``."""
    port = free_port()
    # A file, not a pipe: an unread pipe fills with the access log and blocks the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "spikecontent", "serve", "--port", str(port), *args],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        served = ServeProcess(process, f"http://127.0.0.1:{port}")
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{served.url}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    assert process.poll() is None, _read(log)
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
            yield served
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=60)
            served.output = _read(log)


def _read(log: Any) -> str:
    log.seek(0)
    return bytes(log.read()).decode(errors="replace")


class Receiver(http.server.ThreadingHTTPServer):
    """Records POSTed bodies and headers; answers 500 to the first ``failures`` posts."""

    def __init__(self, failures: int = 0) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.failures = failures
        self.arrived = threading.Event()
        super().__init__(("127.0.0.1", 0), _Recording)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hook"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class _Recording(http.server.BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.server.failures > 0:
            self.server.failures -= 1
            self.send_response(500)
        else:
            self.server.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.server.arrived.set()
            self.send_response(204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


class StaticSite:
    """A folder served over HTTP on 127.0.0.1 (another origin than the API's)."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_Quiet, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


NGINX = Path("/usr/sbin/nginx")
_NGINX_CONF = """
{user}
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {root}/body;
  proxy_temp_path {root}/proxy;
  fastcgi_temp_path {root}/fastcgi;
  uwsgi_temp_path {root}/uwsgi;
  scgi_temp_path {root}/scgi;
  {site}
}}
"""
_PROXY = """
  upstream spikecontent {{
    server {upstream};
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://spikecontent;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      gzip off;
    }}
  }}
"""
_STATIC = """
  # As Debian's /etc/nginx/nginx.conf has it: a file's type by its extension.
  include /etc/nginx/mime.types;
  server {{
    listen 127.0.0.1:{port};
    # The export's output folder is a link to its current generation; nginx resolves it
    # per request (disable_symlinks is off by default).
    root {folder};
    # Dot-files are the pipeline's own (the build state), not the site's.
    location ~ /[.] {{ return 404; }}
  }}
"""


class Nginx:
    """Debian's nginx on a free port in front of ``upstream`` (``http://host:port``), as
    docs/deployment.md configures it; files in ``root``."""

    def __init__(self, upstream: str, root: Path, *, static: Path | None = None) -> None:
        self.upstream = upstream.removeprefix("http://")
        self.root = root
        self.port = free_port()
        self.static = static
        """Serve this folder as it is instead of proxying."""

    def __enter__(self) -> str:
        if self.static is None:
            return self._start(_PROXY.format(upstream=self.upstream, port=self.port), "/healthz")
        return self._start(_STATIC.format(folder=self.static, port=self.port), "/manifest.json")

    def _start(self, site: str, probe: str) -> str:
        """Start nginx with ``site`` in its http block; its URL once ``probe`` answers 200."""
        return start_nginx(self, site, probe)

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def start_nginx(
    server: Nginx | PagesNginx, site: str, probe: str, *, tls: LocalhostCertificate | None = None
) -> str:
    """Start Debian's nginx for ``server`` (its ``root`` and ``port``) with ``site`` in its
    http block; its URL once ``probe`` answers 200. ``server.process`` is the nginx. With
    ``tls`` the site listens for HTTPS, and the URL is ``https://localhost:<port>``."""
    server.root.mkdir(parents=True, exist_ok=True)
    conf = _NGINX_CONF.format(
        # Run as root (as CI does), nginx's workers would drop to nobody.
        user="user root;" if os.geteuid() == 0 else "",
        root=server.root,
        site=site,
    )
    (server.root / "nginx.conf").write_text(conf, encoding="utf-8")
    command = [str(NGINX), "-p", str(server.root), "-c", str(server.root / "nginx.conf")]
    server.process = subprocess.Popen(command)
    url = f"http://127.0.0.1:{server.port}" if tls is None else f"https://localhost:{server.port}"
    verify = True if tls is None else ssl.create_default_context(cafile=tls.certificate)
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}{probe}", timeout=1, verify=verify).status_code == 200:
                return url
        except httpx.TransportError:
            pass
        assert server.process.poll() is None, (server.root / "error.log").read_text()
        assert time.monotonic() < deadline, "nginx did not answer"
        time.sleep(0.05)


_CACHING_PROXY = """
  # The cache of docs/deployment.md ("A cache in front"): public answers kept by nginx,
  # a copy per value of each header the answer's Vary names.
  proxy_cache_path {root}/cache levels=1:2 keys_zone=api:1m;
  log_format cache '$request_uri origin=[$http_origin] cache=$upstream_cache_status';
  upstream spikecontent {{
    server {upstream};
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    access_log {root}/access.log cache;
    location / {{
      proxy_pass http://spikecontent;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      gzip off;
      proxy_cache api;
      proxy_cache_revalidate on;
      proxy_cache_bypass $http_authorization;
      proxy_no_cache $http_authorization;
      add_header X-Cache-Status $upstream_cache_status always;
    }}
  }}
"""


class CachingNginx(Nginx):
    """Debian's nginx with ``proxy_cache`` in front of ``upstream``; every answer says
    ``X-Cache-Status`` (``MISS``, ``HIT``...), and ``access.log`` in ``root`` has a line per
    request with its Origin and cache status."""

    def __enter__(self) -> str:
        site = _CACHING_PROXY.format(upstream=self.upstream, port=self.port, root=self.root)
        # /healthz is never stored (private, no-store): probing it caches nothing.
        return self._start(site, "/healthz")

    def log(self) -> list[str]:
        """The access log's lines so far (nginx writes each when the answer is sent)."""
        path = self.root / "access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


class Recorder(http.server.ThreadingHTTPServer):
    """Records every request, whatever its method (``requests``: method, path with its
    query, headers, body), and answers ``status``, with ``Location: location`` if given."""

    def __init__(self, status: int = 204, location: str | None = None) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.status = status
        self.location = location
        self.arrived = threading.Event()
        super().__init__(("127.0.0.1", 0), _RecordingAll)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hook"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *_: object) -> None:
        self.shutdown()
        self.server_close()


class _RecordingAll(http.server.BaseHTTPRequestHandler):
    server: Recorder

    def _record(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.requests.append((self.command, self.path, headers, body))
        self.send_response(self.server.status)
        if self.server.location is not None:
            self.send_header("Location", self.server.location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.server.arrived.set()

    do_GET = do_POST = do_HEAD = do_PUT = _record

    def log_message(self, *_: object) -> None:
        pass


def output_so_far(served: ServeProcess) -> str:
    """What a running ``serve_process`` has printed so far (its output file, read through
    /proc while the process holds it open)."""
    return Path(f"/proc/{served.process.pid}/fd/1").read_bytes().decode(errors="replace")


_PAGES = """
  include /etc/nginx/mime.types;
  server {{
    listen 127.0.0.1:{port}{tls};
    # docs/deployment.md, "Serving the web pages": the html output is the site's root;
    # /<slug>/ is <slug>/index.html, with no rewrite rule.
    root {folder}/html;
    index index.html;
    error_page 404 /404.html;
    location /feeds/ {{ alias {folder}/feeds/; }}
    location ~ /[.] {{ return 404; }}
  }}
"""


_TLS = """ ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key}"""


class LocalhostCertificate:
    """A self-signed certificate for ``localhost`` and its key, made by openssl in
    ``folder``: what lets a test serve pages at an ``https://localhost:<port>/`` base URL."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.certificate = folder / "localhost.pem"
        self.key = folder / "localhost-key.pem"
        request = "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2"
        request += " -subj /CN=localhost -addext subjectAltName=DNS:localhost"
        subprocess.run(
            ["openssl", *request.split(), "-keyout", str(self.key), "-out", str(self.certificate)],
            check=True,
            capture_output=True,
        )
        public = subprocess.run(
            ["openssl", "x509", "-in", str(self.certificate), "-pubkey", "-noout"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        der = base64.b64decode("".join(public.strip().splitlines()[1:-1]))
        self.spki = base64.b64encode(hashlib.sha256(der).digest()).decode()
        """The base64 SHA-256 of its public key, which Chromium's
        ``--ignore-certificate-errors-spki-list`` takes as trusted."""


class PagesNginx:
    """Debian's nginx serving an export's web pages (``<dist>/html`` as the root, the
    feeds at ``/feeds/``) with the site docs/deployment.md shows; files in ``root``. With
    ``tls``, over HTTPS at ``https://localhost:<port>``."""

    def __init__(self, dist: Path, root: Path, *, tls: LocalhostCertificate | None = None) -> None:
        self.dist = dist
        self.root = root
        self.port = free_port()
        self.tls = tls

    def __enter__(self) -> str:
        tls = "" if self.tls is None else _TLS.format(cert=self.tls.certificate, key=self.tls.key)
        site = _PAGES.format(folder=self.dist, port=self.port, tls=tls)
        return start_nginx(self, site, "/robots.txt", tls=self.tls)

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


_REQUEST_ID_PROXY = """
  # docs/deployment.md's "Request ids": the client's X-Request-ID when it sends one, else
  # nginx's own $request_id, passed to the API and written in nginx's log too.
  map $http_x_request_id $spikecontent_request_id {{
    default $http_x_request_id;
    "" $request_id;
  }}
  log_format with_id '$request_uri $status id=$spikecontent_request_id';
  upstream spikecontent {{
    server {upstream};
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    access_log {root}/access.log with_id;
    location / {{
      proxy_pass http://spikecontent;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Request-ID $spikecontent_request_id;
      gzip off;
    }}
  }}
"""


class RequestIdNginx(CachingNginx):
    """Debian's nginx in front of ``upstream`` passing a request id as
    docs/deployment.md configures it; ``log()`` has a line per request with its id."""

    def __enter__(self) -> str:
        site = _REQUEST_ID_PROXY.format(upstream=self.upstream, port=self.port, root=self.root)
        return self._start(site, "/livez")
