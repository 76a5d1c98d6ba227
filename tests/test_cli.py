"""The CLI through typer's CliRunner: output, streams and exit codes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from spikecontent import __version__
from spikecontent.cli import app
from spikecontent.cli.progress import LineProgress
from tests.conftest import ARTICLE, CONTENT, REPO, Edit, Project

runner = CliRunner()
SLUG = "acupressure-mat-benefits"


def test_validate_clean_content() -> None:
    result = runner.invoke(app, ["validate", str(CONTENT)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{CONTENT}: OK (1 article, 4 studies, 5 cautions)"


def test_validate_reports_every_error_on_stderr_without_traceback(
    content_copy: Path, edit: Edit
) -> None:
    year_line = edit("studies/hohmann-2012.yaml", "year: 2012", "year: '2012'")
    edit("offers/spikerest-mat-standard.yaml", "currency: USD", "currency: EURO")
    result = runner.invoke(app, ["validate", str(content_copy)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == "2 errors in 2 files"
    assert f"hohmann-2012.yaml:{year_line}:7: year:" in result.stderr
    assert "currency: 'EURO' is not an ISO 4217 currency code" in result.stderr
    assert "Traceback" not in result.output


def test_validate_missing_folder_is_a_content_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "content folder not found" in result.stderr


@pytest.mark.parametrize(
    "args", [[], ["validate", "--bogus"], ["frobnicate"], ["show"], ["list", "extra-arg"]]
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


def test_show_unknown_slug_suggests_the_close_one() -> None:
    result = runner.invoke(app, ["show", "acupressure-mat", "--content", str(CONTENT)])
    assert result.exit_code == 2
    assert "acupressure-mat-benefits" in result.stderr


@pytest.mark.parametrize("command", ["validate", "list", "show"])
def test_help_on_every_command(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout.strip()) == (0, f"spikecontent {__version__}")


def test_list_shows_status_and_studies() -> None:
    result = runner.invoke(app, ["list", "-c", str(CONTENT)])
    assert result.exit_code == 0
    assert f"  {SLUG}  [published]" in result.stdout
    assert "hohmann-2012  2012  pair of randomized pilot studies, total n = 42" in result.stdout
    assert "kisker-2024  2024  training study, n not given" in result.stdout
    assert "pregnancy  Pregnancy" in result.stdout


def test_list_fails_on_bad_content(content_copy: Path, edit: Edit) -> None:
    edit("cautions/pregnancy.yaml", "applies_to: Pregnancy", "applies_to: [Pregnancy]")
    result = runner.invoke(app, ["list", "-c", str(content_copy)])
    assert result.exit_code == 1
    assert "applies_to: expected text, got a list" in result.stderr


def test_show_prints_the_article_as_text() -> None:
    result = runner.invoke(app, ["show", SLUG, "-c", str(CONTENT)])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Acupressure Mat Benefits: What the Research Really Says\n=====")
    assert "Wellness disclaimer: SpikeRest mats are wellness products" in out
    assert "reviews page (https://www.spikerest.example/reviews)" in out
    assert "](page:" not in out  # no Markdown left over
    assert "- Pregnancy — talk to your doctor before use." in out


def test_show_json_inlines_every_reference() -> None:
    result = runner.invoke(app, ["show", SLUG, "--json", "-c", str(CONTENT)])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["slug"] == SLUG
    assert document["url"] == "https://www.spikerest.example/acupressure-mat-benefits/"
    citations = document["research"]["citations"]
    assert [(c["study"]["year"], c["study"]["sample"]["n"]) for c in citations] == [
        (2011, 32),
        (2012, 42),
        (2021, 44),
        (2024, None),
    ]
    assert all(c["study"]["limitations"] for c in citations)
    assert next(c["applies_to"] for c in document["cautions"]["items"]) == "Pregnancy"
    assert document["disclaimer"]["text"].startswith("SpikeRest mats are wellness products")
    offer = document["offer"]
    assert (offer["price"], offer["currency"], offer["product"]["name"]) == (
        "34.99",
        "USD",
        "SpikeRest mat",
    )
    assert document["credits"][0]["person"]["name"] == "Maya Ellison"
    pages = {page["id"]: page["url"] for page in document["pages"]}
    assert pages["reviews"] == "https://www.spikerest.example/reviews"


def test_validate_runs_the_export_lint_gate(content_copy: Path, edit: Edit) -> None:
    # "validate passed" means "export will pass its checks": the lint gate included.
    clean = runner.invoke(app, ["validate", str(content_copy), "-e", str(REPO / "exporters")])
    assert clean.exit_code == 0, clean.output
    assert "warning" in clean.stderr  # the seed's one warning: a study without its n
    line = edit(f"articles/{SLUG}.yaml", "It depends what you mean by work.", "It cures sciatica.")
    claimed = runner.invoke(app, ["validate", str(content_copy), "-e", str(REPO / "exporters")])
    assert claimed.exit_code == 1
    assert claimed.stdout == ""
    assert re.search(
        rf"{SLUG}\.yaml:{line}:\d+: error [\w.-]+: faq\.items\[0\]\.answer:", claimed.stderr
    )
    skipped = runner.invoke(app, ["validate", str(content_copy), "--no-lint"])
    assert skipped.exit_code == 0, skipped.output


def test_validate_says_the_warnings_beside_an_error(content_copy: Path, edit: Edit) -> None:
    # Every mistake at once: the warnings were hidden until the error was mended.
    clean = runner.invoke(app, ["validate", str(content_copy), "-e", str(REPO / "exporters")])
    warnings = [line for line in clean.stderr.splitlines() if ": warning " in line]
    assert warnings
    edit(f"articles/{SLUG}.yaml", "Five to ten minutes is plenty at first.", "It cures sciatica.")

    claimed = runner.invoke(app, ["validate", str(content_copy), "-e", str(REPO / "exporters")])

    assert claimed.exit_code == 1
    lines = claimed.stderr.splitlines()
    assert set(warnings) <= set(lines)
    assert lines[-1] == f"1 error in 1 file (and {len(warnings)} warnings)"


def test_validate_checks_the_profiles_too(content_copy: Path, tmp_path: Path) -> None:
    exporters = tmp_path / "exporters"
    exporters.mkdir()
    (exporters / "json.toml").write_text('writer = "json"\nfrobnicate = 1\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(content_copy), "-e", str(exporters)])
    assert result.exit_code == 1
    assert "json.toml:2:1" in result.stderr
    # --no-lint leaves out the lint, not the profiles: it printed 'OK' over this one.
    unlinted = runner.invoke(
        app, ["validate", str(content_copy), "-e", str(exporters), "--no-lint"]
    )
    assert unlinted.exit_code == 1
    assert "json.toml:2:1" in unlinted.stderr
    missing = runner.invoke(
        app, ["validate", str(content_copy), "-e", str(tmp_path / "exporterz"), "--no-lint"]
    )
    assert missing.exit_code == 1
    assert "exporterz" in missing.stderr


def test_a_mistyped_exporters_folder_fails_with_the_other_errors_and_exports_nothing(
    tmp_path: Path,
) -> None:
    # A missing folder used to mean "no profiles": every writer's defaults, which an export
    # then wrote over the channels the real profiles had put elsewhere ("5 removed").
    project = Project(tmp_path)
    assert runner.invoke(app, project.export_arguments()).exit_code == 0
    before = sorted(path.name for path in project.out.iterdir())
    mistyped = str(tmp_path / "exporter")
    year = project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: '2012'")
    export = [mistyped if a == str(project.exporters) else a for a in project.export_arguments()]
    for arguments in (["validate", str(project.content), "--exporters", mistyped], export):
        result = runner.invoke(app, arguments)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert (
            f"{mistyped}: no such folder of export profiles (fix: did you mean "
            f"'{project.exporters}'?)" in result.stderr
        )
        assert f"hohmann-2012.yaml:{year}:7: year:" in result.stderr
    assert sorted(path.name for path in project.out.iterdir()) == before
    linted = runner.invoke(app, ["lint", str(project.content), "--exporters", mistyped])
    assert linted.exit_code == 2
    assert "no such folder of export profiles" in linted.stderr


def test_without_exporters_the_default_folder_may_be_missing(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no exporters/ here: every writer's default profile
    result = runner.invoke(app, ["validate", str(content_copy)])
    assert result.exit_code == 0, result.output


def test_export_says_each_warning_once_until_its_file_changes(tmp_path: Path) -> None:
    """Issue 45, item 6: a second export does not print the same warnings again."""
    project = Project(tmp_path)
    arguments = project.export_arguments("json")
    first = runner.invoke(app, arguments)
    assert first.exit_code == 0, first.output
    warnings = [line for line in first.stderr.splitlines() if ": warning " in line]
    assert len(warnings) > 1
    assert "unchanged; --verbose to list" not in first.stderr
    again = runner.invoke(app, arguments)
    assert again.exit_code == 0, again.output
    assert not [line for line in again.stderr.splitlines() if ": warning " in line]
    assert f"{len(warnings)} warnings unchanged; --verbose to list" in again.stderr
    listed = runner.invoke(app, [*arguments, "--verbose"])
    assert [line for line in listed.stderr.splitlines() if ": warning " in line] == warnings
    # A changed file has its warnings said again; the others are counted.
    project.edit(ARTICLE, "It depends what you mean by work.", "It depends on what you mean.")
    changed = runner.invoke(app, arguments)
    said = [line for line in changed.stderr.splitlines() if ": warning " in line]
    assert said
    assert all(line.startswith(str(project.content / ARTICLE)) for line in said)
    unchanged = len(warnings) - len(said)
    assert unchanged > 0
    noun = "warning" if unchanged == 1 else "warnings"
    assert f"{unchanged} {noun} unchanged; --verbose to list" in changed.stderr


def test_progress_lines_count_in_good_english() -> None:
    stream = io.StringIO()
    progress = LineProgress(stream)
    progress.planned(1, 1)
    progress.planned(2, 0)
    assert stream.getvalue().splitlines() == ["1 artifact, 1 to render", "2 artifacts, 0 to render"]


def _command_paths(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _command_paths(sub, (*path, name))
    return found


@pytest.mark.parametrize(
    "path", _command_paths(get_command(app)), ids=lambda p: " ".join(p) or "spikecontent"
)
def test_every_command_help_fits_80_columns_whole(path: tuple[str, ...]) -> None:
    """Issue 45, item 8: no line over 80 columns, no option name cut ('--max-connection…')."""
    result = runner.invoke(app, [*path, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line for line in lines if len(line) > 80] == []
    assert "…" not in result.stdout
    command = get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    for parameter in command.params:
        for option in (*parameter.opts, *parameter.secondary_opts):
            if option.startswith("--"):
                assert re.search(rf"(^|[\s,/]){re.escape(option)}([\s,=]|$)", result.stdout), option
