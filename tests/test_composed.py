"""Composed artifacts: files made of one part per entry, where an export renders again only
the parts whose inputs changed and keeps the bytes of the others."""

from __future__ import annotations

import hashlib
import itertools
import json
import mmap
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spikecontent.pipeline import Registry, output, parts, rendering
from spikecontent.pipeline.manifest import LOAD_CACHE
from spikecontent.pipeline.parts import PARTS, locate_parts
from spikecontent.pipeline.rendering import Task
from spikecontent.sdk import Artifact
from spikecontent.store import Blobs
from spikecontent.store.generations import private_folder
from tests.conftest import Project
from tests.export_writers import (
    JOINED,
    RENDERED_PARTS,
    ChunkedRosterWriter,
    LongRosterWriter,
    RosterWriter,
    ShoutedRosterWriter,
)

REGISTRY = Registry.installed().with_writers(
    RosterWriter, ShoutedRosterWriter, LongRosterWriter, ChunkedRosterWriter
)
ROSTER = 'writer = "roster"\n'


def roster_project(root: Path) -> Project:
    project = Project(root, registry=REGISTRY).profile("roster", ROSTER)
    for number in range(3):
        project.with_article(f"copy-{number}", title=f"Copy {number}")
    return project


def test_a_process_that_exports_again_does_not_read_the_index_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = roster_project(tmp_path)
    assert project.export(only=["roster"]).ok
    read: list[str] = []
    get = Blobs.get

    def reading(blobs: Blobs, kind: str, digest: str) -> memoryview | None:
        if kind == PARTS:
            read.append(digest)
        return get(blobs, kind, digest)

    monkeypatch.setattr(Blobs, "get", reading)
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    RENDERED_PARTS.clear()
    assert project.export(only=["roster"]).ok
    assert RENDERED_PARTS == ["copy-1"]
    assert read == []


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


def test_kept_parts_reach_join_as_views_of_the_last_output(tmp_path: Path) -> None:
    project = roster_project(tmp_path)
    assert project.export(only=["roster"]).ok
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    JOINED.clear()
    assert project.export(only=["roster"]).ok
    # The flagship, then its copies: only copy-1's part was rendered again.
    assert [[memoryview, memoryview, bytes, memoryview]] == JOINED


