"""The content's history, kept by the export: the delivered entries at each step, with
their revisions, so a delivery client can ask what changed since a point (the sync feed).

An entry is an article, or a study or caution the exported articles use; its revision is
the export's input digest of the entry (:class:`~spikecontent.pipeline.inputs.InputDigests`:
its data, every entry it references, as a study's record is inlined in the article's
document, the articles its prose links to, and the site, which makes its URLs). A step
is recorded when an export's entries differ from the last step's: each entry created,
updated or deleted is an event numbered with the step. No clock time is kept, so the
same sequence of contents gives the same bytes. A token names a step of one history (its
lineage is the digest of its first step), so it stays valid across restarts, and another
history refuses it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.model import ARTICLES, CAUTIONS, STUDIES, Article, Library
from spikecontent.pipeline.inputs import InputDigests
from spikecontent.pipeline.output import write_atomically

__all__ = [
    "HISTORY_FILE",
    "Changes",
    "Entry",
    "Event",
    "History",
    "TokenError",
    "delivered_entries",
    "read_history",
    "record_history",
    "write_history",
]

HISTORY_FILE: Final = "history.json"
"""Its name in the export's private folder (beside the output, never served)."""
ENTRY_TYPES: Final = {ARTICLES.name: "Article", STUDIES.name: "Study", CAUTIONS.name: "Caution"}
"""The collections whose entries are delivered on their own, and their ``sys.type``."""

Entry = tuple[str, str]
"""An entry as ``(type, id)``: ``("Article", "acupressure-mat-benefits")``."""


class TokenError(SpikecontentError):
    """A sync token this history did not make (or a step it has not reached)."""


@attrs.frozen(kw_only=True)
class Event:
    """One entry's change at one step; ``revision`` None for a deletion."""

    step: int
    type: str
    id: str
    revision: str | None


@attrs.frozen(kw_only=True)
class Changes:
    """What changed between two states: entries with their revisions, deletions by id."""

    created: tuple[tuple[Entry, str], ...]
    updated: tuple[tuple[Entry, str], ...]
    deleted: tuple[Entry, ...]


@attrs.frozen(kw_only=True)
class History:
    """Every step's events, oldest first."""

    events: tuple[Event, ...] = ()

    @property
    def head(self) -> int:
        """The last step (0: nothing recorded yet)."""
        return self.events[-1].step if self.events else 0

    @property
    def lineage(self) -> str:
        """What tells this history from another: the digest of its first step."""
        first = [attrs.astuple(e) for e in self.events if e.step == 1]
        return hashlib.sha256(json.dumps(first).encode()).hexdigest()[:12] if first else ""

    def state(self, step: int | None = None) -> dict[Entry, str]:
        """The entries and their revisions after ``step`` (the head by default)."""
        last = self.head if step is None else step
        state: dict[Entry, str] = {}
        for event in self.events:
            if event.step > last:
                break
            if event.revision is None:
                state.pop((event.type, event.id), None)
            else:
                state[event.type, event.id] = event.revision
        return state

    def advance(self, current: Mapping[Entry, str]) -> History:
        """This history with one more step when ``current`` differs from the head's."""
        changes = compare(self.state(), current)
        step = self.head + 1
        new = [
            Event(step=step, type=t, id=i, revision=r)
            for (t, i), r in (*changes.created, *changes.updated)
        ]
        new += [Event(step=step, type=t, id=i, revision=None) for t, i in changes.deleted]
        if not new:
            return self
        new.sort(key=lambda e: (e.type, e.id))
        return History(events=(*self.events, *new))

    def token(self, step: int | None = None) -> str:
        """The sync token naming ``step`` (the head by default)."""
        return f"{self.lineage or 'empty'}.{self.head if step is None else step}"

    def step_of(self, token: str) -> int:
        """The step ``token`` names; :class:`TokenError` when this history did not make it."""
        lineage, _, number = token.rpartition(".")
        if lineage != (self.lineage or "empty") or not number.isdigit():
            raise TokenError(
                "sync_token: not a token of this content's history; start again without"
                " one (a full sync) and keep the next_sync_token it gives"
            )
        step = int(number)
        if step > self.head:
            raise TokenError(f"sync_token: step {step} is not recorded (the last is {self.head})")
        return step


def compare(before: Mapping[Entry, str], after: Mapping[Entry, str]) -> Changes:
    """Entries created, updated (another revision) and deleted from ``before`` to ``after``."""
    return Changes(
        created=tuple(sorted((e, r) for e, r in after.items() if e not in before)),
        updated=tuple(sorted((e, r) for e, r in after.items() if e in before and before[e] != r)),
        deleted=tuple(sorted(e for e in before if e not in after)),
    )


def delivered_entries(
    library: Library, articles: Iterable[Article], digests: InputDigests | None = None
) -> dict[Entry, str]:
    """Each delivered entry with its revision: ``articles`` and the studies and cautions
    they use. A revision is the export's own input digest of the entry (its data, what it
    references, the articles its prose links to, the site), kept with each entity, so the
    export pays little for it (nothing more with the export's own ``digests``)."""
    digests = digests or InputDigests(library, "")
    entries: dict[Entry, str] = {}
    for article in articles:
        used = [ARTICLES.key(article.slug)]
        used += [STUDIES.key(ident) for ident in article.study_ids]
        cautions = article.cautions.items if article.cautions else ()
        used += [CAUTIONS.key(ident) for ident in cautions]
        for key in used:
            entries[ENTRY_TYPES[key.kind], key.id] = digests.sources((key,))[:32]
    return dict(sorted(entries.items()))


def read_history(path: Path) -> History:
    """The history in ``path``; empty when there is none yet."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["events"]
    except FileNotFoundError:
        return History()
    return History(events=tuple(Event(step=s, type=t, id=i, revision=r) for s, t, i, r in rows))


def write_history(path: Path, history: History) -> None:
    """``history`` into ``path``, whole or not at all, readable by this user alone (as
    the export's other files beside its output)."""
    rows = [attrs.astuple(event) for event in history.events]
    body = json.dumps({"format": 1, "events": rows}, indent=0).encode() + b"\n"
    write_atomically(path, body, private=True)


def record_history(
    private: Path,
    library: Library,
    *,
    include_drafts: bool = False,
    digests: InputDigests | None = None,
) -> History:
    """The export's one call: a step in ``private``'s history when the delivered entries
    of ``library`` changed since the last; the history either way. ``digests`` are the
    export's own, when it has them (the revisions are then mostly digested already)."""
    path = private / HISTORY_FILE
    before = read_history(path)
    articles = library.published_articles(include_drafts=include_drafts)
    after = before.advance(delivered_entries(library, articles, digests))
    if after is not before:
        write_history(path, after)
    return after
