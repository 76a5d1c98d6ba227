"""``serve`` under abuse: oversized heads, too many headers, heads that never finish and a
crowd of slow clients, against the real server on a real port (loopback only)."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from spikecontent.server.protocol import HEAD_BYTES, HEADER_COUNT
from tests.conftest import REPO
from tests.servers import ServeProcess, serve_process

HEADER_TIMEOUT = 1.0
PER_CLIENT = 256


@pytest.fixture(scope="module")
def server() -> Iterator[ServeProcess]:
    args = ["--no-access-log", "--header-timeout", str(HEADER_TIMEOUT)]
    with serve_process(args, cwd=REPO) as served:
        yield served


def address(server: ServeProcess) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def exchange(server: ServeProcess, request: bytes, *, timeout: float = 10) -> bytes:
    """Send ``request`` on a fresh connection; everything the server answers until it
    closes (or nothing more comes for ``timeout`` seconds)."""
    with socket.create_connection(address(server), timeout=timeout) as connection:
        # The server may stop reading early: its answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(request)
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    return b"".join(chunks)


def status_and_body(answer: bytes) -> tuple[int, dict[str, str]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def still_serving(server: ServeProcess) -> bool:
    return httpx.get(f"{server.url}/articles", timeout=5).status_code == 200


def test_an_oversized_head_is_431_before_it_is_read_whole(server: ServeProcess) -> None:
    # 4 MiB in one header: refused once the head passes its bound, not buffered whole.
    big = b"x" * (4 * 1024 * 1024)
    answer = exchange(server, b"GET /articles HTTP/1.1\r\nHost: a\r\nX-Big: " + big + b"\r\n\r\n")
    status, body = status_and_body(answer)
    assert status == 431
    assert body["detail"] == f"a request's head may be at most {HEAD_BYTES} bytes"
    assert still_serving(server)


def test_a_head_just_under_the_bound_is_served(server: ServeProcess) -> None:
    filler = b"y" * (HEAD_BYTES - 200)
    head = b"GET /articles HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-Pad: "
    answer = exchange(server, head + filler + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_too_many_headers_is_431(server: ServeProcess) -> None:
    lines = b"".join(b"X-H%d: v\r\n" % number for number in range(HEADER_COUNT + 1))
    answer = exchange(server, b"GET /articles HTTP/1.1\r\nHost: a\r\n" + lines + b"\r\n")
    status, body = status_and_body(answer)
    assert status == 431
    assert str(HEADER_COUNT) in body["detail"]
    exact = b"".join(b"X-H%d: v\r\n" % number for number in range(HEADER_COUNT - 2))
    head = b"GET /articles HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
    allowed = exchange(server, head + exact + b"\r\n")
    assert allowed.startswith(b"HTTP/1.1 200 ")


def test_a_head_that_never_finishes_is_408_and_closed(server: ServeProcess) -> None:
    started = time.monotonic()
    answer = exchange(server, b"GET /articles HTTP/1.1\r\nHost: a\r\n")
    waited = time.monotonic() - started
    status, body = status_and_body(answer)
    assert status == 408
    assert "did not arrive" in body["detail"]
    assert waited >= HEADER_TIMEOUT * 0.9  # closed by the deadline, not at once


def test_a_silent_connection_is_closed_by_the_deadline(server: ServeProcess) -> None:
    answer = exchange(server, b"")
    assert status_and_body(answer)[0] == 408


def test_a_kept_alive_connection_gets_a_fresh_deadline_per_request(
    server: ServeProcess,
) -> None:
    with socket.create_connection(address(server), timeout=10) as connection:
        stream = connection.makefile("rb")
        for _ in range(2):
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            assert stream.readline().startswith(b"HTTP/1.1 200 ")
            length = 0
            while (line := stream.readline()) != b"\r\n":
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            stream.read(length)
            # Idle between requests for less than the keep-alive timeout but longer than
            # the head deadline: the deadline runs only while a head is arriving.
            time.sleep(HEADER_TIMEOUT * 1.5)


def test_a_crowd_of_slow_clients_does_not_lock_out_a_normal_one(server: ServeProcess) -> None:
    # 500 slow connections from one address: the first 256 are held until their deadline,
    # the rest refused at once; a client at another address is served all along.
    crowd = []
    try:
        for _ in range(500):
            connection = socket.create_connection(address(server), timeout=10)
            with contextlib.suppress(OSError):
                connection.sendall(b"GET /articles HTTP/1.1\r\nHost: a\r\nX-Slow: ")
            crowd.append(connection)
        other = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(transport=other, timeout=5) as client:
            assert client.get(f"{server.url}/articles").status_code == 200
        refused = crowd[-1].recv(65536)
        status, body = status_and_body(refused)
        assert status == 503
        assert body["detail"] == f"at most {PER_CLIENT} connections from one address"
        # And the held ones are let go by the deadline, every one with its 408.
        for connection in crowd[:20]:
            data = connection.recv(65536)
            assert data.startswith(b"HTTP/1.1 408 "), data[:40]
    finally:
        for connection in crowd:
            connection.close()
    # Their places are free again.
    assert still_serving(server)


def test_the_limits_hold_with_workers(tmp_path: Path) -> None:
    args = ["--no-access-log", "--workers", "2", "--header-timeout", str(HEADER_TIMEOUT)]
    with serve_process(args, cwd=REPO) as served:
        lines = b"".join(b"X-H%d: v\r\n" % number for number in range(HEADER_COUNT + 1))
        answer = exchange(served, b"GET /articles HTTP/1.1\r\nHost: a\r\n" + lines + b"\r\n")
        assert status_and_body(answer)[0] == 431
        assert status_and_body(exchange(served, b"GET /articles HTTP/1.1\r\n"))[0] == 408
