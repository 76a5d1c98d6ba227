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

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ARTICLE, SLUG, Project

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
        "the first edit undone (values made before are found again)",
        lambda p: p.edit(ARTICLE, "It depends on the aim.", "It depends what you mean by work."),
    ),
]


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
