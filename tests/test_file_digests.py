"""A file is read again only when its identity changed, and never on the strength of a
time that had not settled."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from spikecontent.loading.file_digests import file_digest


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
