"""Render on a Dask cluster: ``export --executor dask://HOST:PORT``.

Every artifact is a pure job (the writer and its artifact give the bytes), so a cluster
can compute them anywhere; the files are staged and committed here, by the same atomic
staging as a local export, so the output is byte for byte that of ``--jobs 1``. The tasks
are pickled once, held by one task that every job depends on (each worker fetches it
once), and each job is then just an index, as with the local process pool.

A worker that dies mid-job has its jobs run again elsewhere (Dask's
``distributed.scheduler.allowed-failures``, 3 by default); a job that keeps killing
workers, or a scheduler that cannot be reached, ends the export with
:class:`ExecutorError`, and nothing is written. The workers need spikecontent and the
writers' dependencies installed at the same versions (``docs/scaling.md``).
"""

from __future__ import annotations

import hashlib
import importlib
import pickle
from collections.abc import Iterator, Sequence
from typing import Any

from spikecontent.pipeline.rendering import ExecutorError

__all__ = ["DASK_SCHEME", "ExecutorError", "render_on_dask"]

DASK_SCHEME = "dask://"
_CONNECT_SECONDS = 10


def render_on_dask(tasks: Sequence[Any], address: str) -> Iterator[Any]:
    """Render ``tasks`` (rendering.Task) on the scheduler at ``address`` (``HOST:PORT``),
    yielding each result (rendering.Rendered) as it arrives."""
    try:
        # Typed loosely: distributed's API is only partly annotated.
        distributed: Any = importlib.import_module("distributed")
    except ImportError as error:
        raise ExecutorError(
            f"--executor {DASK_SCHEME} needs its extra: pip install 'spikecontent[dask]' ({error})"
        ) from None
    payload = pickle.dumps(tuple(tasks), protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.sha256(payload).hexdigest()
    try:
        client = distributed.Client(
            f"tcp://{address}", timeout=_CONNECT_SECONDS, set_as_default=False
        )
    except (OSError, TimeoutError) as error:
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {address}: {error}"
            " (start one with 'dask scheduler' and workers with 'dask worker', docs/scaling.md)"
        ) from None
    # The client is this export's own (never the process default), current while it runs.
    with client, client.as_current():
        # A task that returns the payload, not scattered data: the scheduler keeps the
        # task, so a payload lost with its workers is made again (scattered data is not).
        shared = client.submit(_payload, payload, pure=False)
        futures = [
            client.submit(_render_on_worker, digest, shared, index, pure=False)
            for index in range(len(tasks))
        ]
        try:
            for future in distributed.as_completed(futures):
                yield future.result()
        except Exception as error:  # KilledWorker, a lost scheduler, a cancelled job
            raise ExecutorError(
                f"the Dask cluster at {address} could not finish the export:"
                f" {type(error).__name__}: {error}; nothing was written"
            ) from None
        finally:
            client.cancel(futures)


def _payload(data: bytes) -> bytes:
    return data


_WORKER_TASKS: dict[str, Sequence[Any]] = {}
"""In a worker: the tasks of the exports it serves, by the digest of their payload."""


def _render_on_worker(digest: str, payload: bytes, index: int) -> Any:
    from spikecontent.pipeline.rendering import render_task

    tasks = _WORKER_TASKS.get(digest)
    if tasks is None:
        _WORKER_TASKS.clear()  # one export at a time: the previous one's tasks can go
        tasks = _WORKER_TASKS[digest] = pickle.loads(payload)
    return render_task(tasks[index], index)
