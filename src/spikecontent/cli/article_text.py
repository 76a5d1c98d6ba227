"""A readable plain-text view of a resolved article, for ``spikecontent show``."""

from __future__ import annotations

from collections.abc import Iterator

from spikecontent.model import ResolvedArticle, Study
from spikecontent.richtext import LinkResolver, RichText, to_plain_text
from spikecontent.wording import offer_terms, sample_size, study_label

__all__ = ["article_text"]


def article_text(resolved: ResolvedArticle, resolve: LinkResolver) -> str:
    """The whole article as plain text, headings underlined, in page order."""
    return "\n".join(_lines(resolved, resolve)).rstrip() + "\n"


def _heading(text: str, rule: str = "-") -> Iterator[str]:
    yield ""
    yield text
    yield rule * len(text)


def _study_line(study: Study) -> str:
    size = sample_size(study)
    source = ", ".join(part for part in (study.author_credit, study.venue) if part)
    return f"{study.year} {study_label(study)} ({size}){'; ' + source if source else ''}"


def _lines(resolved: ResolvedArticle, resolve: LinkResolver) -> Iterator[str]:
    article = resolved.article

    def prose(text: RichText) -> str:
        return to_plain_text(text, resolve)

    yield article.title
    yield "=" * len(article.title)
    yield f"{resolved.url}  [{article.status.value}]"
    reviewed = f"reviewed {article.last_reviewed}" if article.last_reviewed else "not yet reviewed"
    yield f"Updated {article.modified}, {reviewed}"
    for credit in resolved.credits:
        yield f"{credit.role.value.capitalize()}: {credit.person.name}"
    yield ""
    yield prose(article.intro)
    for section in article.sections:
        yield from _heading(section.heading)
        yield prose(section.body)
    if article.research:
        yield from _heading(article.research.heading)
        for citation in resolved.citations:
            yield f"* {_study_line(citation.study)}"
            yield prose(citation.summary)
            yield f'  "{citation.key_finding}"'
            yield "  Limits: " + " ".join(citation.study.limitations)
            yield ""
    if article.evidence_table:
        table = article.evidence_table
        yield from _heading(table.heading)
        for title, column in (
            (table.supported_heading, table.supported),
            (table.unsupported_heading, table.not_established),
        ):
            yield f"{title}:"
            yield from (f"- {row}" for row in column)
        if table.takeaway:
            yield ""
            yield prose(table.takeaway)
    for part in (article.user_reports, article.sleep):
        if part:
            yield from _heading(part.heading)
            yield prose(part.body)
    if article.cautions:
        yield from _heading(article.cautions.heading)
        if article.cautions.intro:
            yield article.cautions.intro
        yield from (f"- {c.applies_to} — {c.advice}" for c in resolved.cautions)
    if resolved.disclaimer:
        yield ""
        yield f"{resolved.disclaimer.label}: {resolved.disclaimer.text}"
    if article.honesty_note:
        yield from _heading(article.honesty_note.heading)
        yield prose(article.honesty_note.body)
    if article.tips:
        yield from _heading(article.tips.heading)
        if article.tips.intro:
            yield prose(article.tips.intro)
        yield from (f"- {tip.title} {prose(tip.body)}" for tip in article.tips.items)
        if article.tips.closing:
            yield ""
            yield prose(article.tips.closing)
    if resolved.offer and resolved.product:
        offer = resolved.offer
        yield from _heading("Offer")
        yield f"{resolved.product.name}: " + " · ".join(offer_terms(offer))
    if article.byline:
        yield from _heading(article.byline.heading)
        if article.byline.note:
            yield prose(article.byline.note)
    if article.faq:
        yield from _heading(article.faq.heading)
        for entry in article.faq.items:
            yield f"Q: {entry.question}"
            yield f"A: {prose(entry.answer)}"
            yield ""
    if article.revisions:
        yield from _heading("Revisions")
        yield from (f"- {r.date}: {r.summary}" for r in article.revisions)
