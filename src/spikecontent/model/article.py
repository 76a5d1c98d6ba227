"""Articles: the evidence page and every part of it that a channel may show."""

from __future__ import annotations

import datetime
import enum
import itertools
import re
from collections.abc import Callable
from typing import Any

import attrs

from spikecontent.links import ARTICLE_SCHEME, PAGE_SCHEME
from spikecontent.model.fields import (
    CrossChecked,
    FieldError,
    Validator,
    identifier,
    non_empty,
    non_empty_text,
    ref,
    refs,
    refuse,
    site_path,
)
from spikecontent.model.media import Image
from spikecontent.model.outgoing import outgoing
from spikecontent.model.site import Role
from spikecontent.richtext.tree import RichText
from spikecontent.store.memo import per_object

__all__ = [
    "Article",
    "Byline",
    "CautionList",
    "Citation",
    "Credit",
    "EvidenceTable",
    "Faq",
    "FaqEntry",
    "Research",
    "Revision",
    "Section",
    "Status",
    "Tip",
    "Tips",
    "normalized_question",
]


class Status(enum.Enum):
    """Editorial state; only published articles are exported unless drafts are asked for."""

    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"


@attrs.frozen(kw_only=True)
class Credit:
    """A person credited on an article, in a role."""

    person: str = ref("people")
    role: Role


@attrs.frozen(kw_only=True)
class Section:
    """A heading and its prose."""

    heading: str = attrs.field(validator=non_empty_text)
    body: RichText


@attrs.frozen(kw_only=True)
class Citation:
    """A study as the article cites it: the summary paragraph and its key-finding quote."""

    study: str = ref("studies")
    summary: RichText
    key_finding: str = attrs.field(validator=non_empty_text)
    """The pull quote; it must carry the study's own caveat (pilot, exploratory, both improved)."""


def _unique(key: str, what: str, normal: Callable[[Any], object] = lambda v: v) -> Validator:
    """Each item's ``key`` (compared as ``normal`` makes it) once: a copy is reported at
    the later item, the one to change, naming the first."""

    def check(
        _: object, attribute: attrs.Attribute[tuple[object, ...]], value: tuple[object, ...]
    ) -> None:
        first: dict[object, int] = {}
        problems: list[FieldError] = []
        for index, item in enumerate(value):
            written = getattr(item, key)
            earlier = first.setdefault(normal(written), index)
            if earlier != index:
                problems.append(
                    FieldError(
                        (attribute.name, index, key),
                        f"{what} {written!r} appears more than once",
                        f"give each {what} once: change or remove this one",
                        first_at=(attribute.name, earlier, key),
                    )
                )
        refuse(problems)

    return check


def normalized_question(question: str) -> str:
    """A question as compared for duplicates: case, spacing and punctuation aside."""
    return " ".join(re.sub(r"[^\w\s]", " ", question.casefold()).split())


@attrs.frozen(kw_only=True)
class Research:
    """The studies the article cites, in the order it cites them."""

    heading: str = attrs.field(validator=non_empty_text)
    citations: tuple[Citation, ...] = attrs.field(validator=[non_empty, _unique("study", "study")])


@attrs.frozen(kw_only=True)
class EvidenceTable:
    """ "What we know vs what we don't": two columns, then the takeaway."""

    heading: str = attrs.field(validator=non_empty_text)
    supported_heading: str = attrs.field(validator=non_empty_text)
    unsupported_heading: str = attrs.field(validator=non_empty_text)
    supported: tuple[str, ...] = attrs.field(validator=non_empty)
    not_established: tuple[str, ...] = attrs.field(validator=non_empty)
    takeaway: RichText | None = None

    @property
    def rows(self) -> tuple[tuple[str, str], ...]:
        """The two columns side by side; the shorter column is padded with ""."""
        height = max(len(self.supported), len(self.not_established))
        pad = ("",) * height
        return tuple(
            zip(
                (*self.supported, *pad)[:height],
                (*self.not_established, *pad)[:height],
                strict=True,
            )
        )


@attrs.frozen(kw_only=True)
class CautionList:
    """Who should avoid the product: an intro line and the cautions, by id, in order."""

    heading: str = attrs.field(validator=non_empty_text)
    intro: str | None = attrs.field(default=None, validator=non_empty_text)
    items: tuple[str, ...] = refs("cautions", required=True)


@attrs.frozen(kw_only=True)
class Tip:
    """A practical tip: a short title sentence and its explanation."""

    title: str = attrs.field(validator=non_empty_text)
    body: RichText


@attrs.frozen(kw_only=True)
class Tips:
    """The tips section."""

    heading: str = attrs.field(validator=non_empty_text)
    intro: RichText | None = None
    items: tuple[Tip, ...] = attrs.field(validator=non_empty)
    closing: RichText | None = None


@attrs.frozen(kw_only=True)
class FaqEntry:
    """One question and its answer."""

    id: str = attrs.field(validator=identifier)
    question: str = attrs.field(validator=non_empty_text)
    answer: RichText


