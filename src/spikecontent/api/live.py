"""What the API serves: an immutable :class:`Snapshot` of the content in memory (the
entries' documents, and the writers' artifacts byte for byte, leaflets rendered on first
request), and the :class:`LiveContent` that rebuilds it and swaps the whole
:class:`Served` in one assignment, so a request sees one snapshot; invalid content keeps
the last good one serving, with its diagnostics.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import attrs

from spikecontent.api import metrics
from spikecontent.api.http import Resource, dumps
from spikecontent.delivery import HISTORY_FILE, History, read_history
from spikecontent.delivery.entries import Entries
from spikecontent.delivery.sync import view_digest
from spikecontent.delivery.webhooks import Change
from spikecontent.diagnostics import ContentError, Diagnostic, SpikecontentError
from spikecontent.pipeline import (
    CheckedProject,
    check_folders,
    prepared_writers,
    private_folder,
    render_one,
)
from spikecontent.render_cache import RenderCache
from spikecontent.sdk import Artifact, Writer

__all__ = ["PREVIEW_TOKEN_VARIABLE", "LiveContent", "NotLoaded", "Served", "Snapshot"]

PREVIEW_TOKEN_VARIABLE: Final = "SPIKECONTENT_PREVIEW_TOKEN"
"""The environment variable holding the preview token (never a flag: flags show in ``ps``)."""
MEDIA_TYPES: Final = {
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
"""The artifacts served, by suffix; others are not served."""
Params = dict[str, Any]
"""The query parameters' values and the URL parameter's, by name."""
Answer = Callable[["Snapshot", Any, Params], Resource | None]
"""A route's answer: from the snapshot, what is served and the parameters."""

log = logging.getLogger("spikecontent.serve")


def media_type_of(path: str) -> str | None:
    """The media type an artifact at ``path`` is served as; None for one not served."""
    return next((t for suffix, t in MEDIA_TYPES.items() if path.endswith(suffix)), None)


class Snapshot:
    """``project``'s entries' documents and every artifact the API serves (rendered now
    but the on-demand ones), each answer made once (:meth:`answer`). ``preview`` serves
    drafts and articles in review, with ETags apart from the public ones."""

    def __init__(
        self, project: CheckedProject, *, include_drafts: bool = False, preview: bool = False
    ) -> None:
        self.preview = preview
        self.warnings: tuple[Diagnostic, ...] = project.lint_warnings
        self._prefix = "preview-" if preview else ""  # a preview ETag is never a public one
        drafts = include_drafts or preview
        writers = prepared_writers(
            project.profiles,
            # Drafts reach HTTP only by the preview rules, whatever a profile says.
            lambda profile: project.writer(
                profile if drafts else attrs.evolve(profile, drafts=False), include_drafts=drafts
            ),
        )
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
        # Each answer made once per snapshot, by the route's function, what else is
        # served (the history, a failed reload's problems) and the parameters: a flat
        # key, so a flood of new query strings costs the garbage collector little.
        self.answer = functools.lru_cache(maxsize=4096)(self._answer)

    def json(self, data: Any, pretty: bool = False) -> Resource:
        """``data`` as a JSON resource of this snapshot (public or preview ETags)."""
        return Resource.of(dumps(data, pretty=pretty), "application/json", etag_prefix=self._prefix)

    def _answer(
        self, make: Answer, served: object, names: tuple[str, ...], *values: Any
    ) -> Resource | None:
        return make(self, served, dict(zip(names, values, strict=True)))

    def _rendered(self, writer: Writer[Any], artifact: Artifact, media_type: str) -> Resource:
        return Resource.of(render_one(writer, artifact), media_type, etag_prefix=self._prefix)

    def get(self, writer: str, path: str) -> Resource | None:
        """The artifact ``path`` of ``writer``; None when no enabled profile makes it."""
        found = self._resources.get((writer, path))
        # Rendered once even when two requests arrive together.
        return self._on_demand.get((writer, path), found) if callable(found) else found

    def etags(self) -> dict[str, str]:
        """The identity ETag of every artifact rendered up front, by ``writer/path``."""
        return {
            f"{writer}/{path}": found.etag
            for (writer, path), found in sorted(self._resources.items())
            if isinstance(found, Resource)
        }


