"""An export after edits, in a process that kept everything it could from the exports
before (as ``export --watch`` does), writes the same bytes as a new process exporting the
same content from nothing.

What an incremental export reuses (entities kept resident by the load cache, writers'
remembered values, the parts of composed files, lint findings, files found intact) is
each tested where it is made; here a run of edits of every kind goes through all of them
together, every non-PDF writer at once, and each result is compared, file by file, with
``spikecontent export`` run afresh in a new process, with an empty output and cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import spikecontent
from spikecontent.pipeline.validation import validate_folders
from tests.conftest import ARTICLE, SLUG, Project
from tests.pictures import ico, with_icon

WRITERS = ("json", "jsonld", "rss", "macros", "html", "media")
SPIKECONTENT = Path(sys.executable).parent / "spikecontent"
STUDY = "studies/hohmann-2012.yaml"


def _files(out: Path) -> dict[str, bytes]:
    """Every file of an output folder (its generation, through the link), by path."""
    root = out.resolve()
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _afresh(project: Project, name: str) -> dict[str, bytes]:
    """The output of a new process exporting the project into an empty folder ``name``."""
    out = project.root / name
    command = [str(SPIKECONTENT), "export", "--content", str(project.content)]
    command += ["--exporters", str(project.exporters), "--out", str(out), "--jobs", "1"]
    command += [argument for writer in WRITERS for argument in ("--only", writer)]
    subprocess.run(command, check=True, capture_output=True)
    return _files(out)


Edit = Callable[[Project], object]


def _reword_profile(project: Project, name: str, old: str, new: str) -> None:
    path = project.exporters / f"{name}.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS: list[tuple[str, Edit]] = [
    (
        "an FAQ answer",
        lambda p: p.edit(ARTICLE, "It depends what you mean by work.", "It depends on the aim."),
    ),
    (
        "a shared study's limitation",
        lambda p: p.edit(STUDY, "a promising signal, not a settled finding.", "a signal only."),
    ),
    ("the site's name", lambda p: p.edit("site.yaml", "name: SpikeRest\n", "name: Spike Rest\n")),
    ("a caution taken out", lambda p: p.edit(ARTICLE, "    - damaged-skin\n", "")),
    (
        "a new FAQ entry (a new macro)",
        lambda p: p.add_faq(
            "    - id: how-long\n      question: How long is a session?\n"
            "      answer: Start with five to ten minutes.\n"
        ),
    ),
    ("a profile option", lambda p: _reword_profile(p, "macros", "Best wishes,", "Kind regards,")),
    ("a second article", lambda p: p.with_article("mat-basics", title="Mat Basics")),
    (
        "a title sharing the first article's short name (the macros' groups)",
        lambda p: p.edit(
            "articles/mat-basics.yaml",
            "title: 'Mat Basics'",
            "title: 'Acupressure Mat Benefits: The Basics'",
        ),
    ),
    ("an article renamed", lambda p: _rename_article(p, "mat-basics", "mat-guide")),
    ("a picture added", lambda p: with_icon(p.content, "images/favicon.ico", ico(16, 32))),
    ("a picture changed", lambda p: (p.content / "images/favicon.ico").write_bytes(ico(16, 48))),
    ("an article deleted", lambda p: (p.content / "articles" / "mat-guide.yaml").unlink()),
    (
        "the first edit undone (values made before are found again)",
        lambda p: p.edit(ARTICLE, "It depends on the aim.", "It depends what you mean by work."),
    ),
]


def _rename_article(project: Project, old: str, new: str) -> None:
    """Give the article ``old`` the slug ``new``, in a file of that name."""
    path = project.content / "articles" / f"{old}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(f"slug: {old}\n") == 1
    (project.content / "articles" / f"{new}.yaml").write_text(
        text.replace(f"slug: {old}\n", f"slug: {new}\n"), encoding="utf-8"
    )
    path.unlink()


@pytest.mark.slow
def test_incremental_exports_in_one_process_equal_fresh_ones(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=WRITERS).ok
    assert _files(project.out) == _afresh(project, "fresh-0")
    for number, (what, edit) in enumerate(EDITS, start=1):
        before = _files(project.out)
        edit(project)
        report = project.export(only=WRITERS)
        assert report.ok, (what, report.failed)
        assert report.written, what  # each edit changes something
        after = _files(project.out)
        fresh = _afresh(project, f"fresh-{number}")
        assert sorted(after) == sorted(fresh), what
        differing = [path for path in after if after[path] != fresh[path]]
        assert differing == [], what
        assert after != before, what
    # The last state: the article its first edit touched reads as it did at the start.
    document = project.out / "json" / "articles" / f"{SLUG}.json"
    assert "It depends what you mean by work." in document.read_text(encoding="utf-8")


def _code_times() -> dict[str, int]:
    package = Path(spikecontent.__file__).parent
    return {str(p): p.stat().st_mtime_ns for p in package.rglob("*.py")}


def _export_process(project: Project) -> str:
    """``spikecontent export`` of the project into its own output, in a new process
    (it has only what the store keeps: the graph's stamps, the load cache...); what it
    printed on standard output."""
    command = [str(SPIKECONTENT), *project.export_arguments(*WRITERS), "--jobs", "1"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_incremental_exports_in_new_processes_equal_fresh_ones(tmp_path: Path) -> None:
    """The same edits, each exported by a new process that finds what changed by the
    input files' stamps; after each, a new process finds nothing to do (also when a file
    was only touched), and ``validate`` from its last report says what a fresh one says."""
    project = Project(tmp_path)
    store = tmp_path / "validate-store"
    _export_process(project)
    assert _files(project.out) == _afresh(project, "fresh-0")
    for number, (what, edit) in enumerate(EDITS, start=1):
        edit(project)
        _export_process(project)
        after = _files(project.out)
        assert after == _afresh(project, f"fresh-{number}"), what
        # Nothing changed since: found by the stamps, with no new generation begun.
        generation, code = project.out.resolve(), _code_times()
        os.utime(project.content / ARTICLE)  # a new time, the same bytes
        assert _export_process(project).startswith("0 written, "), what
        if _code_times() == code:  # (spikecontent's code is an input too: in a shared
            # checkout, another hand's edit rightly makes it begin a generation)
            assert project.out.resolve() == generation, what
        assert _files(project.out) == after, what
        cached = validate_folders(project.content, project.exporters, store=store)
        again = validate_folders(project.content, project.exporters, store=store)
        fresh = validate_folders(project.content, project.exporters, store=tmp_path / f"v{number}")
        assert cached == again == fresh, what
