"""``spikecontent export`` as a library call: content and profiles in, files and a report out.

An export is five named steps, each in its own module:

1. **check** (:func:`_check`, :mod:`.project`): the profiles and the content, lint
   included; invalid input exports nothing. Before it, if no input file changed since
   the last export and its output is intact, there is nothing to do (:mod:`.changes`).
2. **plan** (:func:`_plan`, :mod:`.planning`): every artifact of every chosen profile,
   with the digest of its inputs.
3. **choose what changed** (:mod:`.changes`): which artifacts must render, in a new
   generation of the output begun from the last.
4. **render and stage** (:mod:`.stage`): on the executor, each file staged as it comes.
5. **commit** (:mod:`.commit`): only when every artifact rendered, the manifest, the
   pruning and the build state, then the output switched to the new generation whole
   (see :mod:`spikecontent.store.generations`).

Its bookkeeping sits behind the store (:mod:`spikecontent.store`) and the output
(:mod:`.output`); the settings are one :class:`~spikecontent.pipeline.options.ExportOptions`.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from spikecontent._version import __version__
from spikecontent.diagnostics import Diagnostic, Level, SpikecontentError, os_reason
from spikecontent.pipeline.changes import LastExport, choose_changes, up_to_date
from spikecontent.pipeline.commit import commit
from spikecontent.pipeline.graph import InputGraph, Reuse
from spikecontent.pipeline.history import record_history
from spikecontent.pipeline.inputs import InputDigests
from spikecontent.pipeline.manifest import LOAD_CACHE, BuildState
from spikecontent.pipeline.options import ExportOptions
from spikecontent.pipeline.outcomes import ArtifactFate, ExportProgress, ExportReport
from spikecontent.pipeline.output import OutputUnwritable, check_output_folder, output_lock
from spikecontent.pipeline.parts import PartStore
from spikecontent.pipeline.planning import Plan, plan_export
from spikecontent.pipeline.profiles import Profile, load_profiles
from spikecontent.pipeline.project import CheckedProject, check_project
from spikecontent.pipeline.registry import Registry
from spikecontent.pipeline.remembered import Remembered
from spikecontent.pipeline.stage import render_and_stage
from spikecontent.store.collector import collector_paused
from spikecontent.store.generations import private_folder

__all__ = ["ExportOptions", "UnknownProfileError", "export"]


class UnknownProfileError(SpikecontentError, LookupError):
    """``--only`` named a profile that does not exist."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"profiles: {', '.join(known)}"
        super().__init__(f"no export profile {name!r}; {hint}")


def export(
    content: str | os.PathLike[str] = "content",
    options: ExportOptions | None = None,
    **settings: Any,
) -> ExportReport:
    """Export ``content`` as ``options`` say (every enabled profile in ``exporters/``
    into ``dist/`` by default); ``settings`` are :class:`ExportOptions` fields given by
    name, over those of ``options`` (``export("content", out="site", jobs=2)``).

    Raises :class:`~spikecontent.ContentError` for invalid content or profiles (nothing is
    written), :class:`UnknownProfileError` for a bad ``only``,
    :class:`~spikecontent.pipeline.output.OutputBusy` when another export is writing into
    ``out`` (with ``wait``, it waits for that one instead), and
    :class:`~spikecontent.pipeline.outcomes.ExecutorError` when the executor (a worker
    process that died, a cluster that failed) could not render: nothing was written.
    Artifacts that fail to render are listed in the report; then nothing is written either.
    """
    chosen = attrs.evolve(options or ExportOptions(), **settings)
    with collector_paused():
        return _export(Path(content), chosen)


