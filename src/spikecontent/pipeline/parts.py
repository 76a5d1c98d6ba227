"""The rendered parts of composed artifacts, kept between exports by their inputs' digests.

A composed artifact (one with :attr:`~spikecontent.pipeline.Artifact.parts`, such as an
import file holding every reply) is rendered again whenever any of its entries changes,
but most of its parts did not: their bytes are kept here, one file per artifact, under
the digest of each part's inputs, and only the parts whose digest is new are rendered.

The files live in the export's private folder, beside the output. They hold bytes that
go into the output without being read back again, so each is signed with the load
cache's key (:func:`~spikecontent.loading.cache.signing_key`); a file whose signature does
not match, or that cannot be read, only costs rendering every part again.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import attrs

from spikecontent.loading.cache import read_signed, save_signed, signing_key

__all__ = ["PARTS", "KeptParts", "PartStore"]

PARTS: Final = "parts"
"""The store's folder, in the load cache's folder beside the output."""

_MAGIC: Final = b"spikecontent parts 1\n"
_HEAD: Final = struct.Struct(">32sI")  # a part's digest, the length of its bytes


@attrs.frozen(kw_only=True)
class KeptParts:
    """Where to find a composed artifact's parts from earlier exports; read only when it
    renders, so an export holds one file's parts at a time. (A worker on another machine
    finds no store there and renders every part: the same bytes, only slower.)"""

    folder: Path
    path: str
    digests: tuple[str, ...]
    """Each part's inputs now, aligned with the artifact's parts."""

    def load(self) -> tuple[bytes | None, ...]:
        """Each part's kept bytes, None for a part not kept under its digest."""
        kept = PartStore(self.folder).load(self.path)
        return tuple(kept.get(digest) for digest in self.digests)


class PartStore:
    """Part bytes by digest, one file per composed artifact under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load(self, path: str) -> dict[str, bytes]:
        """The parts kept for the artifact at ``path`` (relative to the output), by the
        hex digest of their inputs; empty when there are none or they cannot be trusted."""
        body = read_signed(self._file(path))
        if body is None or body[: len(_MAGIC)].tobytes() != _MAGIC:
            return {}
        found: dict[str, bytes] = {}
        offset = len(_MAGIC)
        while offset < len(body):
            if offset + _HEAD.size > len(body):
                return {}
            digest, size = _HEAD.unpack_from(body, offset)
            offset += _HEAD.size
            found[digest.hex()] = bytes(body[offset : offset + size])
            offset += size
        return found if offset == len(body) else {}

    def save(self, path: str, parts: Mapping[str, bytes]) -> None:
        """Keep exactly ``parts`` for the artifact at ``path``, replacing what was kept.
        Failures to write are ignored: it is only a cache."""
        if signing_key() is None:
            return
        chunks = [_MAGIC]
        for digest, data in parts.items():
            chunks += [_HEAD.pack(bytes.fromhex(digest), len(data)), data]
        save_signed(self._file(path), *chunks)

    def _file(self, path: str) -> Path:
        return self.folder / f"{hashlib.sha256(path.encode()).hexdigest()[:32]}.parts"
