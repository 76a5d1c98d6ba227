"""The API as operations teams run it (issue 41, item 5), each against uvicorn on a real
port: liveness and readiness, request ids, Prometheus metrics read back by Prometheus's
own text parser, JSON log lines, configuration from SPIKECONTENT_* variables, a graceful
stop on SIGTERM with a request in flight, nginx passing request ids, and publish hooks
verified as Standard Webhooks by the ``standardwebhooks`` package."""

from __future__ import annotations

import base64
import datetime
import json
import re
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from spikecontent.api import LiveContent, create_app
from spikecontent.delivery.webhooks import Publisher
from tests.conftest import ARTICLE, SLUG, Project
from tests.servers import NGINX, Receiver, RequestIdNginx, Server, serve_process

DOCUMENT = f"/articles/{SLUG}"


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """Every sample of the metric family ``name`` in Prometheus's text format, parsed by
    prometheus_client's own parser: (labels, value)."""
    found = []
    for family in text_string_to_metric_families(text):
        if family.name == name:
            found += [(dict(s.labels), s.value) for s in family.samples]
    return found


def counted(text: str, name: str, **labels: str) -> float:
    """The sum of ``name``'s ``_total`` samples with these labels."""
    return sum(
        value
        for found, value in samples(text, name)
        if all(found.get(k) == v for k, v in labels.items())
    )


def test_readiness_is_503_until_a_snapshot_is_loaded_and_says_degraded(tmp_path: Path) -> None:
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters, load=False)
    with Server(create_app(live)) as client:
        assert client.get("/livez").json() == {"status": "alive"}
        waiting = client.get("/readyz")
        assert waiting.status_code == 503
        assert waiting.json() == {"status": "loading", "version": None, "problems": 0}
        assert waiting.headers["cache-control"] == "no-store"
        early = client.get(DOCUMENT)
        assert early.status_code == 503
        assert early.headers["retry-after"] == "5"
        assert "/readyz" in early.json()["detail"]

        assert live.reload()
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {
            "status": "ok",
            "version": live.served.public.version,
            "problems": 0,
        }
        assert client.get(DOCUMENT).status_code == 200
        assert counted(client.get("/metrics").text, "spikecontent_content_degraded") == 0

        # An invalid edit: still ready (the last good content is served), and degraded in
        # the body and in a metric; /healthz keeps its public body.
        project.edit(ARTICLE, "status: published", "status: almost")
        assert not live.reload()
        degraded = client.get("/readyz")
        assert degraded.status_code == 200
        assert degraded.json()["status"] == "degraded"
        assert degraded.json()["problems"] == 1
        health = client.get("/healthz").json()
        assert set(health) == {"status", "version", "articles", "problems"}
        assert health["status"] == "degraded"
        text = client.get("/metrics").text
        assert counted(text, "spikecontent_content_degraded") == 1
        assert counted(text, "spikecontent_reload_failures") >= 1

        paths = client.get("/openapi.json").json()["paths"]
        assert {"/livez", "/readyz", "/metrics", "/labels"} <= set(paths)
        assert "503" in paths["/readyz"]["get"]["responses"]


def test_request_ids_are_taken_or_made_and_sent_back(tmp_path: Path) -> None:
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters)
    with Server(create_app(live)) as client:
        given = client.get(DOCUMENT, headers={"X-Request-ID": "edge-7f3a"})
        assert given.headers["x-request-id"] == "edge-7f3a"
        made = client.get(DOCUMENT).headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", made)
        assert client.get(DOCUMENT).headers["x-request-id"] != made  # a replay too
        # One that could forge a log line is replaced.
        forged = client.get(DOCUMENT, headers={"X-Request-ID": "a b\tc"})
        assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["x-request-id"])
        assert client.get("/nope", headers={"X-Request-ID": "r-404"}).headers["x-request-id"] == (
            "r-404"
        )


