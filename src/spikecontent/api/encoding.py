"""Response bodies in every encoding a client may take, compressed once per snapshot.

Each encoding is its own representation with its own strong ETag (RFC 9110, 8.8.3), so a
304 answers only for the bytes the client holds (a compressing middleware keeps the
identity ETag). gzip comes from the standard library, brotli from Google's ``brotli``.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from typing import Final

import attrs
import brotli

__all__ = ["MEDIA_TYPES", "Representation", "Resource", "etag_matches", "media_type_of"]

MEDIA_TYPES: Final = {
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
"""The artifacts served, by suffix; others are not served."""
MIN_COMPRESSED_SIZE: Final = 1024
"""Bodies smaller than this are sent as they are: compressing them saves too little."""
_PREFERENCE: Final = ("br", "gzip", "identity")
"""On equal quality, smaller bodies first."""


def media_type_of(path: str) -> str | None:
    """The media type an artifact at ``path`` is served as; None for one not served."""
    return next((t for suffix, t in MEDIA_TYPES.items() if path.endswith(suffix)), None)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, RFC 9110,
    13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


@attrs.frozen(kw_only=True)
class Representation:
    """One encoding (``identity``, ``gzip`` or ``br``) of a body, with its ETag."""

    encoding: str
    body: bytes
    etag: str


@attrs.frozen(kw_only=True)
class Resource:
    """A response body with its media type, in every encoding worth sending."""

    media_type: str
    representations: tuple[Representation, ...]
    """Identity first, then the compressed ones that are smaller."""

    @classmethod
    def of(cls, body: bytes, media_type: str, *, etag_prefix: str = "") -> Resource:
        """``body`` compressed when that pays; each ETag the quoted SHA-256 of its bytes
        (32 hex digits) after ``etag_prefix`` (which keeps preview ETags apart)."""
        forms = [("identity", body)]
        # Every body served is text but PDFs, which are compressed inside.
        if len(body) >= MIN_COMPRESSED_SIZE and media_type != "application/pdf":
            # Levels that build a 1,000-article snapshot in seconds; gzip's mtime=0: the
            # same body always gives the same bytes, and the same ETag.
            forms.append(("br", brotli.compress(body, quality=5)))
            forms.append(("gzip", gzip.compress(body, compresslevel=6, mtime=0)))
        representations = tuple(
            Representation(
                encoding=encoding,
                body=data,
                etag=f'"{etag_prefix}{hashlib.sha256(data).hexdigest()[:32]}"',
            )
            for encoding, data in forms
            if encoding == "identity" or len(data) < len(body)
        )
        return cls(media_type=media_type, representations=representations)

    @property
    def etag(self) -> str:
        """The uncompressed body's ETag."""
        return self.representations[0].etag

    @property
    def negotiated(self) -> bool:
        """Whether the answer depends on ``Accept-Encoding`` (``Vary`` must say so)."""
        return len(self.representations) > 1

    def for_encodings(self, accept_encoding: str | None) -> Representation:
        """The representation to send for this ``Accept-Encoding`` header."""
        if not self.negotiated:
            return self.representations[0]
        chosen = preferred(accept_encoding, tuple(r.encoding for r in self.representations))
        return next(r for r in self.representations if r.encoding == chosen)


# Clients send a handful of distinct headers: parse each once, not once per request.
@functools.lru_cache(maxsize=256)
def preferred(accept_encoding: str | None, available: tuple[str, ...]) -> str:
    """The encoding of ``available`` that ``Accept-Encoding`` ranks highest (RFC 9110,
    12.5.3): quality first, then :data:`_PREFERENCE`; ``identity`` unless refused, and
    still when everything is (it is the one answer every client reads)."""
    qualities: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        name, *parameters = item.split(";")
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name.strip().lower()] = quality
    default = qualities.get("*")

    def quality_of(encoding: str) -> float:
        unnamed = default if default is not None else float(encoding == "identity")
        return qualities.get(encoding, unnamed)

    ranked = sorted(
        (e for e in available if quality_of(e) > 0),
        key=lambda e: (-quality_of(e), _PREFERENCE.index(e)),
    )
    return ranked[0] if ranked else "identity"
