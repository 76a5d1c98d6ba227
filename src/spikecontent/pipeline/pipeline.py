"""``spikecontent export`` as a library call: content and profiles in, files and a report out.

The run fails closed: invalid content or profiles export nothing. Then each profile's writer
plans its artifacts; artifacts whose inputs are unchanged since the last export are
skipped; the rest render (in parallel when asked) and are staged beside their destinations.
Only when every artifact has rendered are they committed, the manifest replaced and stale
outputs pruned (see :mod:`spikecontent.pipeline.output`).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Protocol

import attrs

from spikecontent._version import __version__
from spikecontent.diagnostics import ContentError, Diagnostic
from spikecontent.lint.gate import lint_gate
from spikecontent.lint.rule_files import packaged_rule_files
from spikecontent.loading.loader import load_with_sources
from spikecontent.model import Library
from spikecontent.pipeline.inputs import InputDigests, files_digest
from spikecontent.pipeline.manifest import (
    LOAD_CACHE,
    MANIFEST,
    STATE,
    BuildState,
    Record,
    manifest_bytes,
    read_state,
    state_bytes,
)
from spikecontent.pipeline.output import Staging, prune, write_atomically
from spikecontent.pipeline.profiles import Profile, check_selections, load_profiles
from spikecontent.pipeline.registry import Registry
from spikecontent.pipeline.rendering import Task, render_all
from spikecontent.pipeline.templates import Templates
from spikecontent.pipeline.writer import WriterContext

__all__ = [
    "ArtifactFailure",
    "ExportProgress",
    "ExportReport",
    "UnknownProfileError",
    "export",
    "load_checked",
    "writer_context",
]


@attrs.frozen(kw_only=True)
class ArtifactFailure:
    """An artifact that could not be made, and why."""

    profile: str
    writer: str
    path: str
    cause: str

    def __str__(self) -> str:
        return (
            f"{self.path}: writer {self.writer!r} (profile {self.profile!r}) failed: {self.cause}"
        )


@attrs.frozen(kw_only=True)
class ExportReport:
    """What an export did. Paths are relative to :attr:`out`."""

    out: Path
    written: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    failed: tuple[ArtifactFailure, ...] = ()
    pruned: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    """Lint warnings (``file:line:col: rule: ...``) and writer warnings (``<path>: ...``,
    the path relative to :attr:`out`); they do not stop the export."""
    seconds: float = 0.0
    up_to_date: bool = False
    """True when no input file had changed, so nothing was even loaded."""

    @property
    def ok(self) -> bool:
        """Whether every artifact was made (a failed run writes nothing)."""
        return not self.failed


class ExportProgress(Protocol):
    """Receives progress as an export runs (the CLI shows it as a bar or as lines)."""

    def planned(self, total: int, to_render: int) -> None:
        """All artifacts are planned; ``to_render`` of ``total`` must be rendered."""

    def finished(self, path: str, outcome: str) -> None:
        """One artifact is ``"rendered"``, ``"skipped"`` or ``"failed"``."""


class UnknownProfileError(LookupError):
    """``--only`` named a profile that does not exist."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"profiles: {', '.join(known)}"
        super().__init__(f"no export profile {name!r}; {hint}")


@attrs.frozen(kw_only=True)
class _Job:
    profile: Profile
    task: Task
    path: str
    sources: tuple[str, ...]
    inputs: str


