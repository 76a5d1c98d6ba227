"""Measure the HTTP API with wrk beside a bare hello-world app of the same stack.

    python -m benchmarks.api [--seconds 10] [--connections 64] [--threads 2]

Both apps are Litestar on uvicorn (one worker, no access log) on 127.0.0.1, each in its own
process, measured one after the other in the same run: compare the ratios. Needs wrk
(Debian package ``wrk``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SLUG = "acupressure-mat-benefits"


def _bare_app() -> Any:
    from litestar import Litestar, get

    @get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return Litestar(route_handlers=[hello], openapi_config=None)


def _serve(kind: str, port: int) -> None:
    import uvicorn

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


def _start(kind: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.api", "--serve", kind, "--port", str(port)], cwd=REPO
    )
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


def _wrk(url: str, options: argparse.Namespace, header: str | None = None) -> dict[str, float]:
    command = ["wrk", f"-t{options.threads}", f"-c{options.connections}"]
    command += [f"-d{options.seconds}s", "--latency", url]
    if header:
        command += ["-H", header]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p99_ms": p99, "errors": float(non_2xx.group(1)) if non_2xx else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        _serve(options.serve, options.port)
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    rows: list[tuple[str, dict[str, float]]] = []
    bare, base = _start("bare")
    try:
        rows.append(("bare hello world (Litestar + uvicorn)", _wrk(f"{base}/hello", options)))
    finally:
        bare.terminate()
        bare.wait()
    api, base = _start("api")
    try:
        for path in (f"/articles/{SLUG}", f"/articles/{SLUG}/jsonld"):
            rows.append((f"GET {path}", _wrk(base + path, options)))
            with urllib.request.urlopen(base + path) as response:
                etag = response.headers["ETag"]
            rows.append(
                (
                    f"GET {path}, If-None-Match (304)",
                    _wrk(base + path, options, f"If-None-Match: {etag}"),
                )
            )
    finally:
        api.terminate()
        api.wait()

    bare_rps = rows[0][1]["rps"]
    print(f"wrk -t{options.threads} -c{options.connections} -d{options.seconds}s, 127.0.0.1")
    print()
    print("| endpoint | requests/s | p99 ms | of bare throughput |")
    print("|---|---:|---:|---:|")
    for name, figures in rows:
        share = figures["rps"] / bare_rps
        print(f"| {name} | {figures['rps']:.0f} | {figures['p99_ms']:.2f} | {share:.0%} |")


if __name__ == "__main__":
    main()