def _adoptions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of files the staging will adopt, written beside their destinations."""
    adopted: list[str] = []
    adopt = output.Staging.adopt
    monkeypatch.setattr(
        output.Staging,
        "adopt",
        lambda self, path, *a: adopted.append(path) or adopt(self, path, *a),
    )
    return adopted


def test_a_file_joined_as_chunks_is_written_from_them_and_keeps_its_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adopted = _adoptions(monkeypatch)
    project = roster_project(tmp_path).profile("chunked", 'writer = "chunked-roster"\n')
    JOINED.clear()
    assert project.export(only=["roster", "chunked"]).ok
    # Written from its chunks beside its destination (never joined whole); the roster,
    # with only join, is joined as before.
    assert adopted == ["chunked/roster.txt"]
    assert len(JOINED) == 1
    chunked = (project.out / "chunked" / "roster.txt").read_bytes()
    roster = (project.out / "roster" / "roster.txt").read_bytes()
    assert chunked == b"4 articles\n" + roster + b"-" * 1_500_000 + b"\n"
    manifest = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    [listed] = [a for a in manifest["artifacts"] if a["path"] == "chunked/roster.txt"]
    assert (listed["sha256"], listed["bytes"]) == (
        hashlib.sha256(chunked).hexdigest(),
        len(chunked),
    )
    # Its parts were found among the chunks: one change renders one part.
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    RENDERED_PARTS.clear()
    assert project.export(only=["chunked"]).ok
    assert RENDERED_PARTS == ["copy-1"]
    assert project.export(only=["chunked"], out="fresh", force=True).ok
    fresh = (project.root / "fresh" / "chunked" / "roster.txt").read_bytes()
    assert (project.out / "chunked" / "roster.txt").read_bytes() == fresh
    assert b"copy-1: Copy one\n" in fresh
    assert not list(project.out.resolve().rglob("*.tmp"))


def test_a_change_every_part_reads_renders_them_all(tmp_path: Path) -> None:
    project = roster_project(tmp_path)
    assert project.export(only=["roster"]).ok
    RENDERED_PARTS.clear()
    project.edit("site.yaml", "name: SpikeRest", "name: SpikeRest Mats")  # every part's input
    assert project.export(only=["roster"]).ok
    assert sorted(RENDERED_PARTS) == ["acupressure-mat-benefits", "copy-0", "copy-1", "copy-2"]


def test_parts_kept_under_other_options_are_not_used(tmp_path: Path) -> None:
    # A part's digest names its content, not what every part of the file shares (the
    # options, here the greeting): the kept parts' index does, and then keeps none.
    project = Project(tmp_path).with_article("copy-0", title="Copy 0")
    assert project.export(only=["macros"]).ok
    project.edit("../exporters/macros.toml", 'greeting = "Hi"', 'greeting = "Hello"')
    project.edit("articles/copy-0.yaml", "title: 'Copy 0'", "title: 'Copy zero'")
    assert project.export(only=["macros"]).ok
    replies = (project.out / "macros" / "all.txt").read_text(encoding="utf-8")
    assert replies.count("\nHi ") == 0
    assert replies.count("\nHello ") == replies.count("Hello") > 2


def test_kept_parts_that_do_not_verify_are_rendered_again(tmp_path: Path) -> None:
    project = roster_project(tmp_path)
    assert project.export(only=["roster"]).ok
    [store] = (private_folder(project.out) / LOAD_CACHE / PARTS).iterdir()
    # Bytes planted in the store without the signing key's signature are never used, by
    # the next process (this one kept the index it wrote, and would not read the file).
    data = store.read_bytes()
    store.write_bytes(data[:-8] + b"PLANTED\n")
    parts._SAVED.clear()
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    RENDERED_PARTS.clear()
    assert project.export(only=["roster"]).ok
    assert len(RENDERED_PARTS) == 4
    assert b"PLANTED" not in (project.out / "roster" / "roster.txt").read_bytes()


def test_parts_come_from_the_last_output_only_while_it_is_intact(tmp_path: Path) -> None:
    project = roster_project(tmp_path)
    assert project.export(only=["roster"]).ok
    roster = project.out / "roster" / "roster.txt"
    [index] = (private_folder(project.out) / LOAD_CACHE / PARTS).iterdir()
    assert index.stat().st_size < 400  # where the four parts are, not their bytes
    # Someone edits the output by hand, keeping its size: its parts are not trusted.
    text = roster.read_bytes()
    roster.write_bytes(text.replace(b"copy-0: Copy 0", b"copy-0: COPY 0"))
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    RENDERED_PARTS.clear()
    assert project.export(only=["roster"]).ok
    assert len(RENDERED_PARTS) == 4
    assert b"copy-0: Copy 0\n" in roster.read_bytes()


def test_an_output_replaced_between_planning_and_rendering_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Something writing into the output folder while an export runs (a deploy sync, a
    second tool) may replace a composed file after it was found intact and before it is
    read: a file of the same size with other bytes must not become the new output."""
    project = roster_project(tmp_path)
    assert project.export(only=["roster"]).ok
    roster = project.out / "roster" / "roster.txt"
    load = parts.KeptParts.load

    def replaced_then_loaded(self: parts.KeptParts) -> parts.Kept:
        text = self.output.read_bytes()
        other = self.output.with_name("other.txt")
        other.write_bytes(text.replace(b"copy-0: Copy 0", b"copy-0: XXXX 0"))
        other.replace(self.output)
        return load(self)

    monkeypatch.setattr(parts.KeptParts, "load", replaced_then_loaded)
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    RENDERED_PARTS.clear()
    assert project.export(only=["roster"]).ok
    assert len(RENDERED_PARTS) == 4
    assert b"copy-0: Copy 0\n" in roster.read_bytes()
    assert b"XXXX" not in roster.read_bytes()


