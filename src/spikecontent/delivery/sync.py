"""The sync feed in pages (Contentful's Sync API: ``nextPageUrl``, then ``nextSyncUrl``).

A sync is a walk over the entries that changed since a starting step of the history:
created, then updated, then deleted, each sorted by type and id. A page is ``limit`` of
them; a page token names the walk (its starting step, the view it walks: the history's
head and a digest of the served revisions) and the position in it. While the view is
the one served, the next page is the next slice of the same walk.

When the served content moved on between two pages, the walk starts again, at position
0, from the same starting step against the content served now, and covers every entry
with an event after the starting step or a change not recorded yet (deleted when it is
gone), not only those that differ: each entry an earlier page of the sync sent is among
them (the history only grows), so a client that applies every page in order ends with
the content served, whatever it applied before. Applying created, updated and deleted is
idempotent (a deletion of an entry the client does not hold is nothing to do).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Mapping
from typing import Final

import attrs

from spikecontent.pipeline.history import Entry, History, TokenError, compare

__all__ = [
    "MAX_SYNC_LIMIT",
    "PAGE_TOKEN_LENGTH",
    "Page",
    "PageToken",
    "Walk",
    "page_of",
    "view_digest",
]

MAX_SYNC_LIMIT: Final = 100
"""The most entries a page holds, and the default (Contentful's too): 100 articles'
documents are about 4 MB before compression."""
_LAYOUT: Final = struct.Struct(">6s6sIIIBxx")
"""lineage, view digest (6 bytes each), start step, view step, position, covering, and
two zero bytes so that base64 needs no padding."""
PAGE_TOKEN_LENGTH: Final = _LAYOUT.size // 3 * 4
"""A page token's characters (URL-safe base64 of the packed fields)."""
_START_AGAIN: Final = (
    "page_token: not a page of this content's sync; start again with the sync_token you"
    " had (none for a full sync)"
)

Walk = list[tuple[str, Entry]]
"""Each entry of a sync with what happened to it: created, updated or deleted."""


def view_digest(revisions: Mapping[Entry, str]) -> str:
    """What tells one served content from another: a digest of its entries' revisions."""
    text = "\n".join(f"{kind} {ident} {rev}" for (kind, ident), rev in sorted(revisions.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@attrs.frozen(kw_only=True)
class PageToken:
    """Where a sync stands: its starting step, the view it walks and how far."""

    lineage: str
    """The history's (12 hex digits; empty for a history with no step yet)."""
    start: int
    """The step the sync is the difference from (0 for a full sync)."""
    view_step: int
    """The history's head when the walk was made."""
    view: str
    """:func:`view_digest` of the revisions served when the walk was made."""
    position: int
    """Entries of the walk sent so far."""
    covering: bool = False
    """Whether the walk covers every entry touched since ``start`` (after a move)."""

    def encode(self) -> str:
        """Opaque, URL-safe and compact (:data:`PAGE_TOKEN_LENGTH` characters)."""
        packed = _LAYOUT.pack(
            bytes.fromhex(self.lineage or "0" * 12),
            bytes.fromhex(self.view),
            self.start,
            self.view_step,
            self.position,
            self.covering,
        )
        return base64.urlsafe_b64encode(packed).decode("ascii")

    @classmethod
    def decode(cls, text: str, history: History) -> PageToken:
        """The token ``text`` is; :class:`TokenError` when ``history`` did not make it."""
        try:
            packed = base64.urlsafe_b64decode(text.encode("ascii"))
            lineage, view, start, view_step, position, covering = _LAYOUT.unpack(packed)
        except (binascii.Error, struct.error, UnicodeEncodeError, ValueError):
            raise TokenError(_START_AGAIN) from None
        ours = bytes.fromhex(history.lineage or "0" * 12)
        if (
            lineage != ours
            or covering > 1
            or start > view_step
            or view_step > history.head
            or cls._text(lineage, view, start, view_step, position, covering) != text
        ):
            raise TokenError(_START_AGAIN)
        return cls(
            lineage=history.lineage,
            start=start,
            view_step=view_step,
            view=view.hex(),
            position=position,
            covering=bool(covering),
        )

    @staticmethod
    def _text(lineage: bytes, view: bytes, *numbers: int) -> str:
        # The one spelling of a token: another (padding, other letters) is not one of ours.
        return base64.urlsafe_b64encode(_LAYOUT.pack(lineage, view, *numbers)).decode("ascii")


@attrs.frozen(kw_only=True)
class Page:
    """One answer of a sync: its slice of the walk, and the token to ask with next
    (a page token while more remain, else the sync token)."""

    changes: Walk
    next_page_token: str | None
    next_sync_token: str | None


def page_of(
    history: History,
    revisions: Mapping[Entry, str],
    *,
    start: int,
    limit: int,
    token: PageToken | None = None,
    view: str | None = None,
) -> Page:
    """The page of the sync from ``start`` that ``token`` asks for (the first without
    one), against the ``revisions`` served, at most ``limit`` entries long. ``view``:
    their :func:`view_digest`, when the caller keeps it."""
    view = view or view_digest(revisions)
    covering, position = False, 0
    if token is not None:
        moved = (token.view_step, token.view) != (history.head, view)
        covering = token.covering or moved
        position = 0 if moved else token.position
    walk = _walk(history, revisions, start, covering=covering)
    if position > len(walk):
        raise TokenError(_START_AGAIN)
    end = position + limit
    if end >= len(walk):
        return Page(changes=walk[position:], next_page_token=None, next_sync_token=history.token())
    following = PageToken(
        lineage=history.lineage,
        start=start,
        view_step=history.head,
        view=view,
        position=end,
        covering=covering,
    )
    return Page(
        changes=walk[position:end], next_page_token=following.encode(), next_sync_token=None
    )


def _walk(history: History, revisions: Mapping[Entry, str], start: int, *, covering: bool) -> Walk:
    before = history.state(start)
    changes = compare(before, revisions)
    touched = {entry for entry, _ in (*changes.created, *changes.updated)} | set(changes.deleted)
    if covering:
        # Every entry an earlier page may have sent: one with an event since the start
        # (the history only grows), or with a change the history has not recorded yet.
        touched |= {(e.type, e.id) for e in history.events if e.step > start}
        pending = compare(history.state(), revisions)
        touched |= {entry for entry, _ in (*pending.created, *pending.updated)}
        touched |= set(pending.deleted)
    created = sorted(e for e in touched if e in revisions and e not in before)
    updated = sorted(e for e in touched if e in revisions and e in before)
    deleted = sorted(e for e in touched if e not in revisions)
    return [
        *(("created", e) for e in created),
        *(("updated", e) for e in updated),
        *(("deleted", e) for e in deleted),
    ]
