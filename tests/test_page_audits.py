"""The web pages audited as a site owner would: Lighthouse 12.2.3 (SEO, accessibility, best
practices) against the pages served by Debian's nginx in Debian's headless Chromium, and
axe-core in the same browser on the article, home and macro board pages.

The site is exported with ``base_url`` ``https://localhost:<port>/`` and the icon site.yaml
gives it, and served there over HTTPS with a certificate made for the test, which the
browsers are told to take: each page is audited at its canonical URL (one on another domain
fails Lighthouse's canonical audit), and the browser finds the icon the page links (without
one, its request for /favicon.ico is a 404, a console error)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.conftest import CHROMIUM, NEEDS_CHROMIUM, REPO, SLUG, Project
from tests.pictures import ico, with_icon
from tests.servers import NGINX, LocalhostCertificate, PagesNginx

TOOLS = REPO / ".venv" / "tools" / "node_modules"
LIGHTHOUSE = TOOLS / "lighthouse" / "core" / "index.js"
AXE = TOOLS / "axe-core" / "axe.min.js"
PAGES = (f"/{SLUG}/", "/")
"""The pages Lighthouse audits: the article and the home page."""

pytestmark = [
    pytest.mark.slow,
    NEEDS_CHROMIUM,
    pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed"),
    pytest.mark.skipif(
        not (LIGHTHOUSE.exists() and AXE.exists()),
        reason="Lighthouse and axe-core are installed by ./run.sh test into .venv/tools",
    ),
]


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Project, str, LocalhostCertificate]]:
    root = tmp_path_factory.mktemp("audits")
    project = Project(root).with_article("second-article", title="A second article")
    tls = LocalhostCertificate(root / "tls")
    server = PagesNginx(project.out, root / "nginx", tls=tls)
    project.edit(
        "site.yaml",
        "base_url: https://www.spikerest.example/",
        f"base_url: https://localhost:{server.port}/",
    )
    with_icon(project.content, "images/favicon.ico", ico(16, 32, 48))
    report = project.export(only=["html", "rss", "macros"])
    assert report.ok, report.failed
    with server as url:
        yield project, url, tls


@pytest.fixture(scope="module")
def lighthouse(
    served: tuple[Project, str, LocalhostCertificate], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """Lighthouse's report on each of ``PAGES``, audited one after the other in one
    Chromium (tests/lighthouse.mjs): starting Node, Lighthouse and the browser is most of
    the time of a run."""
    _, url, tls = served
    out = tmp_path_factory.mktemp("lighthouse")
    chrome_flags = "--headless=new --no-sandbox --disable-gpu"
    chrome_flags += f" --ignore-certificate-errors-spki-list={tls.spki}"
    settings = {
        "onlyCategories": ["seo", "accessibility", "best-practices"],
        "output": "json",
        "logLevel": "error",
        # The picture of the whole page is for a report's reader; no audit scores it.
        "disableFullPageScreenshot": True,
    }
    script = REPO / "tests" / "lighthouse.mjs"
    pages = [f"{url}{path}" for path in PAGES]
    subprocess.run(
        ["node", str(script), str(TOOLS), str(out), chrome_flags, json.dumps(settings), *pages],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        check=True,
        timeout=300,
    )
    return {
        path: json.loads((out / f"{index}.json").read_text(encoding="utf-8"))
        for index, path in enumerate(PAGES)
    }


def _scores(data: dict[str, Any]) -> dict[str, float]:
    return {name: category["score"] for name, category in data["categories"].items()}


def _failed(data: dict[str, Any]) -> list[str]:
    return [
        audit["id"]
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]


@pytest.mark.parametrize("path", PAGES)
def test_lighthouse_scores_each_page_100(
    lighthouse: dict[str, dict[str, Any]],
    served: tuple[Project, str, LocalhostCertificate],
    path: str,
) -> None:
    _, url, _ = served
    data = lighthouse[path]
    assert data["finalDisplayedUrl"] == f"{url}{path}"
    assert _scores(data) == {"seo": 1, "accessibility": 1, "best-practices": 1}, _failed(data)


def _axe_violations(browser: Browser, url: str) -> list[dict[str, Any]]:
    context = browser.new_context(ignore_https_errors=True)  # the certificate made here
    try:
        page = context.new_page()
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        result: dict[str, Any] = page.evaluate("axe.run()")
    finally:
        context.close()
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]


def test_axe_finds_no_violation_on_the_article_home_and_board_pages(
    served: tuple[Project, str, LocalhostCertificate], browser: Browser
) -> None:
    project, url, _ = served
    board = (project.out / "macros" / "index.html").as_uri()
    for page in (f"{url}/{SLUG}/", f"{url}/", board):
        assert _axe_violations(browser, page) == [], page
