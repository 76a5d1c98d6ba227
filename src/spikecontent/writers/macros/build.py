"""From content to replies: each article part a profile names becomes one or more :class:`Macro`.

Every reply has the same frame: a greeting, the answer, then for health topics the cautions
line and the disclaimer, the link to the source article (with its review date when the
article has a ``last_reviewed``: never another date in its place), and the signature. Only
the answer differs by part.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

import attrs

from spikecontent.diagnostics import format_path
from spikecontent.model import ARTICLES, Caution, Library, ResolvedArticle
from spikecontent.model.fields import FieldPath
from spikecontent.richtext import (
    Block as ProseBlock,
)
from spikecontent.richtext import (
    BulletList,
    Emphasis,
    Inline,
    LineBreak,
    Paragraph,
    RichText,
    Strong,
    inline_text,
)
from spikecontent.richtext import (
    Link as ProseLink,
)
from spikecontent.sdk import ContentFailure, Remember
from spikecontent.wording import long_date, offer_terms, sample_size, study_label
from spikecontent.writers.macros.reply import (
    Block,
    BlockKind,
    Line,
    Link,
    Macro,
    MacroContentError,
    Piece,
    Slot,
    neutral_slot,
    to_text,
)
from spikecontent.writers.macros.spec import ArticlePart, MacroOptions, MacroSpec
from spikecontent.writers.macros.words import term, terms

__all__ = [
    "CAUTION_LEAD",
    "MacroContentError",
    "MacroHead",
    "article_macros",
    "build_heads",
    "caution_sentence",
]

BULLET = "• "
# Helpdesks and espanso read these as template markup; in content they would be executed or
# break the expansion, and no escape works in every target.
_TEMPLATE_MARKUP = re.compile(r"\{\{|\}\}|\{%|%\}|\[\[|\]\]")


# What agents type when a customer asks about a part in their own words; search aids on
# the board, never part of a reply.
_KEYWORDS: dict[ArticlePart, str] = {
    ArticlePart.OFFER: "price cost how much buy order refund return money back guarantee "
    "shipping delivery discount",
    ArticlePart.CAUTIONS: "who should avoid not use safe safety risk side effects warning",
    ArticlePart.RESEARCH: "research study studies evidence science proof trial data",
    ArticlePart.SLEEP: "sleep bedtime night evening wind down",
    ArticlePart.TIPS: "how to use tips routine start beginner",
    ArticlePart.USER_REPORTS: "first session first time feel feeling sensation intense",
}


@attrs.frozen(kw_only=True)
class _Answer:
    entry: str | None
    title: str
    blocks: tuple[Block, ...]
    field: FieldPath
    """Where in the article the answer is written."""
    borrowed: tuple[tuple[str, int], ...] = ()
    """Words of the answer written elsewhere than the article (a study's record), each
    with where: the warning for a long reply names them apart."""


# Where in an article each part is written: the place a reply that cannot be made from it
# is reported at.
_PART_FIELDS: dict[ArticlePart, FieldPath] = {
    ArticlePart.FAQ: ("faq",),
    ArticlePart.CAUTIONS: ("cautions",),
    ArticlePart.RESEARCH: ("research",),
    ArticlePart.USER_REPORTS: ("user_reports",),
    ArticlePart.SLEEP: ("sleep",),
    ArticlePart.TIPS: ("tips",),
    ArticlePart.OFFER: ("offer",),
}


class MacroHead(NamedTuple):
    """What planning needs of a macro, without its text: kept for every article, where
    the whole macros are read back only for the articles whose replies are rendered.

    A named tuple, not an attrs class: every export unpickles the heads of every
    article's replies (8,000 at 1,000 articles), and an attrs instance comes back
    through a ``__setstate__`` call setting each field (46 ms for 8,000 heads, 13 ms as
    named tuples, whose pickles are a third smaller too)."""

    id: str
    title: str
    article: str
    health: bool
    version: str
    answer_words: int
    words: int
    """The reply's length as pasted."""
    shares: tuple[tuple[str, int], ...]
    """The content fields the reply is made from, each with its words."""

    @classmethod
    def of(cls, macro: Macro) -> MacroHead:
        """The head of ``macro``: its fields of these names."""
        return cls(**{name: getattr(macro, name) for name in cls._fields})


def build_heads(
    articles: tuple[str, ...],
    made: Callable[[str], tuple[tuple[str, Macro], ...]],
    remember: Remember | None = None,
) -> tuple[MacroHead, ...]:
    """The head of every macro of ``articles`` in board order; ``made(slug)`` gives an
    article's macros, each with the id pattern that made it (called through ``remember``,
    when given, only for articles changed since)."""

    def heads(slug: str) -> tuple[tuple[str, MacroHead], ...]:
        def make() -> tuple[tuple[str, MacroHead], ...]:
            return tuple((pattern, MacroHead.of(macro)) for pattern, macro in made(slug))

        return remember("macro heads", (ARTICLES.key(slug),), make) if remember else make()

    return tuple(head for _, head in _unique(articles, heads))


def _unique(
    articles: tuple[str, ...], made: Callable[[str], tuple[tuple[str, MacroHead], ...]]
) -> list[tuple[str, MacroHead]]:
    """Each article's macro heads in order; :class:`MacroContentError` when two of them
    have one id."""
    macros: dict[str, tuple[str, MacroHead]] = {}
    for slug in articles:
        for pattern, macro in made(slug):
            first = macros.setdefault(macro.id, (pattern, macro))[1]
            if first is not macro:
                raise MacroContentError(
                    f"articles {first.article!r} and {slug!r} both make macro {macro.id!r};"
                    f" put {{article}} in the macro id pattern {pattern!r}"
                    if first.article != slug
                    else f"article {slug!r} makes macro {macro.id!r} twice; put {{entry}} in"
                    f" the macro id pattern {pattern!r}"
                )
    return list(macros.values())


def article_macros(
    library: Library, slug: str, *, options: MacroOptions, remember: Remember | None = None
) -> tuple[tuple[str, Macro], ...]:
    """The macros the profile declares for one article, in board order, each with the id
    pattern that made it (through ``remember``, when given: made again only when the
    article changed)."""
    make = functools.partial(_article_macros, library, slug, options)
    return remember("macros", (ARTICLES.key(slug),), make) if remember else make()


def _article_macros(
    library: Library, slug: str, options: MacroOptions
) -> tuple[tuple[str, Macro], ...]:
    """The macros the profile declares for one article, in board order, each with the id
    pattern that made it; :class:`ContentFailure` at the place of content that cannot
    become a reply."""
    resolved = library.resolve(slug)
    macros: list[tuple[str, Macro]] = []
    for spec in options.macros:
        field = _PART_FIELDS[spec.part]
        try:
            for answer in _ANSWERS[spec.part](resolved, library):
                field = answer.field
                macros.append((spec.id, _macro(spec, answer, resolved, options)))
        except MacroContentError as error:
            if error.fix is None:  # not the content's doing
                raise
            raise ContentFailure(ARTICLES.key(slug), field, str(error), error.fix) from None
    return tuple(macros)


def _macro(
    spec: MacroSpec, answer: _Answer, resolved: ResolvedArticle, options: MacroOptions
) -> Macro:
    article = resolved.article
    ident = spec.id.replace("{entry}", answer.entry or "").replace("{article}", article.slug)
    # A review date is a claim: only the article's own ``last_reviewed`` makes it.
    reviewed = article.last_reviewed
    own = to_text(answer.blocks, neutral_slot)
    where = f"article {article.slug!r}"
    # What each piece of content adds to the reply, in words: the warning for a long
    # reply names the fields to shorten.
    borrowed = sum(words for _, words in answer.borrowed)
    shares = [(f"{where} {format_path(answer.field)}", len(own.split()) - borrowed)]
    shares.extend(answer.borrowed)
    blocks = [_paragraph(f"{options.greeting} ", Slot.FIRST_NAME, ","), *answer.blocks]
    if spec.health:
        # A reply has little room, and names its cautions on their own line: the
        # disclaimer's short form when the content gives one.
        shown = resolved.disclaimer
        disclaimer = (shown.short_text or shown.text) if shown else ""
        field = "short_text" if shown and shown.short_text else "text"
        line = None if spec.part is ArticlePart.CAUTIONS else _cautions_line(resolved, own)
        if line is not None:
            text, named = line
            blocks.append(_paragraph(text))
            source = " and ".join(
                ([f"{where} cautions.intro"] if article.cautions and article.cautions.intro else [])
                + [f"the applies_to of {', '.join(repr(c.id) for c in named)}"]
            )
            shares.append((f"the cautions line ({source})", len(text.split())))
        # Once per reply: an answer that quotes the disclaimer is not followed by it again.
        if resolved.disclaimer and disclaimer not in own:
            blocks.append(_paragraph(disclaimer))
            shares.append(
                (f"disclaimer {resolved.disclaimer.id!r} {field}", len(disclaimer.split()))
            )
    article_link = Link(label=resolved.url, url=resolved.url)
    review = f" (reviewed {long_date(reviewed)})" if reviewed else ""
    read_more = f"{options.read_more} {article.title}{review}: "
    shares.append((f"{where} title", len(article.title.split())))
    blocks.append(_paragraph(read_more, article_link))
    blocks.append(Block(kind=BlockKind.SIGNATURE, lines=((options.closing,), (Slot.AGENT_NAME,))))
    macro = Macro(
        id=ident,
        title=spec.title or answer.title,
        article=article.slug,
        health=spec.health,
        blocks=tuple(blocks),
        reviewed=reviewed.isoformat() if reviewed else None,
        dated=(reviewed or article.modified).isoformat(),
        answer_words=len(own.split()),
        answer=own,
        keywords=_KEYWORDS.get(spec.part, ""),
        shares=tuple(shares),
    )
    markup = _TEMPLATE_MARKUP.search(f"{macro.title}\n{macro.text}")
    if markup:
        raise MacroContentError(
            f"macro {macro.id!r} contains {markup.group()!r}, which helpdesks read as a"
            " placeholder; reword the content without it"
        )
    return macro


CAUTION_LEAD = "Please take care in case of"
"""Leads the cautions line of an article whose caution list has no intro of its own."""


def caution_sentence(intro: str | None, names: list[str]) -> str:
    """The cautions as one sentence: the list's intro (or :data:`CAUTION_LEAD`), then
    each caution's ``applies_to``, lower-cased where the content allows, joined with
    commas (semicolons when a name holds a comma) and "or" before the last."""
    lead = intro.strip() if intro else CAUTION_LEAD
    if lead.endswith((".", "!", "?")):  # an intro that is a sentence of its own
        lead = f"{lead} {CAUTION_LEAD}"
    return f"{lead} {_either([_lower_first(n.strip()) for n in names])}."


def _either(items: list[str]) -> str:
    """``a``; ``a or b``; ``a, b, or c``; with semicolons when an item holds a comma."""
    if len(items) < 2:
        return "".join(items)
    if len(items) == 2 and not any("," in item for item in items):
        return f"{items[0]} or {items[1]}"
    comma = "; " if any("," in item for item in items) else ", "
    return f"{comma.join(items[:-1])}{comma}or {items[-1]}"


_CAPITALISED = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)*")


