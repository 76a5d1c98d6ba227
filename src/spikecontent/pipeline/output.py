"""Writing an export's files: staged, then committed only when every artifact has rendered.

An export writes into a new generation of the output (see
:mod:`~spikecontent.store.generations`), which no reader sees until it is switched in
whole. Inside it, each file is first written to a temporary file beside its destination and
flushed to disk; only when the whole run has succeeded are the temporary files renamed into
place, the manifest replaced and outputs of removed content deleted. Files are never
changed in place: the new generation shares unchanged files with the old one by hard links.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Final

from spikecontent.diagnostics import SpikecontentError, os_reason
from spikecontent.store.durable import can_sync_file_system, sync_file_system
from spikecontent.store.generations import GENERATIONS, Generations, private_folder
from spikecontent.tempfiles import LEFTOVER, create_beside

__all__ = [
    "LARGE_FILE",
    "LOCK",
    "OutputBusy",
    "OutputUnwritable",
    "Staging",
    "UnsafeOutput",
    "check_output_folder",
    "output_lock",
    "prune",
    "remove_leftovers",
    "write_atomically",
    "write_beside",
]

LARGE_FILE: Final = 1024 * 1024
"""A file this large is hashed while it is written and flushed to disk at once (for a
smaller one, handing the work to another thread costs more than it saves, and one flush
at commit writes them all: 14,000 in a full export), is written by the pool worker that
made it, and is worth giving its memory back to the system for."""

LOCK: Final = "lock"
"""The file, in the output's private folder, that an export holds locked while it
writes (see :func:`~spikecontent.store.generations.private_folder`)."""


class OutputBusy(SpikecontentError):
    """Another export is writing into the same output folder."""


class OutputUnwritable(SpikecontentError):
    """The output's place cannot be written (a full disk, a read-only file system,
    permissions): said with the folder and why, the last output left as it was."""

    @classmethod
    def of(cls, error: OSError, out: Path) -> OutputUnwritable:
        """The error for ``error``, met while writing the export into ``out``."""
        return cls(
            f"could not write the export into {out}: {os_reason(error)}; nothing was"
            f" written, {out} is as it was (fix: free space, or make the folder and the one"
            " holding it writable, then export again)"
        )


class UnsafeOutput(SpikecontentError):
    """The output folder names something an export must not take over: a file, the
    folder of the content or the profiles, or a folder that holds one of them."""

    exit_code = 2


def check_output_folder(out: Path, inputs: Iterable[tuple[str, Path]]) -> None:
    """Refuse ``out`` (:class:`UnsafeOutput`) when an export would replace what is not an
    export's: the output becomes a link, and a plain folder there is moved aside whole (see
    :mod:`~spikecontent.store.generations`), so a file named as the output would be lost,
    and the content folder, or a folder holding it or the current one, moved away.
    ``inputs`` are the run's folders by what they are (``("content", path)``)."""
    place = Path(os.path.abspath(out))
    if place.exists() and not place.is_dir() and not place.is_symlink():
        raise UnsafeOutput(
            f"{out} is a file, not an output folder; an export would replace it"
            " (fix: name a folder for --out, such as dist, or move the file away)"
        )
    above = next((folder for folder in place.parents if os.path.lexists(folder)), None)
    if above is not None and not above.exists():
        raise UnsafeOutput(
            f"{out} cannot be made: {above} is a link to nothing"
            " (fix: point the link at a folder, or name another folder for --out)"
        )
    if above is not None and not above.is_dir():
        raise UnsafeOutput(
            f"{out} cannot be made: {above} is a file, not a folder"
            " (fix: name a folder for --out, such as dist, or move the file away)"
        )
    # The link's own place, not what it points at: a link is judged by Generations.
    where = place.parent.resolve() / place.name
    fix = "name a folder of the export's own for --out, such as dist beside them"
    for name, folder in (*inputs, ("current", Path.cwd())):
        held = folder.resolve()
        if where == held or where in held.parents:
            raise UnsafeOutput(
                f"{out} is or holds the {name} folder {folder}, which an export would move"
                f" aside to put its output in its place (fix: {fix})"
            )
        if held in where.parents and name != "current":
            raise UnsafeOutput(
                f"{out} is inside the {name} folder {folder}, where an output does not"
                f" belong (fix: {fix})"
            )