def test_metrics_are_read_back_by_prometheus_parser(tmp_path: Path) -> None:
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters)
    with Server(create_app(live)) as client:
        before = client.get("/metrics").text
        for _ in range(3):
            assert client.get(DOCUMENT).status_code == 200
        assert client.get("/articles/nope").status_code == 404
        scraped = client.get("/metrics")
        assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
        text = scraped.text
    name = "spikecontent_http_requests"
    route = {"route": "/articles/{slug}", "method": "GET"}
    assert (
        counted(text, name, status="200", **route) - counted(before, name, status="200", **route)
        == 3
    )
    assert (
        counted(text, name, status="404", **route) - counted(before, name, status="404", **route)
        == 1
    )
    latency = samples(text, "spikecontent_http_request_duration_seconds")
    counts = [
        v
        for labels, v in latency
        if labels.get("route") == "/articles/{slug}" and "le" not in labels
    ]
    assert counts
    assert max(counts) >= 4
    version = live.served.public.version
    assert (
        {"version": version},
        1.0,
    ) in samples(text, "spikecontent_content_version_info")
    assert counted(text, "spikecontent_snapshot_loaded_timestamp_seconds") > 0
    assert counted(text, "spikecontent_snapshot_age_seconds") >= 0
    # The same document three times: the first made by the app, the next two replayed.
    hits = counted(text, "spikecontent_replay", result="hit") - counted(
        before, "spikecontent_replay", result="hit"
    )
    assert hits >= 2


def _json_lines(output: str) -> list[dict[str, object]]:
    lines = []
    for line in output.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_json_logs_and_settings_from_the_environment(tmp_path: Path) -> None:
    """Every serve option is also a SPIKECONTENT_* variable; the log is JSON lines with
    each request's id, method, path, status, bytes and duration."""
    project = Project(tmp_path)
    env = {
        "SPIKECONTENT_CONTENT": str(project.content),
        "SPIKECONTENT_EXPORTERS": str(project.exporters),
        "SPIKECONTENT_MAX_AGE": "7",
        "SPIKECONTENT_CORS_ORIGIN": "https://a.example https://b.example",
        "SPIKECONTENT_LOG_FORMAT": "json",
        "SPIKECONTENT_GRACEFUL_TIMEOUT": "5",
    }
    with serve_process([], cwd=tmp_path, env=env) as served:
        answer = httpx.get(
            f"{served.url}{DOCUMENT}",
            headers={"X-Request-ID": "trace-123", "Origin": "https://b.example"},
        )
        assert answer.headers["cache-control"] == "public, max-age=7"
        assert answer.headers["access-control-allow-origin"] == "https://b.example"
    assert served.process.returncode == 0
    lines = _json_lines(served.output)
    assert lines, served.output
    [line] = [x for x in lines if x.get("request_id") == "trace-123"]
    assert line["logger"] == "spikecontent.access"
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", DOCUMENT, 200)
    assert isinstance(line["bytes"], int)
    assert line["bytes"] > 1000
    assert isinstance(line["duration_ms"], float)
    assert "time" in line
    # uvicorn's own lines are JSON too.
    assert any(str(x.get("logger", "")).startswith("uvicorn") for x in lines)


def test_sigterm_finishes_the_request_in_flight_and_exits_0(tmp_path: Path) -> None:
    """The leaflet renders on its first request (most of a second): SIGTERM while it
    renders stops the server accepting, lets it finish and exits 0."""
    project = Project(tmp_path)
    args = ["--content", str(project.content), "--exporters", str(project.exporters)]
    answers: list[httpx.Response] = []
    with (
        serve_process([*args, "--log-format", "json"], cwd=tmp_path) as served,
        httpx.Client(base_url=served.url, timeout=120) as client,
    ):
        # The connection is opened first: on a loaded machine making one took longer
        # than the pause below, and the signal then closed the port before it.
        assert client.get("/livez").status_code == 200
        slow = threading.Thread(
            target=lambda: answers.append(client.get(f"{DOCUMENT}/leaflet.pdf"))
        )
        slow.start()
        time.sleep(0.2)  # its request sent; not an assertion on time
        served.process.send_signal(signal.SIGTERM)
        slow.join(120)
        assert served.process.wait(60) == 0
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{served.url}/livez", timeout=2)  # no longer accepting
    [answer] = answers
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    # In flight indeed: its log line comes after uvicorn's shutdown began.
    messages = [(x.get("logger"), str(x.get("message"))) for x in _json_lines(served.output)]
    shutdown = next(i for i, (_, m) in enumerate(messages) if m.startswith("Shutting down"))
    leaflet = next(i for i, (_, m) in enumerate(messages) if "leaflet.pdf 200" in m)
    assert leaflet > shutdown, messages


