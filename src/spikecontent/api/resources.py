"""What the HTTP API serves: the writers' own artifacts, rendered once, held in memory.

Content is loaded, validated and linted exactly as ``spikecontent export`` does it, and
every response body is an artifact of a writer run through the same profiles, so the API
and ``dist/`` serve the same bytes. Artifacts of writers marked ``on_demand`` (leaflets take
most of a second each) are rendered on first request, once, and kept.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from spikecontent.diagnostics import Diagnostic
from spikecontent.model import Library
from spikecontent.pipeline import Registry, Writer, check_project, load_profiles, render_one

__all__ = ["ApiContent", "Resource", "etag_of"]

MEDIA_TYPES = {
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".pdf": "application/pdf",
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain",  # Litestar adds "; charset=utf-8" to text/* types
}


def etag_of(body: bytes) -> str:
    """A strong ETag: the quoted SHA-256 of the body (first 32 hex digits)."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


@attrs.frozen(kw_only=True)
class Resource:
    """A response body with its media type and ETag."""

    body: bytes
    media_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, media_type: str) -> Resource:
        """The resource for ``body``, with its ETag computed."""
        return cls(body=body, media_type=media_type, etag=etag_of(body))


@attrs.define
class _Lazy:
    render: Callable[[], bytes]
    media_type: str
    lock: threading.Lock = attrs.field(factory=threading.Lock)
    resource: Resource | None = None

    def get(self) -> Resource:
        with self.lock:  # render once even when two requests arrive together
            if self.resource is None:
                self.resource = Resource.of(self.render(), self.media_type)
            return self.resource


class ApiContent:
    """The content and every artifact the API serves, keyed by writer and path."""

    def __init__(
        self,
        content: Path,
        exporters: Path,
        *,
        include_drafts: bool = False,
        registry: Registry | None = None,
    ) -> None:
        """Load, check and lint ``content``; render every artifact but the leaflets.

        Raises :class:`~spikecontent.ContentError` listing every problem, like export.
        """
        profiles, problems = load_profiles(exporters, registry or Registry.installed())
        project = check_project(content, profiles, problems)
        self.library: Library = project.library
        self.warnings: tuple[Diagnostic, ...] = project.lint_warnings
        writers: dict[str, Writer[Any]] = {}
        for profile in profiles:
            # The first enabled profile of each writer is the one the API serves.
            if profile.enabled and profile.writer.name not in writers:
                writer = project.writer(profile, include_drafts=include_drafts)
                writer.prepare()
                writers[writer.name] = writer
        self._resources: dict[tuple[str, str], Resource | _Lazy] = {}
        self._on_demand = {name for name, writer in writers.items() if writer.on_demand}
        for name, writer in writers.items():
            for artifact in writer.plan():
                media_type = _media_type(artifact.path)
                if media_type is None:
                    continue
                render = functools.partial(render_one, writer, artifact)
                if writer.on_demand:
                    self._resources[name, artifact.path] = _Lazy(render, media_type)
                else:
                    self._resources[name, artifact.path] = Resource.of(render(), media_type)

    def renders_on_demand(self, writer: str) -> bool:
        """Whether ``writer``'s artifacts are rendered on first request (slowly)."""
        return writer in self._on_demand

    def get(self, writer: str, path: str) -> Resource | None:
        """The artifact ``path`` of ``writer``, or None when no enabled profile of that
        writer makes it."""
        found = self._resources.get((writer, path))
        if isinstance(found, _Lazy):
            return found.get()
        return found


def _media_type(path: str) -> str | None:
    for suffix, media_type in sorted(MEDIA_TYPES.items(), key=lambda i: -len(i[0])):
        if path.endswith(suffix):
            return media_type
    return None
