"""What is kept between the exports of one process (``export --watch`` exports on every
save): per-object memos in the model, and what writers derive through ``remember``."""

import gc
import weakref
from pathlib import Path, PurePosixPath

import attrs
import pytest

from spikecontent.loading.cache import forget_resident
from spikecontent.pipeline.manifest import LOAD_CACHE
from spikecontent.pipeline.remembered import (
    _INDEX,
    _PACK,
    REMEMBERED,
    _read_pack,
    forget_remembered,
)
from spikecontent.store import Blobs
from spikecontent.store.generations import private_folder
from spikecontent.store.memo import per_object
from spikecontent.writers.macros import build
from tests.conftest import Project

ONLY = ("macros", "jsonld")


@attrs.frozen
class _Thing:
    name: str


def test_a_memo_computes_once_per_object_and_lets_the_object_go() -> None:
    calls: list[str] = []

    @per_object
    def shout(thing: _Thing) -> str:
        calls.append(thing.name)
        return thing.name.upper()

    first, equal = _Thing("mat"), _Thing("mat")
    assert shout(first) == shout(first) == "MAT"
    assert shout(equal) == "MAT"  # equal is not the same: another object, computed again
    assert calls == ["mat", "mat"]
    gone = weakref.ref(first)
    del first
    gc.collect()
    assert gone() is None  # the memo does not keep its objects alive
    assert shout(_Thing("pillow")) == "PILLOW"
    assert calls == ["mat", "mat", "pillow"]


