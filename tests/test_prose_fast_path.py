"""Plain prose skips markdown-it; the tree must be exactly the one markdown-it gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.tree import SyntaxTreeNode

from spikecontent.richtext import parse
from spikecontent.richtext.tree import RichText

# Letters, digits, spaces, line breaks and every character Markdown might read as syntax.
ALPHABET = st.sampled_from(list("ab Zé9 \n\n.,;:'\"—-+=()?!*_[]<>#&\\`~|1)"))


def full_parse(source: str) -> RichText | None:
    try:
        root = SyntaxTreeNode(parse._parser().parse(source))
        return RichText(source=source, blocks=tuple(parse._block(n) for n in root.children))
    except parse.ProseError:
        return None


def same_tree_when_fast(source: str) -> None:
    blocks = parse._plain_paragraphs(source)
    if blocks is not None:
        full = full_parse(source)
        assert full is not None
        assert blocks == full.blocks, source


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(st.text(ALPHABET, max_size=60))
def test_the_fast_path_gives_markdown_its_own_tree(source: str) -> None:
    same_tree_when_fast(source)


# Only what plain prose holds, plus the line starts that open lists, headings and code.
PLAIN = st.sampled_from(list("ab Zé9 \n\n\n.,;:'\"—()?-+=1)"))


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(st.text(PLAIN, max_size=60))
def test_the_fast_path_on_nearly_plain_text(source: str) -> None:
    same_tree_when_fast(source)


# Pieces of links, whole and broken, between plain words and line starts.
LINKISH = st.lists(
    st.sampled_from(
        [
            "[label](page:guide)",
            "[two words](article:other-slug)",
            "[ spaced ](page:x)",
            "[1. item](page:x)",
            "[*em*](page:x)",
            "[a](page:Bad)",
            "[a](https://example.com)",
            "![a](page:x)",
            "[a]",
            "(page:x)",
            "[",
            "]",
            "]: page:x",
            "word",
            " ",
            "\n",
            "\n\n",
            "- ",
            "1) ",
            "é—“”",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(LINKISH)
def test_the_fast_path_on_site_links(source: str) -> None:
    same_tree_when_fast(source)


def test_plain_sentences_take_the_fast_path_and_markup_does_not() -> None:
    plain = "Many people report feeling relaxed.\nIt settles into warmth.\n\nSecond paragraph.\n"
    assert parse._plain_paragraphs(plain) is not None
    linked = "See the [first session guide](page:first-session)\nand [reviews](article:r).\n"
    assert parse._plain_paragraphs(linked) == full_parse(linked).blocks  # type: ignore[union-attr]
    for markup in (
        "An *emphasis*.",
        "A [link](https://example.com).",
        "A [*b*](page:x).",
        "- item",
        "1. item",
        "Hard  \nbreak",
    ):
        assert parse._plain_paragraphs(markup) is None, markup
