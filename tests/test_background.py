"""Work handed to a thread of its own: done in order, bounded, and all done on leaving."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest

import spikecontent
from spikecontent.background import InOrder
from spikecontent.loading.cache import (
    cache_writes_in_background,
    forget_resident,
    in_cache_order,
    save_cache_file,
)
from spikecontent.pipeline import run
from spikecontent.pipeline.remembered import forget_remembered


def test_work_is_done_in_the_order_it_was_given() -> None:
    done: list[int] = []
    worker = InOrder("test-order", limit=1024)
    for number in range(50):
        worker.submit(1, done.append, number)
    worker.finish()

    assert done == list(range(50))


def test_submit_waits_for_the_oldest_work_past_the_limit() -> None:
    release = threading.Event()
    worker = InOrder("test-limit", limit=10)
    first = worker.submit(8, release.wait, 5)
    returned = threading.Event()

    def submit_more() -> None:
        worker.submit(8, lambda: None)  # 16 bytes would wait: only after the first
        returned.set()

    other = threading.Thread(target=submit_more)
    other.start()
    assert not returned.wait(0.3)  # held while the first still holds its 8 bytes
    release.set()
    assert returned.wait(5)
    other.join()
    worker.finish()
    assert first.result() is True


def test_cache_writes_go_to_another_thread_and_are_all_written_on_leaving(
    tmp_path: Path,
) -> None:
    writers: list[str] = []
    with cache_writes_in_background():
        for number in range(20):
            save_cache_file(tmp_path / f"entry-{number}", f"value {number}".encode())
        in_cache_order(lambda: writers.append(threading.current_thread().name))

    assert len(writers) == 1
    assert writers[0].startswith("spikecontent-cache")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"entry-{n}" for n in range(20))
    assert (tmp_path / "entry-7").read_bytes() == b"value 7"


def test_a_removal_given_after_a_write_comes_after_it(tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    with cache_writes_in_background():
        save_cache_file(entry, b"x" * 100_000)
        in_cache_order(lambda: entry.unlink(missing_ok=True))

    assert not entry.exists()


def test_outside_writes_are_done_on_the_spot_and_in_other_threads(tmp_path: Path) -> None:
    save_cache_file(tmp_path / "now", b"1")
    assert (tmp_path / "now").read_bytes() == b"1"

    seen: list[bool] = []
    with cache_writes_in_background():

        def elsewhere() -> None:
            save_cache_file(tmp_path / "other", b"2")  # this thread is not inside
            seen.append((tmp_path / "other").exists())

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert seen == [True]


def test_a_bug_in_background_work_is_raised_on_leaving() -> None:
    def broken() -> None:
        raise ValueError("not a file-system error")

    with pytest.raises(ValueError, match="not a file-system error"), cache_writes_in_background():
        in_cache_order(broken)


def test_an_export_leaves_its_caches_as_writing_on_the_spot_does(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every cache file an export writes in the background is in place when it returns,
    and no other: the same files, byte for byte, as writing each on the spot gives."""
    exporters = tmp_path / "exporters"
    exporters.mkdir()
    for writer in ("json", "macros"):
        (exporters / f"{writer}.toml").write_text(f'writer = "{writer}"\noutput = "{writer}"\n')

    def cache_files(out: Path) -> dict[str, bytes]:
        cache = out.parent / f".{out.name}.spikecontent" / "cache"
        return {
            p.relative_to(cache).as_posix(): p.read_bytes() for p in cache.rglob("*") if p.is_file()
        }

    def export_afresh(out: Path) -> None:
        forget_resident()  # as a new process: every entry is made and written
        forget_remembered()
        spikecontent.export(content_copy, exporters=exporters, out=out)

    export_afresh(tmp_path / "background")
    monkeypatch.setattr(run, "cache_writes_in_background", contextlib.nullcontext)
    export_afresh(tmp_path / "on-the-spot")

    background = cache_files(tmp_path / "background")
    assert any(name.startswith("remembered/") for name in background)
    assert background == cache_files(tmp_path / "on-the-spot")
