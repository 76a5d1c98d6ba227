"""Render on a Dask cluster: ``export --executor dask://HOST:PORT`` (or ``tcp://``), or
``tls://HOST:PORT`` with Dask's TLS.

Every artifact is a pure job (the writer and its artifact give the bytes), so a cluster
can compute them anywhere; the files are staged and committed here, by the same atomic
staging as a local export, so the output is byte for byte that of ``--jobs 1``.

What crosses the wire is what the jobs render, never a draft the export does not
publish. A writer's jobs may read the site, the articles its profile publishes (drafts
only when the export publishes them: ``--include-drafts``, a profile with
``drafts = true``), the entries its artifacts are made from, and what those reference or
link to, with the pictures they show; its tasks travel with a library cut down to that,
and nothing else of the content: no article, study, caution or picture beyond that, no
draft. Writers that read the same content (profiles that select the same
articles) share one payload, pickled once, held by one task that their jobs depend on
(each worker fetches it once); a job is then just an index into it. Pickling checks it:
every library a writer holds travels cut down, and an article neither published nor
published by the writer is never pickled; jobs that would need one (a draft a product
links to, or one a third-party writer keeps) render here instead, with the same bytes.

Over ``tcp://`` the payloads (the published content) cross the network in clear; over
``tls://`` they are encrypted, and client, scheduler and workers authenticate each
other with certificates from one authority (Dask's ``Security``: the files named here,
or Dask's ``distributed.comm.tls.*`` configuration).

A worker that dies mid-job has its jobs run again elsewhere (Dask's
``distributed.scheduler.allowed-failures``, 3 by default); a job that keeps killing
workers, or a scheduler that cannot be reached, ends the export with
:class:`ExecutorError`, and nothing is written. The workers need spikecontent and the
writers' dependencies installed at the same versions (``docs/scaling.md``).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import pickle
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

import attrs

from spikecontent.links import ARTICLE_SCHEME
from spikecontent.model import (
    ARTICLES,
    COLLECTIONS,
    PAGES,
    SITE_KEY,
    Article,
    EntryKey,
    Library,
    LibraryError,
    Status,
)
from spikecontent.model.media import Image
from spikecontent.model.outgoing import outgoing
from spikecontent.pipeline.outcomes import ExecutorError
from spikecontent.pipeline.rendering import Destinations, Rendered, Task, render_task

__all__ = [
    "DASK_SCHEME",
    "DaskCluster",
    "WirePayload",
    "render_on_dask",
    "wire_payloads",
]

DASK_SCHEME: Final = "dask://"
"""The executor's first form, plain ``tcp://``."""
_SCHEMES: Final = {DASK_SCHEME: "tcp://", "tcp://": "tcp://", "tls://": "tls://"}
"""Each form ``--executor`` takes, and the Dask protocol it names."""
_CONNECT_SECONDS = 10


