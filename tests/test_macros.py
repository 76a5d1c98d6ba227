"""The macros writer: support replies and helpdesk files that parse, fill and stay honest."""

from __future__ import annotations

import csv
import datetime
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

import spikecontent
from spikecontent import ContentError
from spikecontent.writers.macros import readback
from spikecontent.writers.macros.build import article_macros
from spikecontent.writers.macros.names import Named
from spikecontent.writers.macros.reply import BODY_LIMIT
from spikecontent.writers.macros.spec import MacroOptions
from tests.conftest import ARTICLE, CONTENT, SLUG, Project

ONLY = ("macros",)
FOLDER = "freshdesk_folder_id = 42"
"""A Freshdesk canned-response folder id (account-specific; tests make one up)."""
# A paragraph hard-wrapped in the YAML, with quotes, commas and non-ASCII text.
TRICKY = (
    '    - id: tricky\n      question: "Is it \\"intense\\", at first?"\n      answer: |\n'
    '        Yes, "intense at first" is normal, say naïve users in Zürich;\n'
    "        it settles — 日本語 too, 'quoted', and a comma, here.\n"
)
TRICKY_LINE = (
    'Yes, "intense at first" is normal, say naïve users in Zürich; '
    "it settles — 日本語 too, 'quoted', and a comma, here."
)
# The placeholders each helpdesk documents (docs/support-macros.md cites each vendor).
DOCUMENTED = {
    "zendesk.json": {
        "ticket.requester.first_name",
        "current_user.first_name",
        "{% if ticket.requester.first_name != blank %}",
        "{% else %}",
        "{% endif %}",
    },
    "gorgias.json": {"ticket.customer.firstname", "current_user.firstname"},
    "helpscout.json": {"{%customer.firstName,fallback=there%}"},
    "freshdesk.json": {
        "ticket.requester.firstname",
        "ticket.agent.name",
        "{% if ticket.requester.firstname != blank %}",
        "{% else %}",
        "{% endif %}",
    },
}
# The greeting each helpdesk renders: with a fallback where its template language has one.
GREETINGS = {
    "zendesk.json": "Hi {% if ticket.requester.first_name != blank %}"
    "{{ticket.requester.first_name}}{% else %}there{% endif %},",
    "gorgias.json": "Hi {{ticket.customer.firstname}},",
    "helpscout.json": "Hi {%customer.firstName,fallback=there%},",
    "freshdesk.json": "Hi {% if ticket.requester.firstname != blank %}"
    "{{ticket.requester.firstname}}{% else %}there{% endif %},",
}
PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}|\{%.*?%\}")


def macros(project: Project, out: str = "dist") -> Path:
    """The macros folder of a successful export of ``project`` into ``root/out``."""
    return project.exported("macros", only=ONLY, out=out)