@pytest.fixture
def built_for(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs the macros writer builds replies for, in order, across exports."""
    slugs: list[str] = []
    real = build._article_macros

    def counted(library, slug, options):  # type: ignore[no-untyped-def]
        slugs.append(slug)
        return real(library, slug, options)

    monkeypatch.setattr(build, "_article_macros", counted)
    forget_resident()
    forget_remembered()
    return slugs


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_the_next_export_builds_replies_only_for_what_changed(
    tmp_path: Path, built_for: list[str]
) -> None:
    project = Project(tmp_path).with_article("second-article", title="Second")
    assert project.export(only=ONLY).ok
    assert sorted(built_for) == ["acupressure-mat-benefits", "second-article"]

    built_for.clear()
    project.edit("articles/second-article.yaml", "title: 'Second'", "title: 'Second, edited'")
    report = project.export(only=ONLY)
    assert report.ok
    assert built_for == ["second-article"]
    assert any(p.startswith("macros/second-article") for p in report.written)

    # What a new process makes of the same content, from nothing, is the same bytes.
    forget_resident()
    forget_remembered()
    built_for.clear()
    assert project.export(only=ONLY, out="fresh", force=True).ok
    assert sorted(built_for) == ["acupressure-mat-benefits", "second-article"]
    assert _files(project.out) == _files(tmp_path / "fresh")


def test_a_study_both_articles_cite_makes_both_again(tmp_path: Path, built_for: list[str]) -> None:
    project = Project(tmp_path).with_article("second-article", title="Second")
    assert project.export(only=ONLY).ok
    built_for.clear()
    study = "studies/hohmann-2012.yaml"
    project.edit(study, "limitations:\n", "# reworded below\nlimitations:\n")
    assert project.export(only=ONLY).ok
    assert built_for == []  # the same data, written differently: nothing to make again

    project.edit(study, "before\n    drawing", "before\n    anyone draws")
    assert project.export(only=ONLY).ok
    assert sorted(built_for) == ["acupressure-mat-benefits", "second-article"]


def test_the_next_process_finds_them_on_disk(tmp_path: Path, built_for: list[str]) -> None:
    project = Project(tmp_path).with_article("second-article", title="Second")
    assert project.export(only=ONLY).ok
    forget_resident()
    forget_remembered()  # a new process: nothing in memory
    built_for.clear()
    project.edit("articles/second-article.yaml", "title: 'Second'", "title: 'Second, edited'")
    assert project.export(only=ONLY).ok
    assert built_for == ["second-article"]

    # Values not signed with this user's key are never unpickled: made again instead.
    kept = [p for p in (project.out.parent).rglob("*") if p.is_file() and "remembered" in p.parts]
    assert kept
    for path in kept:
        path.write_bytes(b"\0" * 32 + path.read_bytes()[32:])
    forget_resident()
    forget_remembered()
    built_for.clear()
    assert project.export(only=ONLY, force=True).ok
    assert sorted(built_for) == ["acupressure-mat-benefits", "second-article"]


def _kept_values(project: Project) -> set[PurePosixPath]:
    """The values on disk, by scope and name: blobs of their own in the scopes' folders,
    under ``remembered/``, and the small ones in each scope's pack."""
    blobs = Blobs(private_folder(project.out) / LOAD_CACHE)
    found = set()
    for kind in blobs.kinds(REMEMBERED):
        for path in (blobs.folder / kind).iterdir():
            if path.name == _PACK:
                found |= {PurePosixPath(kind, name) for name in _read_pack(blobs, kind)}
            elif path.name != _INDEX:
                found.add(PurePosixPath(kind, path.name))
    return found


def test_values_no_export_uses_are_removed_only_for_the_writers_that_ran(
    tmp_path: Path, built_for: list[str]
) -> None:
    project = Project(tmp_path).with_article("second-article", title="Second")
    assert project.export(only=ONLY).ok
    first = _kept_values(project)
    assert len(first) == 6  # replies, their heads and warnings of two articles
    project.edit("articles/second-article.yaml", "title: 'Second'", "title: 'Second, edited'")
    assert project.export(only=ONLY).ok
    second = _kept_values(project)
    # The edited article's old values are gone, its new ones kept; all the flagship's
    # stay, its whole replies too, though this export read back only their heads.
    assert len(second) == 6
    assert len(first & second) == 3
    # An export of another writer leaves these alone.
    assert project.export(only=["json"]).ok
    assert _kept_values(project) == second


def test_a_partial_export_keeps_the_unchanged_articles_values(
    tmp_path: Path, built_for: list[str]
) -> None:
    """An export that renders one article's replies keeps the others' whole replies
    (it asked only for their heads): a later export that renders them, in a new process,
    reads them back instead of making them again."""
    project = Project(tmp_path).with_article("second-article", title="Second")
    assert project.export(only=ONLY).ok
    forget_resident()
    forget_remembered()
    project.edit("articles/second-article.yaml", "title: 'Second'", "title: 'Second, edited'")
    assert project.export(only=ONLY).ok
    forget_resident()
    forget_remembered()
    built_for.clear()
    assert project.export(only=ONLY, force=True).ok
    assert built_for == []
    # Removed articles' values go.
    (project.content / "articles" / "second-article.yaml").unlink()
    before = _kept_values(project)
    assert project.export(only=ONLY).ok
    assert len(before - _kept_values(project)) == 3
    assert len(_kept_values(project)) == 3


def test_a_scope_no_profile_has_any_more_is_removed(tmp_path: Path, built_for: list[str]) -> None:
    """A profile's new options (or a new spikecontent) start a new scope: the old one's
    values are removed, not kept for ever."""
    project = Project(tmp_path).with_article("second-article", title="Second")
    assert project.export(only=ONLY).ok
    first = _kept_values(project)
    project.option("macros", "freshdesk_visibility = 1")
    assert project.export(only=ONLY).ok
    second = _kept_values(project)
    assert len(second) == 6
    # The JSON-LD writer's values are where they were; the macros writer's replies moved.
    assert len(first & second) == 2
    assert len({p.parent for p in first | second}) == 3
    assert len({p.parent for p in second}) == 2


def test_a_removed_profiles_scope_is_removed(tmp_path: Path, built_for: list[str]) -> None:
    """A profile taken out of ``exporters/`` leaves no values behind; one that an export
    does not run (``--only``) keeps its values."""
    project = Project(tmp_path)
    macros = (project.exporters / "macros.toml").read_text(encoding="utf-8")
    second = macros.replace('output = "macros"', 'output = "macros-retail"')
    project.profile("macros-retail", second.replace('greeting = "Hi"', 'greeting = "Hello"'))
    assert project.export(only=(*ONLY, "macros-retail")).ok
    assert len({p.parent for p in _kept_values(project)}) == 3
    assert project.export(only=ONLY).ok  # not run, still there
    assert len({p.parent for p in _kept_values(project)}) == 3

    (project.exporters / "macros-retail.toml").unlink()
    assert project.export(only=ONLY).ok
    assert len({p.parent for p in _kept_values(project)}) == 2
