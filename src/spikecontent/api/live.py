"""The content the API serves, kept current: :meth:`LiveContent.reload` rebuilds it and
swaps the whole :class:`Served` in one assignment, so every request sees one snapshot.
Invalid content keeps the last good snapshot serving, with its diagnostics.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Final

import attrs

from spikecontent.api import metrics
from spikecontent.api.resources import Snapshot
from spikecontent.delivery import HISTORY_FILE, History, read_history
from spikecontent.delivery.webhooks import Change
from spikecontent.diagnostics import ContentError, Diagnostic, SpikecontentError
from spikecontent.pipeline import check_folders, private_folder

__all__ = ["PREVIEW_TOKEN_VARIABLE", "LiveContent", "NotLoaded", "Served"]

PREVIEW_TOKEN_VARIABLE: Final = "SPIKECONTENT_PREVIEW_TOKEN"
"""The environment variable holding the preview token (never a flag: flags show in ``ps``)."""

log = logging.getLogger("spikecontent.serve")


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
        self.history_file = private_folder(history) / HISTORY_FILE if history else None
        self._history = History()
        self.exporters = exporters
        self.include_drafts = include_drafts
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
                if before is None:
                    log.error("content is invalid; nothing is served until it is fixed\n%s", error)
                    return False
                self.current = attrs.evolve(before, errors=error.diagnostics)
                log.error("content is invalid; still serving the last good version\n%s", error)
                return False
            self.current = after
            metrics.content_loaded(after.public.version)
        if before is None:
            log.info("content loaded: version %s", after.public.version)
            return True
        change = _change(before.public, after.public)
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


def _change(before: Snapshot, after: Snapshot) -> Change:
    old, new = before.etags(), after.etags()
    return Change(
        version=after.version,
        previous_version=before.version,
        changed={path: etag for path, etag in new.items() if old.get(path) != etag},
        removed=tuple(sorted(set(old) - set(new))),
    )
