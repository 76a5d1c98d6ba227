"""Measure the HTTP API with wrk beside a bare hello-world app of the same stack.

    python -m benchmarks.api [--seconds 10] [--connections 64] [--threads 2]

The bare app is an ASGI callable with no framework on uvicorn (a Litestar hello world
before stop 37: older figures in docs/performance.md are beside that), the API a plain
ASGI app on the same uvicorn (one
worker, no access log), on 127.0.0.1, each in its own process, measured one after the
other in the same run: compare the ratios. ``--baseline DIR`` also serves the API from
another checkout's ``src`` (a worktree of an earlier commit), and measures each query on
it and on this one, side by side. Then the same
requests compressed, ``spikecontent serve --workers 2`` alone and behind Debian's nginx,
and the time from saving an edit to seeing it over HTTP with ``serve --watch``. Needs wrk
and nginx (Debian packages).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SLUG = "acupressure-mat-benefits"


def _bare_app() -> Any:
    # The floor: a bare ASGI callable on the same uvicorn, with no framework at all.
    body = b'{"hello":"world"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", b"17")]

    async def hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return hello


def _serve(kind: str, port: int) -> None:
    import logging

    import uvicorn

    # No access log line per request (serve --no-access-log), for either tree.
    logging.getLogger("spikecontent.access").setLevel(logging.WARNING)

    if kind == "bare":
        app = _bare_app()
    else:
        from spikecontent.api import create_api

        app = create_api(REPO / "content", REPO / "exporters")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(
    kind: str, *serve: str, source: Path | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """The bare app, the API (from ``source``'s ``src`` when given), or (kind ``cli``)
    ``spikecontent serve SERVE...``."""
    port = _free_port()
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = str(source / "src")
    if kind == "cli":
        command = [sys.executable, "-m", "spikecontent", "serve", "--port", str(port)]
        command += ["--no-access-log", *serve]
        process = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    else:
        command = [sys.executable, "-m", "benchmarks.api", "--serve", kind, "--port", str(port)]
        process = subprocess.Popen(command, cwd=REPO, env=environment)
    base = f"http://127.0.0.1:{port}"
    probe = "/hello" if kind == "bare" else "/healthz"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + probe, timeout=1).read()
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the {kind} server did not start")


def _wrk(
    url: str, options: argparse.Namespace, *headers: str, script: str | None = None
) -> dict[str, float]:
    command = ["wrk", f"-t{options.threads}", f"-c{options.connections}"]
    command += [f"-d{options.seconds}s", "--latency", url]
    if script is not None:
        command += ["-s", script]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p99_ms": p99, "errors": float(non_2xx.group(1)) if non_2xx else 0.0}


BR = "Accept-Encoding: br"


def _etag(url: str, encoding: str = "identity") -> str:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request) as response:
        return str(response.headers["ETag"])


def _workers_and_nginx(options: argparse.Namespace) -> list[tuple[str, dict[str, float]]]:
    from tests.servers import Nginx

    rows = []
    article = f"/articles/{SLUG}"
    server, base = _start("cli", "--workers", "2")
    try:
        rows.append((f"serve --workers 2: GET {article}, br", _wrk(base + article, options, BR)))
        with tempfile.TemporaryDirectory() as folder, Nginx(base, Path(folder)) as front:
            match = f"If-None-Match: {_etag(front + article, 'br')}"
            rows.append(
                (f"nginx + 2 workers: GET {article}, br", _wrk(front + article, options, BR))
            )
            rows.append(
                (
                    f"nginx + 2 workers: GET {article}, br, 304",
                    _wrk(front + article, options, BR, match),
                )
            )
    finally:
        server.terminate()
        server.wait()
    return rows


def _edit_to_visible(rounds: int = 5) -> list[float]:
    """Seconds from saving an article to ``serve --watch`` serving it, per round."""
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        shutil.copytree(REPO / "content", content)
        article = content / "articles" / f"{SLUG}.yaml"
        server, base = _start("cli", "--watch", "--content", str(content))
        seconds = []
        try:
            text = article.read_text(encoding="utf-8")
            for number in range(rounds):
                title = f"Edit {number}:"
                edited = text.replace("title: 'Acupressure Mat Benefits:", f"title: '{title}")
                started = time.perf_counter()
                article.write_text(edited, encoding="utf-8")
                while True:
                    with urllib.request.urlopen(f"{base}/articles/{SLUG}") as response:
                        if json.loads(response.read())["title"].startswith(title):
                            break
                    time.sleep(0.005)
                seconds.append(time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait()
    return seconds


SEARCHES = (
    "cortisol",
    "sleeping",
    "pregnant",
    "blood thinners",
    '"blood thinners"',
    "sleep study",
    "cort*",
    "relaxation pilot",
    "heart rate",
    "quasar",
)


def _unique(value: Any, mark: str) -> Any:
    """``value`` with ``mark`` added to every text, so that no two articles share one."""
    if isinstance(value, dict):
        if "tree" in value:
            tree = [dict(block) for block in value["tree"]]
            tree[0]["children"] = [*tree[0]["children"], {"text": f" {mark}"}]
            return {**value, "tree": tree}
        return {k: v if k in ("slug", "id", "url") else _unique(v, mark) for k, v in value.items()}
    if isinstance(value, list):
        return [_unique(item, mark) for item in value]
    return f"{value} {mark}" if isinstance(value, str) else value


def _porter_build(bodies: list[tuple[str, bytes]]) -> float:
    """For comparison: the same passages into FTS5 with its own Porter tokenizer (in C),
    no Python stemming and every text indexed as many times as it appears."""
    import sqlite3

    from spikecontent.delivery.search import passages

    started = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize = 'porter unicode61')")
    rows = ((passage.text,) for _, body in bodies for passage in passages(json.loads(body)))
    db.executemany("INSERT INTO p(text) VALUES (?)", rows)
    db.commit()
    return time.perf_counter() - started


def search_figures(
    articles: int = 1000, rounds: int = 30, *, unique: bool = False
) -> dict[str, float]:
    """The search index over the synthetic corpus (benchmarks/corpus.py) in process:
    the build time, and each query's latency (uncached: the API caches an answer per
    snapshot, this is its first time) at the 50th and 99th percentiles. The corpus's
    articles are copies of the flagship, so most texts repeat and are indexed once;
    ``unique`` makes every text of every article distinct (the worst case)."""
    import gc

    import spikecontent
    from benchmarks.corpus import generate
    from spikecontent.delivery.queries import Catalog

    with tempfile.TemporaryDirectory() as folder:
        library = spikecontent.load(generate(Path(folder) / "content", articles))
    slugs = [article.slug for article in library.articles if article.status.value == "published"]
    documents = [(slug, spikecontent.article_document(library, slug)) for slug in slugs]
    if unique:
        documents = [(slug, _unique(doc, f"zq{n}")) for n, (slug, doc) in enumerate(documents)]
    summaries = [
        {"slug": slug, "title": slug, "api": f"/articles/{slug}", "url": slug} for slug in slugs
    ]
    # As the snapshot holds them: the documents built from the model (the index build
    # alone is timed; the snapshot builds the documents once for every use).
    builds = []
    for _ in range(3):
        gc.collect()
        started = time.perf_counter()
        catalog = Catalog(summaries, library, documents)
        builds.append(time.perf_counter() - started)
    porter = _porter_build([(slug, json.dumps(document).encode()) for slug, document in documents])
    times = []
    for _ in range(rounds):
        for query in SEARCHES:
            started = time.perf_counter()
            catalog.search(query, limit=20)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "articles": float(len(slugs)),
        "passages": float(catalog.index.passages),
        "texts": float(len(catalog.index)),
        "build_s": min(builds),
        "porter_build_s": porter,
        "p50_ms": times[len(times) // 2],
        "p99_ms": times[int(len(times) * 0.99) - 1],
        "max_ms": times[-1],
    }


def _print_search(figures: dict[str, float], unique: bool) -> None:
    print("every text distinct:" if unique else "corpus as generated:")
    print(
        f"search over {figures['articles']:.0f} articles ({figures['passages']:.0f}"
        f" passages, {figures['texts']:.0f} distinct texts): index build"
        f" {figures['build_s']:.3f} s; query p50"
        f" {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms, max"
        f" {figures['max_ms']:.2f} ms ({len(SEARCHES)} queries x 30, uncached); for"
        f" comparison, FTS5's own Porter tokenizer over every passage: build"
        f" {figures['porter_build_s']:.3f} s"
    )


_UNCACHED = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/articles?limit=1&skip=" .. (counter * 7919 % 1000000 + 1000))
end
"""
"""Every request a new query string (an empty page): no replay, no cached answer, so the
app's own path per request is measured (routing, parameters, answer, respond)."""


