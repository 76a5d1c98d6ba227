"""``spikecontent export`` as a library call: content and profiles in, files and a report out.

The run fails closed: invalid content or profiles export nothing (see
:mod:`.project`). Then each profile's writer plans its artifacts (:mod:`.planning`);
artifacts whose inputs are unchanged since the last export are skipped; the rest render
(in parallel when asked) and are staged in a new generation of the output folder. Only
when every artifact has rendered are they committed, the manifest replaced and stale
outputs pruned there, the build state written beside the output (never in it), and the
generation switched in whole (see :mod:`spikecontent.pipeline.output` and
:mod:`spikecontent.store.generations`). A generation holds what its manifest names and
nothing else.
"""

from __future__ import annotations

import collections
import difflib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from spikecontent._version import __version__
from spikecontent.diagnostics import Diagnostic, SpikecontentError
from spikecontent.lint.rule_files import packaged_rule_files
from spikecontent.pipeline.inputs import InputDigests, files_digest
from spikecontent.pipeline.manifest import (
    LOAD_CACHE,
    MANIFEST,
    BuildState,
    Record,
    file_stamp,
    manifest_bytes,
    read_state,
    remember_state,
    state_bytes,
    state_stamp,
)
from spikecontent.pipeline.outcomes import ArtifactFailure, ExportProgress, ExportReport, Outcome
from spikecontent.pipeline.output import (
    LARGE_FILE,
    Staging,
    output_lock,
    prune,
    write_atomically,
)
from spikecontent.pipeline.parts import KeptParts, PartStore
from spikecontent.pipeline.planning import Job, plan_export
from spikecontent.pipeline.profiles import Profile, load_profiles
from spikecontent.pipeline.project import check_project
from spikecontent.pipeline.registry import Registry
from spikecontent.pipeline.remembered import Remembered
from spikecontent.pipeline.rendering import Destinations, render_all
from spikecontent.pipeline.stamps import STAMPS, Stamps
from spikecontent.pipeline.templates import Templates
from spikecontent.pipeline.writer import ContentFailure
from spikecontent.store.collector import collector_paused
from spikecontent.store.file_digests import file_digest
from spikecontent.store.generations import Generations, private_folder
from spikecontent.store.memory import give_back_freed_memory

if TYPE_CHECKING:
    from spikecontent.pipeline.dask_executor import DaskCluster

__all__ = ["UnknownProfileError", "export"]


