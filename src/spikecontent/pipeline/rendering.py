"""Render artifacts: one in this process (:func:`render_task`), or all of an export's on an
:class:`Executor`, here or in a pool of worker processes (:class:`LocalProcesses`; a Dask
cluster is another executor, ``pipeline/dask_executor``).

The content, profiles and writers are pickled once into a file each worker reads when it
starts; a task is then just an index. Workers compute bytes, the same as this process
would, so the outputs of ``--jobs 1`` and ``--jobs N`` are the same bytes; the calling
process stages every file, but for a large one a local worker writes beside its
destination itself, for the staging to adopt (never a file in place).
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.pipeline.disclaimers import missing_disclaimers
from spikecontent.pipeline.outcomes import ExecutorError
from spikecontent.pipeline.output import LARGE_FILE, write_beside, write_chunks_beside
from spikecontent.pipeline.parts import Kept, KeptParts, coalesced, locate_parts
from spikecontent.sdk.templates import TEMPLATE_FILE_PREFIX
from spikecontent.sdk.writer import Artifact, ContentFailure, PartBytes, Writer
from spikecontent.store.memory import give_back_freed_memory

__all__ = [
    "POOL_START_SECONDS",
    "Destinations",
    "Executor",
    "LocalProcesses",
    "RenderFailure",
    "Rendered",
    "Task",
    "render_one",
    "render_task",
]


@attrs.frozen(kw_only=True)
class Task:
    """One artifact to render, with the writer of its profile."""

    writer: Writer[Any]
    artifact: Artifact
    kept: KeptParts | None = None
    """For a composed artifact: where the parts kept from earlier exports are; None to
    render them all."""


@attrs.frozen(kw_only=True)
class Rendered:
    """The outcome of one task: bytes, or the cause of its failure."""

    index: int
    data: bytes | None = None
    error: str | None = None
    content: ContentFailure | None = None
    """The content the writer could not render, when it said which."""
    places: tuple[tuple[int, int], ...] | None = None
    """For a composed artifact that rendered: where each of its parts is in ``data``, as
    (offset, length); None when the join did not keep them as they are."""
    written: tuple[Path, int, str] | None = None
    """Instead of ``data``: the temporary file a worker wrote the bytes to beside their
    destination, their size and SHA-256 (see :meth:`Executor.render`); a large composed
    artifact rendered with its destination known is always written so, from its chunks
    (:meth:`~spikecontent.sdk.Writer.join_chunks`), never joined in memory."""


POOL_START_SECONDS = 1.0
"""About what starting a pool costs before workers unpickle their tasks (2 cores, 3.11)."""
_SAMPLE_SECONDS = 0.3
"""How long to render here first, to estimate the cost of the rest."""


@attrs.frozen(kw_only=True)
class Destinations:
    """Where each task's file goes: ``root`` and, by task index, the path in it."""

    root: Path
    paths: Sequence[str]


_TASKS: Sequence[Task] = ()
_DESTINATIONS: Destinations | None = None
"""In a worker: the tasks of the current export and where their files go, set once by
:func:`_start_worker`."""


class Executor(Protocol):
    """Where an export's tasks render: :class:`LocalProcesses` (the default), a
    :class:`~spikecontent.pipeline.dask_executor.DaskCluster`, or any object with this
    method. Its results must be :func:`render_task`'s, so the bytes are the same
    wherever they render; failing as a whole, it raises
    :class:`~spikecontent.pipeline.outcomes.ExecutorError`."""

    def render(
        self, tasks: Sequence[Task], destinations: Destinations | None = None
    ) -> Iterator[Rendered]:
        """Render every task, yielding results as they finish (in any order). With
        ``destinations`` (where each task's file goes), a worker on this machine may
        write a large result there itself, as a temporary file beside it
        (:attr:`Rendered.written`), instead of sending its bytes back."""
        ...


