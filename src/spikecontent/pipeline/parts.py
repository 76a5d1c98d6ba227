"""The rendered parts of composed artifacts, found again in the output that holds them.

A composed artifact (one with :attr:`~spikecontent.pipeline.Artifact.parts`, such as an
import file holding every reply) is rendered again whenever any of its entries changes,
but most of its parts did not. Their bytes are already in the file the last export wrote:
after each render the pipeline finds every part in the joined file, in order, and keeps
an index, one per artifact, of where each part's bytes are under the digest of its
inputs (and under the digest of what they all share, the artifact's writer, options and
templates: a part kept under another is not used). The next export takes the unchanged
parts out of that file and renders only the parts whose digest is new. Only an index is
written (tens of bytes per part): copying the parts' bytes into a store of their own
rewrote as much as the outputs themselves, 135 MB for the 1,000-article corpus, on every
export.

An index names the SHA-256 of the file it indexes, and is used only when the output file
is the one recorded for the artifact and still intact (see :mod:`.stamps`). Indexes are
blobs of kind ``parts`` in the export's store (:class:`~spikecontent.store.Blobs`),
under a digest of the artifact's path: one that does not verify, or a join that does
not keep its parts' bytes as they are, only costs rendering every part again.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import struct
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final

import attrs

from spikecontent.sdk.writer import PartBytes
from spikecontent.store import Blobs
from spikecontent.store.collector import lasting

__all__ = ["PARTS", "Kept", "KeptParts", "PartStore", "coalesced", "locate_parts"]

PARTS: Final = "parts"
"""The indexes' kind of blob in the store."""

_MAGIC: Final = b"spikecontent part index 2\n"
# The output's SHA-256, the parts' frame, the output's size, the parts' count.
_FILE: Final = struct.Struct(">32s32sQI")
_PART: Final = struct.Struct(">32sQI")  # a part's digest, its offset, its length


def locate_parts(data: bytes, parts: Sequence[PartBytes]) -> list[tuple[int, int]] | None:
    """Where each of ``parts`` is in ``data``, in order and apart, as (offset, length);
    None when one is not there as it is. (Where a part's bytes also occur elsewhere, as
    in a header, that place holds the same bytes: any place found is right.)"""
    return _places(data, parts, guess=True) or _places(data, parts, guess=False)


def _places(
    data: bytes, parts: Sequence[PartBytes], *, guess: bool
) -> list[tuple[int, int]] | None:
    # Parts are mostly apart by the same separator, so comparing there first is fast (a
    # search prepares the whole part first, 9,000 times a file); but a guess can skip a
    # place a later part needed, and then only searching each part at the first place
    # after the one before always finds them, if they are there.
    found: list[tuple[int, int]] = []
    position = gap = 0
    for part in parts:
        if guess and data.startswith(part, position + gap):
            offset = position + gap
        else:
            offset = data.find(part, position)
            if offset < 0:
                return None
        found.append((offset, len(part)))
        gap = offset - position
        position = offset + len(part)
    return found


@attrs.frozen(kw_only=True)
class KeptParts:
    """Where to find a composed artifact's parts from the last export: its index and its
    output file, read only when it renders. (A worker on another machine finds neither
    and renders every part: the same bytes, only slower.)"""

    folder: Path
    path: str
    """The artifact's path, relative to the output folder."""
    output: Path
    """The file the last export wrote for it, found intact."""
    identity: tuple[int, int, int]
    """That file's inode, size and modification time when it was found intact: the file
    mapped at render time must still be that one (something may write into the output
    folder between planning and rendering)."""
    sha256: str
    """That file's recorded SHA-256."""
    frame: str
    """What the parts share now (see :attr:`~spikecontent.pipeline.planning.Job.frame`)."""
    digests: tuple[bytes, ...]
    """Each part's inputs now (SHA-256 digests), aligned with the artifact's parts."""

    def load(self) -> Kept:
        """Each part's kept bytes, as a view of the file mapped into memory (copying 9,000
        parts out of it cost more memory than the file, and reading it a copy of 26 MB),
        None for a part not kept under its digest; and where each is in that file."""
        nothing = Kept(parts=(None,) * len(self.digests))
        where = PartStore(self.folder).index(self.path, self.sha256, self.frame)
        if where is None:
            return nothing
        size, places = where
        try:
            mapped = _mapped(self.output, size, self.identity)
        except (OSError, ValueError):  # gone, or emptied: nothing to map
            return nothing
        if mapped is None:
            return nothing
        view = memoryview(mapped)
        parts: list[memoryview | None] = []
        offsets: dict[int, int] = {}
        for digest in self.digests:
            at = places.get(digest)
            if at is None:
                parts.append(None)
                continue
            part = view[at[0] : at[0] + at[1]]
            offsets[id(part)] = at[0]
            parts.append(part)
        return Kept(parts=tuple(parts), source=mapped, offsets=offsets)


