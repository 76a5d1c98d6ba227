"""``export --executor dask://``: a real Dask cluster (an in-process LocalCluster of two
worker processes) renders; this process stages and commits, as with local processes. Over
``tls://`` with certificates made here; and through a relay that reads everything the
exporting process sends the scheduler, to check what crosses the wire."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import socket
import subprocess
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spikecontent.cli import app as cli
from spikecontent.model import ARTICLES as ARTICLE_KIND
from spikecontent.pipeline import ArtifactFate, ExecutorError, Registry
from spikecontent.pipeline.dask_executor import DaskCluster, wire_payloads
from spikecontent.pipeline.planning import plan_export
from spikecontent.pipeline.project import check_folders
from spikecontent.pipeline.rendering import Task
from spikecontent.sdk import Artifact, NoOptions, Writer
from tests.conftest import SLUG, Project

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

pytestmark = [
    # distributed's own sockets and comms, closed by its event loop after the test ends.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
PROFILES = ("json", "jsonld", "macros", "pdf")
ARTICLES = ("mats-and-sleep", "first-session", "before-bed")


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".spikecontent" not in p.parts and not p.name.startswith(".")
    }


def project_with_articles(root: Path) -> Project:
    project = Project(root)
    for slug in ARTICLES:
        project.with_article(slug, title=f"Acupressure mats: {slug.replace('-', ' ')}")
    return project


def workers_temporary(folder: Path) -> dict[str, str]:
    """The workers' environment: their temporary files in ``folder``. The tests kill
    workers, and a killed worker leaves the fonts its leaflets copied where it was."""
    folder.mkdir(exist_ok=True)
    return {"TMPDIR": str(folder)}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        env=workers_temporary(tmp_path_factory.mktemp("workers")),
    ) as local:
        yield local
    _collect()


def _collect() -> None:
    # Let distributed's closed sockets be collected here, not in some later test.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc.collect()


def address(cluster: object) -> str:
    return "dask://" + cluster.scheduler_address.removeprefix("tcp://")  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_dask_export_is_byte_identical_to_jobs_1(tmp_path: Path, cluster: object) -> None:
    project = project_with_articles(tmp_path)
    local = project.export(only=PROFILES, out="local", jobs=1)
    remote = project.export(only=PROFILES, out="remote", executor=address(cluster))
    assert local.ok
    assert remote.ok
    assert len(remote.written) == len(local.written) > 20
    assert files(tmp_path / "remote") == files(tmp_path / "local")


class KillOnFirstResult:
    """Progress that kills the cluster's busy workers once the first leaflet is back."""

    def __init__(self, cluster: object) -> None:
        self.client = distributed.Client(cluster, set_as_default=False)
        self.killed: list[int] = []

    def planned(self, total: int, to_render: int) -> None:
        pass

    def finished(self, path: str, fate: ArtifactFate) -> None:
        if self.killed or fate is not ArtifactFate.RENDERED:
            return
        busy = {w for w, tasks in self.client.processing().items() if tasks}
        pids = self.client.run(os.getpid, workers=sorted(busy)) if busy else {}
        for pid in pids.values():
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)


@pytest.mark.slow
def test_a_worker_killed_mid_export_has_its_jobs_run_again(tmp_path: Path, cluster: object) -> None:
    project = project_with_articles(tmp_path)
    expected = files(project.exported("pdf", only=["pdf"], out="local", jobs=1).parent)
    killer = KillOnFirstResult(cluster)
    with killer.client:
        report = project.export(
            only=["pdf"], out="remote", executor=address(cluster), progress=killer
        )
    assert killer.killed  # a worker did die while it held a leaflet
    assert report.ok  # the nanny restarted it, the scheduler ran its job again
    assert files(tmp_path / "remote") == expected


