"""The editorial linter: default rules, context handling, positions, rule files, the gate."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import spikecontent
from spikecontent import ContentError, Diagnostic
from spikecontent.cli import app
from spikecontent.lint import (
    Level,
    Rule,
    RuleFileError,
    cross_checks,
    lint_content,
    lint_text,
    load_rules,
)
from spikecontent.lint.anchors import anchors, text_words
from spikecontent.lint.rules import Kind, Scope, packaged_patterns
from spikecontent.loading.loader import LoadedContent, load_with_sources
from spikecontent.model.fields import FieldError
from spikecontent.pipeline import Registry, load_profiles, profile_wording
from tests.conftest import CONTENT, REPO, SLUG, Edit


def with_profiles(
    loaded: LoadedContent, rules: tuple[Rule, ...], exporters: Path
) -> list[Diagnostic]:
    """The findings in ``loaded`` and in the wording of the profiles in ``exporters``."""
    profiles, problems = load_profiles(exporters, Registry.installed())
    assert not problems
    return lint_content(loaded, rules, wording=profile_wording(profiles, loaded.library))


ARTICLE = "articles/acupressure-mat-benefits.yaml"

# For each default rule: sentences it must flag, and close, honest sentences it must not
# (negated, hedged, attributed or quoted forms of the same words). Several claims are the
# ones the ASA upheld against an acupressure mat in 2016 (Pranamat ECO).
CASES: dict[str, tuple[list[str], list[str]]] = {
    "cancer-claim": (
        ["Kills cancer cells naturally.", "A powerful anti-tumour formula.", "Starves tumours."],
        ["Talk to your care team if you have cancer.", "People with cancer should ask first."],
    ),
    "infection-claim": (
        ["A natural antiviral spray.", "Destroys 99% of viruses on contact.", "Your COVID shield."],
        ["Wash your mat with warm soapy water.", "Let it dry before you roll it up."],
    ),
    "body-shaping-claim": (
        [
            "Lose inches from your waist.",
            "Melts belly fat while you rest.",
            "Firms your abs.",
            "Get a six pack in six weeks.",
            "I lost 2st without dieting.",
            "Ignite your metabolism and curb cravings.",
            "Shed 600 calories in a single session.",
            "Melt inches and pounds while you rest.",
            "Trim your waistline in two weeks.",
        ],
        [
            "Lie on it for ten minutes.",
            "It rolls up to the size of a yoga mat.",
            "The mat measures 68 inches and weighs two pounds.",
        ],
    ),
    "ageing-claim": (
        [
            "Reverses the ageing process.",
            "Say goodbye to wrinkles in a week.",
            "Adds years to life.",
        ],
        ["Suitable from age 18.", "The cover lasts for years of use."],
    ),
    "social-proof": (
        ["Used by over one million people worldwide.", "Thousands of reviews prove it works."],
        ["Read the reviews, the lukewarm ones too.", "Over 300 reviews, from 1 to 5 stars."],
    ),
    "cure-idiom": (
        [
            "Say goodbye to back pain.",
            "Say your goodbyes to tired, aching feet.",
            "Never suffer again.",
            "The most potent natural anti-inflammatory.",
        ],
        ["Say hello to a calmer evening.", "Anti-inflammatory drugs are a separate topic."],
    ),
    "disease-claim": (
        [
            "Our acupressure mat relieves lower back pain.",
            "Our foot mat eradicates foot ulcers and cramps.",
            "Effective and totally natural treatment for lower back pain.",
            "It also works to reduce muscle or joint inflammation.",
            "It won't cure anything overnight, but it relieves back pain within a week.",
            'Customers say: "It cured my sciatica!"',
            "We promise it relieves back pain.",
            "Use it daily to prevent migraines.",
            "May help relieve back pain.",
            "Soothes sore muscles after a long day.",
            "Helps with fibromyalgia, arthritis and migraines.",
            "Our customers report their sciatica disappeared after two weeks.",
        ],
        [
            "There is no good evidence that acupressure mats cure back pain.",
            "We make no claims that the mat treats any disease.",
            "Claims that mats relieve sciatica are not supported by the evidence.",
            "Whether mats relieve back pain is still an open question.",
            "Avoid the mat if you have reduced skin sensation from diabetes.",
            "If you are recovering from an injury, ask your physiotherapist first.",
            "Many people with back pain use it to relax.",
            "The 2012 pilot study reported reduced pain intensity; larger trials are needed.",
            "You should be skeptical of anyone selling a mat as a cure for a condition.",
        ],
    ),
    "for-sufferers-claim": (
        [
            "Perfect for people with scoliosis.",
            "Designed for sufferers of plantar fasciitis.",
        ],
        [
            "People with diabetes should ask their doctor before using the mat.",
            "Good for people who like a firm surface.",
        ],
    ),
    "product-condition": (
        [
            # Written for this test (stop 42), after an independent review's claims about
            # the mat that no claim word names.
            "Our mat gets people with chronic fatigue back on their feet.",
            "Their tinnitus went quiet after a month on our mat.",
            "Lying on the mat each night brings your blood pressure down.",
        ],
        [
            "The mat is not a treatment for anxiety or depression.",
            "People with diabetes should avoid placing the mat on their feet.",
            "The spikes stay firm under your body weight.",
        ],
    ),
    "safety-for-condition": (
        [
            "Safe for people with epilepsy.",
            "It is safe to use during pregnancy and with varicose veins.",
        ],
        [
            "Check with your doctor that it is safe for you.",
            "The mat is safe to roll up and carry.",
        ],
    ),
    "testimonial-claim": (
        [
            "Since using the mat my migraines have almost stopped.",
            "I was battling sciatica for years until I found this mat.",
        ],
        [
            "Since using the mat I look forward to my evening wind-down.",
            "My favourite part is the warmth afterwards.",
        ],
    ),
    "testimonial-story": (
        [
            "It has been a turning point for my family.",
            "Thousands of customers have found relief.",
        ],
        [
            "Many customers describe the first minute as sharp.",
            "A few reviewers found it too intense.",
        ],
    ),
    "structure-function-claim": (
        [
            "Supports a healthy immune system.",
            "Boosts your metabolism and wakes up your nervous system.",
            "Good for your joints and your spine.",
            "The mat corrects your posture while you rest.",
            "Promotes ideal skeletal alignment.",
        ],
        [
            "Many buyers describe a warm feeling after a session.",
            "It is not established that mats improve circulation.",
            "Correct use of a posture corrector takes practice.",
        ],
    ),
    "safety-absolute": (
        [
            "Completely safe for everyone.",
            "There are no side effects.",
            "Safe for pregnant women and children.",
        ],
        [
            "It is not safe for everyone: see who should avoid it.",
            "No serious adverse events were reported in the small trials.",
        ],
    ),
    "guarantee-claim": (
        [
            "Guaranteed to relieve your pain.",
            "It works for everyone.",
            "Instant relief from the first session.",
        ],
        [
            "Every order comes with a 30-day money-back guarantee.",
            "Experiences vary from person to person.",
        ],
    ),
    "healing-claim": (
        [
            "Heals your body from within.",
            "Harness the natural healing power of acupressure.",
            "Ten minutes a day and your joints can heal themselves.",
            "The spikes wake your body's innate capacity to heal.",
        ],
        [
            "Wait until broken skin has healed before you use the mat.",
            "Most sprains heal themselves within a few weeks.",
        ],
    ),
    "sleep-claim": (
        ["Fall asleep faster and wake refreshed.", "Improves sleep quality in days."],
        [
            "It is not established that mats improve sleep more than other relaxation.",
            "Some people use the mat to wind down before bed.",
        ],
    ),
    "physiology-claim": (
        [
            "Reduces cortisol levels in minutes.",
            "Speeds up muscle recovery after workouts.",
            "Our mat supports joint health.",
        ],
        [
            "Salivary cortisol did not change in the 2011 study.",
            "After a workout, some people lie on it to unwind.",
        ],
    ),
    "energy-claim": (
        ["Balances your energy and unblocks your meridians."],
        ["We make no claim that the mat balances your energy or opens meridians."],
    ),
    "pain-free-claim": (
        ["Helps stop pain in its tracks!", "Feel pain-free in minutes."],
        ["Stop using the mat if you feel sharp pain or numbness."],
    ),
    "establishment-claim": (
        [
            "Clinically proven to help you unwind.",
            "Studies show acupressure mats lower stress for good.",
            "Doctor recommended for everyday relaxation.",
            "Certified and clinically tested to meet your needs.",
        ],
        [
            "Pilot studies show promising, mixed signals.",
            "Research consistently shows people report feeling more relaxed.",
            "The study shows no benefit of the mat beyond relaxation practice.",
            "No study has proven that mats do anything beyond relaxation.",
        ],
    ),
    "regulatory-claim": (
        ["Our mat is FDA approved.", "A medical-grade acupressure mat.", "It is a medical device."],
        ["It is not a medical device.", "Mats are wellness products, not medical devices."],
    ),
    "certified-vague": (
        ["Our certified acupressure mat."],
        ["Nothing about the mat is certified."],
    ),
    "circulation-claim": (
        [
            "Boosts circulation while you rest.",
            "Stimulates blood flow to tired muscles.",
            "Increases oxygen flow to your muscles.",
        ],
        [
            "It is not established that mats improve circulation.",
            'Sellers often claim mats "boost circulation", but no study has shown it.',
        ],
    ),
    "detox-claim": (
        [
            "The spikes flush out toxins.",
            "A ten-minute detox for body and mind.",
            "Stimulates the lymphatic system.",
            "A warm session on the mat has a cleansing effect.",
            "Draws toxic metals out through the soles of your feet.",
        ],
        ["Some brands promise a detox; we do not."],
    ),
    "weight-claim": (
        ["Burn fat while you relax!", "Helps you lose weight."],
        ["Lying on a mat does not burn fat."],
    ),
    "immunity-claim": (
        ["Strengthens your immune system."],
        ["Neither study measured immune function."],
    ),
    "endorphin-claim": (
        ["The mat can release endorphins."],
        [
            "No study of these mats has measured endorphins.",
            "The idea that mats release endorphins is popular but untested.",
        ],
    ),
    "discourages-medical-care": (
        [
            "Relieve your tension without painkillers.",
            "Ditch the painkillers and try our mat instead.",
            "Say goodbye to your physiotherapist.",
            "Great health without costly drugs or surgery.",
            "Sleep through the night without relying on sleeping pills.",
            "A viable alternative to pharmaceutical treatments.",
            "The only painkiller you will ever need.",
        ],
        [
            "The mat is not a substitute for medical care.",
            "The mat is not an alternative to medical treatments.",
            "Talk to your doctor before use if you are pregnant.",
        ],
    ),
    "testimonial-as-evidence": (
        ["Thousands of happy customers prove it works.", "Proven by thousands of reviews."],
        ["Many buyers describe feeling relaxed after a session."],
    ),
    "medical-wording": (
        [
            "Our therapeutic mat for daily sessions.",
            "Ask your doctor to prescribe a daily session on the mat.",
        ],
        [
            "A relaxing mat for daily sessions.",
            "The Therapeutic Goods Administration regulates medicines in Australia.",
            "Your GP may prescribe a short course of painkillers.",
        ],
    ),
    "hype": (
        ["A miracle mat for modern life.", "Completely safe for everyone."],
        ["A simple mat for modern life."],
    ),
    "tradition-claim": (
        [
            "Magnetic therapy has been helping people all over the world for thousands of years.",
            "The bed of nails is an ancient healing practice.",
            "Our mat draws on a technique trusted for centuries.",
        ],
        [
            "Acupressure mats were first sold in Sweden in the 2000s.",
            "The bed of nails has a long history in India.",
        ],
    ),
    "evidence-inflation": (
        [
            "A substantial body of research backs the mat.",
            "Scientific evidence has shown numerous benefits of grounding.",
            "Strong evidence suggests your sleep improves with the mat.",
            "It has been found to be helpful for people with anxiety.",
            "It has been proven that lying on spikes lifts your mood.",
            "TENS is a proven pain relief device.",
        ],
        [
            "A small pilot study found promising results; larger trials are needed.",
            "There is little evidence that mats help anxiety.",
            "It is not established that mats help with fibromyalgia.",
            "It was shown that there were no benefits for back pain.",
        ],
    ),
    "guarantee-of-effect": (
        [
            "Guaranteed to work or your money back.",
            "See results in 30 days or your money back.",
            "Relief in just 10 minutes.",
            "It works like magic.",
        ],
        [
            "Every order comes with a 30-day money-back guarantee.",
            "Orders ship in just 2 days.",
        ],
    ),
    "protection-claim": (
        [
            "Neutralises harmful free radicals.",
            "Shields you from phone radiation.",
            "Protects your family against viruses and disease.",
        ],
        [
            "Protect the mat from direct sunlight.",
            "There is no evidence that pendants block radiation.",
        ],
    ),
    "benefit-claim": (
        ["The mat has significant health benefits.", "A natural pain blocker.", "Fights fatigue."],
        ["Some buyers report feeling calmer.", "There are no proven health benefits."],
    ),
}


def test_every_default_rule_has_cases(rules: tuple[Rule, ...]) -> None:
    assert {rule.id for rule in rules} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_a_default_rule_flags_claims_and_spares_honest_sentences(
    rules: tuple[Rule, ...], rule_id: str
) -> None:
    claims, honest = CASES[rule_id]
    # Each rule on its own: with all of them, overlapping matches are one finding named
    # by one rule (test_one_claim_is_one_finding).
    alone = tuple(rule for rule in rules if rule.id == rule_id)
    for sentence in claims:
        assert rule_id in {f.rule for f in lint_text(sentence, alone)}, sentence
        found = lint_text(sentence, rules)
        assert any(f.level is Level.ERROR or f.rule == rule_id for f in found), (sentence, found)
    for sentence in honest:
        assert not lint_text(sentence, alone), sentence


def test_the_seed_article_lints_with_zero_errors(shipped_rules: tuple[Rule, ...]) -> None:
    findings = with_profiles(load_with_sources(CONTENT), shipped_rules, REPO / "exporters")
    assert [f for f in findings if f.level is Level.ERROR] == []
    # The seed gives no sample size for the 2024 study and no first-publication date:
    # said, not hidden. The second opinion's three warnings: tests/test_second_opinion.py.
    by_rule = {f.rule: f for f in findings}
    assert sorted(by_rule) == [
        "second-opinion",
        "structure.published-date",
        "structure.research-uncited",
        "structure.study-n",
    ]
    # "Research consistently shows ..." in an FAQ answer that names no study.
    assert by_rule["structure.research-uncited"].field == "faq.items[0].answer"
    assert by_rule["structure.study-n"].file.endswith("studies/kisker-2024.yaml")
    dated = by_rule["structure.published-date"]
    assert (dated.file.endswith(f"articles/{SLUG}.yaml"), dated.field) == (True, "status")


def test_the_date_warning_goes_once_the_date_is_given(content_copy: Path, edit: Edit) -> None:
    edit(
        f"articles/{SLUG}.yaml",
        "modified: 2026-07-04",
        "published: 2025-11-02\nmodified: 2026-07-04",
    )
    findings = lint_content(load_with_sources(content_copy), ())
    assert "structure.published-date" not in {f.rule for f in findings}


def test_scopes_decide_what_is_read(rules: tuple[Rule, ...]) -> None:
    denied = "That they treat or cure back pain, sciatica, or fibromyalgia"
    assert lint_text(denied, rules, scope=Scope.NOT_ESTABLISHED) == []
    assert {f.rule for f in lint_text(denied, rules, scope=Scope.EVIDENCE)} == {"disease-claim"}
    # The disclaimer is read too (issue 37): its denial is clean, a claim slipped in is not.
    disclaimer = "Not intended to diagnose, treat, cure, or prevent any condition."
    assert lint_text(disclaimer, rules, scope=Scope.DISCLAIMER) == []
    slipped = f"{disclaimer} FDA approved."
    assert {f.rule for f in lint_text(slipped, rules, scope=Scope.DISCLAIMER)} == {
        "regulatory-claim"
    }


def positions(folder: Path) -> dict[str, tuple[int, int]]:
    findings = lint_content(load_with_sources(folder), load_rules(folder / "lint"))
    return {f.rule: (f.line, f.col) for f in findings if f.level is Level.ERROR}


def test_findings_point_at_the_offending_words(content_copy: Path, edit: Edit) -> None:
    # In a folded `>-` string whose claim is broken over two lines.
    edit(
        ARTICLE,
        "        Acupressure mat plus exercise vs exercise alone:",
        "        Acupressure mat plus exercise, clinically\n        proven, vs exercise alone:",
    )
    # In a `|` block of Markdown, after the same words were used once in a negated way.
    line = edit(
        ARTICLE,
        "        It depends what you mean by work.",
        "        It does not cure back pain, they say. Yet it **cures back pain**, we say.",
    )
    # In a list item.
    edit(ARTICLE, "    - Many use them as an evening wind-down cue", "    - Mats boost circulation")
    found = positions(content_copy)
    text = (content_copy / ARTICLE).read_text(encoding="utf-8").splitlines()
    cure_line, cure_col = found["disease-claim"]
    assert cure_line == line
    assert text[cure_line - 1][cure_col - 1 :].startswith("cures back pain")
    proof_line, proof_col = found["establishment-claim"]
    assert text[proof_line - 1][proof_col - 1 :] == "clinically"
    assert text[proof_line].strip().startswith("proven, vs exercise")
    boost_line, boost_col = found["circulation-claim"]
    assert text[boost_line - 1][boost_col - 1 :] == "boost circulation"


def test_the_wording_macros_add_is_linted(tmp_path: Path) -> None:
    exporters = tmp_path / "exporters"
    shutil.copytree(REPO / "exporters", exporters)
    profile = exporters / "macros.toml"
    text = profile.read_text(encoding="utf-8")
    text = text.replace('closing = "Best wishes,"', 'closing = "Here is to a pain-free life,"')
    profile.write_text(text, encoding="utf-8")
    findings = with_profiles(load_with_sources(CONTENT), load_rules(), exporters)
    (finding,) = [f for f in findings if f.level is Level.ERROR]
    assert finding.rule == "pain-free-claim"
    assert finding.field == "options.closing"
    line = text.splitlines()[finding.line - 1]
    assert finding.file == str(profile)
    assert line[finding.col - 1 :].startswith("pain-free life")


def test_pilot_studies_must_be_called_pilot(content_copy: Path, edit: Edit) -> None:
    edit(
        ARTICLE,
        "randomized controlled pilot studies (Hohmann",
        "randomized controlled studies (Hohmann",
    )
    edit(ARTICLE, "        Two randomized pilot studies of", "        Two randomized studies of")
    findings = lint_content(load_with_sources(content_copy), load_rules())
    (problem,) = [f for f in findings if f.rule == "structure.preliminary-label"]
    assert problem.level is Level.ERROR
    assert "hohmann-2012" in problem.message
    assert problem.field == "research.citations[1].summary"
    text = (content_copy / ARTICLE).read_text(encoding="utf-8").splitlines()
    assert text[problem.line - 1][problem.col - 1 :].startswith("A 2012 pair of randomized")


def test_an_article_needs_cautions_and_a_disclaimer(content_copy: Path, edit: Edit) -> None:
    edit(ARTICLE, "disclaimer: wellness\n", "")
    findings = lint_content(load_with_sources(content_copy), load_rules())
    assert [f.rule for f in findings if f.level is Level.ERROR] == ["structure.disclaimer"]


def test_project_rules_override_and_extend_the_defaults(content_copy: Path) -> None:
    (content_copy / "lint").mkdir()
    (content_copy / "lint" / "house.yaml").write_text(
        "rules:\n"
        "  - id: hype\n"
        "    enabled: false\n"
        "  - id: no-bed-of-nails\n"
        "    extends: existence\n"
        "    level: warning\n"
        "    message: \"say 'acupressure mat', not '{match}'\"\n"
        "    scope: [research]\n"
        "    tokens: [bed of nails]\n",
        encoding="utf-8",
    )
    rules = load_rules(content_copy / "lint")
    assert "hype" not in {r.id for r in rules}
    findings = lint_content(load_with_sources(content_copy), rules)
    house = [f for f in findings if f.rule == "no-bed-of-nails"]
    assert house
    assert {f.field.split("[")[0] for f in house} == {"research.citations"}
    assert house[0].message == "say 'acupressure mat', not 'bed of nails'"


def test_a_bad_rule_file_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "rules:\n"
        "  - id: broken\n"
        "    extends: existence\n"
        "    message: m\n"
        "    tokens: ['cures (back']\n"
        "  - id: colourful\n"
        "    extends: existence\n"
        "    message: m\n"
        "    tokens: [cures]\n"
        "    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as caught:
        load_rules(tmp_path)
    problems = {(d.line, d.field): d for d in caught.value.diagnostics}
    assert set(problems) == {(5, "rules[0].tokens[0]"), (10, "rules[1].colour")}
    assert all(d.file.endswith("bad.yaml") for d in problems.values())
    assert "cannot run on RE2" in problems[(5, "rules[0].tokens[0]")].message


def test_rule_files_are_parsed_again_only_when_their_bytes_change(tmp_path: Path) -> None:
    house = tmp_path / "house.yaml"
    rule = (
        "rules:\n  - id: no-{word}\n    extends: existence\n    message: m\n    tokens: [{word}]\n"
    )
    house.write_text(rule.format(word="nails"), encoding="utf-8")
    first = load_rules(tmp_path)
    again = load_rules(tmp_path)
    assert all(a is b for a, b in zip(first, again, strict=True))  # the same objects
    house.write_text(rule.format(word="spikes"), encoding="utf-8")
    changed = {r.id for r in load_rules(tmp_path)}
    assert "no-spikes" in changed
    assert "no-nails" not in changed
    # A file's problems are reported every time, not only the first.
    house.write_text("rules:\n  - id: x\n    level: loud\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleFileError):
            load_rules(tmp_path)


runner = CliRunner()


def test_cli_reports_findings_as_file_line_col(content_copy: Path, edit: Edit) -> None:
    clean = runner.invoke(app, ["lint", str(content_copy)])
    assert clean.exit_code == 0, clean.output
    assert "warning structure.study-n:" in clean.stdout
    assert runner.invoke(app, ["lint", str(content_copy), "--strict"]).exit_code == 1
    line = edit(ARTICLE, "        It depends what you mean by work.", "        It heals sciatica.")
    result = runner.invoke(app, ["lint", str(content_copy)])
    assert result.exit_code == 1
    expected = (
        f"{content_copy / ARTICLE}:{line}:12: error disease-claim: faq.items[0].answer:"
        " 'heals sciatica'"
    )
    assert expected in result.stdout
    data = json.loads(runner.invoke(app, ["lint", str(content_copy), "--format", "json"]).stdout)
    (error,) = [f for f in data if f["level"] == "error"]
    assert set(error) >= {"path", "line", "col", "rule", "level", "message", "suggestion", "link"}
    assert (error["line"], error["col"], error["rule"]) == (line, 12, "disease-claim")
    assert error["link"].startswith("https://www.asa.org.uk/")


def test_cli_lints_stdin_as_article_prose() -> None:
    result = runner.invoke(
        app, ["lint", "-", "--content", str(CONTENT)], input="Fine.\nIt cures insomnia.\n"
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:2:4: error disease-claim: 'cures insomnia'")
    assert result.stderr == "1 error, 0 warnings, 0 allowed\n"  # not "1 errors"
    honest = runner.invoke(app, ["lint", "-"], input="It does not cure insomnia.\n")
    assert honest.exit_code == 0
    assert honest.stdout == ""


def test_cli_exit_2_for_rule_file_errors_and_usage(content_copy: Path) -> None:
    (content_copy / "lint").mkdir()
    (content_copy / "lint" / "bad.yaml").write_text("rules:\n  - id: x\n    level: loud\n")
    result = runner.invoke(app, ["lint", str(content_copy)])
    assert result.exit_code == 2
    assert "bad.yaml:3:12" in result.stderr
    assert runner.invoke(app, ["lint", str(content_copy), "--format", "xml"]).exit_code == 2


def test_a_rule_files_pattern_read_as_a_mapping_is_fixed_by_quoting_it(
    content_copy: Path,
) -> None:
    # The fix said: put it in quotes: "{'lowers cortisol(?': 'levels)?'}".
    (content_copy / "lint").mkdir()
    (content_copy / "lint" / "house.yaml").write_text(
        "rules:\n"
        "  - id: cortisol\n"
        "    extends: existence\n"
        "    message: \"'{match}' is a hormone claim\"\n"
        "    tokens:\n"
        "      - lowers cortisol(?: levels)?\n"
        "      - \\bcalms? (?:your )?nerves(?: down)?\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["lint", str(content_copy)])
    assert result.exit_code == 2
    house = content_copy / "lint" / "house.yaml"
    assert result.stderr.splitlines()[:2] == [
        f"{house}:6:9: rules[0].tokens[0]: expected text, got a mapping of fields (fix: put"
        ' the whole text in quotes: "lowers cortisol(?: levels)?")',
        f"{house}:7:9: rules[0].tokens[1]: expected text, got a mapping of fields (fix: put"
        " the whole text in quotes: '\\bcalms? (?:your )?nerves(?: down)?')",
    ]


def test_export_refuses_content_with_a_lint_error(
    tmp_path: Path, content_copy: Path, edit: Edit
) -> None:
    edit(ARTICLE, "        It depends what you mean by work.", "        It heals sciatica.")
    with pytest.raises(ContentError) as caught:
        spikecontent.export(
            content_copy, exporters=REPO / "exporters", out=tmp_path / "dist", only=["json"]
        )
    (problem,) = caught.value.diagnostics
    assert problem.rule == "disease-claim"
    assert problem.message.startswith("'heals sciatica'")
    assert not (tmp_path / "dist" / "json").exists()
    report = spikecontent.export(
        CONTENT, exporters=REPO / "exporters", out=tmp_path / "ok", only=["json"]
    )
    assert report.ok
    assert any(w.rule == "structure.study-n" for w in report.warnings)


def test_calling_the_mat_safe_for_a_cautioned_group_points_at_both_places(
    content_copy: Path, edit: Edit, rules: tuple[Rule, ...]
) -> None:
    line = edit(
        f"articles/{SLUG}.yaml",
        "    Every study cited above",
        "    The mat is perfectly fine and safe for pregnant women.\n\n    Every study cited above",
    )
    findings = lint_content(load_with_sources(content_copy), rules)
    [finding] = [f for f in findings if f.rule == "structure.safe-for-caution"]
    assert (Path(finding.file).name, finding.line, finding.level) == (
        f"{SLUG}.yaml",
        line,
        Level.ERROR,
    )
    assert finding.field == "honesty_note.body"
    assert "'Pregnancy'" in finding.message
    # The caution it contradicts, at its own file:line:col.
    assert finding.message.endswith("cautions/pregnancy.yaml:2:13")
    assert "check with a doctor first" in finding.fix


def test_sending_the_reader_to_a_doctor_is_not_a_safety_claim(
    content_copy: Path, edit: Edit, rules: tuple[Rule, ...]
) -> None:
    edit(
        f"articles/{SLUG}.yaml",
        "    Every study cited above",
        "    If you are pregnant, ask your doctor whether it is safe for you. It is not safe"
        " for everyone who takes blood thinners.\n\n    Every study cited above",
    )
    findings = lint_content(load_with_sources(content_copy), rules)
    assert [f for f in findings if f.rule == "structure.safe-for-caution"] == []


def test_research_in_general_must_name_its_study(
    content_copy: Path, edit: Edit, rules: tuple[Rule, ...]
) -> None:
    edit(
        f"articles/{SLUG}.yaml",
        "    Every study cited above",
        "    Studies have found that people feel calmer. A 2012 pilot study of 42 people"
        " reported lower pain ratings.\n\n    Every study cited above",
    )
    findings = lint_content(load_with_sources(content_copy), rules)
    uncited = {f.field for f in findings if f.rule == "structure.research-uncited"}
    assert uncited == {"faq.items[0].answer"}  # the edited field names its study


@given(
    st.lists(
        st.builds(
            Diagnostic,
            file=st.sampled_from(["a.yaml", "b.yaml"]),
            line=st.integers(1, 3),
            col=st.integers(1, 3),
            rule=st.sampled_from(["", "r1", "r2"]),
            field=st.sampled_from(["", "title"]),
            message=st.sampled_from(["m", "n"]),
            fix=st.sampled_from(["", "f"]),
        ),
        max_size=12,
    )
)
def test_findings_have_one_order_the_reading_order(findings: list[Diagnostic]) -> None:
    # Diagnostic.order is the one sort key: diagnostics have no comparison of their own
    # that could sort them another way somewhere else.
    if len(findings) > 1:
        with pytest.raises(TypeError):
            sorted(findings)
    ordered = sorted(findings, key=Diagnostic.order)
    places = [(f.file, f.line or 0, f.col or 0) for f in ordered]
    assert places == sorted(places)


def test_a_finding_without_a_line_sorts_first_in_its_file() -> None:
    placed = Diagnostic(file="a.yaml", line=2, col=1, message="m")
    unplaced = Diagnostic(file="a.yaml", message="m")
    other = Diagnostic(file="0.yaml", line=9, message="m")
    assert sorted([placed, unplaced, other], key=Diagnostic.order) == [other, unplaced, placed]


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (cross_checks._SAFE, cross_checks._SAFE_WORDS),
        (cross_checks._RESEARCH, cross_checks._RESEARCH_WORDS),
    ],
)
@given(data=st.data())
def test_the_cross_checks_look_for_a_word_only_where_their_pattern_could_match(
    pattern: re.Pattern[str], words: tuple[str, ...], data: st.DataObject
) -> None:
    # The checks skip texts holding none of the words: each text the pattern finds
    # something in must hold one, in any case the pattern ignores.
    text = data.draw(st.from_regex(pattern))
    assert cross_checks._found(text.casefold(), words, pattern, text)


# Issue 39, item 8: rule patterns are read by lint's own parser of their syntax
# (lint/pattern_syntax.py), not by the standard library's private re._parser.

PACKAGED_PATTERNS = sorted(
    {p for r in load_rules() for p in (*r.tokens, *r.near, *r.swap, *r.unless)}
)


def test_every_packaged_pattern_passes_the_checks_loading_leaves_to_this_test() -> None:
    # load_rules does not compile and parse the packaged patterns again in every process
    # (rules.packaged_patterns); a rule made again outside it runs every check.
    rules = load_rules()
    assert len(PACKAGED_PATTERNS) > 300
    assert [attrs.evolve(rule) for rule in rules] == list(rules)


def test_a_packaged_rule_file_is_checked_by_this_suite_not_at_load() -> None:
    with packaged_patterns():
        trusted = Rule(id="r", extends=Kind.EXISTENCE, message="m", tokens=("(a+)+b",))
    assert trusted.tokens == ("(a+)+b",)
    with pytest.raises(FieldError, match="repeats a repetition"):
        attrs.evolve(trusted)


@pytest.mark.parametrize("pattern", ["(a+)+b", r"(?:\w+ ?)*x", "(?:a{2,5})+", "((?:ab)*c)+"])
def test_a_packaged_pattern_that_repeats_a_repetition_is_refused(pattern: str) -> None:
    with pytest.raises(FieldError, match="repeats a repetition"):
        Rule(id="r", extends=Kind.EXISTENCE, message="m", tokens=(pattern,))


@pytest.mark.parametrize(
    "pattern", [r"(\w+ ){0,2}x", "(?:a+){1}", "(?:a{2}){3}", "(?:a?)*", "[a+]+", r"a\+\+"]
)
def test_a_bounded_or_single_repeat_is_not_refused(pattern: str) -> None:
    assert Rule(id="r", extends=Kind.EXISTENCE, message="m", tokens=(pattern,)).tokens


def test_syntax_the_parser_does_not_read_is_refused_in_a_packaged_rule() -> None:
    with pytest.raises(FieldError, match="does not read"):
        Rule(id="r", extends=Kind.EXISTENCE, message="m", tokens=("(?x) cures",))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("reliev(?:e|es)", {"reliev"}),
        (r"(?:lower|reduc)\w*", {"lower", "reduc"}),
        ("cures?", {"cure"}),
        ("(?:b)a", {"ba"}),
        ("[c]ures", {"cures"}),
        ("(?:)a", {"a"}),
        (r"(?#note)cures", {"cures"}),
        (r"\x41bc", {"abc"}),
        (r"(?:\w+ )?cures", None),
        (r"\bcures", None),
        (r"\d+", None),
        (r"\pL+", None),
        ("(?:|a)b", None),
        # The text's words split at an apostrophe, so a prefix stops there too.
        ("it's known", {"it"}),
        ("don\u2019t", {"don"}),
    ],
)
def test_a_patterns_anchors_are_its_literal_word_prefixes(
    pattern: str, expected: set[str] | None
) -> None:
    assert anchors(pattern) == (None if expected is None else frozenset(expected))


_LINT_A_CLAIM = """
from spikecontent.lint import lint_text, load_rules
text = "This miracle mat is clinically proven and FDA approved."  # no health object
print([f.rule for f in lint_text(text, load_rules())])
"""


def test_anchors_are_kept_for_the_next_process_and_a_planted_file_is_not_read(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}

    def lint_a_claim() -> str:
        run = subprocess.run(
            [sys.executable, "-c", _LINT_A_CLAIM], capture_output=True, text=True, env=env
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    found = lint_a_claim()
    assert "regulatory-claim" in found
    (kept,) = (tmp_path / "spikecontent").glob("lint-anchors-*.json")
    signed = kept.read_bytes()
    data = json.loads(signed[32:])  # after its signature
    assert data["anchors"]["belly fat"] == ["belly"]
    before = kept.stat()
    assert lint_a_claim() == found  # read from the file this time
    after = kept.stat()
    # Not written again (a write renames a new file over it): it was read, and it held
    # every anchor the process needed.
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert kept.read_bytes() == signed

    # Anchors that no text holds would make lint skip every rule: a file not signed with
    # this user's key is not read, and is made again.
    data["anchors"] = {pattern: ["zzzz"] for pattern in data["anchors"]}
    kept.write_bytes(signed[:32] + json.dumps(data).encode())
    assert lint_a_claim() == found
    assert kept.read_bytes() == signed


@given(data=st.data())
def test_every_match_of_a_packaged_pattern_starts_with_one_of_its_anchors(
    data: st.DataObject,
) -> None:
    pattern = data.draw(st.sampled_from(PACKAGED_PATTERNS))
    found = anchors(pattern)
    if found is None:
        return  # the rule always runs
    text = data.draw(st.from_regex(f"(?:{pattern})", fullmatch=True))
    assert any(text.lower().startswith(prefix) for prefix in found), (pattern, text, found)
    # ... and the matcher looks anchors up among the text's words: one of them holds it.
    words = text_words(text.lower())
    assert any(w.startswith(prefix) for w in words for prefix in found), (pattern, text, found)