@attrs.frozen(kw_only=True)
class Kept:
    """A composed artifact's parts kept from the last export (see :meth:`KeptParts.load`),
    with the file they are views of: what :func:`coalesced` needs to write the new file's
    unchanged stretches as whole ranges of the last one."""

    parts: tuple[memoryview | None, ...]
    """Each part's kept bytes, None for one to render."""
    source: mmap.mmap | None = None
    """The last output, mapped (None when nothing is kept)."""
    offsets: dict[int, int] = attrs.field(factory=dict, eq=False, repr=False)
    """Where each kept part's view starts in ``source``, by the view's ``id()`` (the
    views live as long as ``parts``, and a writer's join yields them as they came)."""


_BATCH: Final = 1024 * 1024
"""Rendered chunks in a row are joined up to this many bytes before they are written:
one write and one hash update per megabyte, not per part and separator (113,000 calls
for the macros' eight files at 1,000 articles), with never more than that held joined."""


def coalesced(chunks: Iterable[PartBytes], kept: Kept) -> Iterator[PartBytes]:
    """The bytes of ``chunks``, in order, in fewer and larger chunks: each stretch that is
    the last output's bytes as they were (its kept parts, and whatever lies between
    them unchanged: separators, a header) one view of that file, the rest joined up to
    :data:`_BATCH` bytes. After one change, a file of 8,000 parts is then a handful of
    ranges of the last one, written and hashed in a few calls."""
    source, offsets = kept.source, kept.offsets
    whole = memoryview(source) if source is not None else None
    # The stretch of the last output under way is source[start:end]; ``position`` is
    # where the next chunk would be in it if the file goes on as before (None after a
    # rendered chunk: the last output's bytes there are unknown).
    start = end = 0
    position: int | None = 0 if source is not None else None
    rendered: list[PartBytes] = []
    size = 0
    for chunk in chunks:
        length = len(chunk)
        at = offsets.get(id(chunk))
        if at is None and _holds(source, position, chunk):
            at = position
        if at is None:
            if start < end:
                assert whole is not None
                yield whole[start:end]
                start = end = 0
            rendered.append(chunk)
            size += length
            position = None
            if size >= _BATCH:
                yield b"".join(rendered)
                rendered, size = [], 0
            continue
        if rendered:
            yield b"".join(rendered)
            rendered, size = [], 0
        if at != end or start == end:  # not where the stretch under way ends
            if start < end:
                assert whole is not None
                yield whole[start:end]
            start = at
        end = position = at + length
    if start < end:
        assert whole is not None
        yield whole[start:end]
    if rendered:
        yield b"".join(rendered)


def _holds(source: mmap.mmap | None, position: int | None, chunk: PartBytes) -> bool:
    """Whether ``source`` holds ``chunk`` at ``position``. (A slice of the map is bytes,
    compared at once, where a view is compared a byte at a time: 30 times slower.)"""
    if source is None or position is None:
        return False
    return source[position : position + len(chunk)] == chunk


