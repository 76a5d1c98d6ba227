"""Response bodies in every encoding a client may take, computed once per snapshot.

Litestar's ``CompressionConfig`` compresses each response as it is sent and keeps the
identity ETag on every encoding; here each artifact is compressed once when the snapshot
is built (the bytes never change while it serves), and each encoding is its own
representation with its own strong ETag, as RFC 9110 (8.8.3) asks, so a 304 answers only
for the bytes the client holds. gzip comes from the standard library, brotli from Google's
``brotli`` package.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from typing import Final

import attrs
import brotli

__all__ = [
    "MIN_COMPRESSED_SIZE",
    "Representation",
    "Resource",
    "etag_matches",
    "etag_of",
    "preferred",
]

MIN_COMPRESSED_SIZE: Final = 1024
"""Bodies smaller than this are sent as they are: compressing them saves too little."""
_COMPRESSIBLE: Final = (
    "application/json",
    "application/ld+json",
    "application/rss+xml",
    "application/atom+xml",
    "text/",
)
"""Text formats; PDFs (compressed inside) and anything unknown are sent as they are."""
# Levels that build a 1,000-article snapshot in seconds rather than minutes.
_GZIP_LEVEL: Final = 6
_BROTLI_QUALITY: Final = 5
_PREFERENCE: Final = ("br", "gzip", "identity")
"""On equal quality, smaller bodies first."""


def etag_of(body: bytes, *, prefix: str = "") -> str:
    """A strong ETag: the quoted SHA-256 of the body (first 32 hex digits), after
    ``prefix`` (which keeps preview ETags apart from public ones)."""
    return f'"{prefix}{hashlib.sha256(body).hexdigest()[:32]}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, as RFC 9110
    asks for it, 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


@attrs.frozen(kw_only=True)
class Representation:
    """One encoding of a body."""

    encoding: str
    """``identity``, ``gzip`` or ``br``."""
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
        """The resource for ``body``, compressed when that pays, each ETag computed."""
        representations = [
            Representation(encoding="identity", body=body, etag=etag_of(body, prefix=etag_prefix))
        ]
        if _worth_compressing(body, media_type):
            for encoding, compressed in (
                ("br", brotli.compress(body, quality=_BROTLI_QUALITY)),
                # mtime=0: the same body always gives the same bytes, and the same ETag.
                ("gzip", gzip.compress(body, compresslevel=_GZIP_LEVEL, mtime=0)),
            ):
                if len(compressed) < len(body):
                    etag = etag_of(compressed, prefix=etag_prefix)
                    representations.append(
                        Representation(encoding=encoding, body=compressed, etag=etag)
                    )
        return cls(media_type=media_type, representations=tuple(representations))

    @property
    def identity(self) -> Representation:
        """The body as it is."""
        return self.representations[0]

    @property
    def body(self) -> bytes:
        """The uncompressed body."""
        return self.identity.body

    @property
    def etag(self) -> str:
        """The uncompressed body's ETag."""
        return self.identity.etag

    @property
    def negotiated(self) -> bool:
        """Whether the answer depends on ``Accept-Encoding`` (``Vary`` must say so)."""
        return len(self.representations) > 1

    def for_encodings(self, accept_encoding: str | None) -> Representation:
        """The representation to send for this ``Accept-Encoding`` header."""
        if not self.negotiated:
            return self.identity
        chosen = preferred(accept_encoding, self.encodings)
        return next(r for r in self.representations if r.encoding == chosen)

    @property
    def encodings(self) -> tuple[str, ...]:
        """The encodings this resource is held in, identity first."""
        return tuple(r.encoding for r in self.representations)


# Clients send a handful of distinct headers: parse each once, not once per request.
@functools.lru_cache(maxsize=256)
def preferred(accept_encoding: str | None, available: tuple[str, ...]) -> str:
    """The encoding of ``available`` that ``Accept-Encoding`` ranks highest (RFC 9110,
    12.5.3): quality first, then :data:`_PREFERENCE`; ``identity`` unless refused."""
    if not accept_encoding:
        return "identity"
    qualities: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name.strip().lower()] = quality
    wildcard = qualities.get("*")

    def quality_of(encoding: str) -> float:
        if encoding in qualities:
            return qualities[encoding]
        if wildcard is not None:
            return wildcard
        return 1.0 if encoding == "identity" else 0.0  # identity is acceptable unless said

    ranked = sorted(
        (e for e in available if quality_of(e) > 0),
        key=lambda e: (-quality_of(e), _PREFERENCE.index(e)),
    )
    # When even identity is refused, identity is still the one answer every client reads.
    return ranked[0] if ranked else "identity"


def _worth_compressing(body: bytes, media_type: str) -> bool:
    return len(body) >= MIN_COMPRESSED_SIZE and media_type.startswith(_COMPRESSIBLE)
