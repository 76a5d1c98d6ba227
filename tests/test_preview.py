"""``spikecontent preview`` in headless Chromium: the page as readers see it, findings
marked in place, and updates on save without a reload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from spikecontent.preview import PreviewServer
from tests.conftest import ARTICLE, NEEDS_CHROMIUM, REPO, SLUG

pytestmark = NEEDS_CHROMIUM
HONEST = "It depends what you mean by work."
CLAIM = "It cures sciatica."


@pytest.fixture
def server(content_copy: Path) -> Iterator[PreviewServer]:
    preview = PreviewServer(content_copy, REPO / "exporters", port=0)
    preview.start()
    preview.watch()
    yield preview
    preview.stop()


@pytest.fixture
def page(browser: Browser, server: PreviewServer) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/articles/{SLUG}")
    page.evaluate("window.__notReloaded = true")
    yield page
    context.close()


def save(content: Path, old: str, new: str) -> None:
    path = content / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def answer(page: Page) -> object:
    return page.locator('[data-field="faq.items[0].answer"]')


def test_the_page_is_the_html_writers_page_with_the_preview_around_it(page: Page) -> None:
    expect(page.locator("h1")).to_have_text(
        "Acupressure Mat Benefits: What the Research Really Says"
    )
    expect(page.locator("#preview-bar [role=tab]")).to_have_count(5)
    page.click("text=JSON-LD")
    expect(page.locator("[data-preview-panel=jsonld] pre").first).to_contain_text('"@context"')
    expect(page.locator("main#content")).to_be_hidden()
    page.click("text=Support macros")
    expect(page.locator("[data-preview-panel=macros]")).to_contain_text("Hi [first name],")
    page.click("#preview-bar >> text=Page")
    expect(page.locator("main#content")).to_be_visible()


def test_a_claim_appears_marked_and_goes_when_fixed_without_a_reload(
    page: Page, content_copy: Path
) -> None:
    expect(page.locator("mark.lint-error")).to_have_count(0)
    save(content_copy, HONEST, CLAIM)
    mark = page.locator('[data-field="faq.items[0].answer"] mark.lint-error')
    expect(mark).to_have_count(1, timeout=10_000)
    expect(mark).to_contain_text("cures sciatica")
    # Its rule, message and fix on focus, for keyboard users as for the mouse.
    mark.focus()
    tip = mark.locator(".lint-tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("error")
    expect(tip).to_contain_text("fix:")
    expect(tip).to_contain_text(f"{ARTICLE.split('/')[-1]}:")
    save(content_copy, CLAIM, "It depends what you mean by it.")
    expect(page.locator("mark.lint-error")).to_have_count(0, timeout=10_000)
    expect(answer(page)).to_contain_text("It depends what you mean by it.")
    assert page.evaluate("window.__notReloaded") is True


def test_a_save_that_breaks_the_content_shows_its_errors_until_fixed(
    page: Page, content_copy: Path, server: PreviewServer
) -> None:
    save(content_copy, "status: published", "status: publishd")
    expect(page.locator("#preview-errors")).to_contain_text("status", timeout=10_000)
    save(content_copy, "status: publishd", "status: published")
    expect(page.locator("h1")).to_be_visible(timeout=10_000)


def test_the_leaflet_and_the_index(server: PreviewServer) -> None:
    index = httpx.get(f"{server.url}/")
    assert f'href="/articles/{SLUG}"' in index.text
    leaflet = httpx.get(f"{server.url}/articles/{SLUG}/leaflet.pdf", timeout=60)
    assert leaflet.headers["content-type"] == "application/pdf"
    assert leaflet.content.startswith(b"%PDF-")
    assert httpx.get(f"{server.url}/articles/no-such-article").status_code == 404
    assert httpx.get(f"{server.url}/../etc/passwd").status_code == 404


def test_events_say_each_new_version(server: PreviewServer, content_copy: Path) -> None:
    with httpx.stream("GET", f"{server.url}/events", timeout=10) as events:
        lines = events.iter_lines()
        assert next(lines) == "event: change"
        assert next(lines) == "data: 1"
        next(lines)
        save(content_copy, HONEST, "It depends on what you mean.")
        assert next(lines) == "event: change"
        assert next(lines) == "data: 2"
