"""Signed, content-addressed blobs: every keyed cache of the incremental engine.

A blob is found by its *kind* (a folder: ``entities``, ``parts``,
``remembered/<scope>``, ``lint-findings``...) and a *digest* that the layer storing it
computes from what the blob is made of (its keys: a file's bytes and the class it loads
as, an artifact's path, a writer's inputs...). The store knows no layer's keys: it only
keeps, signs, verifies, and prunes.

- **Signed**: every blob is signed with this user's key (:mod:`.signing`), and one that
  does not verify is never returned (nor unpickled): it is missing, and made again.
- **Bounded and pruned**: a layer sweeps a kind after a run that succeeded
  (:meth:`Blobs.sweep`), keeping only the digests that run used, so a kind holds one
  run's worth, never every version ever made; :meth:`Blobs.drop` removes a whole kind
  (a writer scope no profile has any more).
- **Written whole**: a temporary file renamed over the blob, so no reader sees half.

Without a signing key nothing is kept (:attr:`Blobs.enabled`), and every layer works
from scratch, as with an empty store.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import shutil
from collections.abc import Container
from pathlib import Path
from typing import Any, Final

from spikecontent.store.signing import read_signed, save_signed, signing_key

__all__ = ["MISSING", "Blobs", "pickled", "unpickled"]

MISSING: Final[Any] = object()
"""What :meth:`Blobs.load` gives for a blob that is not there, or not to be trusted."""
_DIGEST: Final = re.compile("[0-9a-f]{16,64}")
"""A blob's name: a hexadecimal digest (or its first 16 digits or more)."""
_KIND: Final = re.compile("[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?")
_UNPICKLING: Final = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError)
"""What unpickling a verified blob raises when other code made it: it is made again."""


def pickled(value: Any) -> bytes | None:
    """``value`` pickled as the store keeps it; None when it cannot be pickled."""
    try:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def unpickled(payload: bytes | memoryview) -> Any:
    """What :func:`pickled` made, from a verified blob's bytes; :data:`MISSING` when
    other code made it and it no longer unpickles."""
    try:
        return pickle.loads(payload)
    except _UNPICKLING:
        return MISSING


class Blobs:
    """The blobs under ``folder``, one file each: ``<folder>/<kind>/<digest>``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def enabled(self) -> bool:
        """Whether blobs can be kept here (there is a signing key)."""
        return signing_key() is not None

    def path(self, kind: str, digest: str) -> Path:
        """Where the blob ``digest`` of ``kind`` is (or would be) kept."""
        if not _KIND.fullmatch(kind) or not _DIGEST.fullmatch(digest):
            raise ValueError(f"not a blob's kind and digest: {kind!r}, {digest!r}")
        return self.folder / kind / digest

    def get(self, kind: str, digest: str) -> memoryview | None:
        """The blob's bytes, or None when it is missing or does not verify."""
        return read_signed(self.path(kind, digest))

    def put(self, kind: str, digest: str, *chunks: bytes) -> None:
        """Keep ``chunks`` as the blob ``digest`` of ``kind``, replacing any; failures
        are ignored (a store can do without)."""
        save_signed(self.path(kind, digest), *chunks)

    def load(self, kind: str, digest: str) -> Any:
        """The object pickled in the blob, or :data:`MISSING` (also when other code made
        it, and it no longer unpickles)."""
        payload = self.get(kind, digest)
        return MISSING if payload is None else unpickled(payload)

    def dump(self, kind: str, digest: str, value: Any) -> bool:
        """Keep ``value`` pickled as a blob; False when it cannot be pickled."""
        payload = pickled(value)
        if payload is None:
            return False
        self.put(kind, digest, payload)
        return True

    def remove(self, kind: str, digest: str) -> None:
        """Remove one blob, if it is there."""
        with contextlib.suppress(OSError):
            self.path(kind, digest).unlink(missing_ok=True)

    def sweep(self, kind: str, keep: Container[str]) -> None:
        """Remove every blob of ``kind`` whose digest is not in ``keep``."""
        self.path(kind, "0" * 16)  # checks the kind
        with contextlib.suppress(OSError), os.scandir(self.folder / kind) as found:
            for entry in found:
                if _DIGEST.fullmatch(entry.name) and entry.name not in keep:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)

    def kinds(self, parent: str) -> list[str]:
        """The kinds kept under ``parent`` (``remembered`` gives ``remembered/<scope>``)."""
        with contextlib.suppress(OSError), os.scandir(self.folder / parent) as found:
            return sorted(
                f"{parent}/{entry.name}"
                for entry in found
                if entry.is_dir(follow_symlinks=False) and _KIND.fullmatch(f"{parent}/{entry.name}")
            )
        return []

    def drop(self, kind: str) -> None:
        """Remove every blob of ``kind``, and the kind."""
        self.path(kind, "0" * 16)  # checks the kind
        shutil.rmtree(self.folder / kind, ignore_errors=True)
