"""Stamps of output files: which need no hashing to be known intact."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from spikecontent.pipeline.manifest import Record
from spikecontent.pipeline.stamps import Stamps


def written(root: Path, data: bytes, *, age_ns: int, whole_seconds: bool = False) -> Record:
    path = root / "out.txt"
    path.write_bytes(data)
    mtime = time.time_ns() - age_ns
    if whole_seconds:
        mtime -= mtime % 1_000_000_000
    else:
        mtime += 1_234_567 - mtime % 10_000_000  # never whole hundredths
    os.utime(path, ns=(mtime, mtime))
    return Record(
        path="out.txt",
        profile="p",
        writer="w",
        writer_version="1",
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
        entries=(),
        inputs="x",
    )


def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The path of every record hashed from now on, in order."""
    hashed: list[str] = []
    original = Record.matches_file

    def counting(record: Record, root: Path) -> bool:
        hashed.append(record.path)
        return original(record, root)

    monkeypatch.setattr(Record, "matches_file", counting)
    return hashed


@pytest.mark.parametrize(
    ("age_ns", "whole_seconds", "stamped"),
    [
        (1_000_000_000, False, True),  # settled, on a file system with fine times
        (0, False, False),  # just written: a change now could keep its time
        (1_000_000_000, True, False),  # a coarse file system: two seconds are needed
        (3_000_000_000, True, True),
    ],
)
def test_a_file_an_export_wrote_is_stamped_once_it_can_no_longer_change_unseen(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    age_ns: int,
    whole_seconds: bool,
    stamped: bool,
) -> None:
    record = written(tmp_path, b"good bytes\n", age_ns=age_ns, whole_seconds=whole_seconds)
    stamps = Stamps(tmp_path / "stamps.json")
    stamps.wrote(tmp_path, record)
    stamps.save()
    hashed = hashes(monkeypatch)
    assert Stamps(tmp_path / "stamps.json").intact(tmp_path, record)
    assert hashed == ([] if stamped else ["out.txt"])


def test_a_written_file_that_changed_since_is_not_stamped(tmp_path: Path) -> None:
    record = written(tmp_path, b"good bytes\n", age_ns=1_000_000_000)
    (tmp_path / "out.txt").write_bytes(b"bad\n")
    stamps = Stamps(tmp_path / "stamps.json")
    stamps.wrote(tmp_path, record)
    stamps.save()
    assert not Stamps(tmp_path / "stamps.json").intact(tmp_path, record)
