"""Reasoned lint exceptions (``lint_allow``) and FAQ questions linted as questions."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from spikecontent.cli import app
from spikecontent.diagnostics import Level
from spikecontent.pipeline.manifest import state_file
from tests.conftest import ARTICLE, Project

runner = CliRunner()
QUESTION = "Does an acupressure mat lower cortisol?"
ANSWER = (
    "The studies we cite measured it: salivary cortisol did not change in the 2011"
    " exploratory study, and no trial found a change at the group level."
)
ENTRY = f'    - id: cortisol\n      question: "{QUESTION}"\n      answer: "{ANSWER}"\n'
REASON = "A customer's own words, asked as a question; the answer says cortisol did not change."

QUOTED = json.dumps(REASON)  # a JSON string is a YAML double-quoted one


def lint_json(project: Project) -> list[dict[str, object]]:
    result = runner.invoke(
        app, ["lint", str(project.content), "-e", str(project.exporters), "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, object]] = json.loads(result.stdout)
    return findings


def question_findings(project: Project) -> list[dict[str, object]]:
    return [f for f in lint_json(project) if str(f["field"]).endswith("].question")]


def allow(project: Project, text: str) -> None:
    article = project.content / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_faq_question_is_at_most_a_warning_and_its_answer_is_linted_in_full(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path).add_faq(ENTRY)
    (finding,) = question_findings(project)
    assert (finding["rule"], finding["level"]) == ("physiology-claim", "warning")
    # The same words in the answer's place are an error: answers are what the seller says.
    project.edit(ARTICLE, ANSWER, "Yes: it will lower cortisol after a week.")
    answer = [f for f in lint_json(project) if str(f["field"]).endswith("].answer")]
    assert any(f["level"] == "error" for f in answer)


def test_an_allowance_with_a_reason_waives_one_rule_on_one_field(tmp_path: Path) -> None:
    project = Project(tmp_path).add_faq(ENTRY)
    (finding,) = question_findings(project)
    field = finding["field"]
    allow(
        project,
        f"lint_allow:\n  - rule: physiology-claim\n    field: {field}\n    reason: {QUOTED}\n",
    )
    (waived,) = question_findings(project)
    assert (waived["level"], waived["reason"]) == ("allowed", REASON)
    # The export goes through, and says in its report and its state what was waived.
    report = project.export(only=["json"])
    assert report.ok
    allowed = [w for w in report.warnings if w.level is Level.ALLOWED]
    assert [(w.rule, w.field, w.reason) for w in allowed] == [("physiology-claim", field, REASON)]
    assert f"(allowed: {REASON})" in str(allowed[0])
    path = state_file(project.out)
    assert path is not None
    assert REASON in path.read_text(encoding="utf-8")


def test_an_allowance_without_a_reason_is_an_error_at_its_place(tmp_path: Path) -> None:
    project = Project(tmp_path).add_faq(ENTRY)
    allow(project, "lint_allow:\n  - rule: physiology-claim\n    field: faq.items[4].question\n")
    result = runner.invoke(app, ["validate", str(project.content), "-e", str(project.exporters)])
    assert result.exit_code == 1
    assert "lint_allow[0].reason: the allowance needs a reason" in result.stderr
    assert "Traceback" not in result.output


def test_an_allowance_that_waives_nothing_is_an_error(tmp_path: Path) -> None:
    project = Project(tmp_path).add_faq(ENTRY)
    (finding,) = question_findings(project)
    lines = len((project.content / ARTICLE).read_text(encoding="utf-8").splitlines())
    allow(
        project,
        "lint_allow:\n"
        f"  - rule: physiology-claims\n    field: {finding['field']}\n    reason: {QUOTED}\n"
        f"  - rule: disease-claim\n    field: intro\n    reason: {QUOTED}\n",
    )
    unused = [f for f in lint_json(project) if f["rule"] == "lint.unused-allowance"]
    assert [(f["line"], f["level"]) for f in unused] == [(lines + 2, "error"), (lines + 5, "error")]
    assert unused[0]["suggestion"] == "did you mean 'physiology-claim'?"
    assert "'disease-claim' on 'intro'" in str(unused[1]["message"])
    # And the finding it meant to waive is still reported.
    assert question_findings(project)[0]["level"] == "warning"