@attrs.frozen(kw_only=True)
class LocalProcesses:
    """Render here, or in a pool of ``jobs`` worker processes when that pays.

    A pool costs a second or more to start (fresh interpreters that import spikecontent and
    unpickle the whole library), which cheap renders never win back. So the first tasks
    render here, and a pool of ``jobs`` workers takes the rest only when the time it would
    save, estimated from those, exceeds its cost. Either way the bytes are the same.
    """

    jobs: int = attrs.field(validator=attrs.validators.ge(1))

    def render(
        self, tasks: Sequence[Task], destinations: Destinations | None = None
    ) -> Iterator[Rendered]:
        """Render every task, yielding results as they finish (see :class:`Executor`)."""
        return _render_locally(tasks, self.jobs, destinations)


def _render_locally(
    tasks: Sequence[Task], jobs: int, destinations: Destinations | None
) -> Iterator[Rendered]:
    def here(index: int) -> Rendered:
        return render_task(tasks[index], index, _destination(destinations, index))

    if jobs <= 1 or len(tasks) <= 2:
        for index in range(len(tasks)):
            yield here(index)
        return
    # Only time spent rendering counts, not the caller's work between results (staging).
    started = time.perf_counter()
    first = here(0)
    first_seconds = time.perf_counter() - started
    yield first
    done, rendering, sampled = 1, 0.0, 0
    # The first render also pays one-off costs (imports, caches), so it only decides alone
    # when it is clearly slow, as a PDF leaflet is; otherwise more renders are sampled.
    if first_seconds > POOL_START_SECONDS:
        rendering, sampled = first_seconds, 1
    while done < len(tasks) and (sampled == 0 or rendering < _SAMPLE_SECONDS):
        started = time.perf_counter()
        result = here(done)
        rendering += time.perf_counter() - started
        sampled += 1
        yield result
        done += 1
    rest = range(done, len(tasks))
    if not rest:
        return
    saving = rendering / sampled * len(rest) * (1 - 1 / jobs)
    # Pickling costs time too: try only when the saving is clearly larger than starting.
    if len(rest) > 1 and saving > 3 * POOL_START_SECONDS:
        # The workers read the tasks from a file: given as the pool's initializer
        # argument, the 43 MB of a 1,000-article export were held here and pickled once
        # more for each worker started.
        with tempfile.TemporaryDirectory(prefix="spikecontent-tasks-") as folder:
            payload = Path(folder) / "tasks.pickle"
            started = time.perf_counter()
            with payload.open("wb") as handle:
                work = (tuple(tasks), destinations)
                pickle.dump(work, handle, protocol=pickle.HIGHEST_PROTOCOL)
            give_back_freed_memory()  # the pickler's memo of a million objects
            # Each worker unpickles the payload, which takes about as long as pickling it.
            cost = POOL_START_SECONDS + 2 * (time.perf_counter() - started)
            if saving > cost:
                yield from _render_in_pool(payload, _batches(tasks, rest, jobs), jobs)
                return
    for index in rest:
        yield here(index)


def _destination(destinations: Destinations | None, index: int) -> Path | None:
    return None if destinations is None else destinations.root / destinations.paths[index]


_BATCHES_PER_WORKER = 32
"""How many batches each worker gets: enough to balance slow and fast artifacts, few
enough that a round trip per task (a millisecond or more) does not outweigh a render."""


