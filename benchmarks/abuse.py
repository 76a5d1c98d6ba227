"""The API under abuse, with uvicorn's own protocol and with ``serve``'s bounded one.

    python -m benchmarks.abuse [--slow 19990] [--seconds 15] [--big-mb 100]

Loopback only, bounded in count and time. For each server, one after the other in the same
run, in its own process on 127.0.0.1:

1. **Large heads**: four requests each with one header of ``--big-mb`` MB; the server's
   resident memory before, just after and two seconds after, and what each request got.
2. **Slow clients**: ``--slow`` connections that send a request line and then one byte of
   a header every second (slowloris), for ``--seconds``; meanwhile a normal client, from
   another loopback address (127.0.0.2), asks for ``/articles`` every 0.25 s with a 5 s
   timeout. Its median and worst latency and how many of its requests failed.

The plain server is the same app on uvicorn with ``http="httptools"`` (what ``serve`` ran
before the bounds); the bounded one is ``spikecontent serve`` as shipped.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
_PLAIN = (
    "import resource, sys, uvicorn\n"
    "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
    "resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))\n"
    "from spikecontent.api import create_api\n"
    "app = create_api(sys.argv[1] + '/content', sys.argv[1] + '/exporters')\n"
    "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning',"
    " access_log=False, http='httptools')\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(kind: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    if kind == "plain":
        command = [sys.executable, "-c", _PLAIN, str(REPO), str(port)]
    else:
        command = [sys.executable, "-m", "spikecontent", "serve", "--no-access-log"]
        command += ["--port", str(port)]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process, port
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{kind} server did not start")


def _memory_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory now (``VmRSS``) or at its peak so far (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _big_head(port: int, megabytes: int) -> str:
    value = b"x" * (megabytes * 1024 * 1024)
    request = b"GET /articles HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-Big: "
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(request + value + b"\r\n\r\n")
        try:
            answer = connection.recv(64)
        except (ConnectionResetError, TimeoutError):
            return "reset"
    return answer.split(b"\r\n", 1)[0].decode(errors="replace") or "closed"


def _large_heads(process: subprocess.Popen[bytes], port: int, megabytes: int) -> str:
    before = _memory_mb(process.pid)
    started = time.monotonic()
    answers = [_big_head(port, megabytes) for _ in range(4)]
    seconds = time.monotonic() - started
    peak = _memory_mb(process.pid, "VmHWM")
    time.sleep(2)
    later = _memory_mb(process.pid)
    return (
        f"RSS {before:.0f} MB before, peak {peak:.0f} MB, {later:.0f} MB 2 s after;"
        f" {seconds:.1f} s for the four; answers: {', '.join(sorted(set(answers)))}"
    )


def _slow_clients(port: int, count: int, seconds: float) -> str:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    crowd: list[socket.socket] = []
    refused = 0
    started = time.monotonic()
    for _ in range(count):
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=2)
            connection.setblocking(False)
            connection.send(b"GET /articles HTTP/1.1\r\nHost: a\r\nX-Slow: ")
            crowd.append(connection)
        except OSError:
            refused += 1
        if time.monotonic() - started > seconds:
            break
    opened = time.monotonic() - started
    latencies: list[float] = []
    failures = 0
    end = time.monotonic() + seconds
    next_drip = time.monotonic()
    # From another loopback address: one host's crowd must not lock out the others.
    other = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(transport=other, timeout=5) as client:
        while time.monotonic() < end:
            if time.monotonic() >= next_drip:
                for connection in crowd:
                    with contextlib.suppress(OSError):
                        connection.send(b"x")
                next_drip = time.monotonic() + 1
            asked = time.monotonic()
            try:
                ok = client.get(f"http://127.0.0.1:{port}/articles").status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.monotonic() - asked)
            else:
                failures += 1
            time.sleep(0.25)
    still_open = 0
    for connection in crowd:
        # Nothing to read yet: the server still holds it. An answer or an EOF: let go.
        with contextlib.suppress(OSError):
            try:
                connection.recv(1)
            except BlockingIOError:
                still_open += 1
        connection.close()
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if latencies:
        timing = (
            f"median {statistics.median(latencies) * 1000:.0f} ms,"
            f" worst {max(latencies) * 1000:.0f} ms"
        )
    else:
        timing = "no answer"
    return (
        f"{len(crowd)} slow connections opened in {opened:.1f} s ({refused} refused);"
        f" normal client: {len(latencies)} answered, {failures} failed, {timing};"
        f" slow ones still open at the end: {still_open}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=19990)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--big-mb", type=int, default=100)
    options = parser.parse_args()
    for kind in ("plain", "bounded"):
        process, port = _start(kind)
        try:
            print(f"{kind:8} large heads: {_large_heads(process, port, options.big_mb)}")
            print(f"{kind:8} slow clients: {_slow_clients(port, options.slow, options.seconds)}")
        finally:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