def _lower_first(name: str) -> str:
    """``name`` with its first letter lower-cased when its first word is an ordinary
    capitalised word ("Pregnancy", "Broken"); an acronym ("HIV"), a word with capitals
    inside ("McArdle") or a possessive name ("Raynaud's") keeps its case."""
    first = name.split(" ", 1)[0].rstrip(",;:")
    if _CAPITALISED.fullmatch(first):
        return name[0].lower() + name[1:]
    return name


# Words that name nothing on their own: "Heart conditions or a pacemaker" is named by
# "a heart condition" without "a".
_MINOR = frozenset(
    term(w)
    for w in ("a", "an", "the", "of", "or", "and", "for", "from", "to", "with", "your", "any")
)
_ASIDE = re.compile(r"\([^)]*\)")
_ALTERNATIVES = re.compile(r",\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+")


def _alternatives(applies_to: str) -> list[set[str]]:
    """The terms of each alternative a caution names, its aside left out: "Blood thinners
    or bleeding disorders (...)" is {blood, thinner} and {bleed, disord}."""
    parts = _ALTERNATIVES.split(_ASIDE.sub(" ", applies_to))
    found = [{t for t in terms(part) if t not in _MINOR} for part in parts]
    return [alternative for alternative in found if alternative]


def _names(said: set[str], caution: Caution, *, every: bool) -> bool:
    """Whether words with the terms ``said`` name ``caution``: each of its alternatives
    (``every``), or one of them."""
    named = [alternative <= said for alternative in _alternatives(caution.applies_to)]
    return all(named) if every else any(named)