def _before_and_after(
    paths: tuple[str, ...], options: argparse.Namespace
) -> list[tuple[str, dict[str, float]]]:
    """Each path on the baseline's API and on this one, alternating, ``--rounds`` times:
    the median of each (the machine's load moves between two runs of one)."""
    before, before_base = _start("api", source=options.baseline)
    after, after_base = _start("api")
    found: dict[str, list[dict[str, float]]] = {}
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(_UNCACHED)
            script.flush()
            for _ in range(options.rounds):
                for path in (*paths, f"/articles/{SLUG}/jsonld", "(uncached)"):
                    for name, base in (("before", before_base), ("after", after_base)):
                        if path == "(uncached)":
                            label = f"{name}: GET /articles?limit=1&skip=<new each time>"
                            found.setdefault(label, []).append(
                                _wrk(base + "/", options, script=script.name)
                            )
                            continue
                        etag = _etag(base + path)
                        found.setdefault(f"{name}: GET {path}", []).append(
                            _wrk(base + path, options)
                        )
                        found.setdefault(f"{name}: GET {path}, 304", []).append(
                            _wrk(base + path, options, f"If-None-Match: {etag}")
                        )
    finally:
        for process in (before, after):
            process.terminate()
            process.wait()
    return [
        (name, {key: statistics.median(run[key] for run in runs) for key in runs[0]})
        for name, runs in found.items()
    ]


