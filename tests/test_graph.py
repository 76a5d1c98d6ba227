"""The persisted dependency graph (issue 44): input files found unchanged by a stat in a
new process, what each artifact read, and ``validate`` answered from its last report."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

import pytest

from spikecontent import ContentError
from spikecontent.loading import loader
from spikecontent.loading.cache import forget_resident
from spikecontent.pipeline import Registry
from spikecontent.pipeline.changes import LastExport
from spikecontent.pipeline.graph import InputGraph, Reuse
from spikecontent.pipeline.manifest import LOAD_CACHE
from spikecontent.pipeline.planning import plan_export
from spikecontent.pipeline.profiles import load_profiles
from spikecontent.pipeline.project import check_project
from spikecontent.pipeline.remembered import forget_remembered
from spikecontent.pipeline.validation import validate_folders
from spikecontent.store.file_digests import file_digest, forget_file_digests
from spikecontent.store.generations import private_folder
from tests.conftest import ARTICLE, SLUG, Project
from tests.pictures import ico, with_icon

SETTLED_NS = 10_000_000_000
"""How far back the tests set files' times: a stamp is kept only once a file's time has
settled (a file changed within the clock's tick would keep it)."""


def _settle(*folders: Path) -> None:
    past = time.time_ns() - SETTLED_NS
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                os.utime(path, ns=(past, past))


def _digest(project: Project, store: Path) -> tuple[InputGraph, str]:
    """A new process's view: nothing hashed in memory, the graph read from ``store``."""
    forget_file_digests()
    graph = InputGraph(store, project.content, project.exporters)
    profiles, problems = load_profiles(project.exporters, Registry.installed())
    assert not problems
    return graph, graph.run_digest(profiles, False)


def test_a_new_process_reads_only_the_files_whose_stamp_moved(tmp_path: Path) -> None:
    project = Project(tmp_path)
    _settle(project.content, project.exporters)
    store = tmp_path / "store"
    graph, first = _digest(project, store)
    graph.save()

    graph, again = _digest(project, store)
    assert again == first
    article = project.content / ARTICLE
    assert file_digest(article, graph.stamps)[1] is None  # known by its stamp: not read

    # Touched (a new time, the same bytes): read once, and the same digest.
    os.utime(article, ns=(time.time_ns() - SETTLED_NS // 2,) * 2)
    graph, touched = _digest(project, store)
    assert touched == first
    graph.save()

    # Changed, added, removed: each moves the run's digest.
    digests = {first}
    project.edit(ARTICLE, "It depends what you mean by work.", "It depends on the aim.")
    digests.add(_digest(project, store)[1])
    (project.content / "articles" / "draft-notes.txt").write_text("notes", encoding="utf-8")
    digests.add(_digest(project, store)[1])
    (project.content / "articles" / "draft-notes.txt").unlink()
    (project.exporters / "rss.toml").unlink()
    digests.add(_digest(project, store)[1])
    assert len(digests) == 4


def test_the_graph_keeps_what_each_artifact_read(tmp_path: Path) -> None:
    project = Project(tmp_path).with_article("mat-basics", title="Mat Basics")
    assert project.export(only=("json", "html", "macros")).ok
    graph = InputGraph(private_folder(project.out) / LOAD_CACHE, project.content, project.exporters)
    article = str(project.content / "articles" / "mat-basics.yaml")
    read_it = graph.dependents({article})
    assert "json/articles/mat-basics.json" in read_it
    assert "html/mat-basics/index.html" in read_it
    assert "json/articles/acupressure-mat-benefits.json" not in read_it
    # A profile's file: every artifact of that profile, and only those.
    profile = graph.dependents({str(project.exporters / "json.toml")})
    assert profile
    assert all(path.startswith("json/") for path in profile)
    study = graph.dependents({str(project.content / "studies" / "hohmann-2012.yaml")})
    assert "json/articles/mat-basics.json" in study  # both articles cite it
    assert "json/articles/acupressure-mat-benefits.json" in study


def test_validate_answers_from_its_last_report_until_an_input_moves(tmp_path: Path) -> None:
    project = Project(tmp_path)
    _settle(project.content, project.exporters)
    store = tmp_path / "store"
    first = validate_folders(project.content, project.exporters, store=store)
    fresh = validate_folders(project.content, project.exporters, store=tmp_path / "other")
    assert first == fresh
    assert first.summary.endswith("OK (1 article, 4 studies, 5 cautions)")

    # Bytes changed behind the stamp's back (same inode, size and time): the stamp is
    # trusted, so the last report is given without loading the content at all.
    article = project.content / ARTICLE
    stat = article.stat()
    data = article.read_bytes()
    broken = data.replace(b"slug: acupressure-mat-benefits", b"slug: Acupressure-Mat-Benefits")
    assert broken != data
    assert len(broken) == len(data)
    article.write_bytes(broken)
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    forget_file_digests()
    assert validate_folders(project.content, project.exporters, store=store) == first

    # Its time moves: read, found changed, validated afresh.
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    forget_file_digests()
    with pytest.raises(ContentError):
        validate_folders(project.content, project.exporters, store=store)


def test_validate_without_lint_and_another_day_are_other_reports(tmp_path: Path) -> None:
    project = Project(tmp_path)
    store = tmp_path / "store"
    linted = validate_folders(project.content, project.exporters, store=store)
    plain = validate_folders(project.content, project.exporters, store=store, lint=False)
    assert plain.warnings == () != linted.warnings
    later = datetime.date(2100, 1, 1)  # the evidence lock's records are old by then
    aged = validate_folders(project.content, project.exporters, store=store, today=later)
    assert aged == validate_folders(
        project.content, project.exporters, store=tmp_path / "fresh", today=later
    )


WRITERS = ("json", "jsonld", "rss", "macros", "html", "media")


def _rename(project: Project, old: str, new: str) -> None:
    path = project.content / "articles" / f"{old}.yaml"
    text = path.read_text(encoding="utf-8").replace(f"slug: {old}\n", f"slug: {new}\n")
    (project.content / "articles" / f"{new}.yaml").write_text(text, encoding="utf-8")
    path.unlink()


def _planned(project: Project) -> tuple[Reuse | None, dict[str, object], dict[str, object]]:
    """A new process's plan of the project after its last export: the graph's
    :class:`Reuse` (None when it cannot bound the change), and each artifact's digest
    and entries planned with it and planned afresh."""
    forget_file_digests()
    forget_resident()
    forget_remembered()
    last = LastExport.read(project.out)
    cache = private_folder(project.out) / LOAD_CACHE
    graph = InputGraph(cache, project.content, project.exporters)
    profiles, problems = load_profiles(project.exporters, Registry.installed())
    assert not problems
    chosen = tuple(p for p in profiles if p.name in WRITERS)
    graph.run_digest(chosen, False)
    reuse = graph.reuse(last.state.records, last.state.run)
    checked = check_project(project.content, profiles, cache=cache)
    plans = [
        plan_export(checked.library, [(p, checked.writer(p)) for p in chosen], reuse=given)
        for given in (reuse, None)
    ]
    with_reuse, afresh = ({job.path: (job.inputs, job.entries) for job in p.jobs} for p in plans)
    return reuse, with_reuse, afresh


def test_only_the_artifacts_a_changed_entity_file_reaches_are_digested_again(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path).with_article("mat-basics", title="Mat Basics")
    assert project.export(only=WRITERS).ok
    edits = [
        lambda: project.edit("articles/mat-basics.yaml", "Mat Basics", "Mat Basics, Again"),
        lambda: project.with_article("mat-more", title="Mat More"),
        lambda: project.edit(
            "studies/hohmann-2012.yaml", "duration: Two weeks", "duration: 14 days"
        ),
        lambda: _rename(project, "mat-more", "mat-renamed"),
        lambda: (project.content / "articles" / "mat-renamed.yaml").unlink(),
        lambda: project.edit(ARTICLE, "It depends what you mean by work.", "It depends."),
    ]
    for edit in edits:
        edit()
        reuse, with_reuse, afresh = _planned(project)
        assert reuse is not None
        assert with_reuse == afresh  # the same digests, whether reused or made
        assert len(reuse.affected) < len(afresh)
        assert project.export(only=WRITERS).ok
    # The last edit changed one article: the other's own files were not digested.
    assert reuse is not None
    assert "json/articles/mat-basics.json" not in reuse.affected
    assert f"json/articles/{SLUG}.json" in reuse.affected


@pytest.mark.parametrize("change", ["site", "picture", "profile", "lint rule"])
def test_a_change_the_graph_cannot_bound_plans_everything(tmp_path: Path, change: str) -> None:
    project = Project(tmp_path)
    assert project.export(only=WRITERS).ok
    if change == "site":
        project.edit("site.yaml", "\npages:", "\n# a comment\npages:")
    elif change == "picture":
        with_icon(project.content, "images/favicon.ico", ico(16, 32))
        assert project.export(only=WRITERS).ok
        (project.content / "images" / "favicon.ico").write_bytes(ico(16, 48))
    elif change == "profile":
        macros = project.exporters / "macros.toml"
        text = macros.read_text(encoding="utf-8")
        macros.write_text(text.replace("Best wishes,", "Kind regards,"), encoding="utf-8")
    else:
        rules = project.content / "lint"
        rules.mkdir(exist_ok=True)
        (rules / "house.yaml").write_text("rules: []\n", encoding="utf-8")
    reuse, with_reuse, afresh = _planned(project)
    assert reuse is None
    assert with_reuse == afresh


def test_validate_after_an_edit_parses_and_lints_only_the_changed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(tmp_path).with_article("mat-basics", title="Mat Basics")
    store = tmp_path / "store"
    validate_folders(project.content, project.exporters, store=store)
    parsed: list[str] = []
    real = loader.parse_yaml

    def counted(text: str, display: str) -> object:
        parsed.append(display)
        return real(text, display)

    monkeypatch.setattr(loader, "parse_yaml", counted)
    forget_resident()
    forget_file_digests()  # a new process
    project.edit(ARTICLE, "It depends what you mean by work.", "It depends.")
    report = validate_folders(project.content, project.exporters, store=store)
    assert parsed == [str(project.content / ARTICLE)]
    assert report == validate_folders(project.content, project.exporters, store=tmp_path / "new")