@attrs.frozen(kw_only=True)
class DaskCluster:
    """A Dask scheduler to render on, and how to reach it: an export's
    :class:`~spikecontent.pipeline.rendering.Executor`."""

    address: str
    """``tcp://HOST:PORT`` or ``tls://HOST:PORT``."""
    tls_ca_file: str | None = None
    """For ``tls://``: the certificate authority's certificate (PEM); None to take Dask's
    ``distributed.comm.tls.ca-file``."""
    tls_cert: str | None = None
    """For ``tls://``: this client's certificate (PEM, its key may follow it); None to
    take Dask's ``distributed.comm.tls.client.cert``."""
    tls_key: str | None = None
    """For ``tls://``: this client's private key (PEM), when not in ``tls_cert``; None to
    take Dask's ``distributed.comm.tls.client.key``."""

    @classmethod
    def parse(
        cls,
        url: str,
        *,
        tls_ca_file: str | None = None,
        tls_cert: str | None = None,
        tls_key: str | None = None,
    ) -> DaskCluster:
        """``dask://HOST:PORT`` or ``tcp://HOST:PORT`` (plain), or ``tls://HOST:PORT``
        with the certificate files given (or Dask's configuration); :class:`ValueError`
        saying what is wrong."""
        scheme = next((s for s in _SCHEMES if url.startswith(s)), None)
        host, _, port = url.removeprefix(scheme or "").rpartition(":")
        if scheme is None or not host or not port.isdigit():
            raise ValueError(
                f"{url!r} is not dask://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT"
                " (e.g. tls://127.0.0.1:8786)"
            )
        protocol = _SCHEMES[scheme]
        files = {"tls_ca_file": tls_ca_file, "tls_cert": tls_cert, "tls_key": tls_key}
        if protocol != "tls://" and any(files.values()):
            raise ValueError(f"certificate files go with a tls:// scheduler, not {url!r}")
        return cls(address=f"{protocol}{host}:{port}", **files)

    def render(
        self, tasks: Sequence[Task], destinations: Destinations | None = None
    ) -> Iterator[Rendered]:
        """Render ``tasks`` on this cluster, yielding each result as it arrives (the
        workers are elsewhere: ``destinations`` is not used)."""
        return render_on_dask(tasks, self)

    @property
    def tls(self) -> bool:
        """Whether the cluster is reached over TLS."""
        return self.address.startswith("tls://")

    def security(self) -> Any:
        """Dask's ``Security`` for this cluster (TLS required, the files given here over
        those of Dask's configuration); None over ``tcp://``. :class:`ExecutorError` when
        a certificate is missing or cannot be read."""
        if not self.tls:
            return None
        module: Any = importlib.import_module("distributed.security")
        given = {
            name: value
            for name, value in (
                ("tls_ca_file", self.tls_ca_file),
                ("tls_client_cert", self.tls_cert),
                ("tls_client_key", self.tls_key),
            )
            if value is not None
        }
        security = module.Security(require_encryption=True, **given)
        if not security.tls_ca_file or not security.tls_client_cert:
            raise ExecutorError(
                f"{self.address} needs the certificate authority's certificate and this"
                " client's: --tls-ca-file and --tls-cert (and --tls-key), or Dask's"
                " distributed.comm.tls.ca-file and distributed.comm.tls.client.cert"
                " (docs/scaling.md)"
            )
        try:
            security.get_connection_args("client")  # reads the files now, not mid-connect
        except (OSError, ValueError) as error:
            raise ExecutorError(
                f"the TLS certificates for {self.address} cannot be used: {error}"
            ) from None
        return security


def render_on_dask(tasks: Sequence[Task], cluster: str | DaskCluster) -> Iterator[Rendered]:
    """Render ``tasks`` on the scheduler ``cluster`` (a :class:`DaskCluster`, or its
    ``dask://``, ``tcp://`` or ``tls://`` URL), yielding each result as it arrives."""
    if isinstance(cluster, str):
        try:
            cluster = DaskCluster.parse(cluster)
        except ValueError as error:
            raise ExecutorError(str(error)) from None
    try:
        # Typed loosely: distributed's API is only partly annotated.
        distributed: Any = importlib.import_module("distributed")
    except ImportError as error:
        raise ExecutorError(
            f"--executor {cluster.address} needs its extra:"
            f" pip install 'spikecontent[dask]' ({error})"
        ) from None
    security = cluster.security()
    payloads, here = wire_payloads(tasks)
    export = hashlib.sha256("".join(p.digest for p in payloads).encode()).hexdigest()
    try:
        client = distributed.Client(
            cluster.address,
            security=security,
            timeout=_CONNECT_SECONDS,
            set_as_default=False,
        )
    except (OSError, TimeoutError) as error:
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {cluster.address}: {error}"
            " (start one with 'dask scheduler' and workers with 'dask worker', docs/scaling.md)"
        ) from None
    # The client is this export's own (never the process default), current while it runs.
    with client, client.as_current():
        shared: list[Any] = []
        jobs: list[Any] = []
        for payload in payloads:
            # A task that returns the payload, not scattered data: the scheduler keeps the
            # task, so a payload lost with its workers is made again (scattered data is not).
            held = client.submit(_payload, payload.data, pure=False)
            shared.append(held)
            jobs.extend(
                client.submit(
                    _render_on_worker, export, payload.digest, held, position, index, pure=False
                )
                for position, index in enumerate(payload.indexes)
            )
        # What would carry a draft the export does not publish renders here meanwhile.
        for index in here:
            yield render_task(tasks[index], index)
        try:
            for future in distributed.as_completed(jobs):
                yield future.result()
        except Exception as error:  # KilledWorker, a lost scheduler, a cancelled job
            raise ExecutorError(
                f"the Dask cluster at {cluster.address} could not finish the export:"
                f" {type(error).__name__}: {error}; nothing was written"
            ) from None
        finally:
            client.cancel([*jobs, *shared])


