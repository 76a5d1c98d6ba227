"""Export profiles are checked like content: every problem at file:line:col, all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import spikecontent
from spikecontent import ContentError, Diagnostic
from spikecontent.pipeline.validation import validate_folders
from tests.conftest import Project
from tests.test_export import PROFILES, pipeline_project


def problems(project: Project) -> list[Diagnostic]:
    with pytest.raises(ContentError) as caught:
        project.export(only=PROFILES)
    return list(caught.value.diagnostics)


def where(diagnostic: Diagnostic) -> tuple[str, int | None, int | None]:
    return (Path(diagnostic.file).name, diagnostic.line, diagnostic.col)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return pipeline_project(tmp_path)


def test_an_unknown_writer_names_the_line_and_suggests_the_closest(project: Project) -> None:
    project.profile("json", '# the website feed\nwriter = "jsn"\n')

    [problem] = problems(project)

    assert where(problem) == ("json.toml", 2, 10)
    assert problem.field == "writer"
    assert problem.message == "unknown writer 'jsn'"
    assert problem.fix == "did you mean 'json' or 'jsonld'?"


def test_every_profile_and_content_problem_is_reported_at_once(project: Project) -> None:
    project.profile("json", 'writer = "json"\noutpt = "web"\n[options]\nindent = "2"\n')
    project.profile("boom", 'writer = "boom"\n[options\n')
    project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: twenty-twelve")

    found = problems(project)

    summary = {(*where(d), d.field): (d.message, d.fix) for d in found}
    assert summary[("json.toml", 2, 1, "outpt")] == (
        "unknown field 'outpt'",
        "did you mean 'output'?",
    )
    assert summary[("json.toml", 4, 10, "options.indent")][0].startswith("expected a whole number")
    boom = next(d for d in found if d.file.endswith("boom.toml"))
    assert (boom.line, boom.message.startswith("invalid TOML")) == (2, True)
    assert any(d.file.endswith("hohmann-2012.yaml") and d.field == "year" for d in found)


def test_articles_must_name_existing_slugs(project: Project) -> None:
    project.profile("echo", 'writer = "echo"\narticles = ["second-article", "acupressure-mat"]\n')

    [problem] = problems(project)

    assert (where(problem), problem.field) == (("echo.toml", 2, 32), "articles[1]")
    assert problem.message == "no article 'acupressure-mat'"
    assert problem.fix == "did you mean 'acupressure-mat-benefits'?"


def test_options_are_checked_against_the_writer(project: Project) -> None:
    project.profile("json", 'writer = "json"\n\n[options]\nindent = 12\n')
    project.profile("echo", 'writer = "echo"\n[options]\ndeclared = false\n')

    found = {(Path(d.file).name, d.field, d.line): d for d in problems(project)}

    assert found[("json.toml", "options.indent", 4)].fix == "use 2, or 0 for compact"
    assert found[("echo.toml", "options.declared", 3)].fix == "did you mean 'declare'?"


def test_an_unknown_pdf_preset_names_the_presets_and_the_closest(tmp_path: Path) -> None:
    # It said "'a6' is not one of them" (fix: use one of a5, a4, letter, trifold).
    project = Project(tmp_path)
    project.profile("pdf", 'writer = "pdf"\n[options]\npreset = "a6"\nvariant = "pdf/ua"\n')

    with pytest.raises(ContentError) as caught:
        validate_folders(project.content, project.exporters, store=tmp_path / "store")
    found = {d.field: d for d in caught.value.diagnostics}

    preset = found["options.preset"]
    assert (where(preset), preset.message, preset.fix) == (
        ("pdf.toml", 3, 10),
        "'a6' is not one of the presets: a5, a4, letter, trifold",
        "did you mean 'a5'?",
    )
    variant = found["options.variant"]
    assert (variant.message, variant.fix) == (
        "'pdf/ua' is not one of the variants: pdf/ua-1, pdf/a-3b",
        "did you mean 'pdf/ua-1'?",
    )


def test_an_option_read_as_a_number_or_a_table_is_fixed_by_quoting_it_as_written(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path)
    project.profile("pdf", 'writer = "pdf"\n[options]\npreset = 5.0\nvariant = {a = 1}\n')

    with pytest.raises(ContentError) as caught:
        validate_folders(project.content, project.exporters, store=tmp_path / "store")
    fixes = {d.field: d.fix for d in caught.value.diagnostics}

    assert fixes["options.preset"] == 'put the whole text in quotes: "5.0"'
    assert fixes["options.variant"] == 'put the whole text in quotes: "{a = 1}"'


def test_a_writer_without_options_refuses_any(project: Project) -> None:
    project.profile("escape", 'writer = "escape"\n[options]\ncolour = "red"\n')

    [problem] = problems(project)

    assert (where(problem), problem.field) == (("escape.toml", 3, 1), "options.colour")


def test_output_folders_must_stay_inside_the_output(project: Project) -> None:
    project.profile("json", 'writer = "json"\noutput = "../site"\n')

    [problem] = problems(project)

    assert (where(problem), problem.field) == (("json.toml", 2, 10), "output")
    assert "without '..'" in problem.fix


def test_stray_files_and_orphan_template_folders_are_named(project: Project) -> None:
    (project.exporters / "ecko").mkdir()
    (project.exporters / "json.yaml").write_text("writer: json\n")
    (project.exporters / "NOTES.md").write_text("Notes for people are fine.\n")

    found = {Path(d.file).name: d for d in problems(project)}

    assert found["ecko"].fix == "rename it to 'echo'"
    assert found["json.yaml"].message == "not a profile"
    assert "NOTES.md" not in found


def test_a_registered_writer_without_a_profile_exports_with_its_defaults(
    project: Project,
) -> None:
    (project.exporters / "json.toml").unlink()

    report = project.export(only=["json"])

    assert "json/index.json" in report.written


def test_a_disabled_profile_keeps_its_writer_off(project: Project) -> None:
    project.profile("json", 'writer = "json"\nenabled = false\n')

    report = project.export()

    assert not any(path.startswith("json/") for path in report.written)


def test_a_named_profiles_folder_that_is_missing_is_an_error_and_nothing_is_written(
    project: Project,
) -> None:
    project.export(only=PROFILES)
    before = sorted(p.relative_to(project.out) for p in project.out.rglob("*"))
    mistyped = project.root / "exporter"

    with pytest.raises(ContentError) as caught:
        spikecontent.export(
            project.content,
            exporters=mistyped,
            out=project.out,
            only=PROFILES,
            registry=project.registry,
            jobs=1,
        )

    [problem] = caught.value.diagnostics
    assert (problem.file, problem.message) == (str(mistyped), "no such folder of export profiles")
    assert problem.fix == f"did you mean '{project.exporters}'?"
    assert sorted(p.relative_to(project.out) for p in project.out.rglob("*")) == before


def test_the_default_profiles_folder_may_be_missing(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree(project.exporters)
    monkeypatch.chdir(project.root)

    report = spikecontent.export(project.content, out=project.out, only=["json"], jobs=1)

    assert "json/index.json" in report.written


def test_a_profiles_folder_that_is_a_file_is_an_error(project: Project) -> None:
    shutil.rmtree(project.exporters)
    project.exporters.write_text('writer = "json"\n')

    [problem] = problems(project)

    assert problem.message == "the export profiles' folder is a file, not a folder"


def test_a_folder_named_like_a_profile_is_an_error_not_a_default_profile(
    project: Project,
) -> None:
    (project.exporters / "json.toml").unlink()
    (project.exporters / "json.toml").mkdir()
    (project.exporters / "json.toml" / "index.json").write_text("{}\n")

    [problem] = problems(project)

    assert problem.file == str(project.exporters / "json.toml")
    assert problem.message.startswith("a folder named like a profile")
    assert problem.fix.startswith("write the profile as the file json.toml")


def test_an_override_template_that_does_not_parse_fails_validate_and_export_at_its_line(
    tmp_path: Path,
) -> None:
    # validate said OK; export then failed the artifact as "page.html:2: TemplateSyntaxError"
    # without naming the file under exporters/.
    project = Project(tmp_path / "project")
    (project.exporters / "html").mkdir()
    page = project.exporters / "html" / "page.html"
    page.write_text("<p>\n{% for x in %}\n", encoding="utf-8")

    with pytest.raises(ContentError) as validated:
        validate_folders(project.content, project.exporters, store=tmp_path / "store")
    with pytest.raises(ContentError) as caught:
        project.export(only=["html"])
    exported = list(caught.value.diagnostics)

    for found in (list(validated.value.diagnostics), exported):
        [problem] = found
        assert (problem.file, problem.line) == (str(page), 2)
        assert problem.message == (
            "template syntax error: Expected an expression, got 'end of statement block'"
        )
        assert problem.fix.startswith("correct the Jinja syntax on this line")
    assert not project.out.exists()


def test_an_override_no_template_reads_is_a_warning_naming_the_closest(tmp_path: Path) -> None:
    # A misspelt override changed nothing, and nothing said so.
    project = Project(tmp_path / "project")
    (project.exporters / "pdf").mkdir()
    (project.exporters / "json").mkdir()
    misspelt = project.exporters / "pdf" / "leaflte.css"
    misspelt.write_text("body { color: red }\n", encoding="utf-8")
    stray = project.exporters / "json" / "article.html"
    stray.write_text("<p>{{ article.title }}</p>\n", encoding="utf-8")

    report = validate_folders(project.content, project.exporters, store=tmp_path / "store")
    unlinted = validate_folders(
        project.content, project.exporters, lint=False, store=tmp_path / "store"
    )

    unread = [line for line in report.warnings if "nothing reads" in line]
    # --no-lint leaves out the lint, not the profiles' warnings.
    assert [line for line in unlinted.warnings if "nothing reads" in line] == unread
    assert unread == [
        f"{stray}: warning: the json writer reads no templates, so nothing reads this file "
        "(fix: remove it)",
        f"{misspelt}: warning: no template of the pdf writer has this name, so nothing reads "
        "it (fix: did you mean 'leaflet.css'? rename it, or remove it)",
    ]


def test_a_template_an_override_includes_is_read_and_not_warned_about(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    (project.exporters / "html").mkdir()
    page = project.exporters / "html" / "page.html"
    page.write_text('{% extends "layout.html" %}{% include "footer.html" %}\n', encoding="utf-8")
    (project.exporters / "html" / "footer.html").write_text("<p>Our shop</p>\n", encoding="utf-8")
    (project.exporters / "html" / ".notes.txt").write_text("hidden\n", encoding="utf-8")

    report = validate_folders(project.content, project.exporters, store=tmp_path / "store")

    assert not [line for line in report.warnings if "nothing reads" in line]


def test_the_profiles_warnings_are_said_beside_a_lint_error(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    (project.exporters / "pdf").mkdir()
    (project.exporters / "pdf" / "leaflte.css").write_text("body {}\n", encoding="utf-8")
    project.edit(
        "articles/acupressure-mat-benefits.yaml",
        "Five to ten minutes is plenty at first.",
        "It cures sciatica.",
    )

    with pytest.raises(ContentError) as caught:
        validate_folders(project.content, project.exporters, store=tmp_path / "store")

    assert caught.value.diagnostics
    assert [str(w) for w in caught.value.warnings if "leaflte.css" in w.file]