def _asgi_run(requests: int) -> None:
    """In this process: the API's own CPU time per request, called as ASGI (no socket,
    no server), for each path; printed as JSON (microseconds per request)."""
    import asyncio
    import logging

    from spikecontent.api import create_api

    logging.getLogger("spikecontent.access").setLevel(logging.WARNING)
    app = create_api(REPO / "content", REPO / "exporters")

    async def ask(path: str, headers: list[tuple[bytes, bytes]]) -> list[Any]:
        sent: list[Any] = []
        raw, _, query = path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": raw,
            "raw_path": raw.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"api"), *headers],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Any) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return sent

    async def measure() -> dict[str, float]:
        figures = {}
        for path in (*ASGI_PATHS, "uncached"):
            for conditional in (False, True):
                if path == "uncached" and conditional:
                    continue
                headers: list[tuple[bytes, bytes]] = []
                if conditional:
                    start = (await ask(path, []))[0]
                    etag = dict(start["headers"])[b"etag"]
                    headers = [(b"if-none-match", etag)]
                for _ in range(200):  # warm: caches, replay
                    await ask(path if path != "uncached" else "/articles?limit=1", headers)
                began = time.process_time()
                for number in range(requests):
                    asked = path if path != "uncached" else f"/articles?limit=1&skip={number + 99}"
                    await ask(asked, headers)
                spent = time.process_time() - began
                figures[f"{path}{', 304' if conditional else ''}"] = spent / requests * 1e6
        return figures

    print(json.dumps(asyncio.run(measure())))


ASGI_PATHS = (
    f"/articles/{SLUG}",
    f"/articles/{SLUG}?fields=title,description",
    "/articles?cites=hohmann-2012",
    "/search?q=sleep",
    f"/articles/{SLUG}/jsonld",
)