def _cautions_line(resolved: ResolvedArticle, own: str) -> tuple[str, list[Caution]] | None:
    """The cautions line of a reply whose answer is ``own``, with the cautions it names;
    None when the answer is about the cautions (it names each of them) or the answer and
    the disclaimer already name every one in full. A caution named in full elsewhere in the
    reply is not named again."""
    cautions = resolved.cautions
    if not cautions:
        return None
    answer = set(terms(own))
    if all(_names(answer, caution, every=False) for caution in cautions):
        return None
    shown = resolved.disclaimer
    said = answer | set(terms((shown.short_text or shown.text) if shown else ""))
    rest = [caution for caution in cautions if not _names(said, caution, every=True)]
    if not rest:
        return None
    cautions_list = resolved.article.cautions
    intro = cautions_list.intro if cautions_list else None
    return caution_sentence(intro, [c.applies_to for c in rest]), rest


def _paragraph(*pieces: Piece) -> Block:
    return Block(kind=BlockKind.PARAGRAPH, lines=(pieces,))


def _prose(text: RichText | None, library: Library) -> list[Block]:
    """Prose as reply blocks: paragraphs stay, list items become bullet or numbered lines."""
    blocks: list[Block] = []
    for block in text.blocks if text else ():
        if isinstance(block, Paragraph):
            blocks.append(_paragraph(*_pieces(block.children, library)))
            continue
        start = 1 if isinstance(block, BulletList) else block.start
        lines: list[Line] = []
        for number, item in enumerate(block.items, start=start):
            marker = BULLET if isinstance(block, BulletList) else f"{number}. "
            lines.append((marker, *_flat(item.blocks, library)))
        blocks.append(Block(kind=BlockKind.LIST, lines=tuple(lines)))
    return blocks


