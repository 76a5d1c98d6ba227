"""A cache of files already checked: the entity and its source map, keyed by the bytes.

Loading is parse, then structure and validate, per file; for an unchanged file the result
is the same, so it is pickled here under the SHA-256 of the file's bytes, its type, the
name it is shown under and spikecontent's version. Only files that loaded without error
are cached: diagnostics are always computed afresh, and checks across files (ids,
references) always run. The cache is private to one machine; delete it at any time.

The cache lives in the output folder, which others may be able to write to; unpickling a
planted file would run its code. So every entry is signed with HMAC-SHA256 under a key
kept outside the output folder (:func:`signing_key`, in the user's cache folder), and an
entry whose signature does not match is never unpickled: it is ignored and rebuilt.

A process also keeps its last successful load's entries in memory, so loading again in
the same process (``export --watch``) reads from disk only what changed.

Inside :func:`cache_writes_in_background` (an export), a thread's cache files are written by
a thread of their own, in order, while it goes on: a first export writes 4,000 of them
(entities, writers' remembered values), a second's worth of waiting on the file system.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

from spikecontent.background import InOrder
from spikecontent.loading.source_map import SourceMap
from spikecontent.tempfiles import create_beside

__all__ = [
    "KEY_VARIABLE",
    "LoadCache",
    "cache_writes_in_background",
    "forget_resident",
    "in_cache_order",
    "read_signed",
    "save_cache_file",
    "save_pickled",
    "save_signed",
    "signing_key",
    "user_cache_folder",
]

KEY_VARIABLE: Final = "SPIKECONTENT_CACHE_KEY_FILE"
"""Where the signing key is kept, if not in the user's cache folder."""
_TAG: Final = hashlib.sha256().digest_size


