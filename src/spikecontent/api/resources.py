"""What the HTTP API serves: one immutable snapshot of the content, held in memory.

The entries' documents come from :mod:`spikecontent.delivery.entries`; the other channels
are their writers' artifacts, byte for byte, those of writers marked ``on_demand``
(leaflets) rendered on first request. A reload builds a new snapshot (:mod:`.live`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, Final

import attrs

from spikecontent.api.http import Resource, dumps
from spikecontent.delivery.entries import Entries
from spikecontent.delivery.sync import view_digest
from spikecontent.diagnostics import Diagnostic
from spikecontent.pipeline import CheckedProject, Profile, prepared_writers, render_one
from spikecontent.render_cache import RenderCache
from spikecontent.sdk import Artifact, Writer

__all__ = ["MEDIA_TYPES", "PREVIEW_ETAG_PREFIX", "Snapshot", "media_type_of"]

Answer = Callable[["Snapshot", Any, dict[str, Any]], Resource | None]
"""A route's answer: from the snapshot, what is served and the parameters by name."""
PREVIEW_ETAG_PREFIX: Final = "preview-"
"""Preview ETags start with this, so a preview ETag never equals a public one."""
MEDIA_TYPES: Final = {
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
"""The artifacts served, by suffix; others are not served."""


def media_type_of(path: str) -> str | None:
    """The media type an artifact at ``path`` is served as; None for one not served."""
    return next((t for suffix, t in MEDIA_TYPES.items() if path.endswith(suffix)), None)


class Snapshot:
    """The content, its entries' documents and every artifact the API serves; each
    answer made once (:meth:`answer`, cached per snapshot)."""

    def __init__(
        self, project: CheckedProject, *, include_drafts: bool = False, preview: bool = False
    ) -> None:
        """Render every artifact of ``project`` but the on-demand ones, and build every
        entry's document. ``preview`` serves drafts and articles in review, with ETags
        apart from the public ones."""
        self.preview = preview
        self.warnings: tuple[Diagnostic, ...] = project.lint_warnings
        self._prefix = PREVIEW_ETAG_PREFIX if preview else ""
        writers = _writers(project, drafts=include_drafts or preview)
        self.on_demand = {name for name, writer in writers.items() if writer.on_demand}
        self._resources: dict[tuple[str, str], Resource | Callable[[], Resource]] = {}
        self._on_demand: RenderCache[Resource] = RenderCache()
        for name, writer in writers.items():
            for artifact in writer.plan():
                media_type = media_type_of(artifact.path)
                if media_type is not None:
                    make = functools.partial(self._rendered, writer, artifact, media_type)
                    self._resources[name, artifact.path] = make if writer.on_demand else make()
        # The artifacts rendered at start-up carry every content change (each article's
        # document holds all of it), so their ETags identify the snapshot.
        text = "\n".join(f"{path} {etag}" for path, etag in self.etags().items())
        self.version = hashlib.sha256(text.encode()).hexdigest()[:16]
        articles = writers["json"].context.articles if "json" in writers else ()
        self.entries = Entries(project.library, articles, self.version)
        self.catalog = self.entries.catalog
        # What a sync's page token names of the content served, to see it move on.
        self.view = view_digest(self.entries.revisions)
        # Each answer is made once per snapshot, by the route's function and parameters
        # and what else is served (the history, a failed reload's problems). The key is
        # flat (a few objects per answer kept) and as many are kept as the listing's
        # cache held alone before: a flood of new query strings costs the garbage
        # collector no more than it did.
        self.answer = functools.lru_cache(maxsize=4096)(self._answer)

    def resource(self, body: bytes, media_type: str = "application/json") -> Resource:
        """``body`` as a resource of this snapshot (public or preview ETags)."""
        return Resource.of(body, media_type, etag_prefix=self._prefix)

    def json(self, data: Any, pretty: bool = False) -> Resource:
        """``data`` as a JSON resource of this snapshot."""
        return self.resource(dumps(data, pretty=pretty))

    def _answer(
        self, make: Answer, served: object, names: tuple[str, ...], *values: Any
    ) -> Resource | None:
        return make(self, served, dict(zip(names, values, strict=True)))

    def _rendered(self, writer: Writer[Any], artifact: Artifact, media_type: str) -> Resource:
        return self.resource(render_one(writer, artifact), media_type)

    def get(self, writer: str, path: str) -> Resource | None:
        """The artifact ``path`` of ``writer``; None when no enabled profile makes it."""
        found = self._resources.get((writer, path))
        # Rendered once even when two requests arrive together.
        return self._on_demand.get((writer, path), found) if callable(found) else found

    def etags(self) -> dict[str, str]:
        """The identity ETag of every artifact rendered when the snapshot was made, by
        ``writer/path`` (not those rendered on first request, such as leaflets)."""
        return {
            f"{writer}/{path}": found.etag
            for (writer, path), found in sorted(self._resources.items())
            if isinstance(found, Resource)
        }


def _writers(project: CheckedProject, *, drafts: bool) -> dict[str, Writer[Any]]:
    """The writer of each first enabled profile (the one the API serves), prepared."""

    def make(profile: Profile) -> Writer[Any]:
        # Drafts reach HTTP only by the preview rules, whatever a profile says.
        served = profile if drafts else attrs.evolve(profile, drafts=False)
        return project.writer(served, include_drafts=drafts)

    return prepared_writers(project.profiles, make)