def _export(content: Path, options: ExportOptions) -> ExportReport:
    started = time.perf_counter()
    progress = options.progress or _NoProgress()
    root = options.out
    check_output_folder(root, (("content", content), ("profiles", options.exporters)))
    last = LastExport.read(root)
    # 1. Check (unless nothing changed at all since the last export).
    profiles, problems = load_profiles(options.exporters, options.registry or Registry.installed())
    # A profile that failed to load is not "unknown": its problems are reported below.
    chosen = _choose(profiles, options.only) if not problems else profiles
    cache = private_folder(root) / LOAD_CACHE
    # The input files' stamps of the last run: only files whose stamp moved are read.
    graph = InputGraph(cache, content, options.exporters)
    run = "" if problems else graph.run_digest(chosen, options.include_drafts)
    if not options.force and up_to_date(run, last):
        last.stamps.save()
        graph.save()
        return _nothing_to_do(last, {p.name for p in chosen}, progress, started)
    project = check_project(content, profiles, problems, cache=cache)
    # 2. Plan: when the graph bounds the change, only what it reaches is digested.
    reuse = None if options.force else graph.reuse(last.state.records, last.state.run)
    digests = InputDigests(project.library, __version__)
    planned = _plan(project, chosen, options, cache, profiles, digests, reuse)
    warnings = project.lint_warnings + planned.warnings
    with output_lock(root, wait=options.wait):
        last.refresh()
        # 3. Choose what changed.
        parts = PartStore(cache)
        changes = choose_changes(planned.jobs, last, parts, force=options.force)
        try:
            progress.planned(len(planned.jobs), len(changes.todo))
            for path in changes.skipped:
                progress.finished(path, ArtifactFate.SKIPPED)
            # 4. Render and stage.
            staged = render_and_stage(
                changes.todo,
                options.renderer(),
                changes.new,
                parts,
                progress,
                project.place,
                failed=planned.failures,
            )
            failures = staged.failures
            if failures:
                last.generations.discard(changes.new)
                return ExportReport(
                    out=root,
                    skipped=changes.skipped,
                    failed=tuple(sorted(failures, key=lambda f: f.path)),
                    warnings=warnings,
                    seconds=time.perf_counter() - started,
                )
            # 5. Commit.
            state = BuildState(run=run, records=staged.records, warnings=warnings)
            ran = {p.name for p in chosen} if options.only else None
            pruned = commit(state, planned.jobs, changes, last, parts, ran)
        except OSError as error:  # a full disk while the manifest and state are saved
            last.generations.discard(changes.new)
            if isinstance(error, BrokenPipeError):
                raise  # the terminal went away, not the output
            raise OutputUnwritable.of(error, root) from None
        except BaseException:
            last.generations.discard(changes.new)
            raise
        finally:
            # Once: the files found intact, and those written if the export committed.
            # A cache: unsaved (a full disk), the next export checks every file again.
            with contextlib.suppress(OSError):
                last.stamps.save()
        last.generations.clean()
        try:
            # The content's history, for the delivery API's sync feed (pipeline/history.py).
            history = private_folder(root)
            record_history(
                history, project.library, include_drafts=options.include_drafts, digests=digests
            )
            _record(graph, project, planned)
        except OSError as error:  # committed: the output is whole, what follows it is not
            warnings = (*warnings, _unsaved(error, root))
    return ExportReport(
        out=root,
        written=tuple(sorted(job.path for job in changes.todo)),
        skipped=changes.skipped,
        pruned=pruned,
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


def _plan(
    project: CheckedProject,
    chosen: tuple[Profile, ...],
    options: ExportOptions,
    cache: Path,
    profiles: tuple[Profile, ...],
    digests: InputDigests,
    reuse: Reuse | None = None,
) -> Plan:
    """Each chosen profile's writer, made and asked for its plan; what the writers
    derived is kept for the next export (of the project's ``profiles``, run or not).
    ``digests`` are the export's (of the project's library); with ``reuse``, artifacts
    the change does not reach are not digested again."""
    remembered = Remembered(digests, cache)
    writers = [
        (p, project.writer(p, include_drafts=options.include_drafts, remembered=remembered))
        for p in chosen
    ]
    planned = plan_export(project.library, writers, project.place, remembered.digests, reuse)
    remembered.keep({p.name for p in profiles})
    return planned


def _unsaved(error: OSError, root: Path) -> Diagnostic:
    """The warning for an export that committed, whose records for the next run (the
    content's history, the input graph) could not be saved."""
    return Diagnostic(
        file=str(root),
        message=(
            f"exported, but the records for the next run could not be saved: {os_reason(error)}"
        ),
        fix="free space; the next export reads every input again, and the delivery API's"
        " sync feed misses this export's changes until one is saved",
        level=Level.WARNING,
    )


def _record(graph: InputGraph, project: CheckedProject, planned: Plan) -> None:
    """Keep what each artifact of this export read, and the input files' stamps."""
    graph.record_export(
        {job.path: (job.profile.name, job.entries, job.plan) for job in planned.jobs},
        project.profiles,
        {str(key): source.file for key, source in project.source_maps.items()},
    )
    graph.save()


def _nothing_to_do(
    last: LastExport, chosen: set[str], progress: ExportProgress, started: float
) -> ExportReport:
    """No input file changed since the last export: report every artifact of the
    ``chosen`` profiles as skipped (the state also keeps the others' records)."""
    records = last.state.records
    paths = tuple(sorted(path for path, record in records.items() if record.profile in chosen))
    progress.planned(len(paths), 0)
    for path in paths:
        progress.finished(path, ArtifactFate.SKIPPED)
    return ExportReport(
        out=last.root,
        skipped=paths,
        warnings=tuple(last.state.warnings),
        seconds=time.perf_counter() - started,
        up_to_date=True,
    )


class _NoProgress:
    def planned(self, total: int, to_render: int) -> None:
        pass

    def finished(self, path: str, fate: ArtifactFate) -> None:
        pass


def _choose(profiles: tuple[Profile, ...], only: tuple[str, ...]) -> tuple[Profile, ...]:
    names = [p.name for p in profiles]
    for name in only:
        if name not in names:
            raise UnknownProfileError(name, names)
    if only:
        return tuple(p for p in profiles if p.name in only)
    return tuple(p for p in profiles if p.enabled)
