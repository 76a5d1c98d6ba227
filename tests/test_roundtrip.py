"""Any valid library survives unstructure -> structure unchanged (Hypothesis)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from cattrs.errors import ForbiddenExtraKeysError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spikecontent
from spikecontent import (
    Article,
    Availability,
    Caution,
    CautionList,
    Citation,
    Credit,
    Disclaimer,
    Faq,
    FaqEntry,
    Library,
    MeasureKind,
    Offer,
    Outcome,
    Page,
    Person,
    PriceBasis,
    Product,
    Research,
    Revision,
    Role,
    Sample,
    SampleGroup,
    Section,
    Site,
    Status,
    Study,
    StudyDesign,
    parse_prose,
)
from spikecontent.model import (
    ARTICLES,
    CAUTIONS,
    DISCLAIMERS,
    OFFERS,
    PEOPLE,
    PRODUCTS,
    STUDIES,
)
from spikecontent.model.article import normalized_question
from spikecontent.readable import disguise

ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
# Content refuses invisible format characters (Cf) and words that mix scripts (they hide
# words from lint): text is any other, and the loader's refusal is tested on its own.
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "" and disguise(s) is None)
dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31))
words = st.lists(
    st.sampled_from(["mats", "relax", "sleep", "a", "study", "&", "5 < 6", "é"]), min_size=1
)
# Made once: a strategy made inside a draw is built and validated again at each draw,
# which took most of the test's time.
optional_text = st.none() | text


@st.composite
def prose(draw: st.DrawFn, pages: list[str]) -> spikecontent.RichText:
    paragraphs = []
    for _ in range(draw(st.integers(1, 3))):
        sentence = " ".join(draw(words))
        if pages and draw(st.booleans()):
            label = draw(st.sampled_from(["guide", "reviews"]))
            sentence += f" [{label}](page:{draw(st.sampled_from(pages))})"
        if draw(st.booleans()):
            sentence = f"*{sentence}*"
        paragraphs.append(sentence)
    return parse_prose("\n\n".join(paragraphs))


@st.composite
def studies(draw: st.DrawFn, ident: str) -> Study:
    n = draw(st.none() | st.integers(1, 10_000))
    return Study(
        id=ident,
        year=draw(st.integers(1990, 2030)),
        design=draw(st.sampled_from(StudyDesign)),
        sample=Sample(
            n=n,
            groups=tuple(SampleGroup(label=g) for g in draw(st.lists(text, max_size=2))),
            note=draw(optional_text),
        ),
        population=draw(optional_text),
        intervention=draw(text),
        comparator=draw(optional_text),
        outcomes=(
            Outcome(measure=draw(text), kind=draw(st.sampled_from(MeasureKind)), result=draw(text)),
        ),
        finding=draw(text),
        limitations=tuple(draw(st.lists(text, min_size=1, max_size=3))),
        venue=draw(optional_text),
        authors=("Hohmann",) if draw(st.booleans()) else (),
        doi=draw(st.none() | st.just("10.1155/2012/123456")),
    )


@st.composite
def libraries(draw: st.DrawFn) -> Library:
    page_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    site = Site(
        name=draw(text),
        base_url="https://www.example.com/",
        language=draw(st.sampled_from(["en", "en-US", "de-DE"])),
        pages=tuple(Page(id=p, title=draw(text), path=f"/{p}") for p in page_ids),
    )
    study_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    caution_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    person = Person(id="editor", name=draw(text), role=draw(st.sampled_from(Role)))
    offer = Offer(
        id="offer",
        product="mat",
        price=Decimal(draw(st.integers(0, 99_999))) / 100,
        currency=draw(st.sampled_from(["USD", "EUR", "GBP"])),
        price_basis=draw(st.sampled_from(PriceBasis)),
        free_shipping=draw(st.booleans()),
        money_back_days=draw(st.none() | st.integers(0, 365)),
        availability=draw(st.none() | st.sampled_from(Availability)),
        url="page:" + page_ids[0],
    )
    published, modified = sorted(draw(st.lists(dates, min_size=2, max_size=2)))
    article = Article(
        slug=draw(ids),
        status=draw(st.sampled_from(Status)),
        title=draw(text),
        description=draw(text),
        published=published,
        modified=modified,
        credits=(Credit(person="editor", role=Role.AUTHOR),),
        intro=draw(prose(page_ids)),
        sections=tuple(
            Section(heading=draw(text), body=draw(prose(page_ids)))
            for _ in range(draw(st.integers(0, 2)))
        ),
        research=Research(
            heading=draw(text),
            citations=tuple(
                Citation(study=s, summary=draw(prose(page_ids)), key_finding=draw(text))
                for s in study_ids
            ),
        ),
        cautions=CautionList(heading=draw(text), items=tuple(caution_ids)),
        disclaimer="wellness",
        offer="offer",
        faq=Faq(
            heading=draw(text),
            # An article asks each question once (compared as the duplicate check does).
            items=tuple(
                FaqEntry(id=f"q{i}", question=question, answer=draw(prose(page_ids)))
                for i, question in enumerate(
                    draw(st.lists(text, min_size=1, max_size=3, unique_by=normalized_question))
                )
            ),
        ),
        revisions=tuple(
            Revision(date=d, summary=draw(text)) for d in sorted(draw(st.lists(dates, max_size=3)))
        ),
    )
    return Library(
        site=site,
        entities={
            PEOPLE: (person,),
            STUDIES: tuple(draw(studies(i)) for i in study_ids),
            CAUTIONS: tuple(
                Caution(id=c, applies_to=draw(text), advice=draw(text)) for c in caution_ids
            ),
            DISCLAIMERS: (Disclaimer(id="wellness", label=draw(text), text=draw(text)),),
            PRODUCTS: (Product(id="mat", name=draw(text), url="/mat"),),
            OFFERS: (offer,),
            ARTICLES: (article,),
        },
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(libraries())
def test_library_round_trips_through_plain_data(library: Library) -> None:
    data = spikecontent.unstructure(library)
    # The plain form is JSON: what `show --json` and the API hand out.
    again = spikecontent.structure(json.loads(json.dumps(data)), Library)
    assert again == library


def test_seed_library_round_trips(library: Library) -> None:
    data: Any = spikecontent.unstructure(library)
    assert spikecontent.structure(data, Library) == library


def test_text_that_merely_starts_like_a_page_link_is_text(library: Library) -> None:
    # Found by Hypothesis: plain text such as "page:" is not a link; only link fields are.
    disclaimer = Disclaimer(id="plain", label="page:", text="page: see the box below")
    rebuilt = Library(
        site=library.site, entities={DISCLAIMERS: (*library.all(DISCLAIMERS), disclaimer)}
    )
    assert rebuilt.disclaimer("plain").text == "page: see the box below"


def test_library_holds_every_kind_of_the_table(library: Library) -> None:
    # The collection table is the one list of kinds: the plain form, all() and the
    # constructor follow it, so a new row needs no change to Library.
    data = spikecontent.unstructure(library)
    assert list(data) == ["site", *(kind.name for kind in spikecontent.COLLECTIONS)]
    for kind in spikecontent.COLLECTIONS:
        assert len(library.all(kind)) == len(data[kind.name])
        assert library.ids(kind) == tuple(kind.id_of(e) for e in library.all(kind))
    bare = Library(site=library.site)
    assert all(bare.all(kind) == () for kind in spikecontent.COLLECTIONS)


def test_library_refuses_a_kind_outside_the_table(library: Library) -> None:
    stray = spikecontent.Collection(name="coupons", singular="coupon", cls=Offer)
    with pytest.raises(ValueError, match="no entity kind 'coupons'"):
        Library(site=library.site, entities={stray: ()})


def test_plain_library_with_an_unknown_kind_is_refused(library: Library) -> None:
    data = spikecontent.unstructure(library)
    data["coupons"] = []
    with pytest.raises(ForbiddenExtraKeysError, match="coupons"):
        spikecontent.structure(data, Library)