def _flat(blocks: tuple[ProseBlock, ...], library: Library) -> list[Piece]:
    """A list item's or a tip's paragraphs as one line."""
    pieces: list[Piece] = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            raise MacroContentError(
                "a list inside a list item cannot be pasted as plain text",
                fix="make it one list",
            )
        if pieces:
            pieces.append(" ")
        pieces.extend(_pieces(block.children, library))
    return pieces


def _pieces(nodes: tuple[Inline, ...], library: Library) -> Iterator[Piece]:
    for node in nodes:
        if isinstance(node, ProseLink):
            yield Link(label=inline_text(node.children), url=library.resolve_href(node.href))
        elif isinstance(node, Emphasis | Strong):
            yield from _pieces(node.children, library)
        elif isinstance(node, LineBreak):
            yield " "
        else:
            yield node.text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _faq(resolved: ResolvedArticle, library: Library) -> Iterator[_Answer]:
    for index, entry in enumerate(resolved.article.faq_entries):
        field = ("faq", "items", index, "answer")
        yield _Answer(
            entry=entry.id,
            title=entry.question,
            blocks=tuple(_prose(entry.answer, library)),
            field=field,
        )


def _cautions(resolved: ResolvedArticle, _: Library) -> Iterator[_Answer]:
    section = resolved.article.cautions
    if not section:
        return
    blocks = [_paragraph(section.intro)] if section.intro else []
    items = tuple((f"{BULLET}{c.applies_to} — {c.advice}",) for c in resolved.cautions)
    blocks.append(Block(kind=BlockKind.LIST, lines=items))
    yield _Answer(entry=None, title=section.heading, blocks=tuple(blocks), field=("cautions",))