class NotLoaded(SpikecontentError):
    """No snapshot is served yet: the first load has not finished."""


@attrs.frozen(kw_only=True, eq=False)
class Served:
    """What one request is answered from: the public snapshot, the preview one (when a
    token is configured), and the problems of the last reload that failed, if any. Told
    apart by identity: the snapshot keeps its answers by it."""

    public: Snapshot
    preview: Snapshot | None = None
    errors: tuple[Diagnostic, ...] = ()
    history: History = attrs.field(factory=History)
    """The content's history, for ``/sync``: the export's, or this process's own."""


class LiveContent:
    """The current :class:`Served`, rebuilt from the content and profile folders."""

    def __init__(
        self,
        content: Path,
        exporters: Path,
        *,
        include_drafts: bool = False,
        preview_token: str | None = None,
        load: bool = True,
        history: Path | None = None,
    ) -> None:
        """Build the first snapshot (``load=False``: none until :meth:`reload`);
        :class:`~spikecontent.ContentError` when invalid. ``history``: an export's output
        folder, whose history ``/sync`` reads; without it the process keeps its own."""
        self.content = content
        self.exporters = exporters
        self.include_drafts = include_drafts
        self.history_file = private_folder(history) / HISTORY_FILE if history else None
        self._history = History()
        self._token = preview_token.encode() if preview_token else None
        self._reloading = threading.Lock()
        self._listeners: list[Callable[[Change], None]] = []
        self.current: Served | None = None
        """What requests are answered from (None before the first load), replaced whole."""
        if load:
            self.current = self._build()
            metrics.content_loaded(self.current.public.version)

    @property
    def served(self) -> Served:
        """What requests are answered from; :class:`NotLoaded` before the first load."""
        if self.current is None:
            raise NotLoaded("the content is still loading")
        return self.current

    @property
    def previewable(self) -> bool:
        """Whether a preview token is configured."""
        return self._token is not None

    def token_matches(self, presented: str) -> bool:
        """Whether ``presented`` is the preview token (in constant time)."""
        return self._token is not None and hmac.compare_digest(presented.encode(), self._token)

    def on_change(self, listener: Callable[[Change], None]) -> None:
        """Call ``listener`` after every reload that changed what is served."""
        self._listeners.append(listener)

    def reload(self) -> bool:
        """Rebuild from the folders and swap the result in; False (and the last good
        snapshot kept) when the content is invalid."""
        with self._reloading:  # one rebuild at a time; requests never wait for it
            before = self.current
            try:
                after = self._build()
            except ContentError as error:
                metrics.reload_failed()
                errors = error.report(warnings=False)  # warnings are the editor's to read
                if before is None:
                    log.error("content is invalid; nothing is served until it is fixed\n%s", errors)
                    return False
                self.current = attrs.evolve(before, errors=error.diagnostics)
                log.error("content is invalid; still serving the last good version\n%s", errors)
                return False
            self.current = after
            metrics.content_loaded(after.public.version)
        if before is None:
            log.info("content loaded: version %s", after.public.version)
            return True
        old, new = before.public.etags(), after.public.etags()
        change = Change(
            version=after.public.version,
            previous_version=before.public.version,
            changed={path: etag for path, etag in new.items() if old.get(path) != etag},
            removed=tuple(sorted(set(old) - set(new))),
        )
        if change.changed or change.removed:
            log.info("content reloaded: version %s", after.public.version)
            for listener in self._listeners:
                listener(change)
        return True

    def _build(self) -> Served:
        project = check_folders(self.content, self.exporters)
        public = Snapshot(project, include_drafts=self.include_drafts)
        preview = Snapshot(project, preview=True) if self._token is not None else None
        if self.history_file is not None:
            history = read_history(self.history_file)
        else:
            history = self._history = self._history.advance(public.entries.revisions)
        return Served(public=public, preview=preview, history=history)