class UnknownProfileError(SpikecontentError, LookupError):
    """``--only`` named a profile that does not exist."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"profiles: {', '.join(known)}"
        super().__init__(f"no export profile {name!r}; {hint}")


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
    wait: bool = False,
    executor: str | DaskCluster | None = None,
) -> ExportReport:
    """Export ``content`` through every profile in ``exporters`` (or those in ``only``).

    ``executor`` (``"dask://HOST:PORT"``, ``"tls://HOST:PORT"`` or a
    :class:`~spikecontent.pipeline.dask_executor.DaskCluster` naming certificates) renders
    on that Dask cluster instead of local processes, sent only what it renders; files are
    staged and committed here either way (same bytes as ``jobs=1``).
    :class:`~spikecontent.pipeline.rendering.ExecutorError` (a worker process that died, a
    cluster that failed) means nothing was written.

    Raises :class:`~spikecontent.ContentError` for invalid content or profiles (nothing is
    written), :class:`UnknownProfileError` for a bad ``only``, and
    :class:`~spikecontent.pipeline.output.OutputBusy` when another export is writing into
    ``out`` (with ``wait``, it waits for that one instead). Artifacts that fail to render
    are listed in the report; then nothing is written either.
    """
    with collector_paused():
        return _export(
            Path(content),
            exporters=Path(exporters),
            root=Path(out),
            only=tuple(only),
            jobs=jobs,
            force=force,
            include_drafts=include_drafts,
            registry=registry,
            progress=progress or _NoProgress(),
            wait=wait,
            executor=executor,
        )


def _export(
    content: Path,
    *,
    exporters: Path,
    root: Path,
    only: tuple[str, ...],
    jobs: int | None,
    force: bool,
    include_drafts: bool,
    registry: Registry | None,
    progress: ExportProgress,
    wait: bool,
    executor: str | DaskCluster | None,
) -> ExportReport:
    started = time.perf_counter()
    profiles, problems = load_profiles(Path(exporters), registry or Registry.installed())
    # A profile that failed to load is not "unknown": its problems are reported below.
    chosen = _choose(profiles, tuple(only)) if not problems else profiles
    stamp, state = state_stamp(root), read_state(root)
    run = "" if problems else _run_digest(Path(content), Path(exporters), chosen, include_drafts)
    stamps = Stamps(private_folder(root) / STAMPS)
    generations = Generations(root)
    if (
        run
        and not force
        and state.run == run
        and _all_intact(state, root, stamps)
        # Anything else in the output (a file or link put there, an older version's
        # build state) takes a new generation, which holds only the manifest's files.
        and generations.holds_only(state.records)
    ):
        stamps.save()
        return _nothing_to_do(root, state, {p.name for p in chosen}, progress, started)
    cache = private_folder(root) / LOAD_CACHE
    project = check_project(Path(content), profiles, problems, cache=cache)
    remembered = Remembered(InputDigests(project.library, __version__), cache)
    writers = [
        (p, project.writer(p, include_drafts=include_drafts, remembered=remembered)) for p in chosen
    ]
    planned = plan_export(project.library, writers, project.place, remembered.digests)
    remembered.keep({p.name for p in profiles})
    warnings = project.lint_warnings + planned.warnings
    with output_lock(root, wait=wait):
        # Read again under the lock if another export has finished meanwhile.
        if state_stamp(root) != stamp:
            state = read_state(root)
        # Linking the new generation (14,000 links and directory reads) and checking which
        # outputs are intact (14,000 stats) both wait on the file system: side by side.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="spikecontent-link") as link:
            beginning = link.submit(generations.begin, state.records)
            try:
                unchanged = {
                    job.path
                    for job in planned.jobs
                    if not force and _unchanged(job, state, root, stamps)
                }
            finally:
                new, missing = beginning.result()
        try:
            # What the new generation could not take (a file gone, or a link put in its
            # place) is written again, even if the file it resolves to is intact.
            todo = [job for job in planned.jobs if job.path not in unchanged - missing]
            store = PartStore(cache)
            if not force:
                last = _LastOutput(root=root, state=state, stamps=stamps)
                todo = [_with_kept_parts(job, store, last) for job in todo]
            progress.planned(len(planned.jobs), len(todo))
            todo_paths = {job.path for job in todo}
            skipped = tuple(sorted(job.path for job in planned.jobs if job.path not in todo_paths))
            for path in skipped:
                progress.finished(path, Outcome.SKIPPED)
            failures = list(planned.failures)
            records = _render_and_commit(
                todo,
                _Rendering(jobs=jobs or os.cpu_count() or 1, executor=executor),
                new,
                _Outcomes(failures=failures, parts=store),
                progress,
                project.place,
            )
            if failures:
                generations.discard(new)
                return ExportReport(
                    out=root,
                    skipped=skipped,
                    failed=tuple(sorted(failures, key=lambda f: f.path)),
                    warnings=warnings,
                    seconds=time.perf_counter() - started,
                )
            for job in planned.jobs:
                if job.path not in records:  # skipped: as last written
                    records[job.path] = state.records[job.path]
            ran = {p.name for p in chosen} if only else None
            saved = BuildState(run=run, records=records, warnings=warnings)
            stale = _save_state(new, generations.state_file(new), saved, state, ran, missing)
            for job in todo:
                stamps.wrote(new, records[job.path])
            generations.switch(new)
            store.forget(stale)
        except BaseException:
            generations.discard(new)
            raise
        finally:
            # Once: the files found intact, and those written if the export committed.
            stamps.save()
        generations.clean()
        return ExportReport(
            out=root,
            written=tuple(sorted(job.path for job in todo)),
            skipped=skipped,
            pruned=stale,
            warnings=warnings,
            seconds=time.perf_counter() - started,
        )


def _nothing_to_do(
    root: Path, state: BuildState, chosen: set[str], progress: ExportProgress, started: float
) -> ExportReport:
    """No input file changed since the last export: report every artifact of the
    ``chosen`` profiles as skipped (the state also keeps the others' records)."""
    paths = tuple(
        sorted(path for path, record in state.records.items() if record.profile in chosen)
    )
    progress.planned(len(paths), 0)
    for path in paths:
        progress.finished(path, Outcome.SKIPPED)
    return ExportReport(
        out=root,
        skipped=paths,
        warnings=state.warnings,
        seconds=time.perf_counter() - started,
        up_to_date=True,
    )


@attrs.frozen(kw_only=True)
class _Rendering:
    """Where the jobs render: ``jobs`` local processes, or a Dask ``executor``."""

    jobs: int
    executor: str | DaskCluster | None


@attrs.frozen(kw_only=True)
class _Outcomes:
    """What rendering reports besides the records: each failure; and where the parts of
    each composed artifact are kept for the next export (as soon as it rendered: they
    are right for their inputs whether or not this export commits)."""

    failures: list[ArtifactFailure]
    parts: PartStore


def _render_and_commit(
    todo: list[Job],
    rendering: _Rendering,
    root: Path,
    outcomes: _Outcomes,
    progress: ExportProgress,
    place: Callable[[ContentFailure], Diagnostic],
) -> dict[str, Record]:
    """Render and stage ``todo``; commit every file only when nothing failed."""
    staging = Staging(root)
    try:
        records = _render_and_stage(todo, rendering, staging, outcomes, progress, place)
        if not outcomes.failures:
            try:
                staging.commit()
            except OSError as error:  # the disk did not take what was staged (full, failing)
                outcomes.failures.extend(_failure(j, f"could not write it: {error}") for j in todo)
        if outcomes.failures:
            staging.discard()
    except BaseException:
        staging.discard()
        raise
    return records


def _save_state(
    root: Path,
    state_file: Path,
    new: BuildState,
    old: BuildState,
    ran: set[str] | None,
    missing: frozenset[str],
) -> tuple[str, ...]:
    """Write the manifest of a successful run into the new generation ``root`` and its
    build state to ``state_file`` (beside the output, private), then prune what it no
    longer makes; the pruned paths. Outputs of profiles that did not run keep their
    records (``ran`` names the profiles that did, when ``--only`` chose them) if the new
    generation holds their files (``missing`` names those it could not take)."""
    records = dict(new.records)
    for path, record in old.records.items():
        if ran is None or record.profile in ran or path in missing:
            continue
        records.setdefault(path, record)
    stale = tuple(sorted(set(old.records) - set(records)))
    write_atomically(root / MANIFEST, manifest_bytes(records))
    saved = attrs.evolve(new, records=records)
    write_atomically(state_file, state_bytes(saved), private=True)
    remember_state(file_stamp(state_file), saved)
    prune(root, list(stale))
    return stale


_TRIMMED_EVERY = 48 * 1024 * 1024
"""Memory is given back to the system after every so many bytes of large files (once per
file cost 20 ms of each re-export after one change)."""


class _NoProgress:
    def planned(self, total: int, to_render: int) -> None:
        pass

    def finished(self, path: str, outcome: Outcome) -> None:
        pass


def _render_and_stage(
    todo: list[Job],
    rendering: _Rendering,
    staging: Staging,
    outcomes: _Outcomes,
    progress: ExportProgress,
    place: Callable[[ContentFailure], Diagnostic],
) -> dict[str, Record]:
    """Render ``todo`` and stage each result; after a first failure, only keep rendering
    to report every failure in one run."""
    failures = outcomes.failures
    records: dict[str, Record] = {}
    freed = 0  # bytes of large files written since memory was last given back
    # What is waiting for the staging thread; the bytes themselves only the thread holds.
    staged: collections.deque[tuple[Job, _Staged, Future[str]]] = collections.deque()

    def written(job: Job, result: _Staged, future: Future[str]) -> None:
        nonlocal freed
        try:
            sha256 = future.result()
        except OSError as error:  # a full disk, a read-only folder, a file too large
            failures.append(_failure(job, f"could not write it: {error}"))
            progress.finished(job.path, Outcome.FAILED)
            return
        records[job.path] = _record(job, result.size, sha256)
        freed += result.size if result.size >= LARGE_FILE else 0
        if freed >= _TRIMMED_EVERY:  # written, and freed: see spikecontent.store.memory
            give_back_freed_memory()
            freed = 0
        if job.parts:
            outcomes.parts.save(job.path, job.frame, job.parts, result.places, result.size, sha256)
        progress.finished(job.path, Outcome.RENDERED)

    tasks = [job.task for job in todo]
    destinations = Destinations(root=staging.root, paths=[job.path for job in todo])
    for result in render_all(tasks, rendering.jobs, rendering.executor, destinations):
        job = todo[result.index]
        if result.written is not None:  # by a worker, beside its destination
            temporary, size, sha256 = result.written
            # Taken even after a failure, so that it is removed with the rest.
            future = staging.adopt(job.path, temporary, sha256)
            if failures:
                progress.finished(job.path, Outcome.RENDERED)
            else:
                staged.append((job, _Staged(size=size, places=result.places), future))
        elif result.data is None:
            failure = _failure(job, result.error or "failed")
            if result.content is not None:
                failure = attrs.evolve(failure, place=place(result.content))
            failures.append(failure)
            progress.finished(job.path, Outcome.FAILED)
        elif failures:
            progress.finished(job.path, Outcome.RENDERED)  # nothing will be written
        else:
            try:
                future = staging.stage(job.path, result.data)
                staged.append((job, _Staged(size=len(result.data), places=result.places), future))
            except OSError as error:  # its folder could not be made
                failures.append(_failure(job, f"could not write it: {error}"))
                progress.finished(job.path, Outcome.FAILED)
        # Results as they are written, in order, without waiting for the writing thread.
        while staged and staged[0][2].done():
            written(*staged.popleft())
    while staged:
        written(*staged.popleft())
    return records


def _with_kept_parts(job: Job, store: PartStore, last: _LastOutput) -> Job:
    """``job``, told where its parts from the last export are (composed ones only, when
    the file it wrote is intact)."""
    record = last.state.records.get(job.path)
    if not job.parts or record is None or not last.stamps.intact(last.root, record):
        return job
    kept = KeptParts(
        folder=store.folder,
        path=job.path,
        output=last.root / job.path,
        sha256=record.sha256,
        frame=job.frame,
        digests=job.parts,
    )
    return attrs.evolve(job, task=attrs.evolve(job.task, kept=kept))


@attrs.frozen(kw_only=True)
class _LastOutput:
    """What the last export wrote into ``root``, and the stamps of its intact files."""

    root: Path
    state: BuildState
    stamps: Stamps


def _choose(profiles: tuple[Profile, ...], only: tuple[str, ...]) -> tuple[Profile, ...]:
    names = [p.name for p in profiles]
    for name in only:
        if name not in names:
            raise UnknownProfileError(name, names)
    if only:
        return tuple(p for p in profiles if p.name in only)
    return tuple(p for p in profiles if p.enabled)


def _unchanged(job: Job, state: BuildState, root: Path, stamps: Stamps) -> bool:
    record = state.records.get(job.path)
    return record is not None and record.inputs == job.inputs and stamps.intact(root, record)


def _all_intact(state: BuildState, root: Path, stamps: Stamps) -> bool:
    records = state.records.values()
    return (root / MANIFEST).is_file() and all(stamps.intact(root, r) for r in records)


@attrs.frozen(kw_only=True)
class _Staged:
    """What recording a staged result needs besides its digest."""

    size: int
    places: tuple[tuple[int, int], ...] | None


def _record(job: Job, size: int, sha256: str) -> Record:
    return Record(
        path=job.path,
        profile=job.profile.name,
        writer=job.task.writer.name,
        writer_version=job.task.writer.version,
        sha256=sha256,
        bytes=size,
        entries=job.entries,
        inputs=job.inputs,
    )


def _failure(job: Job, cause: str) -> ArtifactFailure:
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
                    # The digest of each file stands for its bytes: a process that exports
                    # again reads only the files changed since (the loader, the same).
                    digest = file_digest(path)[0].encode()
                    files.append((f"{label}/{path.relative_to(folder).as_posix()}", digest))
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
