"""Serving for real traffic: compression, CORS, preview tokens, live reload and the
publish hook, each against uvicorn on a real port with httpx."""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import logging
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import httpx
import pytest
from playwright.sync_api import Browser
from typer.testing import CliRunner

from spikecontent.api import LiveContent, create_api, create_app
from spikecontent.api.http import preferred
from spikecontent.cli import app as cli
from spikecontent.delivery.webhooks import SIGNATURE_HEADER, Publisher
from spikecontent.server.serving import watch
from tests.conftest import ARTICLE, CONTENT, NEEDS_CHROMIUM, REPO, SLUG, Project
from tests.servers import (
    NGINX,
    CachingNginx,
    Nginx,
    Receiver,
    Recorder,
    Server,
    StaticSite,
    output_so_far,
    serve_process,
)

TOKEN = "correct horse battery staple"
DOCUMENT = f"/articles/{SLUG}"


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with Server(create_api(CONTENT, REPO / "exporters")) as client:
        yield client


# Compression


def test_each_encoding_is_its_own_representation(client: httpx.Client) -> None:
    plain = client.get(DOCUMENT, headers={"Accept-Encoding": "identity"})
    bodies = {}
    for encoding in ("br", "gzip"):
        # httpx would decode the body: read the raw bytes as sent.
        with client.stream("GET", DOCUMENT, headers={"Accept-Encoding": encoding}) as response:
            raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == encoding
        assert "Accept-Encoding" in response.headers["vary"]
        assert response.headers["etag"] == f'"{hashlib.sha256(raw).hexdigest()[:32]}"'
        assert int(response.headers["content-length"]) == len(raw) < len(plain.content)
        bodies[encoding] = (raw, response.headers["etag"])
    assert brotli.decompress(bodies["br"][0]) == plain.content
    assert gzip.decompress(bodies["gzip"][0]) == plain.content
    assert len({plain.headers["etag"], bodies["br"][1], bodies["gzip"][1]}) == 3
    assert "Accept-Encoding" in plain.headers["vary"]


def test_a_304_only_for_the_representation_the_client_holds(client: httpx.Client) -> None:
    gzipped = client.get(DOCUMENT, headers={"Accept-Encoding": "gzip"}).headers["etag"]
    same = client.get(DOCUMENT, headers={"Accept-Encoding": "gzip", "If-None-Match": gzipped})
    assert same.status_code == 304
    assert same.headers["etag"] == gzipped
    other = client.get(DOCUMENT, headers={"Accept-Encoding": "br", "If-None-Match": gzipped})
    assert other.status_code == 200
    assert other.headers["content-encoding"] == "br"


def test_small_bodies_and_pdfs_are_sent_as_they_are(client: httpx.Client) -> None:
    for url in ("/healthz", f"/articles/{SLUG}/leaflet.pdf"):
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert "content-encoding" not in response.headers, url
        assert "Accept-Encoding" not in response.headers.get("vary", ""), url


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        (None, "identity"),
        ("gzip", "gzip"),
        ("gzip, br", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("*", "br"),
        ("br;q=0, *;q=0.1", "gzip"),
        ("compress", "identity"),
        ("identity;q=0", "identity"),
        ("gzip;q=nonsense, br", "br"),
        ("br;q=0.5, gzip;q=0.9", "gzip"),
        ("br;q=0.001", "br"),
        ("identity, gzip;q=0.5", "identity"),
    ],
)
def test_accept_encoding_is_read_with_its_qualities(header: str | None, chosen: str) -> None:
    assert preferred(header, ("identity", "br", "gzip")) == chosen


# CORS


