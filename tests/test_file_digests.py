"""A file is read again only when its identity changed, and never on the strength of a
time that had not settled."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from spikecontent.store import StampTable, file_digests
from spikecontent.store.file_digests import file_digest


def written_long_ago(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    then = time.time_ns() - 10_000_000_000 + 123_456_789  # ten seconds ago, fine-grained
    os.utime(path, ns=(then, then))


def test_a_file_as_last_read_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "study.yaml"
    written_long_ago(path, b"year: 2012\n")
    digest, data = file_digest(path)
    assert data == b"year: 2012\n"
    assert digest == hashlib.sha256(data).hexdigest()
    assert file_digest(path) == (digest, None)


def test_a_changed_file_is_read_again_even_at_the_same_size(tmp_path: Path) -> None:
    path = tmp_path / "study.yaml"
    written_long_ago(path, b"year: 2012\n")
    file_digest(path)
    path.write_bytes(b"year: 2013\n")  # a new modification time
    digest, data = file_digest(path)
    assert data == b"year: 2013\n"
    assert digest == hashlib.sha256(b"year: 2013\n").hexdigest()


def test_a_file_written_just_now_is_read_every_time(tmp_path: Path) -> None:
    # Changed again within the clock's tick, it would keep its time: not remembered yet.
    path = tmp_path / "study.yaml"
    path.write_bytes(b"year: 2012\n")
    assert file_digest(path)[1] == b"year: 2012\n"
    assert file_digest(path)[1] == b"year: 2012\n"


def test_a_process_remembers_a_bounded_number_of_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_digests, "_KNOWN", StampTable(limit=3))
    paths = [tmp_path / f"study-{n}.yaml" for n in range(4)]
    for path in paths:
        written_long_ago(path, path.name.encode())
        file_digest(path)
    assert len(file_digests._KNOWN) == 1  # the fourth found three and forgot them
    assert file_digest(paths[3])[1] is None
    assert file_digest(paths[0])[1] == b"study-0.yaml"