@contextlib.contextmanager
def output_lock(root: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold ``root``'s export lock: one export writes into a folder at a time. Without
    ``wait``, :class:`OutputBusy` when another holds it; the lock goes with the process,
    so a killed export never leaves it held."""
    path = private_folder(root) / LOCK
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
    except OSError as error:
        raise OutputUnwritable.of(error, root) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise OutputBusy(
                f"another export is writing into {root}; wait for it, or pass --wait"
            ) from None
        try:
            # No export is running: any unfinished generation or temporary file is stale.
            remove_leftovers(root)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(root: Path) -> int:
    """Delete what an export killed mid-write left for the output folder ``root``
    (``kill -9`` gives no chance to clean up): its unfinished generation and temporary
    files in the private folder; how many. Call it only while holding the lock."""
    removed = Generations(root).clean()
    private = private_folder(root)
    folders = [p for p in private.iterdir() if p.is_dir()] if private.is_dir() else []
    for folder in folders:
        if folder.name == GENERATIONS:
            continue  # unfinished ones are gone whole; finished ones hold no temporary file
        for path in folder.rglob("*.tmp"):
            if LEFTOVER.fullmatch(path.name) and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
    return removed


def _write_temporary(final: Path, data: bytes, *, sync: bool = True, mode: int = 0o666) -> Path:
    # 0o666: an export is for web servers running as other users, so files get what the
    # umask gives any new file (0644 under umask 022).
    descriptor, name = create_beside(final, mode)
    try:
        with os.fdopen(descriptor, "wb", buffering=0) as handle:
            view = memoryview(data)
            while view:  # a raw write may take less than all of it
                view = view[handle.write(view) :]
            if sync:
                os.fsync(descriptor)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def write_beside(final: Path, data: bytes) -> tuple[Path, str]:
    """``data`` written to a new temporary file beside ``final`` (its folders made); the
    file and the SHA-256 of ``data``. For :meth:`Staging.adopt`, which makes it durable."""
    temporary, _, sha256 = write_chunks_beside(final, (data,))
    return temporary, sha256


def write_chunks_beside(final: Path, chunks: Iterable[bytes | memoryview]) -> tuple[Path, int, str]:
    """``chunks`` written in turn to a new temporary file beside ``final`` (its folders
    made), never joined in memory: the file, their size and SHA-256. For
    :meth:`Staging.adopt`, which makes it durable (its flush to disk waits there, while
    the export renders on).

    Each chunk is hashed on another thread while it is written (both let go of the
    interpreter lock), one chunk at a time: no more than one is held for the hash."""
    final.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = create_beside(final, 0o666)  # as any output: see _write_temporary
    digest, size = hashlib.sha256(), 0
    try:
        with (
            os.fdopen(descriptor, "wb") as handle,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="spikecontent-hash") as hashing,
        ):
            hashed: Future[None] | None = None
            for chunk in chunks:
                if hashed is not None:
                    hashed.result()
                hashed = hashing.submit(digest.update, chunk)
                handle.write(chunk)
                size += len(chunk)
            if hashed is not None:
                hashed.result()
    except BaseException:
        os.unlink(name)
        raise
    return Path(name), size, digest.hexdigest()


def _sync(path: Path) -> None:
    """``path``'s bytes on disk (an ``fsync`` through any descriptor of the file)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(final: Path, data: bytes, *, private: bool = False) -> None:
    """Replace ``final`` with ``data`` (on disk) so that readers see the old file or the
    new one; ``private``: readable by this user only (0600), as the pipeline's own files
    beside the output are."""
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(_write_temporary(final, data, mode=0o600 if private else 0o666), final)


class Staging:
    """Files written beside their destinations, waiting for :meth:`commit`.

    One thread of its own writes them, and another hashes them (each of which lets go of
    the interpreter lock), while the export renders the next: after one change at 1,000
    articles, 135 MB of composed files to write and hash. They reach the disk before
    :meth:`commit` returns: large ones by an ``fsync`` each on the staging's thread, as
    soon as it has written them or been given them (:meth:`adopt`), the others through
    one flush of the file system where Linux offers it (:mod:`.durable`), else an
    ``fsync`` each too."""

    _PENDING_BYTES: Final = 16 * 1024 * 1024
    """At most this much rendered data waits for the thread; past it, :meth:`stage` waits."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._staged: dict[Path, Path] = {}
        self._created: list[Path] = []
        self._present: set[Path] = set()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spikecontent-stage")
        self._hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spikecontent-hash")
        self._waiting: collections.deque[tuple[Future[str], int]] = collections.deque()
        self._waiting_bytes = 0
        self._sync_each = not can_sync_file_system()

    def stage(self, relative: str, data: bytes) -> Future[str]:
        """Write ``data`` for ``root/relative`` to a temporary file, in the background;
        the SHA-256 of ``data`` once written, or the OSError that stopped it."""
        final = self.root / relative
        self._make_folders(final.parent)
        while self._waiting and self._waiting_bytes + len(data) > self._PENDING_BYTES:
            future, size = self._waiting.popleft()
            self._waiting_bytes -= size
            futures.wait([future])
        future = self._thread.submit(self._write, final, data)
        self._waiting.append((future, len(data)))
        self._waiting_bytes += len(data)
        return future

    def adopt(self, relative: str, temporary: Path, sha256: str) -> Future[str]:
        """Take as staged for ``root/relative`` a file :func:`write_beside` wrote (in a
        worker process, say); ``sha256`` is its digest, given back as :meth:`stage`
        gives it once the file is on disk (flushed by the staging's thread, as a large
        file it writes itself is), or the OSError that stopped it."""
        self._staged[self.root / relative] = temporary
        return self._thread.submit(self._adopted, temporary, sha256)

    @staticmethod
    def _adopted(temporary: Path, sha256: str) -> str:
        _sync(temporary)
        return sha256

    def _write(self, final: Path, data: bytes) -> str:
        if len(data) < LARGE_FILE:
            self._staged[final] = _write_temporary(final, data, sync=self._sync_each)
            return _sha256(data)
        # A large file is flushed as soon as it is written, while the export renders on:
        # the flush at commit then has only small files left to write.
        digest = self._hashing.submit(_sha256, data)
        self._staged[final] = _write_temporary(final, data, sync=True)
        return digest.result()

    def finish(self) -> None:
        """Wait until every staged file is written (or has failed)."""
        self._thread.shutdown(wait=True)
        self._hashing.shutdown(wait=True)
        self._waiting.clear()
        self._waiting_bytes = 0

    def commit(self) -> None:
        """Move every staged file into place, on disk (:class:`OSError` when it cannot be
        written there: then the caller discards the generation)."""
        self.finish()
        if not self._sync_each and self._staged:
            sync_file_system(self.root)
        for final, temporary in self._staged.items():
            os.replace(temporary, final)
        self._staged.clear()
        self._created.clear()

    def discard(self) -> None:
        """Remove every staged file, and folders this staging created that are now empty."""
        self.finish()  # a write under way would leave its file behind
        for temporary in self._staged.values():
            temporary.unlink(missing_ok=True)
        self._staged.clear()
        for folder in reversed(self._created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._created.clear()

    def _make_folders(self, folder: Path) -> None:
        if folder in self._present:  # a stat per file was a tenth of staging 14,000
            return
        missing: list[Path] = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self._created.append(path)
        self._present.update(missing)
        self._present.add(folder)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prune(root: Path, relative_paths: list[str]) -> None:
    """Delete outputs that are no longer made, and folders left empty by it."""
    for relative in relative_paths:
        path = root / relative
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