def _asgi_figures(options: argparse.Namespace) -> None:
    """``--asgi-only``: the CPU time per request of the baseline's API and this one,
    alternating ``--rounds`` times, medians."""
    found: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for _ in range(options.rounds):
        for name, source in (("before", options.baseline), ("after", None)):
            environment = dict(os.environ)
            if source is not None:
                environment["PYTHONPATH"] = str(source / "src")
            command = [sys.executable, "-m", "benchmarks.api", "--asgi-run", "--port", "0"]
            out = subprocess.run(
                command, cwd=REPO, env=environment, capture_output=True, text=True, check=True
            ).stdout
            for path, micro in json.loads(out.splitlines()[-1]).items():
                found[name].setdefault(path, []).append(micro)
    print("| request (ASGI, in process) | before µs CPU | after µs CPU | after / before |")
    print("|---|---:|---:|---:|")
    for path, runs in found["after"].items():
        before = statistics.median(found["before"][path])
        after = statistics.median(runs)
        print(f"| {path} | {before:.0f} | {after:.0f} | {after / before:.0%} |")


class _Done(Exception):
    """The measurements asked for are taken."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="Only the bare app and the query endpoints (projection, filter, search).",
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="Only the search index over the 1,000-article corpus: build time, query p99.",
    )
    parser.add_argument("--rounds", type=int, default=3, help="Alternations with --baseline.")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="Another checkout (e.g. a worktree of the commit before): its API measured too.",
    )
    parser.add_argument(
        "--asgi-only",
        action="store_true",
        help="With --baseline: CPU time per request of each API called as ASGI in process.",
    )
    parser.add_argument("--asgi-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        _serve(options.serve, options.port)
        return
    if options.asgi_run:
        _asgi_run(requests=3000)
        return
    if options.asgi_only:
        _asgi_figures(options)
        return
    if options.search_only:
        for unique in (False, True):
            _print_search(search_figures(unique=unique), unique)
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    rows: list[tuple[str, dict[str, float]]] = []
    bare, base = _start("bare")
    try:
        rows.append(("bare hello world (plain ASGI + uvicorn)", _wrk(f"{base}/hello", options)))
    finally:
        bare.terminate()
        bare.wait()
    article = f"/articles/{SLUG}"
    queries = (
        article,  # the same document whole, without a query: the reference for the rest
        f"{article}?fields=title,description",
        "/articles?cites=hohmann-2012",
        "/search?q=sleep",
    )
    if options.baseline:
        rows.extend(_before_and_after(queries, options))
    api, base = _start("api")
    try:
        for path in queries:
            rows.append((f"GET {path}", _wrk(base + path, options)))
        if options.queries_only:
            raise _Done
        for path in (article, f"/articles/{SLUG}/jsonld"):
            if path != article:
                rows.append((f"GET {path}", _wrk(base + path, options)))
            etag = _etag(base + path)
            rows.append(
                (
                    f"GET {path}, If-None-Match (304)",
                    _wrk(base + path, options, f"If-None-Match: {etag}"),
                )
            )
        for encoding in ("br", "gzip"):
            accept = f"Accept-Encoding: {encoding}"
            rows.append((f"GET {article}, {encoding}", _wrk(base + article, options, accept)))
        etag = _etag(base + article, "br")
        match = f"If-None-Match: {etag}"
        rows.append((f"GET {article}, br, 304", _wrk(base + article, options, BR, match)))
    except _Done:
        pass
    finally:
        api.terminate()
        api.wait()
    if not options.queries_only:
        rows.extend(_workers_and_nginx(options))
    latencies = [] if options.queries_only else _edit_to_visible()
    bare_rps = rows[0][1]["rps"]
    print(f"wrk -t{options.threads} -c{options.connections} -d{options.seconds}s, 127.0.0.1")
    print()
    print("| endpoint | requests/s | p99 ms | of bare throughput |")
    print("|---|---:|---:|---:|")
    for name, figures in rows:
        share = figures["rps"] / bare_rps
        print(f"| {name} | {figures['rps']:.0f} | {figures['p99_ms']:.2f} | {share:.0%} |")
    if latencies:
        print()
        middle = statistics.median(latencies)
        print(
            f"edit to visible with serve --watch: median {middle:.3f} s, max {max(latencies):.3f} s"
        )


if __name__ == "__main__":
    main()
