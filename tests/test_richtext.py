"""Prose: the Markdown subset, parsed by markdown-it-py, rendered to escaped HTML and text."""

from __future__ import annotations

import pytest

from spikecontent.richtext import (
    BulletList,
    Link,
    Paragraph,
    ProseError,
    Text,
    parse_prose,
    to_html,
    to_plain_text,
)

BASE = "https://www.example.com/"


def resolve(href: str) -> str:
    return (
        BASE + href.removeprefix("page:").removeprefix("/") if not href.startswith("http") else href
    )


def test_paragraphs_emphasis_and_links_become_a_tree() -> None:
    text = parse_prose("One *two* **three**\nfour [five](page:reviews).\n\nSecond.")
    first, second = text.blocks
    assert isinstance(first, Paragraph)
    assert isinstance(first.children[0], Text)
    assert first.children[0].text == "One "
    link = first.children[-2]
    assert isinstance(link, Link)
    assert link.href == "page:reviews"
    assert second == Paragraph(children=(Text(text="Second."),))
    assert [lk.href for lk in text.links()] == ["page:reviews"]


def test_html_is_escaped_and_links_are_absolute() -> None:
    text = parse_prose('Use 5 < 6 & "quotes" — see [the *guide*](/guides/x?a=1&b=2).')
    html = to_html(text, resolve)
    assert html == (
        '<p>Use 5 &lt; 6 &amp; "quotes" — see '
        '<a href="https://www.example.com/guides/x?a=1&amp;b=2">the <em>guide</em></a>.</p>'
    )


def test_plain_text_has_no_markdown_and_spells_out_links() -> None:
    text = parse_prose("A *soft*\nwrap and [reviews](page:reviews).\n\n- one\n- **two**")
    assert to_plain_text(text, resolve) == (
        "A soft wrap and reviews (https://www.example.com/reviews).\n\n- one\n- two"
    )


def test_lists_render_in_both_forms() -> None:
    text = parse_prose("3. third\n4. fourth\n\n- a\n- b")
    assert (
        to_html(text, resolve)
        == '<ol start="3"><li>third</li><li>fourth</li></ol><ul><li>a</li><li>b</li></ul>'
    )
    assert to_plain_text(text, resolve) == "3. third\n4. fourth\n\n- a\n- b"
    assert isinstance(text.blocks[1], BulletList)


@pytest.mark.parametrize(
    ("source", "message", "line"),
    [
        ("# Heading", "headings are not allowed", 0),
        ("Para.\n\n![alt](/img.png)", "images are not allowed", 2),
        ("Some `code` here", "inline code", 0),
        ("Para.\n\n```\nx\n```", "code blocks", 2),
        ("<script>alert(1)</script>", "raw HTML", 0),
        ("Text <b>bold</b>", "raw HTML", 0),
        ("> quoted", "quotes", 0),
        ("a\n\n---\n", "horizontal rules", 2),
        ("[x](javascript:alert(1))", "not allowed", 0),
        ("[x](file:///etc/passwd)", "not allowed", 0),
        ("[x](relative/path)", "not allowed", 0),
        ("[x](//evil.example/x)", "not allowed", 0),
        ("[x](page:Not_An_Id)", "not allowed", 0),
    ],
)
def test_outside_the_subset_is_an_error_with_its_line(source: str, message: str, line: int) -> None:
    with pytest.raises(ProseError) as caught:
        parse_prose(source)
    assert message in caught.value.message
    assert caught.value.line == line
    assert caught.value.fix


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("| a | b |\n|---|---|\n| 1 | 2 |", 0),
        ("Intro.\n\na | b\n--- | ---\n1 | 2", 2),
        ("A paragraph.\n| a | b |\n| :-- | --: |", 1),
        ("- item\n\n  | a |\n  |---|", 2),
    ],
)
def test_a_table_is_refused_at_its_line(source: str, line: int) -> None:
    # Tables are not CommonMark: read as a paragraph, one was published as
    # '<p>| a | b | |---|---| | 1 | 2 |</p>'.
    with pytest.raises(ProseError) as caught:
        parse_prose(source)
    assert caught.value.message == "tables are not allowed in prose"
    assert caught.value.fix == "write it as a list, or use the evidence table section"
    assert caught.value.line == line


def test_pipes_without_a_delimiter_row_are_text() -> None:
    text = parse_prose("Cool | warm\n| 1 | 2 |")
    assert text.blocks == (Paragraph(children=(Text(text="Cool | warm | 1 | 2 |"),)),)


def test_the_quote_fix_names_no_field_that_does_not_exist() -> None:
    with pytest.raises(ProseError) as caught:
        parse_prose("> Lying on it felt calming.")
    assert caught.value.fix == "remove the '>'; quote the words in the sentence instead"


def test_equal_source_gives_equal_trees() -> None:
    assert parse_prose("a &amp; b\nc") == parse_prose("a &amp; b\nc")
    assert parse_prose("a &amp; b").blocks == (Paragraph(children=(Text(text="a & b"),)),)
