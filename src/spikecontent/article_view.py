"""The article as readers see it: one typed view for every channel that shows an article.

The web page (``html``) and the leaflet (``pdf``) render from the same view; their
templates choose what to show, and a leaflet leaves out the sections its profile does not
print. Every shared entity is in hand (the cautions, the disclaimer, the offer's product,
the cited studies) and every reader-facing phrase is worded as :mod:`spikecontent.wording`
words it. Prose is shown as escaped HTML, made when a template shows it (:class:`Prose`);
every other value is plain text that an autoescaping template escapes. Links are absolute.

The delivery document (:mod:`spikecontent.document`) is the same article as data for
clients that show it themselves.
"""

from __future__ import annotations

import datetime
from typing import Generic, TypeVar

import attrs

from spikecontent.model import (
    Caution,
    Disclaimer,
    EvidenceTable,
    Faq,
    Image,
    Library,
    ResolvedArticle,
    ResolvedCitation,
    ResolvedCredit,
    Section,
    Study,
    Tips,
)
from spikecontent.richtext import LinkResolver, RichText, to_html
from spikecontent.wording import long_date, offer_terms, sample_size, study_label, study_reference

__all__ = [
    "ArticleView",
    "BylineView",
    "CitationView",
    "EvidenceView",
    "FaqEntryView",
    "Listing",
    "OfferView",
    "Prose",
    "ProseSection",
    "RevisionView",
    "TipView",
    "article_view",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Prose:
    """Prose as a template shows it: escaped HTML, links resolved, made when it is shown
    (``__html__``, which markupsafe and an autoescaping template call), so a channel
    pays only for the parts it prints."""

    text: RichText
    resolve: LinkResolver = attrs.field(eq=False, repr=False)

    def __html__(self) -> str:
        return to_html(self.text, self.resolve)

    __str__ = __html__


@attrs.frozen(kw_only=True)
class Listing(Generic[T]):
    """A part of the article that lists entries under a heading: the research (its
    citations), the cautions, the tips, the FAQ."""

    heading: str
    entries: tuple[T, ...]
    intro: str | Prose | None = None
    """The line before the entries: plain text, or prose."""
    closing: Prose | None = None


@attrs.frozen(kw_only=True)
class ProseSection:
    """A heading and its prose."""

    heading: str
    body: Prose
    field: str
    """The content field the body comes from, e.g. ``sections[0].body``."""


@attrs.frozen(kw_only=True)
class CitationView:
    """A cited study: the article's summary and pull quote, and the study as a reference."""

    study: Study
    summary: Prose
    key_finding: str
    design: str
    pilot: bool
    size: str
    """``"n = 42"``, or ``"n not given"``."""
    source: str
    """The reference without its link, for a page that links the DOI or URL itself."""
    reference: str
    """The reference with its ``doi:`` or URL; "" when the content gives nothing but the year."""
    number: int | None
    """The reference's number among the cited studies that have one."""


@attrs.frozen(kw_only=True)
class EvidenceView:
    """What is known and what is not, side by side, then the takeaway."""

    heading: str
    supported_heading: str
    unsupported_heading: str
    rows: tuple[tuple[str, str], ...]
    """The two columns side by side; the shorter is padded with ""."""
    takeaway: Prose | None


@attrs.frozen(kw_only=True)
class TipView:
    """A tip's title sentence and its explanation."""

    title: str
    body: Prose


@attrs.frozen(kw_only=True)
class OfferView:
    """The offer: the product's name and picture, the terms in one line, where to buy."""

    product: str
    terms: str
    """``"From 34.99 USD · free shipping · 30-day money-back guarantee"``."""
    url: str
    image: Image | None
    reviews_url: str | None = None
    """Where buyers' reviews of the product are, when the product names a page."""


@attrs.frozen(kw_only=True)
class BylineView:
    """Who wrote the page: a heading and a note (the reviewed date is the article's)."""

    heading: str
    note: Prose | None


@attrs.frozen(kw_only=True)
class FaqEntryView:
    """One question and its answer."""

    id: str
    question: str
    answer: Prose


@attrs.frozen(kw_only=True)
class RevisionView:
    """One entry of the page's history, oldest first."""

    date: datetime.date
    text: str
    """The date as readers read it, ``"July 4, 2026"``."""
    summary: str


@attrs.frozen(kw_only=True)
class ArticleView:
    """An article as readers see it, every part a channel may show; a part the article
    lacks is None (or empty)."""

    slug: str
    lang: str
    site_name: str
    site_url: str
    title: str
    description: str
    url: str
    """The absolute canonical URL."""
    published: datetime.date | None
    modified: datetime.date
    modified_text: str
    reviewed_text: str | None
    """The last review's date as readers read it."""
    credits: tuple[ResolvedCredit, ...]
    image: Image | None
    intro: Prose
    sections: tuple[ProseSection, ...]
    research: Listing[CitationView] | None
    evidence: EvidenceView | None
    user_reports: ProseSection | None
    sleep: ProseSection | None
    cautions: Listing[Caution] | None
    disclaimer: Disclaimer | None
    honesty_note: ProseSection | None
    tips: Listing[TipView] | None
    offer: OfferView | None
    faq: Listing[FaqEntryView] | None
    byline: BylineView | None
    revisions: tuple[RevisionView, ...]


def article_view(library: Library, resolved: ResolvedArticle) -> ArticleView:
    """The view of ``resolved`` (see :meth:`Library.resolve`)."""
    article = resolved.article
    site = resolved.site
    prose = _Prose(library.resolve_href)
    return ArticleView(
        slug=article.slug,
        lang=site.language,
        site_name=site.name,
        site_url=site.base_url,
        title=article.title,
        description=article.description,
        url=resolved.url,
        published=article.published,
        modified=article.modified,
        modified_text=long_date(article.modified),
        reviewed_text=long_date(article.last_reviewed) if article.last_reviewed else None,
        credits=resolved.credits,
        image=article.image,
        intro=prose(article.intro),
        sections=tuple(
            prose.section(s, f"sections[{i}].body") for i, s in enumerate(article.sections)
        ),
        research=(
            Listing(
                heading=article.research.heading,
                entries=_citations(resolved.citations, prose),
            )
            if article.research
            else None
        ),
        evidence=_evidence(article.evidence_table, prose),
        user_reports=prose.part(article.user_reports, "user_reports"),
        sleep=prose.part(article.sleep, "sleep"),
        cautions=(
            Listing(
                heading=article.cautions.heading,
                intro=article.cautions.intro,
                entries=resolved.cautions,
            )
            if article.cautions
            else None
        ),
        disclaimer=resolved.disclaimer,
        honesty_note=prose.part(article.honesty_note, "honesty_note"),
        tips=_tips(article.tips, prose),
        offer=_offer(library, resolved),
        faq=_faq(article.faq, prose),
        byline=(
            BylineView(heading=article.byline.heading, note=prose.optional(article.byline.note))
            if article.byline
            else None
        ),
        revisions=tuple(
            RevisionView(date=r.date, text=long_date(r.date), summary=r.summary)
            for r in article.revisions
        ),
    )


class _Prose:
    """Makes the view's prose, with the library's links."""

    def __init__(self, resolve: LinkResolver) -> None:
        self.resolve = resolve

    def __call__(self, text: RichText) -> Prose:
        return Prose(text=text, resolve=self.resolve)

    def optional(self, text: RichText | None) -> Prose | None:
        return self(text) if text else None

    def section(self, section: Section, field: str) -> ProseSection:
        return ProseSection(heading=section.heading, body=self(section.body), field=field)

    def part(self, section: Section | None, name: str) -> ProseSection | None:
        """An optional section of the article, named by its field."""
        return self.section(section, f"{name}.body") if section else None


def _citations(citations: tuple[ResolvedCitation, ...], prose: _Prose) -> tuple[CitationView, ...]:
    """The cited studies; a study with a reference gets the next reference number."""
    views: list[CitationView] = []
    numbered = 0
    for citation in citations:
        study = citation.study
        reference = study_reference(study)
        numbered += bool(reference)
        views.append(
            CitationView(
                study=study,
                summary=prose(citation.summary),
                key_finding=citation.key_finding,
                design=study_label(study),
                pilot=study.is_pilot,
                size=sample_size(study),
                source=study_reference(study, link=False),
                reference=reference,
                number=numbered if reference else None,
            )
        )
    return tuple(views)


def _evidence(table: EvidenceTable | None, prose: _Prose) -> EvidenceView | None:
    if table is None:
        return None
    return EvidenceView(
        heading=table.heading,
        supported_heading=table.supported_heading,
        unsupported_heading=table.unsupported_heading,
        rows=table.rows,
        takeaway=prose.optional(table.takeaway),
    )


def _tips(tips: Tips | None, prose: _Prose) -> Listing[TipView] | None:
    if tips is None:
        return None
    return Listing(
        heading=tips.heading,
        intro=prose.optional(tips.intro),
        entries=tuple(TipView(title=t.title, body=prose(t.body)) for t in tips.items),
        closing=prose.optional(tips.closing),
    )


def _offer(library: Library, resolved: ResolvedArticle) -> OfferView | None:
    offer, product = resolved.offer, resolved.product
    if offer is None or product is None:
        return None
    return OfferView(
        product=product.name,
        terms=" · ".join(offer_terms(offer)),
        url=library.resolve_href(offer.url or product.url),
        image=product.image,
        reviews_url=library.resolve_href(product.reviews_url) if product.reviews_url else None,
    )


def _faq(faq: Faq | None, prose: _Prose) -> Listing[FaqEntryView] | None:
    if faq is None:
        return None
    return Listing(
        heading=faq.heading,
        entries=tuple(
            FaqEntryView(id=e.id, question=e.question, answer=prose(e.answer)) for e in faq.items
        ),
    )