def test_any_origin_may_read_published_content(client: httpx.Client) -> None:
    response = client.get(DOCUMENT, headers={"Origin": "https://shop.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "etag" in response.headers["access-control-expose-headers"]
    assert "Origin" not in response.headers.get("vary", "")


def test_a_preflight_is_answered_as_the_fetch_standard_asks(client: httpx.Client) -> None:
    headers = {
        "Origin": "https://shop.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization, if-none-match",
    }
    response = client.options(DOCUMENT, headers=headers)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "https://shop.example"
    assert response.headers["access-control-allow-methods"] == "GET, HEAD"
    allowed = response.headers["access-control-allow-headers"].split(", ")
    assert {"authorization", "if-none-match"} <= set(allowed)
    assert "Origin" in response.headers["vary"]
    writing = client.options(DOCUMENT, headers={**headers, "Access-Control-Request-Method": "PUT"})
    assert writing.status_code == 405
    assert "access-control-allow-origin" not in writing.headers
    plain = client.options(DOCUMENT)
    assert plain.status_code == 204
    assert plain.headers["allow"] == "GET, HEAD, OPTIONS"


def test_configured_origins_are_echoed_and_others_refused() -> None:
    app = create_api(CONTENT, REPO / "exporters", cors_origins=["https://shop.example"])
    with Server(app) as client:
        allowed = client.get(DOCUMENT, headers={"Origin": "https://shop.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
        assert "Origin" in allowed.headers["vary"]
        other = client.get(DOCUMENT, headers={"Origin": "https://evil.example"})
        assert other.status_code == 200  # the bytes are public; the browser withholds them
        assert "access-control-allow-origin" not in other.headers
        assert "Origin" in other.headers["vary"]
        preflight = client.options(
            DOCUMENT,
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
        assert preflight.status_code == 403


# Preview


@pytest.fixture(scope="module")
def with_draft(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A published article and a draft, served with a preview token."""
    project = Project(tmp_path_factory.mktemp("preview"))
    project.with_article("draft-article", title="A Draft").edit(
        "articles/draft-article.yaml", "status: published", "status: draft"
    )
    app = create_api(project.content, project.exporters, preview_token=TOKEN)
    with Server(app) as client:
        yield client


DRAFT_URLS = [
    "/articles/draft-article",
    "/articles/draft-article/jsonld",
    "/articles/draft-article/leaflet.pdf",
    "/macros/draft-article-offer.txt",
]


@pytest.mark.parametrize("url", DRAFT_URLS)
def test_a_draft_is_seen_only_with_the_token(with_draft: httpx.Client, url: str) -> None:
    assert with_draft.get(url).status_code == 404
    wrong = with_draft.get(url, headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    right = with_draft.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 200
    assert right.headers["cache-control"] == "private, no-store"


@pytest.mark.parametrize(
    "url",
    ["/articles", DOCUMENT, "/studies", "/cautions", "/feed.rss", "/macros", "/healthz"],
)
def test_a_wrong_token_is_refused_everywhere(with_draft: httpx.Client, url: str) -> None:
    assert with_draft.get(url).status_code == 200
    assert with_draft.get(url, headers={"Authorization": "Bearer guess"}).status_code == 401
    assert with_draft.get(url, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    right = with_draft.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 200
    assert right.headers["cache-control"] == "private, no-store"


def test_lists_and_feeds_leave_drafts_out_without_the_token(with_draft: httpx.Client) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    for url, needle in (("/articles", "draft-article"), ("/feed.atom", "draft-article")):
        assert needle not in with_draft.get(url).text, url
        assert needle in with_draft.get(url, headers=bearer).text, url
    assert "draft-article" not in with_draft.get("/macros").text
    assert "draft-article" in with_draft.get("/macros", headers=bearer).text


def test_preview_etags_never_equal_public_ones(with_draft: httpx.Client) -> None:
    public = with_draft.get(DOCUMENT)
    preview = with_draft.get(DOCUMENT, headers={"Authorization": f"Bearer {TOKEN}"})
    assert public.content == preview.content
    assert public.headers["etag"] != preview.headers["etag"]
    assert "Authorization" in public.headers["vary"]
    cross = with_draft.get(DOCUMENT, headers={"If-None-Match": preview.headers["etag"]})
    assert cross.status_code == 200


def test_a_preview_response_never_carries_a_wildcard(with_draft: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Origin": "https://preview.example"}
    response = with_draft.get("/articles/draft-article", headers=headers)
    assert response.headers["access-control-allow-origin"] == "https://preview.example"
    assert "Origin" in response.headers["vary"]


# Live content


def poll_until(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_temporary_files_that_come_and_go_do_not_reload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """vim makes and removes a file called 4913 before it writes: rebuilding every artifact
    for it would be work for nothing."""
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters)
    reloads: list[bool] = []

    def counted_reload() -> bool:
        reloads.append(True)
        return True

    monkeypatch.setattr(live, "reload", counted_reload)
    stop = threading.Event()
    thread = watch(live, stop)
    try:
        article = project.content / ARTICLE
        # Saves until one is seen: then the watcher is in place (it says so nowhere).
        deadline = time.monotonic() + 10
        while not reloads:
            assert time.monotonic() < deadline, "the watch saw no save"
            article.write_bytes(article.read_bytes())
            time.sleep(0.3)
        time.sleep(0.6)  # past the watch's debounce: every save so far has been seen
        saves = len(reloads)
        probe = article.parent / "4913"
        probe.write_text("")
        probe.unlink()
        time.sleep(0.6)
        assert len(reloads) == saves
        project.edit(ARTICLE, "title: 'Acupressure Mat Benefits:", "title: 'Edited Benefits:")
        poll_until(lambda: len(reloads) > saves)
    finally:
        stop.set()
        thread.join(timeout=10)


def test_an_edit_is_served_whole_and_an_invalid_one_keeps_the_last_good(tmp_path: Path) -> None:
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters, preview_token=TOKEN)
    preview = {"Authorization": f"Bearer {TOKEN}"}
    stop = threading.Event()
    watch(live, stop)
    seen: dict[str, set[str]] = {}
    polling = threading.Event()
    with Server(create_app(live)) as client:

        def poll() -> None:
            with httpx.Client(base_url=client.base_url, timeout=10) as poller:
                while not polling.is_set():
                    response = poller.get(DOCUMENT, headers={"Accept-Encoding": "identity"})
                    title = response.json()["title"]
                    seen.setdefault(response.headers["x-content-version"], set()).add(title)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            first = client.get("/healthz").json()["version"]
            project.edit(ARTICLE, "title: 'Acupressure Mat Benefits:", "title: 'Edited Benefits:")
            poll_until(lambda: client.get("/healthz").json()["version"] != first)
            assert client.get(DOCUMENT).json()["title"].startswith("Edited Benefits:")
            edited = client.get("/healthz").json()["version"]

            project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: soon")
            poll_until(lambda: client.get("/healthz").json()["status"] == "degraded")
            health = client.get("/healthz", headers=preview).json()
            public = client.get("/healthz").json()
            assert public["version"] == edited  # still serving the last good content
            assert "errors" not in public
            assert public["problems"] == 1
            assert any("hohmann-2012.yaml" in e and "year" in e for e in health["errors"])
            assert client.get(DOCUMENT).json()["title"].startswith("Edited Benefits:")

            project.edit("studies/hohmann-2012.yaml", "year: soon", "year: 2012")
            poll_until(lambda: client.get("/healthz").json()["status"] == "ok")
        finally:
            polling.set()
            poller.join()
            stop.set()
    # No response mixed two snapshots: each version served exactly one title.
    assert len(seen) >= 2
    assert all(len(titles) == 1 for titles in seen.values()), seen


EMBARGOED = "Embargoed until the launch of the new travel mat"


def test_the_public_health_check_never_quotes_a_draft(tmp_path: Path) -> None:
    """An invalid embargoed draft degrades the health check; its text, slug and file
    reach only the server log and a request with the preview token."""
    project = Project(tmp_path).with_article("embargoed-launch", title=EMBARGOED)
    project.edit("articles/embargoed-launch.yaml", "status: published", "status: draft")
    live = LiveContent(project.content, project.exporters, preview_token=TOKEN)
    preview = {"Authorization": f"Bearer {TOKEN}"}
    secrets = ("embargoed-launch", "Embargoed until", "travel mat")
    with Server(create_app(live)) as client:
        assert client.get("/articles/embargoed-launch").status_code == 404
        project.edit(
            "articles/embargoed-launch.yaml", "modified: 2026-07-04", f"modified: {EMBARGOED}"
        )
        assert not live.reload()
        public = client.get("/healthz")
        assert public.json() == {
            "status": "degraded",
            "version": live.served.public.version,
            "articles": 1,
            "problems": 1,
        }
        assert not [s for s in secrets if s in public.text]
        private = client.get("/healthz", headers=preview).json()
        assert private["problems"] == 1
        [error] = private["errors"]
        assert "embargoed-launch.yaml" in error
        assert "modified" in error
        assert EMBARGOED in error

        # A lint error in the draft (a cure claim) is kept from the public the same way.
        project.edit(
            "articles/embargoed-launch.yaml", f"modified: {EMBARGOED}", "modified: 2026-07-04"
        )
        project.edit(
            "articles/embargoed-launch.yaml",
            "shows up again and again in the literature.",
            "shows up again and again in the literature. The travel mat cures sciatica.",
        )
        assert not live.reload()
        public = client.get("/healthz")
        assert public.json()["status"] == "degraded"
        assert public.json()["problems"] >= 1
        assert not [s for s in secrets if s in public.text]
        assert "sciatica" not in public.text
        private = client.get("/healthz", headers=preview).json()
        assert any("sciatica" in e for e in private["errors"])


def test_etags_change_only_for_what_changed(tmp_path: Path) -> None:
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters)
    before = live.served.public.etags()
    project.edit("studies/kisker-2024.yaml", "year: 2024", "year: 2024 # re-checked")
    assert live.reload()
    assert live.served.public.etags() == before  # a comment changes no byte
    project.edit("offers/spikerest-mat-standard.yaml", "price: 34.99", "price: 36.99")
    assert live.reload()
    after = live.served.public.etags()
    changed = {path for path in after if after[path] != before.get(path)}
    assert f"json/articles/{SLUG}.json" in changed
    assert "json/studies.json" not in changed  # no study changed
    assert "rss/site.rss.xml" not in changed  # feeds carry revisions, not prices


def test_sighup_reloads_a_running_server(tmp_path: Path) -> None:
    project = Project(tmp_path)
    with serve_process(
        ["--content", str(project.content), "--exporters", str(project.exporters)], cwd=tmp_path
    ) as served:
        first = httpx.get(f"{served.url}/healthz").json()["version"]
        project.edit(ARTICLE, "title: 'Acupressure Mat Benefits:", "title: 'Hung Up Benefits:")
        served.process.send_signal(signal.SIGHUP)
        poll_until(lambda: httpx.get(f"{served.url}/healthz").json()["version"] != first, 30)
        assert httpx.get(f"{served.url}{DOCUMENT}").json()["title"].startswith("Hung Up")


# Publish hook


def test_a_reload_posts_a_signed_summary_and_retries(tmp_path: Path) -> None:
    receiver = Receiver(failures=1)
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters)
    live.on_change(Publisher([receiver.url], "s3cret", first_delay=0.05))
    project.edit(ARTICLE, "title: 'Acupressure Mat Benefits:", "title: 'Hooked Benefits:")
    assert live.reload()
    assert receiver.arrived.wait(10)
    receiver.shutdown()
    receiver.server_close()
    ((headers, body),) = receiver.posts  # the first attempt failed; the retry arrived
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers[SIGNATURE_HEADER.lower()], expected)
    summary = json.loads(body)
    assert summary["event"] == "content.changed"
    assert summary["version"] == live.served.public.version != summary["previous_version"]
    assert f"json/articles/{SLUG}.json" in summary["changed"]
    assert summary["changed"][f"json/articles/{SLUG}.json"].startswith('"')


HOOK_TOKEN = "t0ken-in-the-query"
HOOK_PASSWORD = "pa55word-in-the-userinfo"


def _deliveries_done() -> None:
    """Waits for the publish hook's delivery threads (each named spikecontent-hook)."""
    for thread in threading.enumerate():
        if thread.name == "spikecontent-hook":
            thread.join()


def test_a_redirect_is_reported_never_followed_and_no_credential_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="spikecontent.serve")
    with (
        Recorder() as elsewhere,
        Recorder(302, f"{elsewhere.url}?token=other") as moved,
        Recorder() as receiver,
    ):
        address = receiver.url.removeprefix("http://")
        urls = [
            f"{moved.url}?token={HOOK_TOKEN}",
            f"http://hook:{HOOK_PASSWORD}@{address}?token={HOOK_TOKEN}",
        ]
        project = Project(tmp_path)
        live = LiveContent(project.content, project.exporters)
        live.on_change(Publisher(urls, first_delay=0.01))
        project.edit(ARTICLE, "title: 'Acupressure Mat Benefits:", "title: 'Moved Benefits:")
        assert live.reload()
        _deliveries_done()
    # The redirect: posted once, and nothing went where it points, as a GET or otherwise.
    ((method, path, _, body),) = moved.requests
    assert (method, path) == ("POST", f"/hook?token={HOOK_TOKEN}")
    assert json.loads(body)["event"] == "content.changed"
    assert elsewhere.requests == []
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert f"publish hook {moved.url}: the receiver answered 302, a redirect" in errors[0]
    assert f"to {elsewhere.url}" in errors[0]
    # Userinfo is sent as Basic authentication, never as part of the address.
    ((method, path, headers, _),) = receiver.requests
    assert (method, path) == ("POST", f"/hook?token={HOOK_TOKEN}")
    basic = base64.b64encode(f"hook:{HOOK_PASSWORD}".encode()).decode()
    assert headers["authorization"] == f"Basic {basic}"
    # The log names each hook without its query and userinfo.
    assert f"publish hook {receiver.url}: 204" in caplog.text
    assert not [s for s in (HOOK_TOKEN, HOOK_PASSWORD, "other") if s in caplog.text]


def test_hook_urls_come_from_the_environment_and_a_file_never_the_process_list(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path / "project")
    with (
        Recorder() as elsewhere,
        Recorder(302, elsewhere.url) as moved,
        Recorder() as receiver,
    ):
        hooks = tmp_path / "hooks"
        hooks.write_text(f"# the CDN purge\n{receiver.url}?token={HOOK_TOKEN}\n", "utf-8")
        environment = {"SPIKECONTENT_ON_CHANGE": f"  {moved.url}?token={HOOK_TOKEN}-2\n"}
        folders = ["--content", str(project.content), "--exporters", str(project.exporters)]
        with serve_process(
            [*folders, "--on-change-file", str(hooks)], cwd=tmp_path, env=environment
        ) as served:
            command = Path(f"/proc/{served.process.pid}/cmdline").read_bytes()
            assert HOOK_TOKEN.encode() not in command
            project.edit(ARTICLE, "title: 'Acupressure Mat Benefits:", "title: 'Env Benefits:")
            served.process.send_signal(signal.SIGHUP)
            assert receiver.arrived.wait(60), output_so_far(served)
            poll_until(lambda: "a redirect" in output_so_far(served), 60)
    ((_, path, _, _),) = receiver.requests
    assert path == f"/hook?token={HOOK_TOKEN}"
    ((_, path, _, _),) = moved.requests
    assert path == f"/hook?token={HOOK_TOKEN}-2"
    assert elsewhere.requests == []
    assert f"publish hook {moved.url}: the receiver answered 302" in served.output
    assert HOOK_TOKEN not in served.output


def test_a_hook_url_that_is_not_http_stops_the_server(tmp_path: Path) -> None:
    project = Project(tmp_path)
    # Invalid content too: were the URL not checked first, serve would stop there (exit 1).
    project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: soon")
    result = CliRunner().invoke(
        cli,
        ["serve", "--content", str(project.content), "--exporters", str(project.exporters)],
        env={"SPIKECONTENT_ON_CHANGE": f"file:///etc/passwd?token={HOOK_TOKEN}"},
    )
    assert result.exit_code == 2
    assert "hook URL 'file:///etc/passwd': use an http:// or https:// URL" in result.stderr
    assert HOOK_TOKEN not in result.output


# A page on another origin, in headless Chromium


PAGE = """<!doctype html><meta charset="utf-8"><title>shop</title>
<pre id="out">waiting</pre>
<script>
const api = new URLSearchParams(location.search).get("api");
async function read(path, headers) {
  try {
    const response = await fetch(api + path, {headers});
    const title = (await response.json()).title;
    return response.status + " " + title + " " + response.headers.get("etag");
  } catch (error) {
    return "blocked";
  }
}
(async () => {
  const published = await read("/articles/acupressure-mat-benefits", {});
  const draft = await read("/articles/draft-article", {"Authorization": "Bearer TOKEN"});
  document.getElementById("out").textContent = published + "\\n" + draft;
})();
</script>
"""


@NEEDS_CHROMIUM
@pytest.mark.parametrize("allowed", [True, False])
def test_a_page_on_another_origin_reads_the_api(
    browser: Browser, tmp_path: Path, allowed: bool
) -> None:
    project = Project(tmp_path / "project")
    project.with_article("draft-article", title="A Draft").edit(
        "articles/draft-article.yaml", "status: published", "status: draft"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAGE.replace("TOKEN", TOKEN), encoding="utf-8")
    with StaticSite(site) as origin:
        origins = [origin] if allowed else ["https://elsewhere.example"]
        app = create_api(
            project.content, project.exporters, preview_token=TOKEN, cors_origins=origins
        )
        with Server(app) as client:
            page = browser.new_page()
            page.goto(f"{origin}/index.html?api={client.base_url}")
            page.wait_for_function("document.getElementById('out').textContent !== 'waiting'")
            published, draft = page.inner_text("#out").splitlines()
            page.close()
    if allowed:
        assert published.startswith("200 Acupressure Mat Benefits")
        assert published.endswith('"')  # the ETag is exposed to the script
        assert draft.startswith("200 A Draft")
    else:
        assert (published, draft) == ("blocked", "blocked")


# Several workers behind nginx


@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_workers_behind_nginx_pass_conditional_requests_and_compression(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    folders = ["--content", str(project.content), "--exporters", str(project.exporters)]
    with serve_process([*folders, "--workers", "2"], cwd=tmp_path) as served:
        poll_until(lambda: len(_workers(served.process.pid)) == 2, 30)
        with Nginx(served.url, tmp_path / "nginx") as front:
            proxy = httpx.Client(base_url=front, timeout=10)
            with proxy.stream("GET", DOCUMENT, headers={"Accept-Encoding": "br"}) as response:
                raw = b"".join(response.iter_raw())
            assert response.headers["content-encoding"] == "br"
            assert "Accept-Encoding" in response.headers["vary"]
            etag = response.headers["etag"]
            assert etag == f'"{hashlib.sha256(raw).hexdigest()[:32]}"'  # strong, untouched
            again = proxy.get(DOCUMENT, headers={"Accept-Encoding": "br", "If-None-Match": etag})
            assert again.status_code == 304
            assert again.headers["etag"] == etag
            direct = httpx.get(f"{served.url}{DOCUMENT}", headers={"Accept-Encoding": "br"})
            assert direct.headers["etag"] == etag  # every worker serves the same bytes
            # SIGHUP restarts the workers one by one, and each loads the edited content.
            before = proxy.get("/healthz").json()["version"]
            project.edit(ARTICLE, "title: 'Acupressure Mat Benefits:", "title: 'Worker Benefits:")
            served.process.send_signal(signal.SIGHUP)
            poll_until(lambda: _all_reloaded(proxy, before), 60)
            assert proxy.get(DOCUMENT).json()["title"].startswith("Worker Benefits:")
            proxy.close()


def _workers(pid: int) -> list[str]:
    """The uvicorn worker processes of ``pid`` (multiprocessing's resource tracker is a
    child too)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = []
    for child in children:
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            workers.append(child)
    return workers


def _all_reloaded(client: httpx.Client, before: str) -> bool:
    """Whether 16 requests in a row (spread over the workers) see one new version."""
    versions = {_version(client) for _ in range(16)}
    return len(versions) == 1 and versions.isdisjoint({None, before})


def _version(client: httpx.Client) -> str | None:
    try:
        response = client.get("/healthz")
    except httpx.TransportError:
        return None
    return str(response.json()["version"]) if response.status_code == 200 else None


# A shared cache in front (nginx's proxy_cache)

CACHED_PAGE = """<!doctype html><meta charset="utf-8"><title>shop</title>
<pre id="out">waiting</pre>
<script>
const api = new URLSearchParams(location.search).get("api");
fetch(api + "/articles/acupressure-mat-benefits")
  .then(response => response.json().then(body => response.status + " " + body.title))
  .catch(() => "blocked")
  .then(text => { document.getElementById("out").textContent = text; });
</script>
"""


def _cors_check(response: httpx.Response, origin: str) -> bool:
    """The Fetch standard's CORS check (4.9) for a request without credentials: what a
    browser asks of an answer before a page on ``origin`` may read it."""
    allowed = response.headers.get_list("access-control-allow-origin")
    return allowed in (["*"], [origin])


def _page_reads(browser: Browser, page_url: str) -> str:
    # A context of its own: the browser's cache is empty, so the request reaches nginx.
    context = browser.new_context()
    page = context.new_page()
    page.goto(page_url)
    page.wait_for_function("document.getElementById('out').textContent !== 'waiting'")
    text = page.inner_text("#out")
    context.close()
    return text


def _warm(browser: Browser, url: str) -> None:
    """A request for ``url`` without Origin (a navigation sends none), with the browser's
    own Accept-Encoding, so that the copy nginx keeps is the one the page's fetch asks for."""
    context = browser.new_context()
    context.new_page().goto(url)
    context.close()


@NEEDS_CHROMIUM
@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_a_copy_cached_without_origin_is_one_a_page_on_another_origin_may_read(
    browser: Browser, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(CACHED_PAGE, encoding="utf-8")
    with StaticSite(site) as origin:
        # --cors-origin * (the default): one answer for every request.
        with Server(create_api(CONTENT, REPO / "exporters")) as upstream:
            cache = CachingNginx(str(upstream.base_url), tmp_path / "any")
            with cache as front, httpx.Client(base_url=front, timeout=10) as proxy:
                stored = proxy.get(DOCUMENT)  # a crawler, a server-side fetch: no Origin
                assert stored.headers["x-cache-status"] == "MISS"
                cached = proxy.get(DOCUMENT, headers={"Origin": origin})
                assert cached.headers["x-cache-status"] == "HIT"
                assert _cors_check(cached, origin), cached.headers
                assert "etag" in cached.headers["access-control-expose-headers"]
                # The same in Chromium: a navigation (no Origin) stores the copy its
                # encodings ask for, then a page on another origin fetches it from
                # nginx's cache and may read it.
                _warm(browser, f"{front}{DOCUMENT}")
                fetched = _page_reads(browser, f"{origin}/index.html?api={front}")
                assert fetched.startswith("200 Acupressure Mat Benefits"), fetched
                assert f"{DOCUMENT} origin=[{origin}] cache=HIT" in cache.log()
        # Named origins: every answer says Vary: Origin, so nginx keeps a copy per origin
        # and never hands one origin's answer to another.
        named = create_api(CONTENT, REPO / "exporters", cors_origins=[origin])
        with Server(named) as upstream:
            cache = CachingNginx(str(upstream.base_url), tmp_path / "named")
            with cache as front, httpx.Client(base_url=front, timeout=10) as proxy:
                stored = proxy.get(DOCUMENT)
                assert "Origin" in stored.headers["vary"]
                mine = proxy.get(DOCUMENT, headers={"Origin": origin})
                assert mine.headers["x-cache-status"] == "MISS"  # a variant of its own
                again = proxy.get(DOCUMENT, headers={"Origin": origin})
                assert again.headers["x-cache-status"] == "HIT"
                assert _cors_check(mine, origin)
                assert _cors_check(again, origin)
                other = proxy.get(DOCUMENT, headers={"Origin": "https://evil.example"})
                assert not _cors_check(other, "https://evil.example")
                assert not _cors_check(other, origin)  # not the allowed origin's copy
                fetched = _page_reads(browser, f"{origin}/index.html?api={front}")
                assert fetched.startswith("200 Acupressure Mat Benefits"), fetched