@pytest.mark.slow
def test_a_job_that_cannot_finish_fails_the_export_and_keeps_the_last_output(
    tmp_path: Path, cluster: object
) -> None:
    project = project_with_articles(tmp_path)
    assert project.export(only=["pdf"], jobs=1).ok
    before = files(project.out)
    project.edit(f"articles/{ARTICLES[0]}.yaml", "modified: 2026-07-04", "modified: 2026-07-05")
    # No second chances: a killed worker's job fails at once (KilledWorker). The module's
    # cluster is told so for this test alone (its scheduler runs in this process and reads
    # the setting at each failure), instead of starting a cluster of its own.
    scheduler = cluster.scheduler  # type: ignore[attr-defined]
    allowed = scheduler.allowed_failures
    scheduler.allowed_failures = 0
    try:
        killer = KillOnFirstResult(cluster)
        with killer.client, pytest.raises(ExecutorError) as raised:
            project.export(only=["pdf"], executor=address(cluster), progress=killer, force=True)
    finally:
        scheduler.allowed_failures = allowed
    assert killer.killed
    assert "nothing was written" in str(raised.value)
    assert files(project.out) == before  # the last good output, untouched


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spikecontent.pipeline import dask_executor

    monkeypatch.setattr(dask_executor, "_CONNECT_SECONDS", 1)
    project = Project(tmp_path)
    with pytest.raises(
        ExecutorError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        project.export(only=["json"], executor="dask://127.0.0.1:9", force=True)
    assert not project.out.exists()


# What crosses the wire -------------------------------------------------------------------

DRAFT = "zebra-quokka-embargo"
DRAFT_TITLE = "Quokka Embargoed Launch Notes"
DRAFT_SENTENCE = "The quokka mat felt therapeutic to zebra sleepers"
SECRETS = (DRAFT.encode(), DRAFT_TITLE.encode(), DRAFT_SENTENCE.encode())
"""What no byte sent to a cluster may hold unless the export publishes drafts."""
PUBLISHED = b"Acupressure mats: first session"
"""A published article's title: what the jobs render does cross the wire."""
WIRE_PROFILES = ("json", "jsonld", "rss", "macros", "media")
ARTICLES_SENT = tuple(sorted((SLUG, *ARTICLES)))
"""The published articles, in file-name order."""


def with_a_draft(project: Project) -> Project:
    """Add the draft ``DRAFT``: its own slug, title and a sentence found nowhere else."""
    project.with_article(DRAFT, title=DRAFT_TITLE)
    path = f"articles/{DRAFT}.yaml"
    project.edit(path, "status: published", "status: draft")
    project.edit(path, "This split —", f"{DRAFT_SENTENCE}. This split —")
    return project


def planned_tasks(
    project: Project, profiles: tuple[str, ...], *, include_drafts: bool = False
) -> list[Task]:
    """The jobs an export of ``profiles`` would render, as they are before they go."""
    checked = check_folders(project.content, project.exporters, project.registry)
    chosen = [p for p in checked.profiles if p.name in profiles]
    writers = [(p, checked.writer(p, include_drafts=include_drafts)) for p in chosen]
    return [job.task for job in plan_export(checked.library, writers).jobs]


def test_each_writers_jobs_carry_only_what_they_render(tmp_path: Path) -> None:
    project = with_a_draft(project_with_articles(tmp_path))
    # A study no article cites: no job renders it, so none carries it.
    study = (project.content / "studies" / "kisker-2024.yaml").read_text(encoding="utf-8")
    unused = study.replace("id: kisker-2024", "id: uncited-2019").replace(
        "Beginners in relaxation training", "Lighthouse keepers of Zanzibar"
    )
    (project.content / "studies" / "uncited-2019.yaml").write_text(unused, encoding="utf-8")
    profiles = (*WIRE_PROFILES, "pdf")
    tasks = planned_tasks(project, profiles)
    payloads, here = wire_payloads(tasks)
    assert here == []  # every job goes to the cluster
    assert sorted(i for p in payloads for i in p.indexes) == list(range(len(tasks)))
    # Profiles that publish the same articles share one payload: pickled once for all.
    assert len(payloads) < len({id(task.writer) for task in tasks})
    for payload in payloads:
        assert PUBLISHED in payload.data
        assert b"Lighthouse keepers of Zanzibar" not in payload.data
        assert not any(secret in payload.data for secret in SECRETS)
    # Drafts published on purpose are sent with the rest.
    drafts, _ = wire_payloads(planned_tasks(project, profiles, include_drafts=True))
    assert all(DRAFT_SENTENCE.encode() in payload.data for payload in drafts)


def test_jobs_that_would_need_an_unpublished_draft_render_here(tmp_path: Path) -> None:
    project = with_a_draft(project_with_articles(tmp_path))
    # The product links to the draft: rendering the offer needs the draft's address, and
    # a job carrying the draft would send it; those jobs render in the exporting process.
    project.edit("products/spikerest-mat.yaml", "url: page:product", f"url: article:{DRAFT}")
    tasks = planned_tasks(project, WIRE_PROFILES)
    payloads, here = wire_payloads(tasks)
    assert here
    for payload in payloads:
        assert not any(secret in payload.data for secret in SECRETS)
    local = project.export(only=WIRE_PROFILES, out="local", jobs=1)
    assert local.ok


class KeepsTheLibrary(Writer[NoOptions]):
    """``<slug>.txt``, the title; keeps the export's library, as a writer may."""

    name = "keeps-library"
    version = "1"
    description = "Titles, for tests"

    def prepare(self) -> None:
        self.kept = self.context.library

    def plan(self) -> Iterator[Artifact]:
        for article in self.context.articles:
            key = ARTICLE_KIND.key(article.slug)
            yield Artifact(path=f"{article.slug}.txt", entries=(key,), subject=article.slug)

    def render(self, artifact: Artifact) -> bytes:
        return self.kept.article(artifact.subject).title.encode()


class KeepsEveryArticle(KeepsTheLibrary):
    """The same, keeping every article of the content, drafts included, as a careless
    writer could."""

    name = "keeps-articles"

    def prepare(self) -> None:
        super().prepare()
        self.every = self.context.library.articles


def test_what_a_writer_keeps_is_sent_only_when_published(tmp_path: Path) -> None:
    project = with_a_draft(project_with_articles(tmp_path))
    project.registry = Registry.installed().with_writers(KeepsTheLibrary, KeepsEveryArticle)
    project.profile("library", 'writer = "keeps-library"\n')
    project.profile("articles", 'writer = "keeps-articles"\n')
    tasks = planned_tasks(project, ("json", "library", "articles"))
    payloads, here = wire_payloads(tasks)
    # The library a writer keeps travels cut down like the one in its context; a writer
    # that keeps a draft it does not publish renders here.
    assert {tasks[i].writer.name for i in here} == {"keeps-articles"}
    sent = {tasks[i].writer.name for p in payloads for i in p.indexes}
    assert sent == {"json", "keeps-library"}
    for payload in payloads:
        assert not any(secret in payload.data for secret in SECRETS)
        for task in pickle.loads(payload.data):
            assert task.writer.context.library.ids(ARTICLE_KIND) == (*ARTICLES_SENT,)
    assert project.export(only=("library", "articles"), jobs=1).ok


class Relay:
    """A TCP relay to the scheduler at ``target``: the client connects to :attr:`address`,
    and every byte it sends (:attr:`sent`) and gets back (:attr:`received`) is kept, one
    buffer per connection, as it crossed."""

    def __init__(self, target: str) -> None:
        host, _, port = target.rpartition("/")[2].rpartition(":")
        self._target = (host, int(port))
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)  # to notice close() between connections
        self.address = f"127.0.0.1:{self._listener.getsockname()[1]}"
        self.sent: list[bytearray] = []
        self.received: list[bytearray] = []
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._closing = threading.Event()
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._accepting.join()
        self._listener.close()
        for connection in self._sockets:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join()
        for connection in self._sockets:
            connection.close()

    def crossed(self) -> list[bytearray]:
        return [*self.sent, *self.received]

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            client.settimeout(None)
            upstream = socket.create_connection(self._target)
            sent, received = bytearray(), bytearray()
            self.sent.append(sent)
            self.received.append(received)
            self._sockets += [client, upstream]
            for source, sink, kept in ((client, upstream, sent), (upstream, client, received)):
                thread = threading.Thread(target=_pump, args=(source, sink, kept), daemon=True)
                thread.start()
                self._threads.append(thread)