def _batches(tasks: Sequence[Task], indexes: range, jobs: int) -> list[Sequence[int]]:
    """``indexes`` in batches for ``jobs`` workers; a composed artifact in one of its own
    (its tens of MB come back alone, not with a batch's others), and those spread evenly
    among the others: eight import files in a row came back together, 75 MB at once."""
    size = max(1, len(indexes) // (min(jobs, len(indexes)) * _BATCHES_PER_WORKER))
    batches: list[Sequence[int]] = []
    composed: list[Sequence[int]] = []
    batch: list[int] = []
    for index in indexes:
        if tasks[index].artifact.parts is not None:
            composed.append((index,))
            continue
        batch.append(index)
        if len(batch) == size:
            batches.append(batch)
            batch = []
    if batch:
        batches.append(batch)
    # The n-th composed one goes before the n-th share of the others.
    spread: list[Sequence[int]] = []
    for number, alone in enumerate(composed):
        start, end = (len(batches) * n // len(composed) for n in (number, number + 1))
        spread += [alone, *batches[start:end]]
    return spread if composed else batches


def _render_in_pool(payload: Path, batches: list[Sequence[int]], jobs: int) -> Iterator[Rendered]:
    # Imported here: most exports (every one that changes a few articles) start no pool,
    # and these modules are 0.03-0.04 s of their start-up.
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # "spawn" starts clean interpreters: no inherited locks or threads, on every platform.
    context = multiprocessing.get_context("spawn")
    workers = min(jobs, len(batches))
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(str(payload),),
    ) as pool:
        # One batch per worker in flight, and one more: results that arrive faster than
        # this process stages them (a write and fsync each) would otherwise pile up in
        # memory, up to every rendered byte of the export. (Two per worker: 5% faster at
        # 1,000 articles, and 55 MB more.)
        waiting = iter(batches)
        pending = {pool.submit(_render_batch, batch) for batch in islice(waiting, workers + 1)}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for batch in islice(waiting, len(done)):
                    pending.add(pool.submit(_render_batch, batch))
                for future in done:
                    yield from future.result()
        except BrokenProcessPool:
            # Killed (the out-of-memory killer, a signal) or crashed in C: its batch is
            # lost, and the pool with it.
            raise ExecutorError(
                "a worker process rendering the export ended without its results"
                " (killed, out of memory?); nothing was written. Export again, or with"
                " fewer --jobs."
            ) from None
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _start_worker(payload: str) -> None:
    global _TASKS, _DESTINATIONS
    with open(payload, "rb") as handle:
        _TASKS, _DESTINATIONS = pickle.load(handle)


def _render_batch(indexes: Sequence[int]) -> list[Rendered]:
    return [
        _written_here(render_task(_TASKS[index], index, _destination(_DESTINATIONS, index)))
        for index in indexes
    ]


def _written_here(result: Rendered) -> Rendered:
    """``result``, written by this worker when large: sent back, it was pickled, sent and
    unpickled, twice in the exporting process's memory at once (26 MB for the board)."""
    data, where = result.data, _DESTINATIONS
    if data is None or len(data) < LARGE_FILE or where is None:
        return result
    try:
        temporary, sha256 = write_beside(where.root / where.paths[result.index], data)
    except OSError:  # sent back: the exporting process stages it, and says what failed
        return result
    return attrs.evolve(result, data=None, written=(temporary, len(data), sha256))


def _template_line(error: BaseException) -> str:
    """``"<template>:<line>: "`` for the innermost template frame of ``error``, or ``""``."""
    found = ""
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.startswith(TEMPLATE_FILE_PREFIX):
            found = f"{filename.removeprefix(TEMPLATE_FILE_PREFIX)}:{trace.tb_lineno}: "
        trace = trace.tb_next
    return found


class RenderFailure(SpikecontentError):
    """An artifact that could not be made (see :func:`render_one`)."""


def render_one(writer: Writer[Any], artifact: Artifact) -> bytes:
    """The bytes of ``writer``'s ``artifact``, checked exactly as an export checks them;
    :class:`RenderFailure` with the cause when it cannot be made."""
    result = render_task(Task(writer=writer, artifact=artifact), 0)
    if result.data is None:
        raise RenderFailure(f"{artifact.path}: {result.error}")
    return result.data


def render_task(task: Task, index: int, destination: Path | None = None) -> Rendered:
    """Render one task, here or in a worker of any executor (a failure is in the result).
    With ``destination`` (where its file goes, on this machine), a large composed artifact
    is written beside it from its chunks (:attr:`Rendered.written`)."""
    writer = task.writer
    templates = writer.context.templates
    templates.forget_reads()
    chunks: tuple[PartBytes, ...] | None = None
    places: tuple[tuple[int, int], ...] | None = None
    kept = Kept(parts=())
    try:
        if task.artifact.parts is not None:
            kept = _kept(task)
            parts = _render_parts(task, kept)
            chunks = tuple(writer.join_chunks(task.artifact, parts))
            places = _places_among(chunks, parts)
            if places is None or destination is None or not _large(chunks):
                # One chunk is join's return, reported as it is when not bytes.
                one = chunks[0] if len(chunks) == 1 else None
                data = one if not isinstance(one, memoryview | None) else b"".join(chunks)
                chunks = None
                kept = Kept(parts=())
                if places is None and isinstance(data, bytes):
                    found = locate_parts(data, parts)
                    places = None if found is None else tuple(found)
            del parts  # the kept ones are views of the last output, 26 MB for the board
        else:
            data = writer.render(task.artifact)
            _read_back(writer, task.artifact, data)
    except ContentFailure as failure:
        return Rendered(index=index, error=failure.message, content=failure)
    except _ReadBackFailure as failure:
        return Rendered(index=index, error=str(failure))
    except Exception as error:  # a writer's bug or bad data must not stop the other artifacts
        where = _template_line(error)
        return Rendered(index=index, error=f"{where}{type(error).__name__}: {error}")
    if chunks is None and not isinstance(data, bytes):
        return Rendered(index=index, error=f"render() returned {type(data).__name__}, not bytes")
    undeclared = sorted(templates.read_names - set(task.artifact.templates))
    if undeclared:
        return Rendered(
            index=index,
            error=f"read template(s) {', '.join(undeclared)} not declared by plan()",
        )
    if chunks is not None and destination is not None:
        try:
            # The unchanged stretches go as whole ranges of the last output.
            written = write_chunks_beside(destination, coalesced(chunks, kept))
            return Rendered(index=index, written=written, places=places)
        except OSError:  # given back joined: the exporting process stages it, and says why
            data = b"".join(chunks)
    return Rendered(index=index, data=data, places=places)


def _places_among(
    chunks: Sequence[PartBytes], parts: Sequence[PartBytes]
) -> tuple[tuple[int, int], ...] | None:
    """Where each of ``parts`` is in the file ``chunks`` make, found as chunks that are
    the parts themselves, in order; None when a part is not among them so."""
    places: list[tuple[int, int]] = []
    offset = 0
    for chunk in chunks:
        if len(places) < len(parts) and chunk is parts[len(places)]:
            places.append((offset, len(chunk)))
        offset += len(chunk)
    return tuple(places) if len(places) == len(parts) else None


def _large(chunks: Sequence[PartBytes]) -> bool:
    """Whether ``chunks`` are bytes enough to be written as they are (a small file is
    joined and staged like any other: flushed with the rest at commit)."""
    # By type, then: once per kind of chunk, not per chunk (16,000 in an import file).
    if not all(issubclass(kind, bytes | memoryview) for kind in set(map(type, chunks))):
        return False  # joined, to report the writer's mistake
    return sum(map(len, chunks)) >= LARGE_FILE


class _ReadBackFailure(Exception):
    """Rendered bytes that fail the read-back check; the message says why."""


def _kept(task: Task) -> Kept:
    """The parts of ``task``'s composed artifact kept from the last export."""
    assert task.artifact.parts is not None
    if task.kept is None:
        return Kept(parts=(None,) * len(task.artifact.parts))
    return task.kept.load()


def _render_parts(task: Task, kept: Kept) -> tuple[PartBytes, ...]:
    """Each part's bytes: kept ones as they are (they passed the check when made), the
    others rendered and read back."""
    writer, artifact = task.writer, task.artifact
    assert artifact.parts is not None
    parts: list[PartBytes] = []
    for part, data in zip(artifact.parts, kept.parts, strict=True):
        if data is not None:
            parts.append(data)
            continue
        made = writer.render_part(artifact, part)
        if not isinstance(made, bytes):
            kind = type(made).__name__
            raise _ReadBackFailure(f"render_part() returned {kind}, not bytes")
        _read_back(writer, artifact, made)
        parts.append(made)
    return tuple(parts)


def _read_back(writer: Writer[Any], artifact: Artifact, data: bytes) -> None:
    """Raise :class:`_ReadBackFailure` unless every health-related part of ``data``
    carries its article's disclaimer."""
    if not isinstance(data, bytes):
        return  # reported as the writer's mistake it is
    try:
        found = writer.health_texts(artifact, data)
        missing = list(missing_disclaimers(found, writer.context.library))
    except Exception as error:
        raise _ReadBackFailure(f"reading it back: {type(error).__name__}: {error}") from None
    if missing:
        raise _ReadBackFailure("; ".join(missing))