def _research(resolved: ResolvedArticle, library: Library) -> Iterator[_Answer]:
    research = resolved.article.research
    if not research:
        return
    items: list[Line] = []
    borrowed: list[tuple[str, int]] = []
    for citation in resolved.citations:
        study = citation.study
        # What was tested and how the sample adds up, as the leaflet's row and the JSON-LD
        # say them: without them a pair of pilot studies of a needle pad reads as one trial
        # of the mat. The note is its own sentence, as written (a first word lowered could
        # be a name). Over the word budget on purpose: see docs/support-macros.md.
        tested = f"Tested: {_sentence(study.intervention)}"
        if study.sample.note:
            tested += f" {_sentence(study.sample.note)}"
        fields = "intervention, sample.note" if study.sample.note else "intervention"
        borrowed.append((f"study {study.id!r} {fields}", len(tested.split())))
        head = f"{BULLET}{study.year}, {study_label(study)}, {sample_size(study)}: "
        items.append((f"{head}{_sentence(citation.key_finding)} {tested}",))
    blocks = [Block(kind=BlockKind.LIST, lines=tuple(items))]
    table = resolved.article.evidence_table
    if table:
        blocks.extend(_prose(table.takeaway, library))
    yield _Answer(
        entry=None,
        title=research.heading,
        blocks=tuple(blocks),
        field=("research",),
        borrowed=tuple(borrowed),
    )


def _section(name: str) -> Callable[[ResolvedArticle, Library], Iterator[_Answer]]:
    def answers(resolved: ResolvedArticle, library: Library) -> Iterator[_Answer]:
        section = getattr(resolved.article, name)
        if section:
            field = (name, "body")
            blocks = tuple(_prose(section.body, library))
            yield _Answer(entry=None, title=section.heading, blocks=blocks, field=field)

    return answers


def _tips(resolved: ResolvedArticle, library: Library) -> Iterator[_Answer]:
    tips = resolved.article.tips
    if not tips:
        return
    lines = tuple((f"{BULLET}{tip.title} ", *_flat(tip.body.blocks, library)) for tip in tips.items)
    blocks = [
        *_prose(tips.intro, library),
        Block(kind=BlockKind.LIST, lines=lines),
    ]
    yield _Answer(entry=None, title=tips.heading, blocks=tuple(blocks), field=("tips",))


def _offer(resolved: ResolvedArticle, library: Library) -> Iterator[_Answer]:
    offer, product = resolved.offer, resolved.product
    if not offer or not product:
        return
    terms = " · ".join(offer_terms(offer))
    url = library.resolve_href(offer.url or product.url)
    blocks = (
        _paragraph(f"{product.name}: {terms}."),
        _paragraph(f"{product.name}: ", Link(label=url, url=url)),
    )
    yield _Answer(entry=None, title=f"{product.name}: {terms}", blocks=blocks, field=("offer",))


_ANSWERS: dict[ArticlePart, Callable[[ResolvedArticle, Library], Iterator[_Answer]]] = {
    ArticlePart.FAQ: _faq,
    ArticlePart.CAUTIONS: _cautions,
    ArticlePart.RESEARCH: _research,
    ArticlePart.USER_REPORTS: _section("user_reports"),
    ArticlePart.SLEEP: _section("sleep"),
    ArticlePart.TIPS: _tips,
    ArticlePart.OFFER: _offer,
}
