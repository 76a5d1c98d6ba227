"""Render artifacts, in this process or in a pool of worker processes.

The content, profiles and writer classes are pickled once and sent to each worker when it
starts; a task is then just an index. Workers only compute bytes: the calling process
stages every file, so the outputs of ``--jobs 1`` and ``--jobs N`` are the same bytes.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

import attrs

from spikecontent.pipeline.writer import Artifact, Writer, WriterContext

__all__ = ["Rendered", "Task", "render_all"]


@attrs.frozen(kw_only=True)
class Task:
    """One artifact to render, with the writer and context of its profile."""

    writer: type[Writer]
    context: WriterContext
    artifact: Artifact


@attrs.frozen(kw_only=True)
class Rendered:
    """The outcome of one task: bytes, or the cause of its failure."""

    index: int
    data: bytes | None = None
    error: str | None = None


_TASKS: Sequence[Task] = ()
"""In a worker: the tasks of the current export, set once by :func:`_start_worker`."""


def render_all(tasks: Sequence[Task], jobs: int) -> Iterator[Rendered]:
    """Render every task, yielding results as they finish (in any order)."""
    if jobs <= 1 or len(tasks) <= 1:
        for index, task in enumerate(tasks):
            yield _render(task, index)
        return
    # "spawn" starts clean interpreters: no inherited locks or threads, on every platform.
    context = multiprocessing.get_context("spawn")
    payload = pickle.dumps(tuple(tasks), protocol=pickle.HIGHEST_PROTOCOL)
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(tasks)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(payload,),
    ) as pool:
        futures = [pool.submit(_render_in_worker, index) for index in range(len(tasks))]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _start_worker(payload: bytes) -> None:
    global _TASKS
    _TASKS = pickle.loads(payload)


def _render_in_worker(index: int) -> Rendered:
    return _render(_TASKS[index], index)


def _render(task: Task, index: int) -> Rendered:
    templates = task.context.templates
    templates.forget_reads()
    try:
        data = task.writer().render(task.artifact, task.context)
    except Exception as error:  # a writer's bug or bad data must not stop the other artifacts
        return Rendered(index=index, error=f"{type(error).__name__}: {error}")
    if not isinstance(data, bytes):
        return Rendered(index=index, error=f"render() returned {type(data).__name__}, not bytes")
    undeclared = sorted(templates.read_names - set(task.artifact.templates))
    if undeclared:
        return Rendered(
            index=index,
            error=f"read template(s) {', '.join(undeclared)} not declared by plan()",
        )
    return Rendered(index=index, data=data)