@attrs.frozen(kw_only=True)
class Faq:
    """The FAQ section."""

    heading: str = attrs.field(validator=non_empty_text)
    items: tuple[FaqEntry, ...] = attrs.field(
        validator=[
            non_empty,
            _unique("id", "FAQ id"),
            # Two entries asking the same become two support macros with one title.
            _unique("question", "question", normalized_question),
        ]
    )


@attrs.frozen(kw_only=True)
class Byline:
    """The "who wrote this" block; the reviewed date comes from the article."""

    heading: str = attrs.field(validator=non_empty_text)
    note: RichText | None = None


@attrs.frozen(kw_only=True)
class Revision:
    """One entry of the article's history, oldest first."""

    date: datetime.date
    summary: str = attrs.field(validator=non_empty_text)
    reviewed_by: str | None = ref("people", default=None)


@attrs.frozen(kw_only=True)
class Article(CrossChecked):
    """An article and its parts; shared entities are referenced by id."""

    slug: str = attrs.field(validator=identifier)
    status: Status
    title: str = attrs.field(validator=non_empty_text)
    description: str = attrs.field(validator=non_empty_text)
    """The meta description: one or two sentences in the article's own words."""
    path: str | None = attrs.field(default=None, validator=site_path)
    """Where the article lives on the site; ``/<slug>/`` when empty."""
    image: Image | None = None
    """The article's lead picture (search results, leaflets, link previews)."""
    published: datetime.date | None = None
    modified: datetime.date
    last_reviewed: datetime.date | None = None
    credits: tuple[Credit, ...] = ()
    categories: tuple[str, ...] = ()
    intro: RichText
    sections: tuple[Section, ...] = ()
    research: Research | None = None
    evidence_table: EvidenceTable | None = None
    user_reports: Section | None = None
    sleep: Section | None = None
    cautions: CautionList | None = None
    disclaimer: str | None = ref("disclaimers", default=None)
    honesty_note: Section | None = None
    tips: Tips | None = None
    offer: str | None = ref("offers", default=None)
    byline: Byline | None = None
    faq: Faq | None = None
    revisions: tuple[Revision, ...] = ()

    CROSS_CHECKS = ("_check_dates", "_check_revision_order")

    def _check_dates(self) -> None:
        if self.published is None:
            return
        problems: list[FieldError] = []
        for name in ("modified", "last_reviewed"):
            # None also for a date that failed to load (the loader runs this check on the
            # fields that did): the other date is still checked.
            later = getattr(self, name, None)
            if later is not None and later < self.published:
                problems.append(
                    FieldError(
                        name,
                        f"{later} is before the published date {self.published}",
                        "correct the date; an article cannot change before it is published",
                    )
                )
        refuse(problems)

    def _check_revision_order(self) -> None:
        problems: list[FieldError] = []
        for index, (before, after) in enumerate(itertools.pairwise(self.revisions)):
            if after.date < before.date:
                problems.append(
                    FieldError(
                        ("revisions", index + 1, "date"),
                        f"{after.date} is earlier than the revision before it ({before.date})",
                        "list revisions oldest first and add new ones at the end",
                    )
                )
        refuse(problems)

    @property
    def canonical_path(self) -> str:
        """The article's site path or URL: ``path``, else ``/<slug>/``, the folder whose
        ``index.html`` the html writer writes, so any static host serves the page at its
        canonical URL with no rewrite rule. Every channel links the article by this."""
        return self.path or f"/{self.slug}/"

    @property
    def study_ids(self) -> tuple[str, ...]:
        """Ids of the cited studies, in citation order."""
        return tuple(c.study for c in self.research.citations) if self.research else ()

    @property
    def faq_entries(self) -> tuple[FaqEntry, ...]:
        """The FAQ entries, or () when the article has no FAQ."""
        return self.faq.items if self.faq else ()

    def linked_articles(self) -> tuple[str, ...]:
        """Slugs of the articles the prose links to (``article:<slug>``), first use first."""
        return _prose_links(self)[0]

    def linked_pages(self) -> tuple[str, ...]:
        """Ids of the site pages the prose links to (``page:<id>``), first use first."""
        return _prose_links(self)[1]


@per_object
def _prose_links(article: Article) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The article slugs and page ids the prose links to, in one walk of it (planning,
    checking and every channel ask, each export)."""
    articles: dict[str, None] = {}
    pages: dict[str, None] = {}
    for _path, target, _kind, in_prose in outgoing(article):
        if not (in_prose and isinstance(target, str)):
            continue
        if target.startswith(ARTICLE_SCHEME):
            articles.setdefault(target.removeprefix(ARTICLE_SCHEME))
        elif target.startswith(PAGE_SCHEME):
            pages.setdefault(target.removeprefix(PAGE_SCHEME))
    return tuple(articles), tuple(pages)
