"""What the HTTP API serves: one snapshot of the content, held in memory.

Content is loaded, validated and linted exactly as ``spikecontent export`` does it. The
entries (articles, and the studies and cautions they use) are served as documents built
from the snapshot's library with the json writer's own functions
(:mod:`spikecontent.delivery.entries`), with their ``sys``, in the writers' one JSON
encoder, compact unless ``?pretty``; the other channels (JSON-LD, leaflets, feeds,
macros) are served as their writers' artifacts, byte for byte. A :class:`Snapshot` is
immutable once built: a reload builds a new one and swaps it in whole (:mod:`.live`).
Artifacts of writers marked ``on_demand`` (leaflets take most of a second each) are
rendered on first request, once, and kept.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import threading
from collections.abc import Callable
from typing import Any, Final

import attrs

from spikecontent.api.encoding import Resource
from spikecontent.delivery import Entry, History, json_document
from spikecontent.delivery.entries import MAX_INCLUDE, Entries
from spikecontent.delivery.labels import LABELS
from spikecontent.delivery.queries import project
from spikecontent.diagnostics import Diagnostic
from spikecontent.model import Library
from spikecontent.pipeline import CheckedProject, render_one
from spikecontent.sdk import Artifact, Writer

__all__ = [
    "MEDIA_TYPES",
    "PREVIEW_ETAG_PREFIX",
    "ListQuery",
    "SearchQuery",
    "Snapshot",
    "dumps",
    "error_body",
]

MEDIA_TYPES: Final = {
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".pdf": "application/pdf",
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
PREVIEW_ETAG_PREFIX: Final = "preview-"
"""Preview ETags start with this, so a preview ETag never equals a public one."""
_JSON: Final = "application/json"


def dumps(data: Any, *, pretty: bool = False) -> bytes:
    """JSON as the API sends it, in the json writer's encoder: compact, or indented by
    two spaces (``?pretty``); UTF-8, a final newline."""
    return (json_document(data, 2 if pretty else None) + "\n").encode()


_PHRASES: Final = {
    400: "bad request",
    401: "unauthorized",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    500: "internal error",
    503: "unavailable",
}


def error_body(status: int, detail: str) -> bytes:
    """The body of every error the API sends: ``{"error": <phrase>, "detail": ...}``."""
    return dumps({"error": _PHRASES.get(status, "error"), "detail": detail})


@attrs.define
class _Lazy:
    make: Callable[[], Resource]
    lock: threading.Lock = attrs.field(factory=threading.Lock)
    resource: Resource | None = None

    def get(self) -> Resource:
        with self.lock:  # render once even when two requests arrive together
            if self.resource is None:
                self.resource = self.make()
            return self.resource


@attrs.frozen
class ListQuery:
    """One query on the article list (hashable: answers are cached per snapshot)."""

    skip: int = 0
    limit: int = 20
    fields: tuple[str, ...] = ()
    category: str | None = None
    cites: str | None = None
    updated_since: datetime.date | None = None
    sort: str | None = None


@attrs.frozen
class SearchQuery:
    """One search (hashable: answers are cached per snapshot)."""

    q: str
    limit: int = 20
    category: str | None = None
    cites: str | None = None


class Snapshot:
    """The content, its entries' documents and every artifact the API serves."""

    def __init__(
        self, project: CheckedProject, *, include_drafts: bool = False, preview: bool = False
    ) -> None:
        """Render every artifact of ``project`` but the on-demand ones, and build every
        entry's document. ``preview`` serves drafts and articles in review, with ETags
        apart from the public ones."""
        self.preview = preview
        self.library: Library = project.library
        self.warnings: tuple[Diagnostic, ...] = project.lint_warnings
        self._prefix = PREVIEW_ETAG_PREFIX if preview else ""
        writers = _writers(project, drafts=include_drafts or preview)
        self._resources: dict[tuple[str, str], Resource | _Lazy] = {}
        self._on_demand = {name for name, writer in writers.items() if writer.on_demand}
        for name, writer in writers.items():
            for artifact in writer.plan():
                media_type = _media_type(artifact.path)
                if media_type is not None:
                    make = functools.partial(self._rendered, writer, artifact, media_type)
                    self._resources[name, artifact.path] = (
                        _Lazy(make) if writer.on_demand else make()
                    )
        self.version = self._version()
        articles = writers["json"].context.articles if "json" in writers else ()
        self.entries = Entries(self.library, articles, self.version)
        self.summaries = self.entries.summaries
        self.catalog = self.entries.catalog
        self.page = functools.lru_cache(maxsize=4096)(self._page)
        self.listing = functools.lru_cache(maxsize=4096)(self._listing)
        self.document = functools.lru_cache(maxsize=4096)(self._document)
        self.found = functools.lru_cache(maxsize=1024)(self._found)
        self.entity_list = functools.lru_cache(maxsize=8)(self._entity_list)
        self.labels = self.resource(dumps(LABELS))

    def resource(self, body: bytes, media_type: str = _JSON) -> Resource:
        """``body`` as a resource of this snapshot (public or preview ETags)."""
        return Resource.of(body, media_type, etag_prefix=self._prefix)

    def _rendered(self, writer: Writer[Any], artifact: Artifact, media_type: str) -> Resource:
        return self.resource(render_one(writer, artifact), media_type)

    def renders_on_demand(self, writer: str) -> bool:
        """Whether ``writer``'s artifacts are rendered on first request (slowly)."""
        return writer in self._on_demand

    def get(self, writer: str, path: str) -> Resource | None:
        """The artifact ``path`` of ``writer``, or None when no enabled profile of that
        writer makes it."""
        found = self._resources.get((writer, path))
        return found.get() if isinstance(found, _Lazy) else found

    def etags(self) -> dict[str, str]:
        """The identity ETag of every artifact rendered so far, by ``writer/path``."""
        return {
            f"{writer}/{path}": found.etag
            for (writer, path), found in sorted(self._resources.items())
            if isinstance(found, Resource)
        }

    def _page(self, skip: int, limit: int) -> Resource:
        items = self.summaries[skip : skip + limit]
        body = {"items": items, "total": len(self.summaries), "skip": skip, "limit": limit}
        return self.resource(dumps(body))

    def _listing(self, query: ListQuery) -> Resource:
        # Each distinct query is answered once per snapshot, from the catalog.
        chosen = self.catalog.select(
            category=query.category,
            cites=query.cites,
            updated_since=query.updated_since,
            sort=query.sort,
        )
        items = [
            project(item, query.fields) for item in chosen[query.skip : query.skip + query.limit]
        ]
        body = {"items": items, "total": len(chosen), "skip": query.skip, "limit": query.limit}
        return self.resource(dumps(body))

    def _document(
        self,
        entry: Entry,
        fields: tuple[str, ...] = (),
        include: int = MAX_INCLUDE,
        pretty: bool = False,
    ) -> Resource | None:
        """The entry's document: only ``fields``, references ``include`` levels deep."""
        found = self.entries.document(entry, fields, include)
        return None if found is None else self.resource(dumps(found, pretty=pretty))

    def _entity_list(self, kind: str, pretty: bool = False) -> Resource:
        return self.resource(dumps(self.entries.lists[kind], pretty=pretty))

    def _found(self, query: SearchQuery) -> Resource:
        total, hits = self.catalog.search(
            query.q, category=query.category, cites=query.cites, limit=query.limit
        )
        return self.resource(dumps({"query": query.q, "total": total, "items": hits}))

    def sync(self, history: History, step: int | None) -> Resource:
        """The entries changed since ``step`` of ``history`` (all for None), and the
        token to ask with next."""
        return self.resource(dumps(self.entries.changes(history, step)))

    def _version(self) -> str:
        # The artifacts rendered at start-up carry every content change (each article's
        # document holds all of it), so their ETags identify the snapshot.
        text = "\n".join(f"{path} {etag}" for path, etag in self.etags().items())
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _writers(project: CheckedProject, *, drafts: bool) -> dict[str, Writer[Any]]:
    """The writer of each first enabled profile (the one the API serves), prepared."""
    writers: dict[str, Writer[Any]] = {}
    for profile in project.profiles:
        if profile.enabled and profile.writer.name not in writers:
            # Drafts reach HTTP only by the preview rules, whatever a profile says.
            served = profile if drafts else attrs.evolve(profile, drafts=False)
            writer = project.writer(served, include_drafts=drafts)
            writer.prepare()
            writers[writer.name] = writer
    return writers


def _media_type(path: str) -> str | None:
    for suffix, media_type in sorted(MEDIA_TYPES.items(), key=lambda i: -len(i[0])):
        if path.endswith(suffix):
            return media_type
    return None