def _pump(source: socket.socket, sink: socket.socket, kept: bytearray) -> None:
    try:
        while data := source.recv(1 << 16):
            kept += data
            sink.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.mark.slow
def test_no_draft_crosses_the_wire(tmp_path: Path, cluster: object) -> None:
    project = with_a_draft(project_with_articles(tmp_path))
    local = project.export(only=WIRE_PROFILES, out="local", jobs=1)
    scheduler = cluster.scheduler_address  # type: ignore[attr-defined]
    with Relay(scheduler) as relay:
        remote = project.export(
            only=WIRE_PROFILES, out="remote", executor=f"dask://{relay.address}"
        )
    assert local.ok
    assert remote.ok
    assert files(tmp_path / "remote") == files(tmp_path / "local")
    # The relay reads what crossed: the published articles went, in clear (tcp://)...
    assert any(PUBLISHED in sent for sent in relay.sent)
    # ... and nothing of the draft, either way.
    for crossed in relay.crossed():
        assert not any(secret in crossed for secret in SECRETS)
    # Published on purpose, drafts go with the rest.
    with Relay(scheduler) as relay:
        drafts = project.export(
            only=WIRE_PROFILES,
            out="drafts",
            executor=f"dask://{relay.address}",
            include_drafts=True,
        )
    assert drafts.ok
    assert any(DRAFT_SENTENCE.encode() in sent for sent in relay.sent)