def rows(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "macros.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def load_json(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def espanso(folder: Path) -> Any:
    return YAML(typ="safe", pure=True).load((folder / "espanso.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("seed")).option("macros", FOLDER)
    project.add_faq(TRICKY)
    return macros(project)


@pytest.fixture(scope="module")
def library() -> spikecontent.Library:
    return spikecontent.load(CONTENT)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def test_each_declared_source_makes_its_macros(seed: Path, library: spikecontent.Library) -> None:
    entries = [entry.id for entry in library.article(SLUG).faq_entries] + ["tricky"]
    faq = {f"{SLUG}-faq-{entry}" for entry in entries}
    declared = {
        f"{SLUG}-{name}"
        for name in ("who-should-not-use-it", "what-the-research-says", "first-session", "offer")
    }
    assert set(rows(seed)) == faq | declared
    assert {p.stem for p in seed.glob("*.txt")} == faq | declared | {"all"}


def test_every_output_parses_and_round_trips_awkward_text(seed: Path) -> None:
    text = (seed / f"{SLUG}-faq-tricky.txt").read_text(encoding="utf-8")
    assert TRICKY_LINE in text.splitlines()
    assert rows(seed)[f"{SLUG}-faq-tricky"]["text"] == text
    assert 'Is it "intense", at first?' in rows(seed)[f"{SLUG}-faq-tricky"]["title"]
    bodies = [
        a["value"]
        for m in load_json(seed, "zendesk.json")
        for a in m["macro"]["actions"]
        if a["field"] == "comment_value"
    ]
    bodies += [m["actions"][0]["arguments"]["body_text"] for m in load_json(seed, "gorgias.json")]
    bodies += [m["chatText"] for m in load_json(seed, "helpscout.json")]
    bodies += [m["replace"] for m in espanso(seed)["matches"]]
    assert sum(TRICKY_LINE in body for body in bodies) == 4
    htmls = [m["content_html"] for m in load_json(seed, "freshdesk.json")]
    assert any("naïve users in Zürich" in h and "&#34;intense at first&#34;" in h for h in htmls)


def test_a_macro_named_for_its_article_is_the_macro_evolved_with_that_name(
    library: spikecontent.Library,
) -> None:
    [(_, macro), *_] = article_macros(library, SLUG, options=MacroOptions())
    named = macro.named("Mat benefits", group="Mat benefits")
    assert named == attrs.evolve(macro, article_name="Mat benefits", group="Mat benefits")
    assert named.display_title == f"Mat benefits: {macro.title}"
    assert (named.text, named.version, named.words) == (macro.text, macro.version, macro.words)
    assert (macro.article_name, macro.group) == ("", None)  # the original is left as it was


def test_plain_text_pastes_cleanly(seed: Path) -> None:
    for path in seed.glob("*.txt"):
        if path.name == "all.txt":
            continue
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n")
        assert "\n\n\n" not in text
        assert "\r" not in text
        blocks = text.rstrip("\n").split("\n\n")
        for block in blocks[:-1]:
            lines = block.split("\n")
            # More than one line in a block only for list items, never a wrapped paragraph.
            assert len(lines) == 1 or all(re.match(r"(• |\d+\. )", line) for line in lines), (
                path.name,
                block,
            )
        assert blocks[-1] == "Best wishes,\n[your name]"
        assert blocks[0] == "Hi [first name],"
        for leftover in ("**", "__", "`", "](", "page:", "<", ">", "\\"):
            assert leftover not in text, (path.name, leftover)
        assert not re.search(r"(^|\s)[*_#]|[*_](\s|$)", text), path.name


def test_all_txt_holds_every_macro_under_its_title(seed: Path) -> None:
    everything = (seed / "all.txt").read_text(encoding="utf-8")
    for ident, row in rows(seed).items():
        version = row["version"]
        assert f"{row['title']} (v{version})\n{'=' * 72}\n\n{row['text']}" in everything, ident


def test_helpdesk_files_use_only_their_documented_placeholders(seed: Path) -> None:
    for name, documented in DOCUMENTED.items():
        raw = (seed / name).read_text(encoding="utf-8")
        found = {match.group(1) or match.group(0) for match in PLACEHOLDER.finditer(raw)}
        assert found == documented, name
        assert "[first name]" not in raw, name
        # Once per body: text and HTML for all but Freshdesk, whose responses are HTML only.
        bodies = 1 if name == "freshdesk.json" else 2
        assert raw.count(json.dumps(GREETINGS[name])[1:-1]) == bodies * len(rows(seed)), name
        assert "[your name]" not in raw, name
    helpscout = load_json(seed, "helpscout.json")
    greeting = GREETINGS["helpscout.json"]
    assert all(m["chatText"].startswith(f"{greeting}\n") for m in helpscout)
    zendesk = load_json(seed, "zendesk.json")[0]["macro"]["actions"]
    assert zendesk[0]["value"].startswith(GREETINGS["zendesk.json"] + "\n")
    assert zendesk[1]["value"].startswith(f"<p>{GREETINGS['zendesk.json']}</p>")


def test_espanso_expands_only_its_form_fields(seed: Path) -> None:
    matches = espanso(seed)["matches"]
    assert len(matches) == len(rows(seed))
    for match in matches:
        assert match["trigger"].startswith(":sr-")
        (form,) = match["vars"]
        assert form["type"] == "form"
        fields = set(re.findall(r"\[\[(\w+)\]\]", form["params"]["layout"]))
        assert fields == {"first_name", "agent_name"}
        assert form["params"]["fields"]["first_name"]["default"] == "there"
        used = set(re.findall(r"\{\{(.*?)\}\}", match["replace"]))
        assert used == {f"{form['name']}.{field}" for field in fields}
        assert "{{" not in match["label"] + match["trigger"]


NAMED_BY = {
    "pregnancy": ("pregnancy", "pregnant"),
    "blood-thinners": ("blood thinners",),
    "damaged-skin": ("broken, infected",),
    "reduced-sensation": ("reduced skin sensation",),
    "heart-conditions": ("heart condition",),
}
"""How a reply may name each seed caution."""


def test_health_macros_carry_the_disclaimer_cautions_and_source(
    seed: Path, library: spikecontent.Library
) -> None:
    resolved = library.resolve(SLUG)
    assert resolved.disclaimer
    source = f"(reviewed July 4, 2026): {resolved.url}"
    for ident, row in rows(seed).items():
        text = row["text"]
        assert source in text, ident
        if row["health"] == "True":
            # A reply carries the disclaimer's short form (the content gives one).
            assert resolved.disclaimer.short_text
            assert text.count(resolved.disclaimer.short_text) == 1, ident
            # Every caution is named once somewhere: in the answer, the cautions line or
            # the disclaimer ("are pregnant" names pregnancy).
            for caution in resolved.cautions:
                names = NAMED_BY[caution.id]
                assert any(name in text.lower() for name in names), (ident, caution.id)
        else:
            assert ident == f"{SLUG}-offer"
            assert resolved.disclaimer.short_text not in text


def test_who_should_not_use_it_lists_the_cautions_word_for_word(
    seed: Path, library: spikecontent.Library
) -> None:
    resolved = library.resolve(SLUG)
    text = (seed / f"{SLUG}-who-should-not-use-it.txt").read_text(encoding="utf-8")
    bullets = [line for line in text.splitlines() if line.startswith("• ")]
    assert bullets == [f"• {c.applies_to} — {c.advice}" for c in resolved.cautions]
    assert resolved.article.cautions
    intro = resolved.article.cautions.intro
    assert intro
    assert intro in text


def test_research_macro_calls_pilots_pilots_and_gives_every_n(
    seed: Path, library: spikecontent.Library
) -> None:
    text = (seed / f"{SLUG}-what-the-research-says.txt").read_text(encoding="utf-8")
    for citation in library.resolve(SLUG).citations:
        (line,) = [x for x in text.splitlines() if x.startswith(f"• {citation.study.year}, ")]
        assert ("pilot" in line) == citation.study.is_pilot
        n = citation.study.sample.n
        assert (f"n = {n}" if n else "n not given") in line


def test_research_reply_says_what_each_study_tested_and_how_its_sample_adds_up(
    seed: Path, library: spikecontent.Library
) -> None:
    """Year, design, n and finding alone read the 2012 citation as one trial of the mat,
    where the seed says a pair of pilot studies (total n = 42) of a needle-stimulation pad:
    each line also says what was tested and the sample's note, as the leaflet and the
    JSON-LD do."""
    text = (seed / f"{SLUG}-what-the-research-says.txt").read_text(encoding="utf-8")
    for citation in library.resolve(SLUG).citations:
        study = citation.study
        (line,) = [x for x in text.splitlines() if x.startswith(f"• {study.year}, ")]
        note = f" {study.sample.note}" if study.sample.note else ""
        assert line.endswith(f" Tested: {study.intervention}.{note}"), line
    assert (
        "• 2012, pair of randomized pilot studies, total n = 42: Two randomized pilot studies of a"
        " needle-stimulation pad reported lower pain-intensity ratings after two weeks — the"
        " authors explicitly called for larger trials. Tested: Two weeks of self-use of a"
        " mechanical needle-stimulation pad. Total across a pair of randomized controlled"
        " pilot studies."
    ) in text.splitlines()


def test_the_research_reply_is_over_its_word_budget_on_purpose(project: Project) -> None:
    """Honesty over brevity (docs/support-macros.md, "Length"): four studies with what
    each tested do not fit 150 words beside the cautions line and the disclaimer, and no
    study may be cut to fit. The reply stays whole, and the warning says so, naming the
    studies' records apart from the article's words."""
    report = project.export(only=ONLY)
    assert report.ok, report.failed
    text = (project.out / "macros" / f"{SLUG}-what-the-research-says.txt").read_text(
        encoding="utf-8"
    )
    (warning,) = [
        w.message for w in report.warnings if w.file == f"macros/{SLUG}-what-the-research-says.txt"
    ]
    assert warning.startswith(
        f"the reply is {words_as_pasted(text)} words as pasted, more than 150"
    )
    hohmann = "Tested: Two weeks of self-use of a mechanical needle-stimulation pad."
    hohmann += " Total across a pair of randomized controlled pilot studies."
    assert (
        f"study 'hohmann-2012' intervention, sample.note ({len(hohmann.split())} words)" in warning
    )
    assert "study 'bed-of-nails-2011' intervention (" in warning
    # The article's own share counts only its words: the key findings and the takeaway.
    (share,) = re.findall(rf"article '{SLUG}' research \((\d+) words\)", warning)
    said = [x for x in text.splitlines() if x.startswith("• ")]
    tested = sum(len(line[line.index(" Tested: ") :].split()) for line in said)
    answer = text.split("\n\n")[1:3]  # the studies and the takeaway
    assert int(share) == sum(len(block.split()) for block in answer) - tested


def test_bodies_stay_under_the_strictest_helpdesk_limit(seed: Path, project: Project) -> None:
    for name in ("helpscout.json", "gorgias.json"):
        for macro in load_json(seed, name):
            for value in (
                macro.get("text"),
                macro.get("chatText"),
                *(a["arguments"].get("body_html") for a in macro.get("actions", [])),
            ):
                assert value is None or len(value.encode()) <= BODY_LIMIT
    paragraph = "A calm, honest sentence about the mat. " * 600
    project.add_faq(f"    - id: huge\n      question: Long?\n      answer: {paragraph}\n")
    report = project.export(only=ONLY)
    assert not report.ok
    (failure,) = report.failed
    assert f"'{SLUG}-faq-huge'" in failure.cause
    assert "20,480-byte" in failure.cause
    # Reported where the content says it, like a content error: the answer's file:line:col.
    place = failure.place
    assert place is not None
    text = (project.content / "articles" / f"{SLUG}.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert place.file.endswith(f"articles/{SLUG}.yaml")
    assert place.line is not None
    assert place.col is not None
    assert lines[place.line - 1][place.col - 1 :].startswith(paragraph[:40])
    assert place.field.startswith("faq.items[")
    assert place.field.endswith("].answer")
    assert place.fix == "shorten the content it is made from"
    assert str(failure).startswith(f"{place.file}:{place.line}:{place.col}: {place.field}: ")
    assert not (project.root / "dist" / "macros").exists()


def test_versions_change_exactly_when_the_text_does(project: Project) -> None:
    before = {i: r["version"] for i, r in rows(macros(project, "one")).items()}
    again = {i: r["version"] for i, r in rows(macros(project, "two")).items()}
    assert again == before
    assert all(v.startswith("2026-07-04.") for v in before.values())
    project.edit(ARTICLE, "It depends what you mean by work.", "It depends on what you mean.")
    after = {i: r["version"] for i, r in rows(macros(project, "three")).items()}
    changed = f"{SLUG}-faq-do-they-work"
    assert {i for i in before if before[i] != after[i]} == {changed}
    zendesk = load_json(project.root / "three" / "macros", "zendesk.json")
    (macro,) = [m["macro"] for m in zendesk if m["macro"]["title"] == "Do acupressure mats work?"]
    # The title stays; the identity and the version are in the description.
    assert macro["description"].startswith(f"spikecontent:{changed} version {after[changed]};")
    tag = f"macro_{changed}_v" + after[changed].replace(".", "_")
    assert {"field": "current_tags", "value": tag} in macro["actions"]


def test_same_content_gives_identical_bytes(project: Project) -> None:
    one, two = (
        macros(project, "one"),
        macros(project, "two"),
    )
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_long_answers_are_warnings_that_a_no_op_run_repeats(project: Project) -> None:
    long = "Many people describe the first minute as intense. " * 25
    project.add_faq(f"    - id: wordy\n      question: Wordy?\n      answer: {long}\n")
    first = project.export(only=ONLY)
    assert first.ok
    wordy = [w for w in first.warnings if w.file == f"macros/{SLUG}-faq-wordy.txt"]
    assert wordy
    assert "more than 150" in wordy[0].message
    assert f"article '{SLUG}' faq.items[4].answer (200 words)" in wordy[0].message
    second = project.export(only=ONLY)
    assert second.up_to_date
    assert second.warnings == first.warnings


def test_helpdesk_markup_in_content_stops_the_export(project: Project) -> None:
    line = project.edit(ARTICLE, "It depends what you mean by work.", "Ask us at {{ticket.id}}.")
    with pytest.raises(ContentError) as caught:
        project.export(only=ONLY)
    (problem,) = caught.value.diagnostics
    assert (problem.rule, problem.line, problem.field) == (
        "structure.template-markup",
        line,
        "faq.items[0].answer",
    )
    assert problem.message.startswith("'{{'")


def test_a_per_entry_source_needs_entry_in_its_id(project: Project) -> None:
    profile = project.exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace('id = "{article}-faq-{entry}"', 'id = "faq"'), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        project.export(only=ONLY)
    (problem,) = caught.value.diagnostics
    assert problem.file.endswith("macros.toml")
    assert problem.line
    assert problem.field == "options.macros[0].id", problem
    assert "{entry}" in problem.fix


@pytest.mark.parametrize("part", ["faq", "cautions", "research", "user_reports"])
def test_only_the_offer_may_go_without_the_cautions_and_disclaimer(
    project: Project, part: str
) -> None:
    """``health = false`` drops the cautions line and the disclaimer from a reply and its
    read-back: on a part about effects or safety it is refused where it is written, and
    nothing is exported."""
    profile = project.exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8")
    marker = f'part = "{part}"\n'
    assert text.count(marker) == 1
    profile.write_text(text.replace(marker, f"{marker}health = false\n"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        project.export(only=ONLY)
    (problem,) = caught.value.diagnostics
    assert problem.file.endswith("macros.toml")
    assert problem.line == text[: text.index(marker)].count("\n") + 2
    assert problem.field.endswith(".health"), problem
    assert "only the offer" in problem.fix
    assert not project.out.exists()


def test_ids_without_article_collide_across_articles(project: Project) -> None:
    project.with_article("second-article")
    folder = macros(project)
    assert (folder / "second-article-faq-do-they-work.txt").exists()
    assert (folder / f"{SLUG}-what-the-research-says.txt").exists()
    profile = project.exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8").replace('"{article}-faq-{entry}"', '"faq-{entry}"')
    profile.write_text(text, encoding="utf-8")
    report = project.export(only=ONLY)
    assert not report.ok
    assert "put {article} in the macro id pattern 'faq-{entry}'" in report.failed[0].cause


def test_import_files_are_what_each_create_endpoint_takes(seed: Path) -> None:
    count = len(rows(seed))
    zendesk = load_json(seed, "zendesk.json")
    assert len(zendesk) == count
    assert all(set(item) == {"macro"} for item in zendesk)
    assert all({"title", "actions"} <= set(item["macro"]) for item in zendesk)
    for macro in load_json(seed, "gorgias.json"):
        assert macro["external_id"].startswith(f"spikecontent:{SLUG}")
        assert macro["language"] == "en"
        assert {a["name"] for a in macro["actions"]} == {"setResponseText", "addTags"}
        assert all(a["type"] == "user" and a["title"] for a in macro["actions"])
    assert all(set(r) == {"name", "text", "chatText"} for r in load_json(seed, "helpscout.json"))
    for response in load_json(seed, "freshdesk.json"):
        assert (response["folder_id"], response["visibility"]) == (42, 0)
        assert set(response) == {"title", "content_html", "folder_id", "visibility"}
    titles = [item["macro"]["title"] for item in zendesk]
    assert not any("(v" in title for title in titles)  # stable titles


def test_without_a_folder_id_there_is_no_freshdesk_file_and_a_warning(project: Project) -> None:
    report = project.export(only=ONLY)
    assert report.ok
    assert not (project.out / "macros" / "freshdesk.json").exists()
    (warning,) = [w for w in report.warnings if w.file == "macros/freshdesk.json"]
    assert "freshdesk_folder_id" in warning.message


def test_the_csv_opens_in_excel_as_utf_8(seed: Path) -> None:
    data = (seed / "macros.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,title,version,article,health,text\r\n")
    assert "—".encode() in data  # an em dash, as UTF-8 after the mark


_BOARD_PIECES = ['<pre id="text-a">', '<pre id="text-b-2">', "</pre>", "</pr", "<", "/", "pre>"]
_BOARD_PIECES += ["&lt;", "text", "\n", " ", '"', "<b>", "</b>", "</pre >"]
_LAZY_BOARD_TEXT = re.compile(r'<pre id="text-([^"]+)">(.*?)</pre>', re.DOTALL)
"""What the board's read-back means: each copy target's text, up to the first ``</pre>``."""


@given(
    st.lists(
        st.sampled_from(_BOARD_PIECES),
        max_size=14,
    ).map("".join)
)
def test_the_board_is_read_back_as_the_lazy_pattern_reads_it(markup: str) -> None:
    found = [m.groups() for m in readback._BOARD_TEXT.finditer(markup)]
    assert found == [m.groups() for m in _LAZY_BOARD_TEXT.finditer(markup)]


# Issue 42: replies against a project of two articles, the second a copy of the flagship
# (so the same FAQ questions and section headings) with a title of its own.
SECOND = "mat-care"
SECOND_TITLE = "Caring for Your Mat: Cleaning, Storage and Everyday Use"


def two_articles(project: Project) -> Project:
    return project.with_article(SECOND, title=SECOND_TITLE).option("macros", FOLDER)


def test_a_reply_claims_a_review_only_when_the_article_has_one(project: Project) -> None:
    two_articles(project).edit(f"articles/{SECOND}.yaml", "last_reviewed: 2026-07-04\n", "")
    folder = macros(project)
    texts = {ident: row["text"] for ident, row in rows(folder).items()}
    assert {row["article"] for row in rows(folder).values()} == {SLUG, SECOND}
    for ident, text in texts.items():
        if ident.startswith(f"{SECOND}-"):
            # modified is when it last changed, not when anyone checked it.
            assert "reviewed" not in text.lower(), ident
            assert f"{SECOND_TITLE}: https://" in text, ident
        else:
            assert "(reviewed July 4, 2026): https://" in text, ident
    # Every copy of a reply says the same: the helpdesk files too.
    for item in load_json(folder, "zendesk.json"):
        macro = item["macro"]
        if f"spikecontent:{SECOND}-" in macro["description"]:
            assert all("reviewed" not in str(a["value"]).lower() for a in macro["actions"])


INTRO = (
    "  intro: 'Be cautious, or check with a clinician before starting,"
    " if any of these apply to you:'\n"
)
NAMES = (
    "blood thinners or bleeding disorders; broken, infected, sunburned, or irritated skin;"
    " reduced skin sensation (for example from diabetes or peripheral neuropathy);"
    " or heart conditions or a pacemaker."
)


def test_the_cautions_line_is_a_sentence_with_or_without_an_intro(project: Project) -> None:
    # The second article's caution list has no intro: valid content, so a valid sentence.
    two_articles(project).edit(f"articles/{SECOND}.yaml", INTRO, "")
    texts = {ident: row["text"] for ident, row in rows(macros(project)).items()}
    for slug, lead in ((SLUG, "if any of these apply to you: "), (SECOND, "Please take care")):
        text = texts[f"{slug}-faq-do-they-work"]
        (line,) = [x for x in text.splitlines() if lead in x]
        assert line.endswith(NAMES), line
        assert not re.search(r"[;:] [A-Z]", line), line  # "; Broken", ": Pregnancy"
    (line,) = [x for x in texts[f"{SECOND}-faq-do-they-work"].splitlines() if "take care" in x]
    assert line.startswith("Please take care in case of ")


def test_caution_names_keep_the_case_of_acronyms_and_names() -> None:
    from spikecontent.writers.macros.build import caution_sentence

    names = ["Pregnancy", "HIV or other immune conditions", "Raynaud's disease", "Broken skin"]
    assert caution_sentence(None, names) == (
        "Please take care in case of pregnancy, HIV or other immune conditions,"
        " Raynaud's disease, or broken skin."
    )
    assert caution_sentence("Ask a clinician first if you have:", ["Pregnancy", "Wounds"]) == (
        "Ask a clinician first if you have: pregnancy or wounds."
    )
    assert caution_sentence("Take care.", ["Pregnancy"]) == (
        "Take care. Please take care in case of pregnancy."
    )


def words_as_pasted(text: str) -> int:
    return len(text.replace("[first name]", "Ada").replace("[your name]", "Sam").split())


CAUTIONS_LINE = "Be cautious, or check with a clinician"


def test_replies_say_each_thing_once_and_the_board_gives_their_length(project: Project) -> None:
    folder = macros(two_articles(project))
    texts = {ident: row["text"] for ident, row in rows(folder).items()}
    disclaimer = spikecontent.load(project.content).disclaimer("wellness")
    assert disclaimer is not None
    for ident, text in texts.items():
        if ident.endswith("-offer"):
            continue
        assert disclaimer.short_text
        assert text.count(disclaimer.short_text) == 1, ident
        assert text.count(CAUTIONS_LINE) <= 1, ident
        # The disclaimer names pregnancy: the cautions line does not name it again.
        assert text.lower().count("pregnan") <= 2, ident
    for slug in (SLUG, SECOND):
        # Replies about the cautions get no second cautions line.
        assert CAUTIONS_LINE in texts[f"{slug}-who-should-not-use-it"]  # its own intro
        assert texts[f"{slug}-who-should-not-use-it"].count(CAUTIONS_LINE) == 1
        assert CAUTIONS_LINE not in texts[f"{slug}-faq-who-should-not-use"]
        assert "blood thinners or bleeding disorders" in texts[f"{slug}-faq-do-they-work"]
    # The card gives the length of what is pasted, names filled in.
    board = (folder / "index.html").read_text(encoding="utf-8")
    for ident, text in texts.items():
        card = board[board.index(f'id="macro-{ident}"') :]
        found = re.search(r"reply (\d+) words", card)
        assert found, ident
        assert int(found.group(1)) == words_as_pasted(text), ident


def test_every_reply_fits_the_word_limit_or_the_export_names_what_to_shorten(
    project: Project,
) -> None:
    two_articles(project)
    report = project.export(only=ONLY)
    assert report.ok, report.failed
    texts = {ident: row["text"] for ident, row in rows(project.out / "macros").items()}
    long = {w.file.removeprefix("macros/").removesuffix(".txt"): w for w in report.warnings}
    for ident, text in texts.items():
        assert (words_as_pasted(text) > 150) == (ident in long), ident
    assert f"{SLUG}-faq-who-should-not-use" not in long  # short once nothing is repeated
    warning = long[f"{SECOND}-faq-do-they-work"].message
    pasted = words_as_pasted(texts[f"{SECOND}-faq-do-they-work"])
    assert warning.startswith(f"the reply is {pasted} words as pasted, more than 150;")
    for field in (
        f"article '{SECOND}' faq.items[0].answer (",
        "disclaimer 'wellness' short_text (",
        f"article '{SECOND}' cautions.intro",
    ):
        assert field in warning, field
    # With room for everything, no reply is reported (the research reply, which says what
    # each study tested, is the longest: 305 words).
    profile = project.exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("max_words = 150", "max_words = 400"), encoding="utf-8")
    assert not [w for w in project.export(only=ONLY).warnings if w.file.endswith(".txt")]


def test_an_answer_that_quotes_the_disclaimer_is_not_followed_by_it(project: Project) -> None:
    disclaimer = spikecontent.load(project.content).disclaimer("wellness")
    assert disclaimer is not None
    answer = f"Yes. {disclaimer.text}"
    project.add_faq(f"    - id: medical\n      question: Is it medical?\n      answer: {answer}\n")
    text = (macros(project) / f"{SLUG}-faq-medical.txt").read_text(encoding="utf-8")
    assert text.count(disclaimer.text) == 1


SHORT, SECOND_SHORT = "Acupressure Mat Benefits", "Caring for Your Mat"


def test_two_articles_replies_are_titled_and_grouped_by_article(project: Project) -> None:
    two_articles(project).option("macros", f"freshdesk_folders = {{ {SECOND} = 7 }}")
    folder = macros(project)
    index = load_json(folder, "macros.json")
    article = {item["id"]: item["article"] for item in index}
    short = {SLUG: SHORT, SECOND: SECOND_SHORT}
    titled = {item["id"]: item["title"] for item in index}
    for ident, title in titled.items():
        assert title.startswith(f"{short[article[ident]]}: "), title
    assert len(set(titled.values())) == len(titled)  # no two replies share a title
    # Each vendor's grouping: Zendesk's categories, the others' names, Freshdesk's folders.
    for item in load_json(folder, "zendesk.json"):
        macro = item["macro"]
        ident = macro["description"].removeprefix("spikecontent:").split(" ")[0]
        assert macro["title"] == titled[ident].replace(": ", "::", 1)
    gorgias = {
        m["external_id"].removeprefix("spikecontent:"): m["name"]
        for m in load_json(folder, "gorgias.json")
    }
    assert gorgias == titled
    assert [r["name"] for r in load_json(folder, "helpscout.json")] == list(titled.values())
    freshdesk = load_json(folder, "freshdesk.json")
    assert [r["title"] for r in freshdesk] == list(titled.values())
    assert {r["folder_id"] for r in freshdesk if r["title"].startswith(SECOND_SHORT)} == {7}

    assert {r["folder_id"] for r in freshdesk if r["title"].startswith(SHORT)} == {42}
    # The board names the article on each card, under a heading per article.
    board = (folder / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 class="group"[^>]*>([^<]*)</h2>', board) == [SHORT, SECOND_SHORT]
    names = re.findall(r'<span class="article">([^<]*)</span>', board)
    assert names == [short[article[ident]] for ident in titled]
    # Stable: the same names in a second export, and the identity and version never carry them.
    again = {
        item["id"]: item["title"] for item in load_json(macros(project, "again"), "macros.json")
    }
    assert again == titled


def test_zendesk_macros_of_an_article_can_be_kept_to_its_groups(project: Project) -> None:
    two_articles(project).option("macros", f"zendesk_groups = {{ {SECOND} = [7, 9] }}")
    folder = macros(project)
    article = {item["id"]: item["article"] for item in load_json(folder, "macros.json")}
    for item in load_json(folder, "zendesk.json"):
        macro = item["macro"]
        ident = macro["description"].removeprefix("spikecontent:").split(" ")[0]
        if article[ident] == SECOND:
            assert macro["restriction"] == {"type": "Group", "ids": [7, 9]}
        else:
            assert "restriction" not in macro  # every agent, as Zendesk reads no restriction


def test_one_article_keeps_plain_titles_and_names_clash_fall_back(project: Project) -> None:
    titles = [item["title"] for item in load_json(macros(project), "macros.json")]
    assert "Do acupressure mats work?" in titles
    assert not any(title.startswith(f"{SHORT}: ") for title in titles)
    from spikecontent.writers.macros import short_names

    named = {"b": Named(title="Mats: A"), "a": Named(title="Mats: B")}
    # The first (by slug, neither has a published date) keeps the lead.
    assert short_names({**named, "c": Named(title="Sleep — Guide")}) == {
        "a": "Mats",
        "b": "Mats: A",
        "c": "Sleep",
    }
    assert short_names({"a": Named(title="Mats"), "b": Named(title="Mats")}) == {
        "a": "Mats",
        "b": "b",
    }
    three = {slug: Named(title="Mats: X") for slug in "abc"}
    assert short_names(three) == {"a": "Mats", "b": "Mats: X", "c": "c"}


def test_a_short_name_stays_with_the_article_that_had_it(project: Project) -> None:
    """A second article whose title has the same lead is named by its whole title: the
    first keeps its name, so its replies keep their titles in every helpdesk. One
    published before it takes the name."""
    later, whole = (
        "Acupressure Mat Benefits: A Second Look",
        f"{SHORT}: What the Research Really Says",
    )
    project.with_article(SECOND, title=later).option("macros", FOLDER)

    def names(out: str) -> list[str]:
        board = (macros(project, out) / "index.html").read_text(encoding="utf-8")
        return re.findall(r'<h2 class="group"[^>]*>([^<]*)</h2>', board)

    assert names("dist") == [SHORT, later]
    zendesk = load_json(macros(project, "dist"), "zendesk.json")
    assert zendesk[0]["macro"]["title"] == f"{SHORT}::Do acupressure mats work?"
    slug = f"slug: {SECOND}\n"
    project.edit(f"articles/{SECOND}.yaml", slug, f"{slug}published: 2020-01-01\n")
    assert names("earlier") == [whole, SHORT]


_TITLES = ("Mats: A", "Mats: B", "Mats", "Mats | Sleep", "Sleep — Guide", "Sleep", ": Sleep")
_DATES = (None, datetime.date(2024, 1, 1), datetime.date(2025, 6, 1))


@given(
    st.dictionaries(
        st.sampled_from("abcdefg"),
        st.builds(Named, title=st.sampled_from(_TITLES), published=st.sampled_from(_DATES)),
        max_size=7,
    )
)
def test_short_names_are_unique_and_no_article_renames_one_before_it(
    articles: dict[str, Named],
) -> None:
    from spikecontent.writers.macros import short_names

    names = short_names(articles)
    assert sorted(names) == sorted(articles)
    assert len(set(names.values())) == len(names)
    assert short_names(dict(reversed(articles.items()))) == names  # whatever the order

    def first(slug: str) -> tuple[bool, datetime.date, str]:
        published = articles[slug].published
        return (published is None, published or datetime.date.min, slug)

    for slug in articles:
        # Its name is the same among only the articles before it (and itself): adding
        # a later one (published later, or undated, or the same date and a later slug)
        # renames no article.
        before = {s: named for s, named in articles.items() if first(s) <= first(slug)}
        assert short_names(before)[slug] == names[slug]
        # And it is its own title's lead unless an article before it has that name.
        title = articles[slug].title
        lead = title.split(":")[0].split("|")[0].split("\u2014")[0].strip() or title
        if lead not in {names[s] for s in before if s != slug}:
            assert names[slug] == lead


def test_replies_carry_the_disclaimers_short_form_and_pass_the_read_back(
    tmp_path: Path,
) -> None:
    """A reply names its cautions on a line of its own, so the disclaimer's short form
    (whole sentences of its text) is enough there; every other channel keeps the text."""
    project = Project(tmp_path)
    assert project.export(only=["macros", "html"]).ok  # the read-back check passed
    reply = (project.out / "macros" / f"{SLUG}-faq-sleep.txt").read_text(encoding="utf-8")
    short = "They are not intended to diagnose, treat, cure, or prevent any condition."
    assert short in reply
    assert "talk to your doctor before use" not in reply.split("Be cautious")[-1]
    page = (project.out / "html" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "take blood thinners, talk to your doctor before use." in page


def test_a_short_form_that_says_something_else_is_refused(tmp_path: Path) -> None:
    project = Project(tmp_path)
    line = project.edit(
        "disclaimers/wellness.yaml",
        "  diagnose, treat, cure, or prevent any condition.\n",
        "  diagnose, treat, cure, or prevent any condition. Safe for everyone.\n",
    )
    with pytest.raises(ContentError) as caught:
        project.export(only=["macros"])
    [problem] = [d for d in caught.value.diagnostics if d.field == "short_text"]
    assert problem.file.endswith("disclaimers/wellness.yaml")
    assert problem.line is not None
    assert problem.line <= line
    assert "'Safe for everyone.' is not a sentence of the disclaimer's text" in problem.message
