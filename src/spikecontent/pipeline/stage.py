"""Rendering and staging: the export's fourth step.

The chosen jobs render on the export's executor (:mod:`.rendering`); each result is
staged in the new generation as it arrives (written by the staging's own thread while
rendering goes on, large ones hashed by another; a large file a local worker wrote
itself is adopted), and recorded. After a first failure, rendering goes on only to
report every failure in one run, and nothing is kept. When all succeeded, everything
staged reaches the disk at once (:meth:`~spikecontent.pipeline.output.Staging.commit`).
Content a writer cannot render is placed at its ``file:line:col``.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path

import attrs

from spikecontent.diagnostics import Diagnostic
from spikecontent.pipeline.manifest import Record
from spikecontent.pipeline.outcomes import ArtifactFailure, ArtifactFate, ExportProgress
from spikecontent.pipeline.output import LARGE_FILE, Staging
from spikecontent.pipeline.parts import PartStore
from spikecontent.pipeline.planning import Job
from spikecontent.pipeline.rendering import Destinations, Executor, Rendered
from spikecontent.sdk.writer import ContentFailure
from spikecontent.store.memory import give_back_freed_memory

__all__ = ["Staged", "failure_of", "render_and_stage"]

_TRIMMED_EVERY = 48 * 1024 * 1024
"""Memory is given back to the system after every so many bytes of large files (once per
file cost 20 ms of each re-export after one change)."""


@attrs.frozen(kw_only=True)
class Staged:
    """What rendering and staging made: a record of each file staged, and each failure
    (when there is any, nothing was kept)."""

    records: dict[str, Record]
    failures: list[ArtifactFailure]


def render_and_stage(
    todo: list[Job],
    executor: Executor,
    generation: Path,
    parts: PartStore,
    progress: ExportProgress,
    place: Callable[[ContentFailure], Diagnostic],
    failed: Sequence[ArtifactFailure] = (),
) -> Staged:
    """Render ``todo`` on ``executor`` and stage each file in ``generation``; make them
    durable only when nothing failed (``failed`` are failures before rendering: then
    ``todo`` only renders, to report its failures too). Where the parts of each composed
    artifact are is kept in ``parts`` as soon as it rendered (they are right for their
    inputs whether or not this export commits)."""
    staging = Staging(generation)
    run = _Run(progress=progress, parts=parts, place=place, failures=list(failed))
    try:
        destinations = Destinations(root=staging.root, paths=[job.path for job in todo])
        queue: collections.deque[tuple[Job, _Written, Future[str]]] = collections.deque()
        for result in executor.render([job.task for job in todo], destinations):
            run.take(todo[result.index], result, staging, queue)
            # Results as they are written, in order, without waiting for the thread.
            while queue and queue[0][2].done():
                run.written(*queue.popleft())
        while queue:
            run.written(*queue.popleft())
        # What rendering freed, given back before the manifest and the build state are
        # made (else the export's peak).
        give_back_freed_memory()
        if not run.failures:
            try:
                staging.commit()
            except OSError as error:  # the disk did not take what was staged (full, failing)
                run.failures.extend(failure_of(j, f"could not write it: {error}") for j in todo)
        if run.failures:
            staging.discard()
    except BaseException:
        staging.discard()
        raise
    return Staged(records=run.records, failures=run.failures)


@attrs.frozen(kw_only=True)
class _Written:
    """What recording a staged result needs besides its digest."""

    size: int
    places: tuple[tuple[int, int], ...] | None


@attrs.define(kw_only=True)
class _Run:
    """The records and failures of one rendering, as its results come."""

    progress: ExportProgress
    parts: PartStore
    place: Callable[[ContentFailure], Diagnostic]
    records: dict[str, Record] = attrs.Factory(dict)
    failures: list[ArtifactFailure] = attrs.Factory(list)
    freed: int = 0
    """Bytes of large files written since memory was last given back."""

    def take(
        self,
        job: Job,
        result: Rendered,
        staging: Staging,
        queue: collections.deque[tuple[Job, _Written, Future[str]]],
    ) -> None:
        """Stage ``result`` (or note its failure); what is staged waits in ``queue``,
        its bytes held by the staging's thread alone."""
        if result.written is not None:  # by a worker, beside its destination
            temporary, size, sha256 = result.written
            # Taken even after a failure, so that it is removed with the rest.
            future = staging.adopt(job.path, temporary, sha256)
            if self.failures:
                self.progress.finished(job.path, ArtifactFate.RENDERED)
            else:
                queue.append((job, _Written(size=size, places=result.places), future))
        elif result.data is None:
            failure = failure_of(job, result.error or "failed")
            if result.content is not None:
                failure = attrs.evolve(failure, place=self.place(result.content))
            self.fail(job, failure)
        elif self.failures:
            self.progress.finished(job.path, ArtifactFate.RENDERED)  # nothing will be written
        else:
            try:
                future = staging.stage(job.path, result.data)
            except OSError as error:  # its folder could not be made
                self.fail(job, failure_of(job, f"could not write it: {error}"))
                return
            queue.append((job, _Written(size=len(result.data), places=result.places), future))

    def written(self, job: Job, result: _Written, future: Future[str]) -> None:
        """Record ``job``'s file once the staging's thread has written it."""
        try:
            sha256 = future.result()
        except OSError as error:  # a full disk, a read-only folder, a file too large
            self.fail(job, failure_of(job, f"could not write it: {error}"))
            return
        self.records[job.path] = _record(job, result.size, sha256)
        self.freed += result.size if result.size >= LARGE_FILE else 0
        if self.freed >= _TRIMMED_EVERY:  # written, and freed: see spikecontent.store.memory
            give_back_freed_memory()
            self.freed = 0
        if job.parts:
            self.parts.save(job.path, job.frame, job.parts, result.places, result.size, sha256)
        self.progress.finished(job.path, ArtifactFate.RENDERED)

    def fail(self, job: Job, failure: ArtifactFailure) -> None:
        self.failures.append(failure)
        self.progress.finished(job.path, ArtifactFate.FAILED)


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


def failure_of(job: Job, cause: str) -> ArtifactFailure:
    """``job``'s artifact failed, for ``cause``."""
    return ArtifactFailure(
        profile=job.profile.name, writer=job.task.writer.name, path=job.path, cause=cause
    )