def test_a_join_that_changes_its_parts_renders_them_all_every_time(tmp_path: Path) -> None:
    project = roster_project(tmp_path).profile("shouted", 'writer = "shouted-roster"\n')
    assert project.export(only=["shouted"]).ok
    indexes = private_folder(project.out) / LOAD_CACHE / PARTS
    assert not indexes.exists() or not any(indexes.iterdir())
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    RENDERED_PARTS.clear()
    assert project.export(only=["shouted"]).ok
    assert len(RENDERED_PARTS) == 4
    assert b"COPY-1: COPY ONE\n" in (project.out / "shouted" / "roster.txt").read_bytes()


def test_the_index_of_an_output_no_longer_made_is_dropped(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["macros"]).ok
    indexes = private_folder(project.out) / LOAD_CACHE / PARTS
    before = set(indexes.iterdir())
    assert all(path in parts._SAVED for path in before)
    project.edit("../exporters/macros.toml", ', "espanso"]', "]")
    assert project.export(only=["macros"]).pruned == ("macros/espanso.yml",)
    after = set(indexes.iterdir())
    assert len(after) == len(before) - 1
    assert after < before
    assert {path for path in before if path in parts._SAVED} == after


@given(
    st.lists(st.binary(max_size=6), max_size=8),
    st.lists(st.binary(max_size=3), min_size=9, max_size=9),
)
def test_parts_are_found_in_a_file_that_holds_them_in_order(
    parts: list[bytes], separators: list[bytes]
) -> None:
    data = separators[0] + b"".join(p + s for p, s in zip(parts, separators[1:], strict=False))
    places = locate_parts(data, parts)
    assert places is not None
    assert [data[at : at + size] for at, size in places] == parts
    assert all(a[0] + a[1] <= b[0] for a, b in itertools.pairwise(places))


def test_a_part_the_file_does_not_hold_as_it_is_is_not_found() -> None:
    assert locate_parts(b"[one,two]", [b"one", b"TWO"]) is None
    assert locate_parts(b"[two,one]", [b"one", b"two"]) is None  # not in that order


def _kept_from(path: Path, data: bytes, places: list[tuple[int, int]]) -> parts.Kept:
    """The parts at ``places`` of a file holding ``data``, kept as an export keeps them."""
    path.write_bytes(data)
    with path.open("rb") as handle:
        source = mmap.mmap(handle.fileno(), len(data), access=mmap.ACCESS_READ)
    whole = memoryview(source)
    views = [whole[at : at + size] for at, size in places]
    offsets = {id(view): at for view, (at, _) in zip(views, places, strict=True)}
    return parts.Kept(parts=tuple(views), source=source, offsets=offsets)


def test_unchanged_stretches_of_a_composed_file_are_written_as_ranges_of_the_last(
    tmp_path: Path,
) -> None:
    old = [b"reply %d\n" % n for n in range(1000)]
    data = b"[" + b",".join(old) + b"]"
    places = locate_parts(data, old)
    assert places is not None
    kept = _kept_from(tmp_path / "last", data, places)
    # Part 500 changed: the join gives the header, the kept views and the separators
    # as it always does, with the new part's bytes in its place.
    new = [*kept.parts[:500], b"changed\n", *kept.parts[501:]]
    chunks = [b"[", *itertools.chain(*((part, b",") for part in new))]
    chunks[-1] = b"]"
    written = list(parts.coalesced(chunks, kept))
    assert b"".join(written) == b"".join(bytes(chunk) for chunk in chunks)
    # The stretch before the change, the change with the separator after it, the
    # stretch after it: three writes instead of 2,001.
    assert [type(chunk) for chunk in written] == [memoryview, bytes, memoryview]
    assert bytes(written[0]) == data[: places[500][0]]
    assert written[1] == b"changed\n,"
    assert bytes(written[2]) == data[places[501][0] :]


def test_a_composed_file_with_nothing_kept_is_written_in_batches() -> None:
    chunks = [b"x" * 1000] * 3000
    written = list(parts.coalesced(chunks, parts.Kept(parts=())))
    assert b"".join(written) == b"".join(chunks)
    assert len(written) == 3  # joined up to a megabyte at a time, never the whole file
    assert all(len(chunk) <= parts._BATCH + 1000 for chunk in written)


