"""The persisted dependency graph (issue 44): input files found unchanged by a stat in a
new process, what each artifact read, and ``validate`` answered from its last report."""

from __future__ import annotations

import datetime
import os
import time
from pathlib import Path

import pytest

from spikecontent import ContentError
from spikecontent.pipeline import Registry
from spikecontent.pipeline.graph import InputGraph
from spikecontent.pipeline.manifest import LOAD_CACHE
from spikecontent.pipeline.profiles import load_profiles
from spikecontent.pipeline.validation import validate_folders
from spikecontent.store.file_digests import file_digest, forget_file_digests
from spikecontent.store.generations import private_folder
from tests.conftest import ARTICLE, Project

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