def test_workers_share_their_metrics(tmp_path: Path) -> None:
    """With --workers 2 each worker counts in the shared folder; /metrics, from whichever
    worker answers, sums them."""
    project = Project(tmp_path)
    args = ["--content", str(project.content), "--exporters", str(project.exporters)]
    with serve_process([*args, "--workers", "2"], cwd=tmp_path) as served:
        with httpx.Client(base_url=served.url) as client:
            before = counted(
                client.get("/metrics").text, "spikecontent_http_requests", route="/labels"
            )
        for _ in range(20):  # a new connection each: the kernel spreads them
            assert httpx.get(f"{served.url}/labels").status_code == 200
        text = httpx.get(f"{served.url}/metrics").text
        assert counted(text, "spikecontent_http_requests", route="/labels") - before == 20
        assert samples(text, "spikecontent_content_version_info")


@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_nginx_passes_the_request_id(tmp_path: Path) -> None:
    project = Project(tmp_path)
    args = ["--content", str(project.content), "--exporters", str(project.exporters)]
    with (
        serve_process([*args, "--log-format", "json"], cwd=tmp_path) as served,
        RequestIdNginx(served.url, tmp_path / "nginx") as front,
    ):
        given = httpx.get(f"{front}{DOCUMENT}", headers={"X-Request-ID": "from-the-edge"})
        assert given.headers["x-request-id"] == "from-the-edge"
        made = httpx.get(f"{front}/labels")
        nginx_id = made.headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", nginx_id)  # nginx's $request_id
        time.sleep(0.2)  # nginx writes its log line as the answer goes
        log = (tmp_path / "nginx" / "access.log").read_text(encoding="utf-8")
        assert f"/labels 200 id={nginx_id}" in log
        assert f"{DOCUMENT} 200 id=from-the-edge" in log
    ids = {x.get("request_id") for x in _json_lines(served.output)}
    assert {"from-the-edge", nginx_id} <= ids


@pytest.mark.parametrize(
    "secret",
    ["whsec_" + base64.b64encode(b"a key of thirty-two random bytes").decode(), "plain s3cret"],
)
def test_publish_hooks_are_standard_webhooks(tmp_path: Path, secret: str) -> None:
    """The standardwebhooks package verifies each delivery: the id, the timestamp and
    the signature over both and the body; a replay outside the tolerance is refused."""
    receiver = Receiver(failures=1)
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters)
    live.on_change(Publisher([receiver.url], secret, first_delay=0.05))
    project.edit(ARTICLE, "title: 'Acupressure Mat Benefits:", "title: 'Standard Benefits:")
    assert live.reload()
    assert receiver.arrived.wait(10)
    receiver.shutdown()
    receiver.server_close()
    ((headers, body),) = receiver.posts  # the retry; the first attempt got a 500
    # A secret in the standard's form is used as it is; any other is its bytes, which
    # the receiver gives base64-encoded.
    verifier_secret = (
        secret if secret.startswith("whsec_") else base64.b64encode(secret.encode()).decode()
    )
    hook = Webhook(verifier_secret)
    summary = hook.verify(body, headers)
    assert summary["event"] == "content.changed"
    assert headers["webhook-id"].startswith("msg_")
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 600
    with pytest.raises(WebhookVerificationError):
        hook.verify(body + b" ", headers)  # a changed body
    stale = {**headers, "webhook-timestamp": str(int(time.time()) - 3600)}
    with pytest.raises(WebhookVerificationError):
        hook.verify(body, stale)  # a capture replayed an hour later
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    resigned = hook.sign(headers["webhook-id"], old, body)
    with pytest.raises(WebhookVerificationError):
        hook.verify(body, {**stale, "webhook-signature": resigned})