def export(
    content: str | os.PathLike[str] = "content",
    *,
    exporters: str | os.PathLike[str] = "exporters",
    out: str | os.PathLike[str] = "dist",
    only: Iterable[str] = (),
    jobs: int | None = None,
    force: bool = False,
    include_drafts: bool = False,
    registry: Registry | None = None,
    progress: ExportProgress | None = None,
) -> ExportReport:
    """Export ``content`` through every profile in ``exporters`` (or those in ``only``).

    Raises :class:`~spikecontent.ContentError` for invalid content or profiles (nothing is
    written) and :class:`UnknownProfileError` for a bad ``only``. Artifacts that fail to
    render are listed in the report; then nothing is written either.
    """
    started = time.perf_counter()
    root = Path(out)
    progress = progress or _NoProgress()
    registry = registry or Registry.installed()
    profiles, problems = load_profiles(Path(exporters), registry)
    # A profile that failed to load is not "unknown": its problems are reported below.
    chosen = _choose(profiles, tuple(only)) if not problems else profiles
    state = read_state(root)
    run = ""
    if not problems:
        run = _run_digest(Path(content), Path(exporters), chosen, include_drafts)
        if not force and state.run == run and _all_intact(state, root):
            paths = tuple(sorted(state.records))
            progress.planned(len(paths), 0)
            for path in paths:
                progress.finished(path, "skipped")
            return ExportReport(
                out=root,
                skipped=paths,
                warnings=state.warnings,
                seconds=time.perf_counter() - started,
                up_to_date=True,
            )
    library, lint_warnings = load_checked(
        Path(content), Path(exporters), problems, chosen, root / LOAD_CACHE
    )
    plan, failures, writer_warnings = _plan(library, chosen, include_drafts)
    warnings = lint_warnings + writer_warnings
    todo = [job for job in plan if force or not _unchanged(job, state, root)]
    progress.planned(len(plan), len(todo))
    todo_paths = {job.path for job in todo}
    skipped = tuple(sorted(job.path for job in plan if job.path not in todo_paths))
    for path in skipped:
        progress.finished(path, "skipped")
    staging = Staging(root)
    try:
        records = _render_and_stage(todo, jobs or os.cpu_count() or 1, staging, failures, progress)
        if failures:
            staging.discard()
            return ExportReport(
                out=root,
                skipped=skipped,
                failed=tuple(sorted(failures, key=lambda f: f.path)),
                warnings=warnings,
                seconds=time.perf_counter() - started,
            )
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    for job in plan:
        if job.path not in records:  # skipped: as last written
            records[job.path] = state.records[job.path]
    if only:  # profiles that did not run keep their outputs
        ran = {p.name for p in chosen}
        for path, record in state.records.items():
            if record.profile not in ran:
                records.setdefault(path, record)
    stale = sorted(set(state.records) - set(records))
    write_atomically(root / MANIFEST, manifest_bytes(records))
    state = BuildState(run=run, records=records, warnings=warnings)
    write_atomically(root / STATE, state_bytes(state))
    prune(root, stale)
    return ExportReport(
        out=root,
        written=tuple(sorted(job.path for job in todo)),
        skipped=skipped,
        pruned=tuple(stale),
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


class _NoProgress:
    def planned(self, total: int, to_render: int) -> None:
        pass

    def finished(self, path: str, outcome: str) -> None:
        pass


def _render_and_stage(
    todo: list[_Job],
    jobs: int,
    staging: Staging,
    failures: list[ArtifactFailure],
    progress: ExportProgress,
) -> dict[str, Record]:
    """Render ``todo`` and stage each result; after a first failure, only keep rendering
    to report every failure in one run."""
    records: dict[str, Record] = {}
    for result in render_all([job.task for job in todo], jobs):
        job = todo[result.index]
        cause = result.error
        if result.data is not None and not failures:
            try:
                staging.stage(job.path, result.data)
            except OSError as error:  # a full disk, a read-only folder, a file too large
                cause = f"could not write it: {error}"
        if result.data is None or cause is not None:
            failures.append(_failure(job, cause or "failed"))
            progress.finished(job.path, "failed")
            continue
        records[job.path] = _record(job, result.data)
        progress.finished(job.path, "rendered")
    return records


def _choose(profiles: tuple[Profile, ...], only: tuple[str, ...]) -> tuple[Profile, ...]:
    names = [p.name for p in profiles]
    for name in only:
        if name not in names:
            raise UnknownProfileError(name, names)
    if only:
        return tuple(p for p in profiles if p.name in only)
    return tuple(p for p in profiles if p.enabled)


def load_checked(
    content: Path,
    exporters: Path,
    problems: list[Diagnostic],
    profiles: tuple[Profile, ...],
    cache: Path | None = None,
) -> tuple[Library, tuple[str, ...]]:
    """The content checked against the profiles and linted, as export and the API need
    it: the library and the lint warnings. ``problems`` are the profiles' own; they are
    reported together with the content's in one :class:`ContentError`."""
    try:
        # With bad profiles the run fails anyway: do not create the output folder's cache.
        loaded = load_with_sources(content, cache=None if problems else cache)
    except ContentError as error:
        raise ContentError([*problems, *error.diagnostics]) from None
    problems = [*problems, *check_selections(profiles, loaded.library)]
    if problems:
        raise ContentError(problems)
    return loaded.library, lint_gate(content, loaded, exporters)


def _plan(
    library: Library, profiles: tuple[Profile, ...], include_drafts: bool
) -> tuple[list[_Job], list[ArtifactFailure], tuple[str, ...]]:
    digests = InputDigests(library, __version__)
    jobs: list[_Job] = []
    warnings: list[str] = []
    failures: list[ArtifactFailure] = []
    owners: dict[str, Profile] = {}
    collisions: dict[tuple[Profile, Profile], list[str]] = {}
    for profile in profiles:
        writer = profile.writer
        context = writer_context(profile, library, include_drafts=include_drafts)
        try:
            instance = writer()
            artifacts = list(instance.plan(context))
            warnings.extend(f"{profile.output}/{w}" for w in instance.warnings(context))
        except Exception as error:
            failures.append(
                ArtifactFailure(
                    profile=profile.name,
                    writer=writer.name,
                    path=f"{profile.output}/",
                    cause=f"plan() failed: {type(error).__name__}: {error}",
                )
            )
            continue
        # Template files are the same for every artifact of a profile: digest each once.
        template_digest = functools.cache(context.templates.digest)
        for artifact in artifacts:
            path = f"{profile.output}/{artifact.path}"
            if path in owners:
                collisions.setdefault((owners[path], profile), []).append(path)
                continue
            owners[path] = profile
            try:
                problem = _path_problem(artifact.path)
                if problem:
                    raise ValueError(problem)
                sources = digests.sources(artifact)
                inputs = digests.artifact(
                    artifact,
                    sources=sources,
                    writer=writer.name,
                    writer_version=writer.version,
                    options=profile.options,
                    output_path=path,
                    templates={t: template_digest(t) for t in artifact.templates},
                )
            except (ValueError, LookupError) as error:
                failures.append(
                    ArtifactFailure(
                        profile=profile.name, writer=writer.name, path=path, cause=str(error)
                    )
                )
                continue
            task = Task(writer=writer, context=context, artifact=artifact)
            jobs.append(_Job(profile=profile, task=task, path=path, sources=sources, inputs=inputs))
    if collisions:
        raise ContentError(_collision(paths, *pair) for pair, paths in collisions.items())
    return jobs, failures, tuple(warnings)


def writer_context(
    profile: Profile, library: Library, *, include_drafts: bool = False
) -> WriterContext:
    """What the profile's writer reads: the articles it selects, its options, its templates."""
    return WriterContext(
        library=library,
        articles=profile.select(library, include_drafts=include_drafts),
        options=profile.options,
        templates=Templates(overrides=profile.overrides, package=profile.writer.templates),
        profile=profile.name,
    )


def _path_problem(path: str) -> str | None:
    parts = PurePosixPath(path).parts
    if not path or "\\" in path or path.startswith("/") or any(p in (".", "..") for p in parts):
        return f"artifact path {path!r} must be relative, '/'-separated, without '.' or '..'"
    return None


def _collision(paths: list[str], first: Profile, second: Profile) -> Diagnostic:
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    return Diagnostic(
        file=second.file or f"(default profile {second.name!r})",
        field="output",
        message=(
            f"{paths[0]}{more} would be written by profile {first.name!r} "
            f"(writer {first.writer.name!r}) and by profile {second.name!r} "
            f"(writer {second.writer.name!r})"
        ),
        fix="give each of the two profiles its own 'output' folder",
    )


def _unchanged(job: _Job, state: BuildState, root: Path) -> bool:
    record = state.records.get(job.path)
    return record is not None and record.inputs == job.inputs and record.matches_file(root)


def _all_intact(state: BuildState, root: Path) -> bool:
    return (root / MANIFEST).is_file() and all(r.matches_file(root) for r in state.records.values())


def _record(job: _Job, data: bytes) -> Record:
    return Record(
        path=job.path,
        profile=job.profile.name,
        writer=job.task.writer.name,
        writer_version=job.task.writer.version,
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
        sources=job.sources,
        inputs=job.inputs,
    )


def _failure(job: _Job, cause: str) -> ArtifactFailure:
    return ArtifactFailure(
        profile=job.profile.name, writer=job.task.writer.name, path=job.path, cause=cause
    )


def _run_digest(
    content: Path,
    exporters: Path,
    profiles: tuple[Profile, ...],
    include_drafts: bool,
) -> str:
    files: list[tuple[str, bytes]] = []
    for folder, label in ((content, "content"), (exporters, "exporters")):
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file() and not path.name.startswith("."):
                    files.append(
                        (f"{label}/{path.relative_to(folder).as_posix()}", path.read_bytes())
                    )
    settings = {
        "spikecontent": __version__,
        "include_drafts": include_drafts,
        "profiles": sorted([p.name, p.writer.name, p.writer.version, p.output] for p in profiles),
    }
    for profile in profiles:
        templates = Templates(package=profile.writer.templates)
        files.extend((f"package/{name}", data) for name, data in templates.all_files())
    # The lint gate's default rules decide whether an export may run at all.
    files.extend(packaged_rule_files())
    return files_digest(files, settings)
