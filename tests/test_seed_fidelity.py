"""Every line of the seed page is carried by the content, and the key facts match exactly.

The seed is read from ../shared/seed; nothing here copies the content's own text.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest

from spikecontent import Library, PriceBasis, RichText, Study
from spikecontent.model.walk import walk
from spikecontent.richtext import Paragraph, inline_text
from tests.conftest import SEED, SHARED_SEED

SLUG = "acupressure-mat-benefits"


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared/ is not beside this checkout")
def test_fixture_is_the_shared_seed() -> None:
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def seed_lines() -> list[str]:
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def prose_paragraphs(text: RichText) -> list[str]:
    return [inline_text(b.children) for b in text.blocks if isinstance(b, Paragraph)]


def corpus(library: Library) -> set[str]:
    """Every string the article and its entities hold, prose as plain sentences."""
    resolved = library.resolve(SLUG)
    found: set[str] = set()
    for root in (resolved.article, *resolved.cautions, resolved.disclaimer, *library.studies):
        for _path, value in walk(root):
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, RichText):
                found.update(prose_paragraphs(value))
    return found


def attribution(study: Study) -> str:
    parts = (
        [study.author_credit, study.venue] if study.authors else [study.venue, study.design.label]
    )
    return "— " + ", ".join(str(p) for p in (*parts, study.year) if p)


def test_every_seed_line_is_in_the_content(library: Library) -> None:
    resolved = library.resolve(SLUG)
    article = resolved.article
    strings = corpus(library)
    assert article.cautions
    assert article.tips
    assert article.byline
    assert resolved.disclaimer
    composed = {
        *(f"- {c.applies_to} — {c.advice}" for c in resolved.cautions),
        *(f"- {t.title} {prose_paragraphs(t.body)[0]}" for t in article.tips.items),
        f"{resolved.disclaimer.label}: {resolved.disclaimer.text}",
        *(attribution(c.study) for c in resolved.citations),
    }
    if article.honesty_note:
        body = prose_paragraphs(article.honesty_note.body)[0]
        composed.add(f"{article.honesty_note.heading}. {body}")
    missing = []
    for line in seed_lines():
        if line in strings or line in composed or set(line) <= set("|- "):
            continue
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if all(cell in strings for cell in cells):
                continue
        missing.append(line)
    # Lines that need a check of their own (below): the truncated quote, the offer, the date.
    assert missing == [
        "in blood pressure, heart rate, or pain thresholds in a three-week training study — "
        "perceived stress fell, but equally with or without the mat",
        "From $34.99 · Free shipping · 30-day money-back guarantee · Read real buyer reviews",
        "Reviewed and updated July 4, 2026. See how we test and our story.",
    ]


def test_cut_off_quote_is_restored_without_new_facts(library: Library) -> None:
    (cut,) = [line for line in seed_lines() if line.startswith("in blood pressure")]
    last = library.resolve(SLUG).citations[-1]
    assert last.key_finding.endswith(cut)
    assert last.key_finding[0].isupper()
    assert last.study.year == 2024


def test_each_study_year_and_sample_size(library: Library) -> None:
    text = SEED.read_text(encoding="utf-8")
    cited = {
        (int(year), int(n))
        for year, n in re.findall(r"A (\d{4}) [^.]*?\((?:[^()]*?)n = (\d+)\)", text)
    }
    assert cited == {(2011, 32), (2012, 42), (2021, 44)}
    years_in_seed = {int(y) for y in re.findall(r"^A (\d{4}) ", text, re.MULTILINE)}
    model = {(s.year, s.sample.n) for s in library.studies}
    assert cited <= model
    assert {s.year for s in library.studies} == years_in_seed
    assert [c.study.year for c in library.resolve(SLUG).citations] == [2011, 2012, 2021, 2024]


def test_pilot_and_exploratory_are_marked(library: Library) -> None:
    designs = {s.year: s.design for s in library.studies}
    assert designs[2012].is_pilot
    assert designs[2011].is_preliminary
    assert not designs[2011].is_pilot
    assert not designs[2021].is_preliminary


def test_faq_questions_in_order(library: Library) -> None:
    lines = seed_lines()
    faq = lines[lines.index("Acupressure mat benefits FAQ") + 1 :]
    questions = [line for line in faq if line.endswith("?")]
    assert [e.question for e in library.article(SLUG).faq_entries] == questions


def test_cautions_in_order(library: Library) -> None:
    lines = seed_lines()
    start = lines.index("Who should avoid acupressure mats") + 2
    bullets = [line.removeprefix("- ") for line in lines[start : start + 5]]
    cautions = library.resolve(SLUG).cautions
    assert [f"{c.applies_to} — {c.advice}" for c in cautions] == bullets


def test_disclaimer_offer_and_review_date(library: Library) -> None:
    resolved = library.resolve(SLUG)
    text = SEED.read_text(encoding="utf-8")
    assert resolved.disclaimer is not None
    assert f"Wellness disclaimer: {resolved.disclaimer.text}" in text
    offer = resolved.offer
    assert offer is not None
    price = re.search(r"From \$(\d+\.\d\d)", text)
    assert price is not None
    assert (offer.price, offer.currency, offer.price_basis) == (
        Decimal(price[1]),
        "USD",
        PriceBasis.FROM,
    )
    assert offer.free_shipping
    assert "Free shipping" in text
    assert f"{offer.money_back_days}-day money-back guarantee" in text
    assert resolved.product is not None
    assert resolved.product.reviews_url == "page:reviews"
    reviewed = re.search(r"Reviewed and updated (\w+ \d+, \d{4})", text)
    assert reviewed is not None
    day = datetime.datetime.strptime(reviewed[1], "%B %d, %Y").date()
    assert resolved.article.last_reviewed == day == resolved.article.modified
    assert resolved.article.revisions[-1].date == day
    byline = resolved.article.byline
    assert byline is not None
    assert byline.note is not None
    assert prose_paragraphs(byline.note) == ["See how we test and our story."]


def test_no_invented_study_facts(library: Library) -> None:
    text = SEED.read_text(encoding="utf-8")
    for study in library.studies:
        assert study.title is None
        assert study.doi is None
        assert study.url is None
        assert study.verified is None
        for name in study.authors:
            assert f"{name} et al." in text
        if study.venue:
            assert study.venue.split(" (")[0] in text
