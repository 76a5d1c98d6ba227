"""Evidence that checks itself (issue 43): ``evidence check`` and ``accept`` against fake
Crossref and PubMed servers (tests/fake_registries.py), the lock read by the loader and
``validate``, and the channels showing only what the lock holds. No test touches the
network."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spikecontent.cli import app
from spikecontent.evidence.check import check
from spikecontent.evidence.registries import Registries, RegistryError, Settings
from spikecontent.loading.evidence_lock import LOCK_FILE
from spikecontent.model.evidence import UpdateKind
from tests.conftest import ARTICLE, Project
from tests.fake_registries import (
    CANDIDATE_A,
    CANDIDATE_B,
    CORRECTED,
    RETRACTED,
    SLOW,
    FakeRegistries,
)

HOHMANN = "studies/hohmann-2012.yaml"
KISKER = "studies/kisker-2024.yaml"


@pytest.fixture
def fake() -> Iterator[FakeRegistries]:
    server = FakeRegistries(slow_seconds=1.0)
    yield server
    server.stop()


def run(fake: FakeRegistries, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=fake.env())
    return result.exit_code, result.output


def with_doi(project: Project, doi: str) -> int:
    """Give hohmann-2012 the DOI; the line of ``year:`` in its file."""
    project.edit(HOHMANN, "et_al: true", f"et_al: true\ndoi: {doi}")
    return 2


def test_a_retracted_study_is_reported_locked_and_fails_validate(
    tmp_path: Path, fake: FakeRegistries
) -> None:
    project = Project(tmp_path)
    with_doi(project, RETRACTED)
    code, output = run(fake, "evidence", "check", "--refresh", "-c", str(project.content))
    assert code == 1, output
    study = f"{project.content}/{HOHMANN}"
    # The year differs: the record's value and its URL, at the study's year.
    assert f"{study}:2:7: warning evidence: year: the content says '2012', the record '2013'" in (
        output
    )
    assert f"{fake.crossref_url}/works/" in output
    assert "retraction 10.5555/spike.2014.retraction of 2014-03-02" in output
    # The abstract's number of participants, quoted, never corrected.
    assert 'n is 42, but the abstract states 60: "We randomized 60 participants' in output
    lock = (project.content / LOCK_FILE).read_text(encoding="utf-8")
    assert "kind: retraction" in lock
    assert "pmid: 900001" in lock
    assert f"doi: {RETRACTED}" in lock
    # validate reads the lock: the citation is an error at its line in the article.
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 1, result.output
    text = (project.content / ARTICLE).read_text(encoding="utf-8")
    line = text[: text.index("- study: hohmann-2012")].count("\n") + 1
    assert f"{project.content}/{ARTICLE}:{line}:14: error evidence.retracted:" in result.output
    assert f"{LOCK_FILE}:" in result.output
    # To discuss the retraction, a reasoned lint_allow waives it (and lint finds it used).
    project.edit(
        ARTICLE,
        "\nrevisions:",
        "\nlint_allow:\n  - rule: evidence.retracted\n    field: research.citations[1].study\n"
        "    reason: The section explains why this study was retracted.\nrevisions:",
    )
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 0, result.output
    assert "allowed" in result.output
    assert "retraction" in result.output
    # An allowance on the wrong citation waives nothing: lint says so, and the error stays.
    project.edit(
        ARTICLE, "field: research.citations[1].study", "field: research.citations[0].study"
    )
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 1, result.output
    assert "error evidence.retracted:" in result.output
    assert "error lint.unused-allowance:" in result.output


def test_a_correction_and_an_old_lock_are_warnings(tmp_path: Path, fake: FakeRegistries) -> None:
    project = Project(tmp_path)
    with_doi(project, CORRECTED)
    code, output = run(fake, "evidence", "check", "--refresh", "-c", str(project.content))
    assert code == 0, output
    assert "correction 10.5555/spike.2013.correction of 2013-06-10" in output
    assert "abstract states" not in output  # 42 participants: it agrees
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 0, result.output
    assert "warning evidence" in result.output
    assert "has a correction" in result.output
    assert "days ago" not in result.output
    lock = project.content / LOCK_FILE
    old = (datetime.date.today() - datetime.timedelta(days=200)).isoformat()
    text = lock.read_text(encoding="utf-8")
    today = datetime.date.today().isoformat()
    lock.write_text(text.replace(f"checked: {today}", f"checked: {old}"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 0, result.output
    assert "checked 200 days ago, more than max_age_days (180)" in result.output
    lock.write_text(text.replace("max_age_days: 180", "max_age_days: 365"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert "days ago" not in result.output


def test_candidates_are_proposed_and_accept_writes_only_the_doi(
    tmp_path: Path, fake: FakeRegistries
) -> None:
    project = Project(tmp_path)
    code, output = run(fake, "evidence", "check", "--refresh", "-c", str(project.content))
    assert code == 0, output
    # Kisker: two close candidates, with scores; nothing written into the study.
    assert f"candidate kisker-2024 {CANDIDATE_A} score " in output
    assert f"candidate kisker-2024 {CANDIDATE_B} score " in output
    # No match; nothing to search by.
    assert "applied-sciences-2021.yaml" in output
    assert "no record in Crossref or PubMed" in output
    assert "nothing to search by" in output
    study = project.content / KISKER
    before = study.read_bytes()
    assert b"doi:" not in before
    # A DOI the check did not propose is refused.
    code, output = run(
        fake, "evidence", "accept", "kisker-2024", "10.5555/other", "-c", str(project.content)
    )
    assert code == 1
    assert "not a candidate" in output
    assert study.read_bytes() == before
    requests = len(fake.requests)
    code, output = run(
        fake, "evidence", "accept", "kisker-2024", CANDIDATE_A, "-c", str(project.content)
    )
    assert code == 0, output
    assert len(fake.requests) == requests  # offline
    after = study.read_bytes()
    added = f"doi: {CANDIDATE_A}\n".encode()
    assert after.count(added) == 1
    assert after.replace(added, b"", 1) == before  # byte for byte otherwise
    assert after.index(added) == after.index(b"et_al: true\n") + len(b"et_al: true\n")
    code, output = run(
        fake, "evidence", "accept", "kisker-2024", CANDIDATE_B, "-c", str(project.content)
    )
    assert code == 1
    assert "already has the DOI" in output


def test_no_invented_doi_in_the_seed() -> None:
    from tests.conftest import CONTENT

    assert not (CONTENT / LOCK_FILE).exists()
    for path in (CONTENT / "studies").glob("*.yaml"):
        assert "doi:" not in path.read_text(encoding="utf-8"), path


def test_a_slow_answer_leaves_the_lock_as_it_was(tmp_path: Path, fake: FakeRegistries) -> None:
    project = Project(tmp_path)
    project.edit(HOHMANN, "et_al: true", f"et_al: true\ndoi: {SLOW}")
    settings = Settings(crossref_url=fake.crossref_url, pubmed_url=fake.pubmed_url, timeout=0.2)
    with Registries(settings, sleep=lambda _: None) as registries:
        checked = check(project.content, registries, only=["hohmann-2012"])
    assert checked.failed == {"hohmann-2012"}
    assert checked.entries == {}
    (message,) = [f.message for f in checked.findings]
    assert "not checked" in message
    assert "no answer within 0.2 s" in message


def test_a_429_is_retried(tmp_path: Path, fake: FakeRegistries) -> None:
    project = Project(tmp_path)
    with_doi(project, CORRECTED)
    fake.throttle = {1, 2}
    waits: list[float] = []
    settings = Settings(crossref_url=fake.crossref_url, pubmed_url=fake.pubmed_url)
    with Registries(settings, sleep=waits.append, backoff=0.01) as registries:
        checked = check(project.content, registries, only=["hohmann-2012"])
    assert not checked.failed
    entry = checked.entries["hohmann-2012"]
    assert entry.record is not None
    assert [n.kind for n in entry.record.updates] == [UpdateKind.CORRECTION]
    assert [p for p, _, _ in fake.requests[:3]] == ["/crossref/works/" + CORRECTED] * 3
    # Retried with backoff; then NCBI's pace (3 a second without a key).
    assert waits[:2] == [0.01, 0.02]
    fake.throttle = set(range(len(fake.requests) + 1, len(fake.requests) + 10))
    with Registries(settings, sleep=lambda _: None) as registries, pytest.raises(RegistryError):
        registries.crossref_work(CORRECTED)


def test_a_good_citizen(tmp_path: Path, fake: FakeRegistries) -> None:
    project = Project(tmp_path)
    with_doi(project, CORRECTED)
    code, output = run(fake, "evidence", "check", "-c", str(project.content), "hohmann-2012")
    assert code == 0, output
    assert not (project.content / LOCK_FILE).exists()  # without --refresh
    for path, query, headers in fake.requests:
        assert "mailto:evidence@spikerest.example" in headers["User-Agent"]
        if path.startswith("/eutils/"):
            assert query["tool"] == ["spikecontent"]
            assert query["email"] == ["evidence@spikerest.example"]
            assert query.get("retmode") in (["json"], ["text"])
    # NCBI's pace, without and with a key.
    assert Settings().ncbi_interval == pytest.approx(1 / 3)
    assert Settings(ncbi_api_key="k").ncbi_interval == pytest.approx(0.1)
    now = [100.0]
    slept: list[float] = []
    registries = Registries(Settings(), sleep=slept.append, clock=lambda: now[0])
    registries._pace()
    registries._pace()
    assert slept == [pytest.approx(1 / 3)]
    registries.close()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://api.crossref.org", True),
        ("http://127.0.0.1:8080", True),
        ("http://[::1]:8080", True),
        ("http://localhost:1", True),
        ("http://api.crossref.org", False),
        ("http://10.0.0.1", False),
        ("ftp://127.0.0.1", False),
    ],
)
def test_plain_http_only_for_loopback(url: str, allowed: bool) -> None:
    environ = {"SPIKECONTENT_CROSSREF_URL": url}
    if allowed:
        assert Settings.from_environment(environ).crossref_url == url
    else:
        with pytest.raises(RegistryError):
            Settings.from_environment(environ)


def test_a_lock_mistake_is_reported_at_its_line(tmp_path: Path) -> None:
    project = Project(tmp_path)
    (project.content / LOCK_FILE).write_text(
        "studies:\n  hohmann-2012:\n    checked: 2026-13-01\n    record:\n      updates:\n"
        "        - kind: retracted\n          source: https://example.org/\n"
        "    candidates:\n      - doi: 10.1155/2012/1\n        score: '0.9'\n"
        "        sorce: https://example.org/\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 1
    lock = f"{project.content}/{LOCK_FILE}"
    # Every mistake at once, each at its line with its field and fix.
    assert f"{lock}:3:14: studies.hohmann-2012.checked: '2026-13-01' is not a real date" in (
        result.output
    )
    assert (
        f"{lock}:6:17: studies.hohmann-2012.record.updates[0].kind: the text 'retracted' is"
        " not one of: retraction, correction" in result.output
    )
    assert "did you mean 'retraction'?" in result.output
    # A number in quotes is not silently read as one; a misspelt key is named.
    assert f"{lock}:10:16: studies.hohmann-2012.candidates[0].score: expected a number" in (
        result.output
    )
    assert (
        f"{lock}:11:9: studies.hohmann-2012.candidates[0].sorce: unknown field 'sorce'"
        " (fix: did you mean 'source'?)" in result.output
    )
    # A record written in a study file is refused: it comes from the lock.
    (project.content / LOCK_FILE).unlink()
    project.edit(HOHMANN, "et_al: true", "et_al: true\nrecord:\n  checked: 2026-01-01")
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 1
    assert "record: the record is read from evidence.lock.yaml" in result.output


def files(out: Path) -> dict[str, bytes]:
    """Every exported file but the manifest (which says when it was written)."""
    root = out.resolve()
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }


def test_channels_show_what_the_lock_holds_and_export_needs_no_network(
    tmp_path: Path, fake: FakeRegistries
) -> None:
    project = Project(tmp_path)
    with_doi(project, CORRECTED)
    code, output = run(fake, "evidence", "check", "--refresh", "-c", str(project.content))
    assert code == 0, output
    asked = len(fake.requests)
    project.export(only=["json", "jsonld"])
    first = files(project.out)
    fake.stop()  # nothing answers any more
    project.export(only=["json", "jsonld"], force=True)
    second = files(project.out)
    assert len(fake.requests) == asked
    assert first == second
    jsonld = next(v for k, v in first.items() if str(k).endswith(".jsonld"))
    graph = json.loads(jsonld)["@graph"]
    (study,) = [n for n in graph if n.get("@id", "").endswith("hohmann-2012")]
    assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "900002"} in study[
        "identifier"
    ]
    assert f"https://doi.org/{CORRECTED}" in study["sameAs"]
    assert "https://pubmed.ncbi.nlm.nih.gov/900002/" in study["sameAs"]
    delivered = next(
        v for k, v in first.items() if str(k).endswith("acupressure-mat-benefits.json")
    )
    citations = json.loads(delivered)["research"]["citations"]
    (cited,) = [c["study"] for c in citations if c["study"]["id"] == "hohmann-2012"]
    assert cited["doi"] == CORRECTED
    assert cited["record"]["pmid"] == 900002
    assert cited["record"]["updates"] == [{"kind": "correction", "date": "2013-06-10"}]
    others = [c["study"] for c in citations if c["study"]["id"] != "hohmann-2012"]
    assert all(o["record"] is None for o in others)


def test_a_doi_the_lock_does_not_confirm_is_not_shown(tmp_path: Path) -> None:
    """A DOI typed into a study file but not yet checked: validate says so, and no
    channel that links a study (JSON-LD, the page's and leaflet's references) shows it."""
    project = Project(tmp_path)
    with_doi(project, CORRECTED)
    project.export(only=["jsonld", "html"])
    jsonld = next((project.out / "jsonld").rglob("*.jsonld")).read_text(encoding="utf-8")
    assert CORRECTED not in jsonld
    page = (project.out / "html" / "acupressure-mat-benefits" / "index.html").read_text("utf-8")
    assert CORRECTED not in page
