"""The macro board (macros/index.html) driven in Debian's headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

import spikecontent
from tests.conftest import CONTENT, NEEDS_CHROMIUM, REPO

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("board")
    report = spikecontent.export(
        CONTENT, exporters=REPO / "exporters", out=root / "dist", only=["macros"]
    )
    assert report.ok, report.failed
    return root / "dist" / "macros"


@pytest.fixture
def page(browser: Browser, board: Path) -> Iterator[Page]:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(board.joinpath("index.html").as_uri())
    yield page
    # Self-contained: the page itself is the only thing it ever loads.
    assert requests == [board.joinpath("index.html").as_uri()]
    context.close()


def visible_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "article[data-search]", "cards => cards.filter(c => !c.hidden).map(c => c.id)"
    )


def test_search_filters_the_list(page: Page, board: Path) -> None:
    total = len(list(board.glob("*.txt"))) - 1  # all.txt is not a macro
    assert len(visible_ids(page)) == total
    page.fill("#search", "pregnant")
    shown = visible_ids(page)
    expected = [
        f"macro-{p.stem}"
        for p in board.glob("*.txt")
        if p.name != "all.txt" and "pregnant" in p.read_text(encoding="utf-8").lower()
    ]
    assert sorted(shown) == sorted(expected)
    assert 0 < len(shown) < total
    page.fill("#search", "money-back guarantee")
    assert visible_ids(page) == ["macro-acupressure-mat-benefits-offer"]
    assert page.text_content("#count") == f"1 of {total} macros"
    page.fill("#search", "no macro says this xyzzy")
    assert visible_ids(page) == []
    page.fill("#search", "")
    assert len(visible_ids(page)) == total


def test_slash_focuses_the_search_box(page: Page) -> None:
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"


def test_copy_puts_the_exact_macro_text_on_the_clipboard(page: Page, board: Path) -> None:
    for ident in (
        "acupressure-mat-benefits-who-should-not-use-it",
        "acupressure-mat-benefits-offer",
    ):
        page.click(f"#macro-{ident} button")
        page.wait_for_function(
            "id => document.querySelector(`#macro-${id} .status`).textContent === 'Copied'",
            arg=ident,
        )
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == (board / f"{ident}.txt").read_text(encoding="utf-8")


def test_the_board_names_no_other_file(board: Path) -> None:
    # Agents save the page anywhere: nothing in it may point at a file beside it.
    html = (board / "index.html").read_text(encoding="utf-8")
    for reference in ("<script src", "<link", "@import", "url(", "<img", "<iframe"):
        assert reference not in html, reference
