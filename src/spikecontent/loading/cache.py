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
from pathlib import Path
from typing import Any, Final

from spikecontent.loading.source_map import SourceMap
from spikecontent.tempfiles import create_beside

__all__ = [
    "KEY_VARIABLE",
    "LoadCache",
    "forget_resident",
    "read_signed",
    "save_cache_file",
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
                payload = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
                save_signed(self.folder / key[:2] / key, payload)
            self._prune()
        self._pending.clear()

    def _prune(self) -> None:
        """Remove the entries this load did not use: those of files since changed or
        removed (each edit left one behind, for ever). Done only after a load that wrote
        something new, which is when there can be any."""
        with contextlib.suppress(OSError):
            for folder in os.scandir(self.folder):
                if not (folder.is_dir() and _SHARD.fullmatch(folder.name)):
                    continue
                for entry in os.scandir(folder.path):
                    if _KEY.fullmatch(entry.name) and entry.name not in self._used:
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
    can do without."""
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
