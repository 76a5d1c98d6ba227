"""The macro board (macros/index.html) driven in Debian's headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

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
    found: list[str] = page.eval_on_selector_all(
        "article[data-search]", "cards => cards.filter(c => !c.hidden).map(c => c.id)"
    )
    return found


CAUTION_CARDS = (
    "macro-acupressure-mat-benefits-who-should-not-use-it",
    "macro-acupressure-mat-benefits-faq-who-should-not-use",
)


def test_search_filters_the_list(page: Page, board: Path) -> None:
    total = len(list(board.glob("*.txt"))) - 1  # all.txt is not a macro
    assert len(visible_ids(page)) == total
    page.fill("#search", "pregnant")
    # Only the replies that speak of pregnancy themselves: the disclaimer on every health
    # reply is not searched.
    assert sorted(visible_ids(page)) == sorted(CAUTION_CARDS)
    page.fill("#search", "money-back guarantee")
    assert visible_ids(page)[0] == "macro-acupressure-mat-benefits-offer"
    page.fill("#search", "no macro says this xyzzy")
    assert visible_ids(page) == []
    page.fill("#search", "")
    assert len(visible_ids(page)) == total


def expect_copied(page: Page, card: str) -> None:
    # A locator assertion polls from Playwright's side: a wait_for_function predicate is
    # evaluated with eval() in the page, which the board's CSP (rightly) refuses.
    expect(page.locator(f"#{card} .status")).to_have_text("Copied")


def test_slash_focuses_the_search_box(page: Page) -> None:
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"


def test_copy_puts_the_exact_macro_text_on_the_clipboard(page: Page, board: Path) -> None:
    for ident in (
        "acupressure-mat-benefits-who-should-not-use-it",
        "acupressure-mat-benefits-offer",
    ):
        page.click(f"#macro-{ident} button")
        expect_copied(page, f"macro-{ident}")
        copied = page.evaluate("navigator.clipboard.readText()")
        # With no name typed, the greeting takes the profile's fallback name.
        text = (board / f"{ident}.txt").read_text(encoding="utf-8")
        assert copied == text.replace("[first name]", "there")


def test_the_board_names_no_other_file(board: Path) -> None:
    # Agents save the page anywhere: nothing in it may point at a file beside it.
    html = (board / "index.html").read_text(encoding="utf-8")
    for reference in ("<script src", "<link", "@import", "url(", "<img", "<iframe"):
        assert reference not in html, reference


OFFER = "macro-acupressure-mat-benefits-offer"


def test_a_macros_own_words_rank_above_the_text_every_macro_shares(page: Page) -> None:
    # Every health macro carries the cautions, so "pregnant" is in most of them; the
    # macros about who should not use a mat say it in their own answer, and come first.
    page.fill("#search", "pregnant")
    assert set(visible_ids(page)) == set(CAUTION_CARDS)
    for words in ("refund", "price", "guarantee", "how much", "cost"):
        page.fill("#search", words)
        assert visible_ids(page)[0] == OFFER, words
    page.fill("#search", "refund")
    assert visible_ids(page) == [OFFER]  # the word is the offer's alone


def test_the_names_typed_once_fill_every_copy(page: Page, board: Path) -> None:
    page.fill("#first-name", "Ada")
    page.fill("#agent-name", "Sam")
    page.click(f"#{OFFER} button")
    expect_copied(page, OFFER)
    copied = page.evaluate("navigator.clipboard.readText()")
    text = (board / "acupressure-mat-benefits-offer.txt").read_text(encoding="utf-8")
    assert copied == text.replace("[first name]", "Ada").replace("[your name]", "Sam")
    assert copied.startswith("Hi Ada,\n")
    assert copied.endswith("Best wishes,\nSam\n")


def test_the_keyboard_alone_finds_and_copies_a_reply(page: Page, board: Path) -> None:
    page.keyboard.press("/")
    page.keyboard.type("pregnant")
    first, second = visible_ids(page)[:2]
    page.keyboard.press("ArrowDown")  # the first result is selected already; move to the second
    assert page.eval_on_selector(f"#{second}", "card => card.classList.contains('selected')")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect_copied(page, first)
    copied = page.evaluate("navigator.clipboard.readText()")
    text = (board / f"{first.removeprefix('macro-')}.txt").read_text(encoding="utf-8")
    assert copied == text.replace("[first name]", "there")


def below_header(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            """selector => {
                const header = document.querySelector("header").getBoundingClientRect();
                const title = document.querySelector(selector).getBoundingClientRect();
                return title.top >= header.bottom && title.bottom <= window.innerHeight;
            }""",
            selector,
        )
    )


@pytest.fixture
def laptop(browser: Browser, board: Path) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(board.joinpath("index.html").as_uri())
    yield page
    context.close()


def test_at_1280_by_720_no_title_hides_under_the_sticky_header(laptop: Page) -> None:
    first = "main article:not([hidden]) h3"
    assert laptop.evaluate("window.scrollY") == 0
    assert below_header(laptop, first)
    laptop.keyboard.press("/")
    laptop.keyboard.type("use")
    for _ in range(4):
        laptop.keyboard.press("ArrowDown")
        assert below_header(laptop, "article.selected h3")
    for _ in range(4):
        laptop.keyboard.press("ArrowUp")
        assert below_header(laptop, "article.selected h3")


def test_search_matches_stems_and_synonyms_ranked_by_where_the_word_stands(page: Page) -> None:
    # "hurts": the first session is "sharp" at first, the research measured pain.
    page.fill("#search", "hurts")
    shown = visible_ids(page)
    assert "macro-acupressure-mat-benefits-first-session" in shown
    assert "macro-acupressure-mat-benefits-what-the-research-says" in shown
    assert OFFER not in shown
    page.fill("#search", "pregnancy")  # the caution says Pregnancy, the FAQ pregnant
    assert set(visible_ids(page)) == set(CAUTION_CARDS)
    # A word in a title ranks above the same word in an answer.
    page.fill("#search", "sleep")
    assert visible_ids(page)[0] == "macro-acupressure-mat-benefits-faq-sleep"
    page.fill("#search", "studies")
    assert visible_ids(page)[0] == "macro-acupressure-mat-benefits-what-the-research-says"


def test_the_boards_words_drop_possessives_with_either_apostrophe() -> None:
    from spikecontent.writers.macros.words import words

    text = "The Mat\u2019s cover's EDGE, 3-in-1 d\u2019Artagnan\u2019s"
    assert words(text) == ["the", "mat", "cover", "edge", "in", "d'artagnan"]
