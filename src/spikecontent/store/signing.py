"""Signed files: what the store writes where others may write too.

The store lives beside the output folder, which others may be able to write to, and some
of its blobs are pickles: unpickling a planted file would run its code. So every blob is
signed with HMAC-SHA256 under a key kept outside that folder (:func:`signing_key`, in the
user's cache folder), and one whose signature does not match is never returned: it is
taken as missing, and made again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Final

from spikecontent.tempfiles import create_beside

__all__ = [
    "KEY_VARIABLE",
    "read_signed",
    "save_signed",
    "signing_key",
    "user_cache_folder",
    "write_private",
]

KEY_VARIABLE: Final = "SPIKECONTENT_CACHE_KEY_FILE"
"""Where the signing key is kept, if not in the user's cache folder."""
_TAG: Final = hashlib.sha256().digest_size


def user_cache_folder() -> Path:
    """spikecontent's folder in this user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "spikecontent"


@functools.cache
def signing_key() -> bytes | None:
    """This user's key for signing the store's blobs, made on first use (readable by its
    owner only); None when it can be neither read nor made, and then nothing is kept."""
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
    # Views, not slices: a blob may hold a whole import file's index, or tens of MB.
    tag, payload = memoryview(data)[:_TAG], memoryview(data)[_TAG:]
    if not hmac.compare_digest(tag, hmac.digest(secret, payload, "sha256")):
        return None
    return payload


def save_signed(path: Path, *chunks: bytes) -> None:
    """Write ``chunks`` to ``path`` as :func:`write_private` does, signed with this
    user's key (nothing is written without one)."""
    secret = signing_key()
    if secret is None:
        return
    tag = hmac.new(secret, digestmod="sha256")
    for chunk in chunks:
        tag.update(chunk)
    write_private(path, tag.digest(), *chunks)


def write_private(path: Path, *chunks: bytes) -> None:
    """Write ``chunks`` to ``path``, readable by this user alone, one after the other,
    whole (a temporary file renamed over it, so no reader sees half of it) or not at all:
    failures are ignored, a store can do without."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = create_beside(path, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.writelines(chunks)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
