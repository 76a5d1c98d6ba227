"""The checked project: export profiles, content and lint, checked together.

Export, the HTTP API and any later consumer start from one :class:`CheckedProject`, so
they accept and refuse exactly the same input: every profile and content problem is
reported at once, then the lint gate runs on the content and on the wording each profile's
writer adds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from spikecontent.diagnostics import ContentError, Diagnostic, format_path
from spikecontent.lint import Scope, Text, lint_entries
from spikecontent.lint.gate import lint_gate
from spikecontent.loading.duplicates import duplicate_questions
from spikecontent.loading.findings import Finding, place
from spikecontent.loading.loader import PartialContentError, load_with_sources
from spikecontent.loading.source_map import SourceMap
from spikecontent.model import EntryKey, Library
from spikecontent.pipeline.profiles import Profile, check_selections, load_profiles
from spikecontent.pipeline.registry import Registry
from spikecontent.pipeline.remembered import Remembered
from spikecontent.sdk.templates import Templates, unread_overrides
from spikecontent.sdk.writer import ContentFailure, Writer, WriterContext

__all__ = [
    "PROFILE_KIND",
    "CheckedProject",
    "check_folders",
    "check_project",
    "make_writer",
    "profile_wording",
    "unread_override_warnings",
]

PROFILE_KIND = "exporters"
"""The kind of entry key that names an export profile file, e.g. ``exporters/macros``."""


@attrs.frozen(kw_only=True)
class CheckedProject:
    """Content that loaded, passed the profiles' checks and the lint gate."""

    library: Library
    profiles: tuple[Profile, ...]
    """Every profile that loaded, enabled or not."""
    lint_warnings: tuple[Diagnostic, ...]
    """Lint findings that do not stop an export."""
    source_maps: Mapping[EntryKey, SourceMap] = attrs.field(factory=dict, repr=False)
    """Where each content entry was written."""

    def place(self, failure: ContentFailure) -> Diagnostic:
        """``failure`` at the ``file:line:col`` of the field it names."""
        source = self.source_maps.get(failure.entry)
        if source is None and failure.entry.kind == PROFILE_KIND:
            profile = next((p for p in self.profiles if p.name == failure.entry.id), None)
            source = profile.source_map if profile is not None else None
        if source is None:  # an entry no file holds: named by its key
            return Diagnostic(
                file=str(failure.entry),
                field=format_path(failure.path),
                message=failure.message,
                fix=failure.fix,
            )
        finding = Finding(
            entry=failure.entry, path=failure.path, message=failure.message, fix=failure.fix
        )
        return place(finding, source)

    def writer(
        self,
        profile: Profile,
        *,
        include_drafts: bool = False,
        remembered: Remembered | None = None,
    ) -> Writer[Any]:
        """The writer instance that serves ``profile`` on this content; with
        ``remembered``, it finds again what it derived in the process's last export."""
        return make_writer(
            profile, self.library, include_drafts=include_drafts, remembered=remembered
        )


def check_project(
    content: Path,
    profiles: Sequence[Profile],
    profile_problems: Sequence[Diagnostic] = (),
    *,
    cache: Path | None = None,
) -> CheckedProject:
    """Load ``content``, check it against ``profiles`` and lint it.

    ``profile_problems`` are the profiles' own (from
    :func:`~spikecontent.pipeline.profiles.load_profiles`); they are reported together with
    the content's in one :class:`ContentError`. With ``cache``, unchanged content files
    are not parsed again.
    """
    try:
        # With bad profiles the run fails anyway: do not create the output folder's cache.
        loaded = load_with_sources(content, cache=None if profile_problems else cache)
    except PartialContentError as error:
        # Every mistake at once: a claim in a text that loaded is reported with the bad
        # reference beside it, not after that is mended.
        claims = lint_entries(content, error.loaded)
        raise ContentError([*profile_problems, *error.diagnostics, *claims]) from None
    except ContentError as error:
        raise ContentError([*profile_problems, *error.diagnostics]) from None
    problems = [*profile_problems, *check_selections(tuple(profiles), loaded.library)]
    # Said with the lint's warnings, beside any error: every mistake of the run at once.
    others = (*duplicate_questions(loaded), *unread_override_warnings(profiles))
    if problems:
        try:
            warnings: Sequence[Diagnostic] = lint_gate(content, loaded)
        except ContentError as error:
            problems.extend(error.diagnostics)
            warnings = error.warnings
        raise ContentError(problems, warnings=[*warnings, *others])
    wording = list(profile_wording(profiles, loaded.library))
    try:
        lint_warnings = lint_gate(content, loaded, wording, cache=cache)
    except ContentError as error:
        raise ContentError(error.diagnostics, warnings=[*error.warnings, *others]) from None
    return CheckedProject(
        library=loaded.library,
        profiles=tuple(profiles),
        lint_warnings=(*lint_warnings, *others),
        source_maps=loaded.source_maps,
    )


def unread_override_warnings(profiles: Iterable[Profile]) -> Iterator[Diagnostic]:
    """A warning for each file in the profiles' override folders that no template reads
    (:func:`~spikecontent.sdk.templates.unread_overrides`)."""
    for profile in profiles:
        if profile.overrides is not None:
            writer = profile.writer
            yield from unread_overrides(profile.overrides, writer.templates, writer.name)


def check_folders(
    content: Path, exporters: Path, registry: Registry | None = None
) -> CheckedProject:
    """Load the profiles in ``exporters`` and check ``content`` against them, as export
    does (:func:`check_project`); :class:`ContentError` listing every problem."""
    profiles, problems = load_profiles(exporters, registry or Registry.installed())
    return check_project(content, profiles, problems)


def prepared_writers(
    profiles: Iterable[Profile], make: Callable[[Profile], Writer[Any]]
) -> dict[str, Writer[Any]]:
    """By writer name, the writer ``make`` makes for the first enabled profile of each
    writer, prepared: the one a server of single artifacts (the API, the preview) renders
    with."""
    writers: dict[str, Writer[Any]] = {}
    for profile in profiles:
        if profile.enabled and profile.writer.name not in writers:
            writer = make(profile)
            writer.prepare()
            writers[writer.name] = writer
    return writers


def make_writer(
    profile: Profile,
    library: Library,
    *,
    include_drafts: bool = False,
    remembered: Remembered | None = None,
) -> Writer[Any]:
    """``profile``'s writer, made with what it may read: the articles the profile
    selects, its options and its templates (and, with ``remembered``, what it derived
    in the last export)."""
    context: WriterContext[Any] = WriterContext(
        library=library,
        articles=profile.select(library, include_drafts=include_drafts),
        options=profile.options,
        templates=Templates(overrides=profile.overrides, package=profile.writer.templates),
        profile=profile.name,
    )
    if remembered is not None:
        context = attrs.evolve(
            context, remember=remembered.scope(profile.writer, profile.options, profile.name)
        )
    return profile.writer(context)


def profile_wording(
    profiles: Sequence[Profile], library: Library
) -> Iterator[tuple[Text, SourceMap]]:
    """What each profile's writer adds to the words readers get (see
    :meth:`Writer.wording <spikecontent.pipeline.Writer.wording>`), with the source map of
    the profile file, for :func:`spikecontent.lint.lint_content`."""
    for profile in profiles:
        if profile.source_map is None:
            continue  # a writer's default profile: its wording is the writer's own
        key = EntryKey(PROFILE_KIND, profile.name)
        for wording in make_writer(profile, library).wording():
            text = Text(
                entry=key, path=("options", *wording.path), scope=Scope.WORDING, text=wording.text
            )
            yield text, profile.source_map
