"""Each class of content error is reported at its file, line and field path, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from spikecontent import ContentError, load
from spikecontent.document import article_document
from tests.conftest import Edit, errors_of

STUDY = "studies/hohmann-2012.yaml"
ARTICLE = "articles/acupressure-mat-benefits.yaml"
OFFER = "offers/spikerest-mat-standard.yaml"
PRODUCT = "products/spikerest-mat.yaml"


def only_error(folder: Path):  # type: ignore[no-untyped-def]
    diagnostics = errors_of(folder)
    assert len(diagnostics) == 1, [str(d) for d in diagnostics]
    return diagnostics[0]


@pytest.mark.parametrize(
    ("relative", "old", "new", "field", "message"),
    [
        (STUDY, "year: 2012", 'year: "2012"', "year", "expected a whole number"),
        (STUDY, "  n: 42", "  n: 7.9", "sample.n", "expected a whole number"),
        (STUDY, "  n: 42", "  n: 0", "sample.n", "must be at least 1"),
        (STUDY, "  n: 42", "  n: -3", "sample.n", "must be at least 1"),
        (STUDY, "et_al: true", "et_al: yes", "et_al", "expected true or false"),
        (STUDY, "design: pilot-randomized-trial", "design: pilot", "design", "is not one of"),
        (OFFER, "currency: USD", "currency: USX", "currency", "not an ISO 4217 currency"),
        (OFFER, "price: 34.99", "price: 34.999", "price", "has 3 decimal places"),
        (OFFER, "free_shipping: true", "free_shipping: 'no'", "free_shipping", "true or false"),
        (ARTICLE, "modified: 2026-07-04", "modified: 2026-13-04", "modified", "not a real date"),
        (
            ARTICLE,
            "modified: 2026-07-04",
            "modified: 2026-07-04T10:00:00",
            "modified",
            "expected a calendar date",
        ),
        (
            ARTICLE,
            "  - date: 2026-07-04",
            "  - date: July 4",
            "revisions[0].date",
            "expected a date",
        ),
        (ARTICLE, "status: published", "status: live", "status", "is not one of"),
    ],
)
def test_wrong_value_is_reported_at_the_value(
    content_copy: Path, edit: Edit, relative: str, old: str, new: str, field: str, message: str
) -> None:
    line = edit(relative, old, new)
    error = only_error(content_copy)
    assert error.file == str(content_copy / relative)
    assert (error.line, error.field) == (line, field)
    assert error.col == len(new) - len(new.split(": ", 1)[1]) + 1
    assert message in error.message
    assert error.fix


@pytest.mark.parametrize("year", ["1850", "20120", "2101"])
def test_an_implausible_year_names_the_range(content_copy: Path, edit: Edit, year: str) -> None:
    line = edit(STUDY, "year: 2012", f"year: {year}")
    error = only_error(content_copy)
    assert (error.line, error.field) == (line, "year")
    assert error.message == f"{year} is not a plausible year"
    # Not "use a four-digit year", which 1850 is.
    assert error.fix == "check it against the paper: a study's year is from 1900 to 2100"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("page:reviews", "'page:reviews' is a link to a page, not where this article lives"),
        ("article:other", "'article:other' is a link to an article, not where this article lives"),
        ("mailto:editor@example.com", "'mailto:editor@example.com' is not a site path or URL"),
        # The link policy's own refusal, in the path's words: its fix named 'page:reviews'.
        ("guides/mat", "'guides/mat' is not a site path or URL"),
    ],
)
def test_an_article_path_is_where_it_lives_not_a_link(
    content_copy: Path, edit: Edit, path: str, message: str
) -> None:
    # 'page:reviews' passed: the article's URL became the reviews page's, in its canonical
    # link, the sitemap and the feeds, while its page was written at <slug>/index.html.
    line = edit(ARTICLE, "status: published\n", f"status: published\npath: {path}\n")
    error = only_error(content_copy)
    assert (error.line, error.col, error.field) == (line + 1, 7, "path")
    assert error.message == message
    assert error.fix == (
        "write the site path the article is published at, such as"
        " '/guides/acupressure-mat-benefits/', or its https:// URL; or remove the field for the"
        " default '/acupressure-mat-benefits/'"
    )


@pytest.mark.parametrize("path", ["/guides/mat/", "https://blog.example.com/mat/"])
def test_an_article_path_may_be_a_site_path_or_a_url(
    content_copy: Path, edit: Edit, path: str
) -> None:
    edit(ARTICLE, "status: published\n", f"status: published\npath: {path}\n")
    library = load(content_copy)
    article = library.article("acupressure-mat-benefits")
    assert article.canonical_path == path
    # A link, as channels give links: absolute in the delivery document.
    document = article_document(library, article)
    assert document["path"] == library.resolve_href(path)
    assert document["path"].startswith("https://")


def test_empty_limitations(content_copy: Path, edit: Edit) -> None:
    old = (
        "limitations:\n  - >-\n    The authors called these pilot results and said larger trials"
        " were needed before\n    drawing conclusions: a promising signal, not a settled finding.\n"
    )
    line = edit(STUDY, old, "limitations: []\n")
    error = only_error(content_copy)
    assert (error.line, error.field) == (line, "limitations")
    assert "must not be empty" in error.message


def test_missing_required_field_points_at_the_enclosing_mapping(
    content_copy: Path, edit: Edit
) -> None:
    edit(
        STUDY,
        "finding: >-\n  Participants reported lower pain-intensity ratings"
        " after two weeks of self-use.\n",
        "",
    )
    error = only_error(content_copy)
    assert (error.line, error.col, error.field) == (1, 1, "finding")
    assert "required field is missing" in error.message


def test_unknown_key_points_at_the_key_and_suggests(content_copy: Path, edit: Edit) -> None:
    line = edit(STUDY, "venue:", "venu:")
    error = only_error(content_copy)
    assert (error.line, error.col, error.field) == (line, 1, "venu")
    assert "unknown field" in error.message
    assert "'venue'" in error.fix


def test_broken_yaml(content_copy: Path, edit: Edit) -> None:
    line = edit(STUDY, "authors: [Hohmann]", "authors: [Hohmann")
    error = only_error(content_copy)
    assert error.file.endswith(STUDY)
    assert error.line is not None
    assert error.line >= line
    assert "invalid YAML" in error.message


def test_duplicate_yaml_key(content_copy: Path, edit: Edit) -> None:
    line = edit(STUDY, "year: 2012\n", "year: 2012\nyear: 2013\n")
    error = only_error(content_copy)
    assert error.line == line + 1
    assert "duplicate key" in error.message


def test_dangling_reference_suggests_the_close_id(content_copy: Path, edit: Edit) -> None:
    line = edit(ARTICLE, "    - pregnancy\n", "    - pregnant\n")
    error = only_error(content_copy)
    assert error.file.endswith(ARTICLE)
    assert (error.line, error.col, error.field) == (line, 7, "cautions.items[0]")
    assert "no caution with id 'pregnant'" in error.message
    assert "'pregnancy'" in error.fix


def test_dangling_page_link_in_prose_points_at_the_link(content_copy: Path, edit: Edit) -> None:
    line = edit(ARTICLE, "(page:our-story)", "(page:our-stroy)")
    error = only_error(content_copy)
    text = (content_copy / ARTICLE).read_text().splitlines()[line - 1]
    assert (error.line, error.col) == (line, text.index("page:our-stroy") + 1)
    assert error.field == "byline.note"


def test_duplicate_id_across_files(content_copy: Path) -> None:
    source = content_copy / "cautions" / "pregnancy.yaml"
    (content_copy / "cautions" / "pregnancy-too.yaml").write_text(source.read_text())
    error = only_error(content_copy)
    # Files load in name order, so the copy is the second holder of the id.
    assert error.file.endswith("pregnancy.yaml")
    assert (error.line, error.col, error.field) == (1, 5, "id")
    assert "duplicate id 'pregnancy'" in error.message
    assert f"(first at {content_copy / 'cautions' / 'pregnancy-too.yaml'}:1:5)" in error.message


def test_duplicate_page_id_in_site(content_copy: Path, edit: Edit) -> None:
    line = edit(
        "site.yaml",
        "  - id: our-story\n",
        "  - id: reviews\n    title: Reviews again\n    path: /reviews-2\n  - id: our-story\n",
    )
    error = only_error(content_copy)
    assert (error.line, error.field) == (line, "pages[6].id")
    assert "duplicate id 'reviews'" in error.message
    site = content_copy / "site.yaml"
    first_line = site.read_text().splitlines().index("  - id: reviews") + 1
    assert f"(first at {site}:{first_line}:9)" in error.message


def test_disallowed_markdown_in_prose_points_at_its_line(content_copy: Path, edit: Edit) -> None:
    line = edit(
        ARTICLE,
        "  note: See [how",
        "  note: |\n    Intro line.\n\n    ![logo](/x.png)\n\n    See [how",
    )
    error = only_error(content_copy)
    assert (error.line, error.field) == (line + 3, "byline.note")
    assert "images are not allowed" in error.message


def test_unsafe_link_is_refused(content_copy: Path, edit: Edit) -> None:
    edit(ARTICLE, "(page:our-story)", "(file:///etc/passwd)")
    error = only_error(content_copy)
    assert error.field == "byline.note"
    assert "not allowed" in error.message


def test_all_errors_are_reported_at_once(content_copy: Path, edit: Edit) -> None:
    edit(STUDY, "year: 2012", "year: '2012'")
    edit(OFFER, "currency: USD", "currency: usd")
    edit("people/maya-ellison.yaml", "role: curator", "role: curator\nbio: x")
    edit(ARTICLE, "    - heart-conditions\n", "    - heart\n")
    (content_copy / "cautions" / "broken.yaml").write_text("id: [unclosed\n")
    diagnostics = errors_of(content_copy)
    assert {Path(d.file).name for d in diagnostics} == {
        "hohmann-2012.yaml",
        "spikerest-mat-standard.yaml",
        "maya-ellison.yaml",
        "acupressure-mat-benefits.yaml",
        "broken.yaml",
    }


def test_reference_to_a_broken_entity_is_not_reported_twice(content_copy: Path, edit: Edit) -> None:
    edit(OFFER, "currency: USD", "currency: XXZ")
    (error,) = errors_of(content_copy)
    assert error.file.endswith(OFFER)


def test_an_entity_with_an_error_has_its_references_checked_in_the_same_run(
    content_copy: Path, edit: Edit
) -> None:
    status = edit(ARTICLE, "status: published", "status: publishd")
    offer = edit(ARTICLE, "offer: spikerest-mat-standard", "offer: spikerest-mat-standrd")
    link = edit(ARTICLE, "(page:our-story)", "(page:our-stroy)")

    found = {(d.line, d.field): d for d in errors_of(content_copy)}

    assert set(found) == {(status, "status"), (offer, "offer"), (link, "byline.note")}
    assert "no offer with id 'spikerest-mat-standrd'" in found[(offer, "offer")].message
    assert "'spikerest-mat-standard'" in found[(offer, "offer")].fix
    assert "no page with id 'our-stroy'" in found[(link, "byline.note")].message


def test_a_broken_entity_s_own_references_to_other_broken_files_are_not_reported(
    content_copy: Path, edit: Edit
) -> None:
    edit(ARTICLE, "status: published", "status: publishd")
    edit(OFFER, "currency: USD", "currency: XXZ")

    fields = {(Path(d.file).name, d.field) for d in errors_of(content_copy)}

    assert fields == {
        ("acupressure-mat-benefits.yaml", "status"),
        ("spikerest-mat-standard.yaml", "currency"),
    }


def test_a_link_to_an_article_whose_file_has_an_error_is_not_said_to_point_at_nothing(
    content_copy: Path, edit: Edit
) -> None:
    # The article's own error is the one to fix: "no article with id 'other'" beside it
    # sent the editor to create what exists.
    flagship = (content_copy / ARTICLE).read_text(encoding="utf-8")
    other = flagship.replace("slug: acupressure-mat-benefits", "slug: other", 1)
    (content_copy / "articles" / "other.yaml").write_text(
        other.replace("status: published", "status: bogus", 1), encoding="utf-8"
    )
    edit(ARTICLE, "(page:our-story)", "(article:other)")

    found = [(Path(d.file).name, d.field) for d in errors_of(content_copy)]

    assert found == [("other.yaml", "status")]


def test_missing_site_and_unknown_folder(content_copy: Path) -> None:
    (content_copy / "site.yaml").unlink()
    (content_copy / "studies").rename(content_copy / "study")
    messages = {(Path(d.file).name, d.message) for d in errors_of(content_copy)}
    assert ("site.yaml", "site.yaml is missing") in messages
    assert ("study", "unknown content folder") in messages


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="content folder not found"):
        load(tmp_path / "nowhere")


def test_error_report_format(content_copy: Path, edit: Edit) -> None:
    line = edit(STUDY, "year: 2012", "year: '2012'")
    with pytest.raises(ContentError) as caught:
        load(content_copy)
    first, summary = str(caught.value).splitlines()
    assert first.startswith(f"{content_copy / STUDY}:{line}:7: year: expected a whole number")
    assert "(fix: remove the quotes: 2012)" in first
    assert summary == "1 error in 1 file"


def test_control_characters_are_refused(content_copy: Path, edit: Edit) -> None:
    summary_line = edit(
        "articles/acupressure-mat-benefits.yaml",
        "summary: Reviewed and updated.",
        'summary: "Reviewed\\x01 and updated."',
    )

    found = {(Path(d.file).name, d.field): d for d in errors_of(content_copy)}

    revision = found[("acupressure-mat-benefits.yaml", "revisions[0].summary")]
    assert revision.line == summary_line
    assert revision.message == "contains the control character U+0001 at position 9"
    assert "remove it" in revision.fix


def test_a_bad_id_in_a_list_of_references_is_placed_at_its_item(
    content_copy: Path, edit: Edit
) -> None:
    line = edit(
        "articles/acupressure-mat-benefits.yaml", "    - blood-thinners", "    - Blood_Thinners"
    )

    [problem] = errors_of(content_copy)

    assert (problem.line, problem.field) == (line, "cautions.items[1]")
    assert problem.message == "'Blood_Thinners' is not a valid id"


@pytest.mark.parametrize(
    ("added", "field", "message"),
    [
        ("return_countries: [USA]", "return_countries[0]", "not an ISO 3166-1 country code"),
        ("return_countries: [US, US]", "return_countries", "names a country twice"),
        (
            "shipping: {countries: [US], handling_days: {min: 0, max: 1},"
            " transit_days: {min: 5, max: 2}}",
            "shipping.transit_days.max",
            "5 to 2 days is not a range of days",
        ),
        (
            "shipping: {countries: [US], handling_days: {min: 0, max: 1},"
            " transit_days: {min: 2, max: 5}, rate: 4.99}",
            "shipping.rate",
            "is 4.99 but the offer says free_shipping",
        ),
    ],
)
def test_shop_policies_are_checked_where_they_are_written(
    content_copy: Path, edit: Edit, added: str, field: str, message: str
) -> None:
    line = edit(OFFER, "money_back_days: 30", f"money_back_days: 30\n{added}")
    error = only_error(content_copy)
    assert (error.line, error.field) == (line + 1, field)
    assert message in error.message


def test_a_shipping_rate_is_an_amount_in_the_offer_currency(content_copy: Path, edit: Edit) -> None:
    edit(OFFER, "free_shipping: true", "free_shipping: false")
    line = edit(
        OFFER,
        "money_back_days: 30",
        "money_back_days: 30\nshipping: {countries: [US], handling_days: {min: 0, max: 1},"
        " transit_days: {min: 2, max: 5}, rate: 4.999}",
    )
    error = only_error(content_copy)
    assert (error.line, error.field) == (line + 1, "shipping.rate")
    assert "4.999 has 3 decimal places; USD has 2" in error.message
    assert error.fix == "round the shipping rate to 2 decimal places"


@pytest.mark.parametrize(
    ("gtin", "message"),
    [
        ('"0614141000013"', "'0614141000013' fails its check digit (it would be 2)"),
        ('"061414100001"', "'061414100001' fails its check digit (it would be 7)"),
        ('"SR-MAT-01"', "'SR-MAT-01' is not a GTIN"),
        ('"06141410000"', "'06141410000' is not a GTIN"),
    ],
)
def test_a_gtin_is_checked_by_its_length_and_check_digit(
    content_copy: Path, edit: Edit, gtin: str, message: str
) -> None:
    line = edit(PRODUCT, "url: page:product", f"url: page:product\ngtin: {gtin}")
    error = only_error(content_copy)
    assert (error.line, error.field, error.message) == (line + 1, "gtin", message)
    assert "barcode" in error.fix


def test_return_terms_need_a_money_back_window(content_copy: Path, edit: Edit) -> None:
    line = edit(OFFER, "money_back_days: 30", "return_fees: free")
    error = only_error(content_copy)
    assert (error.line, error.field) == (line, "return_fees")
    assert "the offer takes no returns" in error.message
    assert error.fix == "set money_back_days, or remove it"


def test_every_problem_of_one_entity_is_reported_in_one_run(content_copy: Path, edit: Edit) -> None:
    # Three in one study: a type error (cattrs structuring) and two values its validators
    # refuse (which __init__ would stop at the first of, and not run at all after the first).
    year = edit(STUDY, "year: 2012\n", "year: '2012'\ndoi: nonsense\nurl: 'javascript:x'\n")
    # Two in one FAQ item, nested in the article: a refused id and a question that is no text.
    faq_id = edit(ARTICLE, "    - id: reported-benefits\n", "    - id: Reported_Benefits\n")
    question = faq_id + 1
    edit(
        ARTICLE,
        "      question: What are the main benefits people report from acupressure mats?\n",
        "      question: 42\n",
    )

    found = {(Path(d.file).name, d.line, d.field): d for d in errors_of(content_copy)}

    assert set(found) == {
        ("hohmann-2012.yaml", year, "year"),
        ("hohmann-2012.yaml", year + 1, "doi"),
        ("hohmann-2012.yaml", year + 2, "url"),
        ("acupressure-mat-benefits.yaml", faq_id, "faq.items[1].id"),
        ("acupressure-mat-benefits.yaml", question, "faq.items[1].question"),
    }
    assert "expected a whole number" in found["hohmann-2012.yaml", year, "year"].message
    assert "'nonsense' is not a DOI" in found["hohmann-2012.yaml", year + 1, "doi"].message
    assert "is not an allowed link" in found["hohmann-2012.yaml", year + 2, "url"].message
    item_id = found["acupressure-mat-benefits.yaml", faq_id, "faq.items[1].id"]
    assert "'Reported_Benefits' is not a valid id" in item_id.message
    asked = found["acupressure-mat-benefits.yaml", question, "faq.items[1].question"]
    assert "expected text, got the number 42" in asked.message
    assert all(d.fix and d.col for d in found.values())


def test_each_validator_of_a_field_and_the_checks_across_fields_report_together(
    content_copy: Path, edit: Edit
) -> None:
    # One FAQ field has three validators; two of them fail on different items.
    edit(ARTICLE, "    - id: reported-benefits\n", "    - id: do-they-work\n")
    edit(
        ARTICLE,
        "      question: Can an acupressure mat help with sleep?\n",
        "      question: Do acupressure mats work?\n",
    )
    lines = (content_copy / ARTICLE).read_text(encoding="utf-8").splitlines()
    first_id = _line_of_second(lines, "    - id: do-they-work")
    second_question = _line_of_second(lines, "      question: Do acupressure mats work?")
    # A field validator and a check across fields (__attrs_post_init__) in one study.
    venue = edit(STUDY, "venue: Evidence", "venue: ' '\nfoo: 1\nvenuee: Evidence")
    et_al = edit(STUDY, "authors: [Hohmann]\net_al: true", "et_al: true")

    found = {(Path(d.file).name, d.line, d.field): d.message for d in errors_of(content_copy)}

    assert set(found) == {
        ("acupressure-mat-benefits.yaml", first_id, "faq.items[1].id"),
        ("acupressure-mat-benefits.yaml", second_question, "faq.items[2].question"),
        ("hohmann-2012.yaml", venue, "venue"),
        ("hohmann-2012.yaml", venue + 1, "foo"),
        ("hohmann-2012.yaml", venue + 2, "venuee"),
        ("hohmann-2012.yaml", et_al, "et_al"),
    }
    assert (
        "appears more than once"
        in found["acupressure-mat-benefits.yaml", first_id, "faq.items[1].id"]
    )
    assert "no authors are listed" in found["hohmann-2012.yaml", et_al, "et_al"]


def _line_of_second(lines: list[str], text: str) -> int:
    """The 1-based line of the second line that is ``text``."""
    return [number for number, line in enumerate(lines, 1) if line == text][1]


def test_every_problem_of_the_site_file_is_reported_in_one_run(
    content_copy: Path, edit: Edit
) -> None:
    name = edit("site.yaml", "name: SpikeRest", "name: ' '")
    language = edit("site.yaml", "language: en-US", "language: 12")
    timezone = edit("site.yaml", "timezone: UTC", "timezone: Mars/Olympus")
    path = edit("site.yaml", "    path: /products/spikerest-mat", "    path: javascript:x")

    found = {(d.line, d.field) for d in errors_of(content_copy)}

    assert found == {
        (name, "name"),
        (language, "language"),
        (timezone, "timezone"),
        (path, "pages[0].path"),
    }


def test_a_model_built_by_hand_still_refuses_its_first_bad_value() -> None:
    from spikecontent.model.article import FaqEntry
    from spikecontent.model.fields import FieldError
    from spikecontent.richtext import parse_prose

    with pytest.raises(FieldError, match="id: 'Bad Id' is not a valid id"):
        FaqEntry(id="Bad Id", question=" ", answer=parse_prose("An answer."))


def test_a_list_item_indented_one_space_too_far_is_named_as_an_item_not_text(
    content_copy: Path, edit: Edit
) -> None:
    # The old advice, "indent it by 1 more space ... it is text", was valid YAML that
    # silently merged this item into the text of the item above.
    study = "studies/bed-of-nails-2011.yaml"
    item = "  - Larger controlled trials are lacking."
    line = edit(study, item, f" {item}")

    error = only_error(content_copy)

    assert (error.line, error.col) == (line, 4)
    assert error.message.startswith(
        "invalid YAML: this list item is indented by one space more than the items above it ("
    )
    assert error.fix == (
        "align its '-' with theirs at column 3; it is an item of its own, not text: "
        "do not indent it further"
    )
    edit(study, f" {item}", item)  # following the fix
    limitations = load(content_copy).study("bed-of-nails-2011").limitations
    assert [str(text) for text in limitations][-1] == "Larger controlled trials are lacking."


LIMITATION = """limitations:
  - >-
    The authors called these pilot results and said larger trials were needed before
    drawing conclusions: a promising signal, not a settled finding.