@attrs.frozen(kw_only=True)
class WirePayload:
    """What goes to a cluster for the jobs of writers that read the same content: their
    tasks, pickled with the library cut down to that content."""

    data: bytes
    digest: str
    """SHA-256 of ``data``."""
    indexes: tuple[int, ...]
    """The export's index of each task in ``data``, in order."""


def wire_payloads(tasks: Sequence[Task]) -> tuple[list[WirePayload], list[int]]:
    """``tasks`` as they go to a cluster, and the indexes of those that must render here
    because sending them would send a draft the export does not publish.

    Each writer's jobs may read the content its profile publishes and what its artifacts
    are made from; writers that may read the same (profiles that select the same articles)
    share one payload, so the content is pickled once for them."""
    groups: dict[_Content, list[int]] = {}
    here: list[int] = []
    for indexes in _by_writer(tasks, range(len(tasks))).values():
        content = _content_of([tasks[i] for i in indexes])
        if content is None:
            here.extend(indexes)
        else:
            groups.setdefault(content, []).extend(indexes)
    payloads: list[WirePayload] = []
    for content, indexes in groups.items():
        try:
            payloads.append(_payload_of(content, tasks, indexes))
        except _Unsendable:
            # A writer keeps what it does not publish: the others of the group go alone.
            for alone in _by_writer(tasks, indexes).values():
                try:
                    payloads.append(_payload_of(content, tasks, alone))
                except _Unsendable:
                    here.extend(alone)
    return payloads, sorted(here)


def _by_writer(tasks: Sequence[Task], indexes: Iterable[int]) -> dict[int, list[int]]:
    """``indexes`` of ``tasks`` by their writer, in order."""
    found: dict[int, list[int]] = {}
    for index in indexes:
        found.setdefault(id(tasks[index].writer), []).append(index)
    return found


def _payload_of(content: _Content, tasks: Sequence[Task], indexes: Sequence[int]) -> WirePayload:
    data = _pickled(content, [tasks[i] for i in indexes])
    digest = hashlib.sha256(data).hexdigest()
    return WirePayload(data=data, digest=digest, indexes=tuple(indexes))


class _Unsendable(Exception):
    """The tasks' writer holds an article the export does not publish."""


@attrs.frozen(kw_only=True)
class _Content:
    """What one writer's jobs may read: the entries and pictures of its export's library
    (known by its id) they render, and the articles its profile publishes."""

    library: int
    entries: frozenset[EntryKey]
    pictures: frozenset[str]
    publishes: frozenset[str]


