"""What the preview shows, built from the content and profile folders as they are now.

Unlike an export, the preview renders content the lint gate would stop: its purpose is to
show the findings in place. Only content that does not load (or profiles that do not) is
shown as a list of errors instead.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import attrs

from spikecontent.diagnostics import ContentError, Diagnostic
from spikecontent.lint import RuleFileError, lint_content, project_rules
from spikecontent.loading.loader import LoadedContent, load_with_sources
from spikecontent.model import ARTICLES, Article, EntryKey
from spikecontent.pipeline import (
    Registry,
    RenderFailure,
    load_profiles,
    make_writer,
    prepared_writers,
    profile_wording,
    render_one,
)
from spikecontent.render_cache import RenderCache
from spikecontent.sdk import Artifact, Writer

__all__ = ["TABS", "PreviewState"]

TABS = ("jsonld", "rss", "macros")
"""The writers whose output for one article the preview shows beside the page (and the
leaflet, rendered on demand)."""


@attrs.frozen(kw_only=True)
class PreviewState:
    """One build of the preview: the content, its findings and the writers that show it."""

    version: int
    loaded: LoadedContent | None
    errors: tuple[Diagnostic, ...]
    findings: tuple[Diagnostic, ...]
    writers: dict[str, Writer[Any]]
    entries_by_file: dict[str, EntryKey]
    rendered: RenderCache[bytes | str] = attrs.field(factory=RenderCache, eq=False, repr=False)
    """This version's renders, by writer and path: the content cannot change under them."""
    _rendering: dict[str, threading.Lock] = attrs.field(init=False, eq=False, repr=False)

    @_rendering.default
    def _lock_per_writer(self) -> dict[str, threading.Lock]:
        return {name: threading.Lock() for name in self.writers}

    @classmethod
    def build(cls, content: Path, exporters: Path, version: int) -> PreviewState:
        """Load, lint and prepare the writers; errors instead when content does not load."""
        profiles, problems = load_profiles(exporters, Registry.installed())
        try:
            loaded = load_with_sources(content)
        except ContentError as error:
            return cls.failed(version, (*problems, *error.diagnostics))
        if problems:
            return cls.failed(version, tuple(problems))
        try:
            wording = list(profile_wording(profiles, loaded.library))
            findings = lint_content(loaded, project_rules(content), wording=wording)
        except RuleFileError as error:
            return cls.failed(version, error.diagnostics)
        writers = prepared_writers(
            profiles, lambda profile: make_writer(profile, loaded.library, include_drafts=True)
        )
        return cls(
            version=version,
            loaded=loaded,
            errors=(),
            findings=tuple(findings),
            writers=writers,
            entries_by_file={source.file: key for key, source in loaded.source_maps.items()},
        )

    @classmethod
    def failed(cls, version: int, errors: tuple[Diagnostic, ...]) -> PreviewState:
        """A build whose content cannot be shown: only its errors."""
        return cls(
            version=version,
            loaded=None,
            errors=errors,
            findings=(),
            writers={},
            entries_by_file={},
        )

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article, drafts included."""
        return self.loaded.library.articles if self.loaded else ()

    def findings_for(self, slug: str) -> list[tuple[EntryKey, Diagnostic]]:
        """The findings in the article and in every entry it shows, each with the entry
        whose file it is in (the page marks fields by entry)."""
        assert self.loaded is not None
        shown = {ARTICLES.key(slug), *self.loaded.library.resolve(slug).used_entries()}
        found = []
        for finding in self.findings:
            entry = self.entries_by_file.get(finding.file)
            if entry is not None and entry in shown:
                found.append((entry, finding))
        return found

    def artifacts(self, writer: str, slug: str) -> list[Artifact]:
        """``writer``'s artifacts made from the article ``slug`` alone."""
        made = self.writers.get(writer)
        if made is None:
            return []
        key = ARTICLES.key(slug)
        return [a for a in made.plan() if a.entries == (key,)]

    def render(self, writer: str, artifact: Artifact) -> bytes | str:
        """The artifact's bytes, or why it could not be made; rendered once per version."""
        return self.rendered.get((writer, artifact.path), lambda: self._render(writer, artifact))

    def _render(self, writer: str, artifact: Artifact) -> bytes | str:
        # One artifact at a time per writer: a writer records what each render reads,
        # and WeasyPrint's Pango is not thread-safe (parallel leaflets printed
        # GLib-CRITICAL warnings).
        with self._rendering[writer]:
            try:
                return render_one(self.writers[writer], artifact)
            except RenderFailure as failure:
                return str(failure)