@given(
    st.lists(st.binary(max_size=6), max_size=8),
    st.lists(st.binary(max_size=3), min_size=9, max_size=9),
    st.lists(st.sampled_from(["kept", "changed", "separator"]), min_size=8, max_size=8),
    st.binary(max_size=3),
)
def test_coalesced_chunks_are_the_chunks_bytes(
    old: list[bytes], separators: list[bytes], edits: list[str], header: bytes
) -> None:
    # The last file never empty (an empty output maps nothing, and keeps nothing).
    data = b"<" + separators[0] + b"".join(p + s for p, s in zip(old, separators[1:], strict=False))
    places = locate_parts(data, old)
    assert places is not None
    with tempfile.TemporaryDirectory() as folder:
        kept = _kept_from(Path(folder) / "last", data, places)
        chunks: list[parts.PartBytes] = [header]
        for view, separator, edit in zip(kept.parts, separators[1:], edits, strict=False):
            assert view is not None
            chunks.append(b"new" if edit == "changed" else view)
            chunks.append(separator + b"!" if edit == "separator" else separator)
        written = b"".join(parts.coalesced(chunks, kept))
        assert written == b"".join(bytes(chunk) for chunk in chunks)
        del kept, chunks  # the views, before the map is closed with its file


def test_worker_processes_keep_parts_too_and_write_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rendering, "POOL_START_SECONDS", -60.0)  # a pool, however cheap
    monkeypatch.setattr(rendering, "_SAMPLE_SECONDS", 0.0)
    project = roster_project(tmp_path)
    for number in range(3, 8):
        project.with_article(f"copy-{number}", title=f"Copy {number}")
    assert project.export(only=["roster", "json"], jobs=2).ok
    project.edit("articles/copy-1.yaml", "title: 'Copy 1'", "title: 'Copy one'")
    assert project.export(only=["roster", "json"], jobs=2).ok
    assert project.export(only=["roster", "json"], out="alone", jobs=1, force=True).ok
    for path in ("roster/roster.txt", "json/index.json"):
        assert (project.out / path).read_bytes() == (project.root / "alone" / path).read_bytes()


def test_a_worker_writes_a_large_file_beside_its_destination_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not sent back through a pipe: the exporting process adopts the worker's file.
    monkeypatch.setattr(rendering, "POOL_START_SECONDS", -60.0)  # a pool, however cheap
    monkeypatch.setattr(rendering, "_SAMPLE_SECONDS", 0.0)
    adopted = _adoptions(monkeypatch)
    project = roster_project(tmp_path).profile("long", 'writer = "long-roster"\n')
    assert project.export(only=["json", "long"], jobs=2).ok
    assert adopted == ["long/roster.txt"]
    assert project.export(only=["json", "long"], out="alone", jobs=1).ok
    for path in ("long/roster.txt", "json/index.json"):
        assert (project.out / path).read_bytes() == (project.root / "alone" / path).read_bytes()
    manifest = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    [listed] = [a for a in manifest["artifacts"] if a["path"] == "long/roster.txt"]
    data = (project.out / "long" / "roster.txt").read_bytes()
    assert listed["sha256"] == hashlib.sha256(data).hexdigest()
    assert listed["bytes"] == len(data) > 1_500_000
    assert not list(project.out.resolve().rglob("*.tmp"))


def test_composed_artifacts_are_batches_of_their_own_spread_among_the_others() -> None:
    composed = Artifact(path="all.txt", parts=())
    tasks = [
        Task(writer=None, artifact=composed if i in (30, 31) else Artifact(path=f"{i}.txt"))  # type: ignore[arg-type]
        for i in range(200)
    ]
    batches = [list(b) for b in rendering._batches(tasks, range(1, 200), jobs=1)]
    # Each alone, and apart: the first before the first half of the others, the second
    # before the second half.
    assert batches.index([30]) == 0
    others = [b for b in batches if b not in ([30], [31])]
    assert batches.index([31]) == 1 + len(others) // 2
    assert all(len(b) == 6 for b in others[:-1])
    assert sorted(i for b in batches for i in b) == list(range(1, 200))