"""


def test_a_plain_item_indented_one_space_too_far_is_not_joined_to_the_one_above(
    content_copy: Path, edit: Edit
) -> None:
    # Valid YAML: the second line is read as more words of the first item, so the study
    # had one limitation, "The authors ... results. - Larger trials ...", and no error.
    first = edit(
        STUDY,
        LIMITATION,
        "limitations:\n  - The authors called these pilot results.\n"
        "   - Larger trials were needed before drawing conclusions.\n",
    )

    error = only_error(content_copy)

    assert (error.line, error.col, error.field) == (first + 2, 4, "limitations[0]")
    assert error.message == (
        "this list item is indented by one space more than the items above it (YAML reads "
        f"it as more words of the item on line {first + 1})"
    )
    assert error.fix is not None
    assert error.fix.startswith("align its '-' with theirs at column 3")
    edit(STUDY, "   - Larger", "  - Larger")  # following the fix
    assert len(load(content_copy).study("hohmann-2012").limitations) == 2


def test_a_plain_item_after_a_blank_line_indented_too_far_is_not_joined_either(
    content_copy: Path, edit: Edit
) -> None:
    # YAML folds the blank line into a newline: one limitation, 'results.\n- Larger ...'.
    first = edit(
        STUDY,
        LIMITATION,
        "limitations:\n  - The authors called these pilot results.\n\n"
        "   - Larger trials were needed before drawing conclusions.\n",
    )

    error = only_error(content_copy)

    assert (error.line, error.col, error.field) == (first + 3, 4, "limitations[0]")


def test_a_list_item_with_a_dash_in_its_text_is_not_taken_for_two(
    content_copy: Path, edit: Edit
) -> None:
    edit(
        STUDY,
        LIMITATION,
        "limitations:\n  - Small sample - 42 people,\n    no blinding.\n  - >-\n"
        "    Pilot results:\n\n    - a signal, not a finding.\n"
        '  - "Quoted on purpose,\n    - with a dash."\n',
    )

    limitations = load(content_copy).study("hohmann-2012").limitations

    assert [str(text) for text in limitations] == [
        "Small sample - 42 people, no blinding.",
        "Pilot results:\n- a signal, not a finding.",
        "Quoted on purpose, - with a dash.",
    ]


def test_a_check_that_finds_several_problems_reports_each(content_copy: Path, edit: Edit) -> None:
    first = edit(ARTICLE, "    - pregnancy\n", "    - Pregnancy\n")
    second = edit(ARTICLE, "    - blood-thinners", "    - Blood_Thinners")

    found = {(d.line, d.field): d.message for d in errors_of(content_copy)}

    assert found == {
        (first, "cautions.items[0]"): "'Pregnancy' is not a valid id",
        (second, "cautions.items[1]"): "'Blood_Thinners' is not a valid id",
    }


def test_the_checks_across_fields_report_each_problem(content_copy: Path, edit: Edit) -> None:
    modified = edit(ARTICLE, "modified: 2026-07-04", "published: 2026-08-01\nmodified: 2026-07-04")
    revision = edit(
        ARTICLE,
        "  - date: 2026-07-04",
        "  - date: 2026-07-04\n    summary: x\n  - date: 2020-01-01",
    )

    found = {(d.line, d.field): d.message for d in errors_of(content_copy)}

    assert found == {
        (modified + 1, "modified"): "2026-07-04 is before the published date 2026-08-01",
        (modified + 2, "last_reviewed"): "2026-07-04 is before the published date 2026-08-01",
        (revision + 2, "revisions[1].date"): (
            "2020-01-01 is earlier than the revision before it (2026-07-04)"
        ),
    }


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        # A credit's bad role (a nested part that fails to structure).
        ("    role: curator", "    role: nobody", "credits[0].role"),
        # A blank revision summary: the revision order check reads the revisions, which
        # failed, and ends there; the date check reads neither and still runs.
        ("    summary: Reviewed and updated.", "    summary: ' '", "revisions[0].summary"),
    ],
)
def test_the_checks_across_fields_report_beside_a_nested_part_that_failed(
    content_copy: Path, edit: Edit, old: str, new: str, field: str
) -> None:
    """A nested part that failed no longer hides the article's date checks until it is
    fixed: all three in one run."""
    modified = edit(ARTICLE, "modified: 2026-07-04", "published: 2026-08-01\nmodified: 2026-07-04")
    broken = edit(ARTICLE, old, new)

    found = {(d.line, d.field) for d in errors_of(content_copy)}

    assert found == {
        (modified + 1, "modified"),
        (modified + 2, "last_reviewed"),
        (broken, field),
    }


def test_a_date_that_failed_does_not_hide_the_other_date_check(
    content_copy: Path, edit: Edit
) -> None:
    line = edit(ARTICLE, "modified: 2026-07-04", "published: 2026-08-01\nmodified: 2026-07-4x")

    found = {(d.line, d.field) for d in errors_of(content_copy)}

    assert found == {(line + 1, "modified"), (line + 2, "last_reviewed")}


def test_a_bad_currency_does_not_hide_the_offer_s_return_terms_check(
    content_copy: Path, edit: Edit
) -> None:
    # The price check reads the currency, which failed; the return terms check does not.
    currency = edit(OFFER, "currency: USD", "currency: 840")
    days = edit(OFFER, "money_back_days: 30", "return_fees: free")

    found = {(d.line, d.field): d.message for d in errors_of(content_copy)}

    assert set(found) == {(currency, "currency"), (days, "return_fees")}
    assert found[(days, "return_fees")].startswith("says how returns work, but the offer takes")


def test_a_first_list_item_indented_too_far_is_the_one_named(
    content_copy: Path, edit: Edit
) -> None:
    # The first item sets the list's column; the error falls on the second. Naming the
    # second and saying "align it with the first" only moved the error down a line.
    line = edit(ARTICLE, "    - pregnancy\n", "     - pregnancy\n")

    error = only_error(content_copy)

    assert (error.line, error.col) == (line, 6)
    assert error.message.startswith(
        "invalid YAML: this list item is indented by one space more than the items below it ("
    )
    assert error.fix is not None
    assert error.fix.startswith("align its '-' with theirs at column 5")
    edit(ARTICLE, "     - pregnancy\n", "    - pregnancy\n")  # following the fix
    assert load(content_copy).article("acupressure-mat-benefits").cautions is not None


def test_a_first_item_too_far_in_a_two_item_list_is_the_one_named(
    content_copy: Path, edit: Edit
) -> None:
    # No item follows the second to say which column the list keeps; the second is where
    # a list under 'limitations:' is written, so the first is the one off.
    study = "studies/bed-of-nails-2011.yaml"
    first = edit(
        study,
        "  - >-\n    The authors framed it as exploratory, meaning it points a direction rather"
        " than proving\n    an effect.\n",
        "   - >-\n     The authors framed it as exploratory, meaning it points a direction rather"
        " than proving\n     an effect.\n",
    )

    error = only_error(content_copy)

    assert (error.line, error.col) == (first, 4)
    assert "one space more than the items below it" in error.message
    assert error.fix is not None
    assert error.fix.startswith("align its '-' with theirs at column 3")


def test_a_second_item_one_space_less_in_is_named_not_the_first(
    content_copy: Path, edit: Edit
) -> None:
    # The items after it stay at the first's column: the second is the odd one.
    line = edit(ARTICLE, "    - blood-thinners\n", "   - blood-thinners\n")

    error = only_error(content_copy)

    assert (error.line, error.col) == (line, 4)
    assert "one space less than the items above it" in error.message
    assert error.fix == "align its '-' with theirs at column 5"


NAILS = "studies/bed-of-nails-2011.yaml"


@pytest.mark.parametrize(
    ("written", "fix", "text"),
    [
        (
            "  - Note: larger controlled trials are lacking.",
            'put the whole text in quotes: "Note: larger controlled trials are lacking."',
            "Note: larger controlled trials are lacking.",
        ),
        (  # the line it goes on to is part of the text, the comment is not
            "  - Note: larger controlled\n      trials are lacking.  # said in 2011",
            'put the whole text in quotes: "Note: larger controlled trials are lacking."',
            "Note: larger controlled trials are lacking.",
        ),
        (
            '  - Note: the "bed of nails" mat was never compared.',
            "put the whole text in quotes: 'Note: the \"bed of nails\" mat was never compared.'",
            'Note: the "bed of nails" mat was never compared.',
        ),
        (
            '  - Caveat: it\'s the "mat", not the nails',
            'put the whole text in quotes: "Caveat: it\'s the \\"mat\\", not the nails"',
            'Caveat: it\'s the "mat", not the nails',
        ),
        ("  - 12", 'put the whole text in quotes: "12"', "12"),
        ("  - 1.50", 'put the whole text in quotes: "1.50"', "1.50"),
    ],
)
def test_text_read_as_another_value_is_fixed_by_quoting_it_as_written(
    content_copy: Path, edit: Edit, written: str, fix: str, text: str
) -> None:
    # The fix quoted Python's text of the mapping ("{'Note': 'larger controlled trials are
    # lacking.'}"): done as it said, that is what the channels published.
    line = edit(NAILS, "  - Larger controlled trials are lacking.", written)
    error = only_error(content_copy)
    assert (error.line, error.col, error.field) == (line, 5, "limitations[1]")
    assert error.fix == fix
    # Done as the fix says, the text is what the editor wrote.
    quoted = fix.removeprefix("put the whole text in quotes: ")
    edit(NAILS, written, f"  - {quoted}")
    assert load(content_copy).study("bed-of-nails-2011").limitations[1] == text


def test_a_long_text_read_as_a_mapping_is_quoted_in_an_excerpt(
    content_copy: Path, edit: Edit
) -> None:
    long = "Note: larger controlled trials with an inactive mat are lacking, as the authors say."
    edit(NAILS, "  - Larger controlled trials are lacking.", f"  - {long}")
    error = only_error(content_copy)
    assert error.fix == (
        'put the whole text in quotes, all of it: "Note: larger controlled trials with an'
        ' inactive mat are l…"'
    )


def test_text_that_cannot_be_quoted_as_written_is_told_to_be_quoted_whole(
    content_copy: Path, edit: Edit
) -> None:
    # A block inside the mapping: its text on one line would not read as it does.
    edit(NAILS, "  - Larger controlled trials are lacking.", "  - Note: |\n      lacking")
    assert only_error(content_copy).fix == "put the whole value in quotes"


def test_without_its_file_a_mapping_for_text_is_told_to_be_quoted_whole() -> None:
    from spikecontent.loading.converter import StrictTypeError, structure

    with pytest.raises(StrictTypeError) as caught:
        structure({"Note": "larger controlled trials are lacking."}, str)
    assert caught.value.fix == "put the whole value in quotes"
    with pytest.raises(StrictTypeError) as caught:
        structure(["a", "b"], str)
    assert caught.value.fix == "put the whole value in quotes"
