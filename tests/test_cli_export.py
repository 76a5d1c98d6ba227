"""`spikecontent export` and `spikecontent writers` through typer's CliRunner."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spikecontent.cli import app
from spikecontent.cli.said_warnings import SaidWarnings
from spikecontent.diagnostics import Diagnostic, Level
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
        " 305 words as pasted, more than 150" in result.stderr
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


def test_progress_is_a_bar_where_rich_sees_a_terminal_and_lines_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from spikecontent.cli.progress import BarProgress, LineProgress, progress_for

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(progress_for(io.StringIO()), LineProgress)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes it for a terminal: so do we
    assert isinstance(progress_for(io.StringIO()), BarProgress)
    monkeypatch.setenv("FORCE_COLOR", "")
    assert isinstance(progress_for(io.StringIO()), LineProgress)


def _warnings(*places: tuple[Path, int, str]) -> list[Diagnostic]:
    return [
        Diagnostic(file=str(file), line=line, col=1, message=message, level=Level.WARNING)
        for file, line, message in places
    ]


def _said(out: Path, warnings: list[Diagnostic]) -> list[str]:
    return SaidWarnings(out).new(warnings, [str(w) for w in warnings])


def test_a_warning_is_said_once_until_its_file_changes(tmp_path: Path) -> None:
    """Per warning, as before the warnings were kept per file: a new warning in an
    unchanged file is said alone, a changed file's warnings all again, in their order."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("a: 1\n", encoding="utf-8")
    second.write_text("b: 1\n", encoding="utf-8")
    out = tmp_path / "dist"
    SaidWarnings(out).path.parent.mkdir(parents=True)  # an export made it
    warnings = _warnings((first, 1, "one"), (second, 1, "two"), (first, 2, "three"))
    texts = [str(w) for w in warnings]

    assert _said(out, warnings) == texts
    assert _said(out, warnings) == []
    more = _warnings((first, 1, "one"), (first, 3, "new"), (second, 1, "two"))
    assert _said(out, more) == [str(more[1])]
    second.write_text("b: 2\n", encoding="utf-8")
    assert _said(out, more) == [str(more[2])]
    assert _said(out, more) == []
    # A warning no longer given, then given again, is new again.
    assert _said(out, more[:2]) == []
    assert _said(out, more) == [str(more[2])]


def test_warnings_said_by_an_older_version_are_not_said_again(tmp_path: Path) -> None:
    """Its file (each text's digest with its file's digest) is read once, then replaced."""
    file = tmp_path / "a.yaml"
    file.write_text("a: 1\n", encoding="utf-8")
    out = tmp_path / "dist"
    warnings = _warnings((file, 1, "one"), (file, 2, "two"))
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    said = {hashlib.blake2b(str(warnings[0]).encode(), digest_size=12).hexdigest(): digest}
    kept = SaidWarnings(out).path
    kept.parent.mkdir(parents=True)
    kept.write_text(json.dumps(said), encoding="utf-8")

    assert _said(out, warnings) == [str(warnings[1])]
    assert json.loads(kept.read_text(encoding="utf-8"))["format"] == 2
    assert _said(out, warnings) == []


def test_an_older_versions_file_is_replaced_by_a_run_without_warnings(tmp_path: Path) -> None:
    """Else its entry would hide a warning that comes back with its file as it was."""
    file = tmp_path / "a.yaml"
    file.write_text("a: 1\n", encoding="utf-8")
    out = tmp_path / "dist"
    warnings = _warnings((file, 1, "one"))
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    said = {hashlib.blake2b(str(warnings[0]).encode(), digest_size=12).hexdigest(): digest}
    kept = SaidWarnings(out).path
    kept.parent.mkdir(parents=True)
    kept.write_text(json.dumps(said), encoding="utf-8")

    assert _said(out, []) == []
    assert _said(out, warnings) == [str(warnings[0])]


def test_the_said_file_is_written_through_a_fresh_private_file(tmp_path: Path) -> None:
    """A link planted at a name the writer could predict is never written through."""
    import os

    file = tmp_path / "a.yaml"
    file.write_text("a: 1\n", encoding="utf-8")
    out = tmp_path / "dist"
    kept = SaidWarnings(out).path
    kept.parent.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    for pid in range(os.getpid() - 2, os.getpid() + 3):
        (kept.parent / f".{kept.name}.{pid}").symlink_to(victim)

    assert _said(out, _warnings((file, 1, "one"))) == [f"{file}:1:1: warning: one"]
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not kept.is_symlink()
    assert kept.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("out", "said"),
    [
        ("notes.txt", "is a file, not an output folder"),
        ("content", "is or holds the content folder"),
        (".", "is or holds the content folder"),
        ("content/dist", "is inside the content folder"),
        ("exporters/site", "is inside the profiles folder"),
    ],
)
def test_an_output_folder_that_would_take_over_an_input_or_a_file_is_refused(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, out: str, said: str
) -> None:
    """The output becomes a link and a plain folder there is moved aside: named as the
    output, a file would be lost and the content moved away, so nothing is done."""
    monkeypatch.chdir(workspace)
    (workspace / "notes.txt").write_text("notes\n", encoding="utf-8")
    before = sorted(p.relative_to(workspace) for p in workspace.rglob("*"))

    result = runner.invoke(app, ["export", "--out", out])

    assert result.exit_code == 2
    words = " ".join(result.stderr.replace("│", " ").split())
    assert said in words
    assert "(fix: name a" in words
    assert "Traceback" not in result.output
    assert sorted(p.relative_to(workspace) for p in workspace.rglob("*")) == before
    assert (workspace / "notes.txt").read_text(encoding="utf-8") == "notes\n"
    assert (workspace / "content" / "site.yaml").is_file()


def test_a_failed_export_says_its_warnings_once_as_a_successful_one(workspace: Path) -> None:
    # Since validate and export say warnings beside errors, a failed export printed every
    # warning on every run (thousands at scale), burying the error it failed on.
    article = workspace / "content" / "articles" / "acupressure-mat-benefits.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("Five to ten minutes is plenty at first.", "It cures sciatica."),
        encoding="utf-8",
    )

    first = export(workspace, "--only", "json")
    again = export(workspace, "--only", "json")

    for result in (first, again):
        assert result.exit_code == 1
        assert "1 error in 1 file\n" in result.stderr
    said = [line for line in first.stderr.splitlines() if ": warning " in line]
    assert said
    assert not [line for line in again.stderr.splitlines() if ": warning " in line]
    assert f"{len(said)} warnings unchanged; --verbose to list" in again.stderr
