"""Composed artifacts: files made of one part per entry, where an export renders again only
the parts whose inputs changed and keeps the bytes of the others."""

from __future__ import annotations

from pathlib import Path

from spikecontent.pipeline import Registry
from spikecontent.pipeline.generations import private_folder
from spikecontent.pipeline.manifest import LOAD_CACHE
from spikecontent.pipeline.parts import PARTS
from tests.conftest import Project
from tests.export_writers import RENDERED_PARTS, RosterWriter

REGISTRY = Registry.installed().with_writers(RosterWriter)
ROSTER = 'writer = "roster"\n'


def roster_project(root: Path) -> Project:
    project = Project(root, registry=REGISTRY).profile("roster", ROSTER)
    for number in range(3):
        project.with_article(f"copy-{number}", title=f"Copy {number}")
    return project


def test_one_changed_article_renders_only_its_part(tmp_path: Path) -> None:
    project = roster_project(tmp_path)
    RENDERED_PARTS.clear()
    assert project.export(only=["roster"]).ok
    assert len(RENDERED_PARTS) == 4  # the flagship and its three copies
    RENDERED_PARTS.clear()
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    report = project.export(only=["roster"])
    assert report.written == ("roster/roster.txt",)
    assert RENDERED_PARTS == ["copy-1"]
    kept = (project.out / "roster" / "roster.txt").read_bytes()
    assert b"copy-1: Copy one\n" in kept
    # The same bytes as rendering every part afresh.
    RENDERED_PARTS.clear()
    assert project.export(only=["roster"], out="fresh", force=True).ok
    assert len(RENDERED_PARTS) == 4
    assert (project.root / "fresh" / "roster" / "roster.txt").read_bytes() == kept


def test_a_change_every_part_reads_renders_them_all(tmp_path: Path) -> None:
    project = roster_project(tmp_path)
    assert project.export(only=["roster"]).ok
    RENDERED_PARTS.clear()
    project.edit("site.yaml", "name: SpikeRest", "name: SpikeRest Mats")  # every part's input
    assert project.export(only=["roster"]).ok
    assert sorted(RENDERED_PARTS) == ["acupressure-mat-benefits", "copy-0", "copy-1", "copy-2"]


def test_kept_parts_that_do_not_verify_are_rendered_again(tmp_path: Path) -> None:
    project = roster_project(tmp_path)
    assert project.export(only=["roster"]).ok
    [store] = (private_folder(project.out) / LOAD_CACHE / PARTS).iterdir()
    # Bytes planted in the store without the signing key's signature are never used.
    data = store.read_bytes()
    store.write_bytes(data[:-8] + b"PLANTED\n")
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    RENDERED_PARTS.clear()
    assert project.export(only=["roster"]).ok
    assert len(RENDERED_PARTS) == 4
    assert b"PLANTED" not in (project.out / "roster" / "roster.txt").read_bytes()