def user_cache_folder() -> Path:
    """spikecontent's folder in this user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "spikecontent"


@functools.cache
def signing_key() -> bytes | None:
    """This user's key for signing cache entries, made on first use (readable by its owner
    only); None when it can be neither read nor made, and then nothing is cached."""
    path = Path(os.environ.get(KEY_VARIABLE) or user_cache_folder() / "load-cache.key")
    with contextlib.suppress(OSError):
        return path.read_bytes()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    with contextlib.suppress(OSError):
        return path.read_bytes()  # ours, or another process's made at the same moment
    return None


_FORMAT = 4
_SHARD: Final = re.compile("[0-9a-f]{2}")
_KEY: Final = re.compile("[0-9a-f]{64}")

_RESIDENT: dict[str, tuple[Any, SourceMap]] = {}
"""The entries of this process's last load that succeeded, by key: read from disk and
verified, or made here. A process that loads again (``export --watch`` on every save)
then unpickles only what changed. Entities are immutable, so sharing them is safe."""


def forget_resident() -> None:
    """Drop the entries this process keeps in memory: the next load reads the disk, as a
    new process would."""
    _RESIDENT.clear()


class LoadCache:
    """Checked entities on disk under ``folder``, one small file each (and in memory,
    for the process's next load)."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self._version = version
        self._pending: dict[str, tuple[Any, SourceMap]] = {}
        self._used: dict[str, tuple[Any, SourceMap]] = {}

    def key(self, file_digest: str, cls: type, display: str) -> str:
        """The cache key of one file, by the SHA-256 of its bytes, loaded as ``cls`` and
        shown as ``display``."""
        described = f"{cls.__module__}.{cls.__qualname__}\0{display}\0{self._version}"
        # The format of an entry: (entity, allowances, outgoing, data digest) and its
        # source map.
        text = f"{file_digest}\0{described}\0{_FORMAT}"
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> tuple[Any, SourceMap] | None:
        """The cached entity and source map, or None (also for an entry not signed with
        this user's key, which is never unpickled)."""
        resident = _RESIDENT.get(key)
        if resident is not None:
            self._used[key] = resident
            return resident
        payload = read_signed(self.folder / key[:2] / key)
        if payload is None:
            return None  # none, foreign, corrupt or from another key: load the file instead
        try:
            found: tuple[Any, SourceMap] = pickle.loads(payload)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # written by another version: load the file instead
        self._used[key] = found
        return found

    def put(self, key: str, entity: Any, source: SourceMap) -> None:
        """Remember one loaded file, to be written by :meth:`flush`."""
        self._pending[key] = self._used[key] = (entity, source)

    def flush(self) -> None:
        """Write what :meth:`put` remembered. Called only after a load without errors, so a
        failed run leaves no trace; failures to write are ignored (it is only a cache)."""
        _RESIDENT.clear()
        _RESIDENT.update(self._used)
        if signing_key() is not None and self._pending:
            for key, found in self._pending.items():
                save_pickled(self.folder / key[:2] / key, found)
            in_cache_order(functools.partial(_prune, self.folder, frozenset(self._used)))
        self._pending.clear()


def _prune(folder: Path, used: frozenset[str]) -> None:
    """Remove the entries in ``folder`` a load did not use: those of files since changed
    or removed (each edit left one behind, for ever). Done only after a load that wrote
    something new, which is when there can be any."""
    with contextlib.suppress(OSError):
        for shard in os.scandir(folder):
            if not (shard.is_dir() and _SHARD.fullmatch(shard.name)):
                continue
            for entry in os.scandir(shard.path):
                if _KEY.fullmatch(entry.name) and entry.name not in used:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def read_signed(path: Path) -> memoryview | None:
    """What :func:`save_signed` wrote to ``path``, or None when there is nothing there, or
    it is not signed with this user's key (planted, damaged, another user's): then it
    must not be trusted, let alone unpickled."""
    secret = signing_key()
    if secret is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # Views, not slices: a file may hold a whole import file, tens of megabytes.
    tag, payload = memoryview(data)[:_TAG], memoryview(data)[_TAG:]
    if not hmac.compare_digest(tag, hmac.digest(secret, payload, "sha256")):
        return None
    return payload


def save_pickled(path: Path, value: Any) -> None:
    """Pickle ``value`` and write it to ``path`` as :func:`save_signed` does; nothing when
    it cannot be pickled. Inside :func:`cache_writes_in_background`, both in the
    background: ``value`` must not change meanwhile (no entity ever does), and no copy of
    it waits in memory, only the value itself."""
    in_cache_order(functools.partial(_pickle_signed, path, value))


def _pickle_signed(path: Path, value: Any) -> None:
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # kept in memory only, where the caller has it
    save_signed(path, payload)


def save_signed(path: Path, *chunks: bytes) -> None:
    """Write ``chunks`` to ``path`` as :func:`save_cache_file` does, signed with this
    user's key (nothing is written without one)."""
    secret = signing_key()
    if secret is None:
        return
    tag = hmac.new(secret, digestmod="sha256")
    for chunk in chunks:
        tag.update(chunk)
    save_cache_file(path, tag.digest(), *chunks)


def save_cache_file(path: Path, *chunks: bytes) -> None:
    """Write ``chunks`` to ``path``, one after the other, whole (a temporary file renamed
    over it, so no reader sees half of it) or not at all: failures are ignored, a cache
    can do without. Inside :func:`cache_writes_in_background`, in the background."""
    in_cache_order(functools.partial(_write, path, chunks), sum(map(len, chunks)))


def _write(path: Path, chunks: tuple[bytes, ...]) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = create_beside(path, 0o600)  # this user's alone
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.writelines(chunks)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


_PENDING_BYTES: Final = 16 * 1024 * 1024
"""At most this much of the cache's bytes waits to be written; past it, writers wait
(values given to :func:`save_pickled` are pickled as they are written, and not counted:
they are in memory anyway)."""


class _Background(threading.local):
    """The thread writing this thread's cache files, and the process it belongs to (a
    forked child inherits the variable, not the thread)."""

    writer: InOrder | None = None
    process: int = 0
    failures: list[BaseException]

    def __init__(self) -> None:
        self.failures = []


_BACKGROUND: Final = _Background()


@contextlib.contextmanager
def cache_writes_in_background() -> Iterator[None]:
    """Inside, this thread's cache writes (:func:`save_cache_file` and what
    :func:`in_cache_order` is given) are done by a thread of their own, in order, while
    this one goes on; leaving waits until all are done, so whatever runs next finds the
    cache as if they had been written on the spot. An error other than the file system's
    (which a cache ignores) is raised on leaving."""
    if _BACKGROUND.writer is not None and _BACKGROUND.process == os.getpid():
        yield  # the outer one waits
        return
    _BACKGROUND.writer, _BACKGROUND.process = (
        InOrder("spikecontent-cache", _PENDING_BYTES),
        os.getpid(),
    )
    _BACKGROUND.failures = []
    try:
        yield
    finally:
        writer, _BACKGROUND.writer = _BACKGROUND.writer, None
        writer.finish()
        failures, _BACKGROUND.failures = _BACKGROUND.failures, []
    if failures:
        raise failures[0]


def in_cache_order(work: Callable[[], object], size: int = 0) -> None:
    """Run ``work`` (a cache write, or a removal that must come after the writes before
    it), which holds ``size`` bytes until done: now, or inside
    :func:`cache_writes_in_background` after everything given before it."""
    writer = _BACKGROUND.writer
    if writer is None or _BACKGROUND.process != os.getpid():
        work()
        return
    writer.submit(size, _noting_failure, work, _BACKGROUND.failures)


def _noting_failure(work: Callable[[], object], failures: list[BaseException]) -> None:
    try:
        work()
    except BaseException as error:  # a bug: raised where the export waits for the writes
        failures.append(error)
