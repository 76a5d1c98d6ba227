"""``export --executor dask://``: a real Dask cluster (an in-process LocalCluster of two
worker processes) renders; this process stages and commits, as with local processes."""

from __future__ import annotations

import gc
import os
import signal
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from spikecontent.pipeline import Outcome
from spikecontent.pipeline.dask_executor import ExecutorError
from tests.conftest import Project

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

pytestmark = [
    pytest.mark.slow,
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

    def finished(self, path: str, outcome: Outcome) -> None:
        if self.killed or outcome is not Outcome.RENDERED:
            return
        busy = {w for w, tasks in self.client.processing().items() if tasks}
        pids = self.client.run(os.getpid, workers=sorted(busy)) if busy else {}
        for pid in pids.values():
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)


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


def test_a_job_that_cannot_finish_fails_the_export_and_keeps_the_last_output(
    tmp_path: Path,
) -> None:
    project = project_with_articles(tmp_path)
    assert project.export(only=["pdf"], jobs=1).ok
    before = files(project.out)
    project.edit(f"articles/{ARTICLES[0]}.yaml", "modified: 2026-07-04", "modified: 2026-07-05")
    # No second chances: a killed worker's job fails at once (KilledWorker).
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            env=workers_temporary(tmp_path / "workers"),
        ) as strict,
    ):
        killer = KillOnFirstResult(strict)
        with killer.client, pytest.raises(ExecutorError) as raised:
            project.export(only=["pdf"], executor=address(strict), progress=killer, force=True)
    _collect()
    assert killer.killed
    assert "nothing was written" in str(raised.value)
    assert files(project.out) == before  # the last good output, untouched


def test_an_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spikecontent.pipeline import dask_executor

    monkeypatch.setattr(dask_executor, "_CONNECT_SECONDS", 1)
    project = Project(tmp_path)
    with pytest.raises(ExecutorError, match=r"cannot reach the Dask scheduler at 127\.0\.0\.1:9"):
        project.export(only=["json"], executor="dask://127.0.0.1:9", force=True)
    assert not project.out.exists()