def openssl(folder: Path, *arguments: str) -> None:
    subprocess.run(["openssl", *arguments], cwd=folder, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A certificate authority (``ca.pem``) and two certificates it signed, with their
    keys: ``cluster`` (the scheduler and workers) and ``client`` (the export), made by
    Debian's openssl."""
    folder = tmp_path_factory.mktemp("tls")
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    authority = ["-addext", "basicConstraints=critical,CA:TRUE"]
    authority += ["-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    made = ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test authority"]
    openssl(folder, "req", "-x509", *key, *authority, *made)
    for name in ("cluster", "client"):
        (folder / f"{name}.ext").write_text(
            "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n"
            "extendedKeyUsage=serverAuth,clientAuth\n",
            encoding="ascii",
        )
        request = ["-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}"]
        openssl(folder, "req", *key, *request)
        signed = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2"]
        signed += ["-in", f"{name}.csr", "-out", f"{name}.pem", "-extfile", f"{name}.ext"]
        openssl(folder, "x509", "-req", *signed)
    return folder


@pytest.mark.slow
def test_a_tls_export_is_byte_identical_to_jobs_1_and_encrypted(
    tmp_path: Path, certificates: Path
) -> None:
    project = with_a_draft(project_with_articles(tmp_path))
    assert project.export(only=PROFILES, out="local", jobs=1).ok
    node = {
        f"tls_{role}_{part}": str(certificates / f"cluster.{suffix}")
        for role in ("scheduler", "worker", "client")
        for part, suffix in (("cert", "pem"), ("key", "key"))
    }
    security = distributed.Security(
        tls_ca_file=str(certificates / "ca.pem"), require_encryption=True, **node
    )
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            protocol="tls://",
            security=security,
            dashboard_address=":0",
            env=workers_temporary(tmp_path / "workers"),
        ) as secured,
        Relay(secured.scheduler_address) as relay,
    ):
        assert secured.scheduler_address.startswith("tls://")
        arguments = [*project.export_arguments(*PROFILES), "--executor", f"tls://{relay.address}"]
        arguments += ["--tls-ca-file", str(certificates / "ca.pem")]
        arguments += ["--tls-cert", str(certificates / "client.pem")]
        arguments += ["--tls-key", str(certificates / "client.key")]
        result = CliRunner().invoke(cli, arguments)
    _collect()
    assert result.exit_code == 0, result.output
    assert files(project.out) == files(tmp_path / "local")
    # It all crossed the relay, encrypted: not one published word could be read there.
    assert sum(map(len, relay.sent)) > 10_000
    for crossed in relay.crossed():
        assert PUBLISHED not in crossed
        assert b"Acupressure" not in crossed


def test_the_executor_forms_are_checked(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert DaskCluster.parse("dask://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    assert DaskCluster.parse("tcp://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    secured = DaskCluster.parse("tls://scheduler.internal:8786", tls_ca_file="ca.pem")
    assert (secured.address, secured.tls, secured.tls_ca_file) == (
        "tls://scheduler.internal:8786",
        True,
        "ca.pem",
    )
    certificate = tmp_path / "client.pem"
    certificate.write_text("not read here", encoding="ascii")
    for wrong, message in (
        (["--executor", "ftp://host:1"], "is not dask://HOST:PORT"),
        (["--executor", "tls://host"], "is not dask://HOST:PORT"),
        (["--executor", "dask://host:1", "--tls-cert", str(certificate)], "go with a tls://"),
        (["--tls-cert", str(certificate)], "go with --executor tls://"),
        (["--executor", "tls://host:1", "--tls-cert", str(tmp_path / "none.pem")], "none.pem"),
    ):
        result = CliRunner().invoke(cli, [*project.export_arguments("json"), *wrong])
        assert result.exit_code == 2, (wrong, result.output)
        assert message in result.output, wrong
    assert not project.out.exists()


def test_tls_without_certificates_is_a_clear_error(tmp_path: Path) -> None:
    project = Project(tmp_path)
    with pytest.raises(ExecutorError, match="needs the certificate authority's certificate"):
        project.export(only=["json"], executor="tls://127.0.0.1:9", force=True)
    assert not project.out.exists()
