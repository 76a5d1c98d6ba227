"""`spikecontent export` and `spikecontent writers` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spikecontent.cli import app
from spikecontent.writers.json_delivery import JsonWriter
from spikecontent.writers.jsonld import JsonLdWriter
from tests.conftest import Project

runner = CliRunner()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return Project(tmp_path).root


def export(workspace: Path, *args: str) -> object:
    return runner.invoke(
        app,
        [
            "export",
            "--content",
            str(workspace / "content"),
            "--exporters",
            str(workspace / "exporters"),
            "--out",
            str(workspace / "dist"),
            *args,
        ],
    )


def test_export_writes_every_channel_and_summarises(workspace: Path) -> None:
    result = export(workspace, "--jobs", "1")

    assert result.exit_code == 0, result.output
    # Not a terminal: plain progress lines on stderr, one per rendered artifact.
    assert "rendered json/articles/acupressure-mat-benefits.json" in result.stderr
    dist = workspace / "dist"
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    # The manifest lists exactly the files written, one per enabled profile's artifact.
    written = sorted(
        p.relative_to(dist).as_posix()
        for p in dist.rglob("*")
        if p.is_file() and p.name != "manifest.json" and ".spikecontent" not in p.parts
    )
    assert [a["path"] for a in manifest["artifacts"]] == written
    assert result.stdout.startswith(f"{len(written)} written, 0 unchanged, 0 failed, 0 removed")
    folders = {path.split("/")[0] for path in written}
    profiles = {p.stem for p in (workspace / "exporters").glob("*.toml")}
    # Every profile wrote its folder but the pictures', as content/ shows no picture.
    assert len(folders) == len(profiles - {"media"})
    assert "media" not in folders
    # Writer warnings reach the terminal, and do not fail the export.
    assert (
        "macros/acupressure-mat-benefits-what-the-research-says.txt: warning: the reply is"
        " 253 words as pasted, more than 150" in result.stderr
    )

    again = export(workspace)
    assert again.stdout.startswith(f"0 written, {len(written)} unchanged, 0 failed, 0 removed")
    forced = export(workspace, "--force", "--only", "json")
    assert forced.stdout.startswith("8 written, 0 unchanged")


def test_export_refuses_invalid_content_with_every_error_and_no_traceback(
    workspace: Path,
) -> None:
    study = workspace / "content" / "studies" / "hohmann-2012.yaml"
    study.write_text(study.read_text(encoding="utf-8").replace("year: 2012", "year: soon"))
    (workspace / "exporters" / "json.toml").write_text('writer = "json"\ndrafts = "yes"\n')

    result = export(workspace)

    assert result.exit_code == 1
    assert "hohmann-2012.yaml:" in result.stderr
    assert "json.toml:2:10: drafts:" in result.stderr
    assert "2 errors in 2 files" in result.stderr
    assert result.stderr.rstrip().endswith("Nothing was exported.")
    assert "Traceback" not in result.output
    assert not (workspace / "dist").exists()


def test_export_only_an_unknown_profile_is_a_usage_error(workspace: Path) -> None:
    result = export(workspace, "--only", "json-ld")

    assert result.exit_code == 2
    words = " ".join(result.stderr.replace("│", " ").split())  # the error box wraps lines
    assert "no export profile 'json-ld'; did you mean 'jsonld'?" in words


def test_export_jobs_must_be_positive(workspace: Path) -> None:
    assert export(workspace, "--jobs", "0").exit_code == 2


def test_writers_lists_the_built_in_writers() -> None:
    result = runner.invoke(app, ["writers"])

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines == sorted(lines)  # by name
    by_name = {line.split("  ")[0]: line for line in lines}
    assert by_name["json"].startswith(f"json  {JsonWriter.version}  spikecontent ")
    assert by_name["json"].endswith(
        "Headless delivery: a resolved JSON document per article, index.json, studies, cautions"
    )
    assert by_name["jsonld"].startswith(f"jsonld  {JsonLdWriter.version}  spikecontent ")


def test_on_a_terminal_progress_is_a_bar(workspace: Path) -> None:
    import io

    from rich.console import Console

    import spikecontent
    from spikecontent.cli.progress import BarProgress

    screen = io.StringIO()
    with BarProgress(Console(file=screen, force_terminal=True, width=100)) as bar:
        spikecontent.export(
            workspace / "content",
            exporters=workspace / "exporters",
            out=workspace / "dist",
            jobs=1,
            progress=bar,
        )

    assert "export" in screen.getvalue()
    total = len(json.loads((workspace / "dist" / "manifest.json").read_text())["artifacts"])
    assert f"{total}/{total}" in screen.getvalue()