def _content_of(tasks: Sequence[Task]) -> _Content | None:
    """What one writer's ``tasks`` may read: the site, the articles its profile publishes,
    the entries its artifacts are made from, and what those reference or link to; None
    when that holds an article that is not published and that the profile does not
    publish (a draft a study links to, say): sending the jobs would send it."""
    context = tasks[0].writer.context
    library = context.library
    publishes = frozenset(a.slug for a in context.articles)
    roots: list[EntryKey] = [SITE_KEY, *(ARTICLES.key(slug) for slug in publishes)]
    for task in tasks:
        roots.extend(task.artifact.entries)
        for part in task.artifact.parts or ():
            roots.extend(part.entries)
    entries, pictures = _closure(library, roots)
    for key in entries:
        if key.kind == ARTICLES.name and key.id not in publishes:
            article = library.entry(key)
            if isinstance(article, Article) and article.status is not Status.PUBLISHED:
                return None
    return _Content(
        library=id(library),
        entries=frozenset(entries),
        pictures=frozenset(pictures),
        publishes=publishes,
    )


def _pickled(content: _Content, tasks: Sequence[Task]) -> bytes:
    """``tasks`` (of writers that read ``content``), pickled with their library cut down
    to ``content``."""
    library = tasks[0].writer.context.library
    try:
        sent = Library(
            site=library.site,
            entities={
                kind: tuple(
                    entity
                    for entity in library.all(kind)
                    if EntryKey(kind.name, getattr(entity, kind.id_field)) in content.entries
                )
                for kind in COLLECTIONS
            },
            media={f: data for f, data in library.media.items() if f in content.pictures},
        )
    except LibraryError:  # cannot happen for a closure; if it did, nothing is sent
        raise _Unsendable from None
    buffer = io.BytesIO()
    pickler = _WirePickler(buffer, library=library, sent=sent, publishes=content.publishes)
    pickler.dump(tuple(tasks))
    return buffer.getvalue()


def _closure(library: Library, roots: Iterable[EntryKey]) -> tuple[set[EntryKey], set[str]]:
    """The entries ``roots`` name, everything they reference or link to, and the files
    of the pictures all those show."""
    keys: set[EntryKey] = set()
    pictures: set[str] = set()
    todo = list(roots)
    while todo:
        key = todo.pop()
        if key in keys:
            continue
        try:
            entity = library.entry(key)
        except KeyError:  # an artifact naming what is not there fails as it would here
            continue
        keys.add(key)
        if key.kind == PAGES.name:
            continue  # a page is the site's, walked with it
        for found in outgoing(entity):
            value = found.value
            if isinstance(value, Image):
                pictures.add(value.file)
            elif found.kind is not None:
                todo.append(EntryKey(found.kind, value))
            elif value.startswith(ARTICLE_SCHEME):
                todo.append(ARTICLES.key(value.removeprefix(ARTICLE_SCHEME)))
    return keys, pictures


class _WirePickler(pickle.Pickler):
    """Pickles tasks for the wire: the export's library travels as ``sent`` wherever a
    writer holds it, and an article that is neither published nor published by the
    writers stops it."""

    def __init__(
        self, file: io.BytesIO, *, library: Library, sent: Library, publishes: frozenset[str]
    ) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._library = library
        self._sent = sent
        self._publishes = publishes

    def reducer_override(self, obj: Any) -> Any:
        # Called for objects of classes of their own only (never str, tuple, dict...).
        if obj is self._library:
            return self._sent.__reduce__()
        if (
            isinstance(obj, Article)
            and obj.status is not Status.PUBLISHED
            and obj.slug not in self._publishes
        ):
            raise _Unsendable(obj.slug)
        return NotImplemented


def _payload(data: bytes) -> bytes:
    return data


_WORKER_TASKS: dict[tuple[str, str], Sequence[Task]] = {}
"""In a worker: the tasks of the export it serves, by the export and its payload's digest."""


def _render_on_worker(
    export: str, digest: str, payload: bytes, position: int, index: int
) -> Rendered:
    tasks = _WORKER_TASKS.get((export, digest))
    if tasks is None:
        # One export at a time: another export's tasks can go.
        for key in [k for k in _WORKER_TASKS if k[0] != export]:
            del _WORKER_TASKS[key]
        tasks = _WORKER_TASKS[(export, digest)] = pickle.loads(payload)
    return render_task(tasks[position], index)