def _mapped(path: Path, size: int, identity: tuple[int, int, int]) -> mmap.mmap | None:
    """The file at ``path`` mapped read-only, when it has ``size`` bytes and is still the
    file found intact (``identity``: inode, size, modification time): one replaced since,
    even by a file of the same size, is not mapped, and every part is rendered again.
    spikecontent never changes an output in place (each write is a new file renamed over
    the old), so the mapping keeps the bytes it was made with if the file is replaced
    afterwards; a file truncated in place by another program while mapped would still
    end the process (SIGBUS), which no check before the mapping can rule out."""
    with path.open("rb") as handle:
        found = os.fstat(handle.fileno())
        if found.st_size != size or (found.st_ino, found.st_size, found.st_mtime_ns) != identity:
            return None
        return mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ)


_SAVED: dict[Path, tuple[str, str, int, dict[bytes, tuple[int, int]]]] = lasting({})
"""The last index this process saved at each index file, parsed: the next export in the
same process (``export --watch``) needs no reading, verifying and parsing of 64,000
entries to find the parts of the file it just wrote."""


class PartStore:
    """One index of part places per composed artifact, in the store under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._blobs = Blobs(folder)

    def index(
        self, path: str, sha256: str, frame: str
    ) -> tuple[int, dict[bytes, tuple[int, int]]] | None:
        """The size of the output with SHA-256 ``sha256`` kept for ``path``, and each part's
        (offset, length) in it by the digest of its inputs; None when there is no index
        for that very file and ``frame``, or it cannot be trusted."""
        known = _SAVED.get(self._file(path))
        if known is not None and known[:2] == (sha256, frame):
            return known[2], known[3]
        body = self._blobs.get(PARTS, _digest(path))
        if body is None or body[: len(_MAGIC)].tobytes() != _MAGIC:
            return None
        offset = len(_MAGIC)
        if len(body) < offset + _FILE.size:
            return None
        digest, kept_frame, size, count = _FILE.unpack_from(body, offset)
        offset += _FILE.size
        if digest.hex() != sha256 or kept_frame.hex() != frame:
            return None
        if len(body) != offset + count * _PART.size:
            return None
        places: dict[bytes, tuple[int, int]] = {}
        for part, start, length in _PART.iter_unpack(body[offset:]):
            if start + length > size:
                return None
            places[part] = (start, length)
        return size, places

    def save(
        self,
        path: str,
        frame: str,
        digests: Sequence[bytes],
        places: Sequence[tuple[int, int]] | None,
        size: int,
        sha256: str,
    ) -> None:
        """Index the parts (under ``digests`` and ``frame``) at ``places`` (see
        :func:`locate_parts`) in the file rendered for ``path`` (``size`` bytes with
        SHA-256 ``sha256``), replacing the last index; None keeps no index. Failures to
        write are ignored: it is only a cache."""
        if not self._blobs.enabled:
            return
        if places is None:
            self.forget([path])
            return
        _SAVED[self._file(path)] = (sha256, frame, size, dict(zip(digests, places, strict=True)))
        header = _FILE.pack(bytes.fromhex(sha256), bytes.fromhex(frame), size, len(places))
        chunks = [_MAGIC, header]
        chunks += [
            _PART.pack(digest, start, length)
            for digest, (start, length) in zip(digests, places, strict=True)
        ]
        self._blobs.put(PARTS, _digest(path), b"".join(chunks))

    def forget(self, paths: Sequence[str]) -> None:
        """Drop the indexes of ``paths``, outputs no longer made: on disk, and in this
        process (a watch would otherwise hold each one, megabytes at 1,000 articles)."""
        for path in paths:
            _SAVED.pop(self._file(path), None)
            self._blobs.remove(PARTS, _digest(path))

    def _file(self, path: str) -> Path:
        return self._blobs.path(PARTS, _digest(path))


def _digest(path: str) -> str:
    """The digest an artifact's index is kept under: its path's."""
    return hashlib.sha256(path.encode()).hexdigest()[:32]
