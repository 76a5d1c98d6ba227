"""The export pipeline through the library call: atomic, deterministic, incremental."""

from __future__ import annotations

import errno
import json
import os
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest

import spikecontent
from spikecontent import ContentError
from spikecontent.pipeline import ExecutorError, Registry, UnknownProfileError, output, rendering
from spikecontent.pipeline.manifest import (
    LEGACY_STATE,
    LOAD_CACHE,
    Record,
    _Row,
    read_state,
    state_file,
)
from spikecontent.pipeline.planning import _path_problem
from spikecontent.store.durable import can_sync_file_system
from spikecontent.store.durable import sync_file_system as durable
from spikecontent.store.generations import private_folder
from tests.conftest import SLUG, Project
from tests.export_writers import BoomWriter, EchoWriter, EscapeWriter, TwiceWriter
from tests.test_stamps import hashes

SECOND = "second-article"
REGISTRY = Registry.installed().with_writers(EchoWriter, BoomWriter, EscapeWriter)
PROFILES = ("json", "echo", "boom")
"""The profiles most tests here export."""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (temporary files included) with its bytes.

    The load cache is left out: it is not output, and loading fills it before any render.
    """
    cache = private_folder(folder) / LOAD_CACHE
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_relative_to(cache)
    }


def pipeline_project(root: Path) -> Project:
    """Two articles; profiles for json and the pipeline's test writers only (escape off)."""
    return (
        Project(root, registry=REGISTRY)
        .without_profiles()
        .with_article(SECOND, title="A Second Article")
        # Pipeline tests count per-article artifacts: leave the shared entity files out.
        .profile("json", 'writer = "json"\n[options]\nentities = false\n')
        .profile("echo", 'writer = "echo"\n')
        .profile("boom", 'writer = "boom"\n')
        .profile("escape", 'writer = "escape"\nenabled = false\n')
    )


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return pipeline_project(tmp_path)


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make ``jobs > 1`` use the process pool even for cheap renders; count pool runs."""
    runs: list[int] = []
    real = rendering._render_in_pool

    def counted(*args: Any) -> Any:
        runs.append(1)
        return real(*args)

    monkeypatch.setattr(rendering, "POOL_START_SECONDS", -60.0)
    monkeypatch.setattr(rendering, "_SAMPLE_SECONDS", 0.0)
    monkeypatch.setattr(rendering, "_render_in_pool", counted)
    return runs


def test_a_first_export_writes_every_artifact_and_a_manifest_of_them(project: Project) -> None:
    report = project.export(only=PROFILES)

    assert report.ok
    expected = {
        f"json/articles/{SLUG}.json",
        f"json/articles/{SECOND}.json",
        "json/index.json",
        f"echo/{SLUG}.txt",
        f"echo/{SECOND}.txt",
        f"boom/{SLUG}.boom",
        f"boom/{SECOND}.boom",
    }
    assert set(report.written) == expected
    manifest = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["artifacts"]
    assert [e["path"] for e in entries] == sorted(expected)
    for item in entries:
        data = (project.out / item["path"]).read_bytes()
        assert item["sha256"] == sha256(data).hexdigest()
        assert item["bytes"] == len(data)
    article = next(e for e in entries if e["path"] == f"json/articles/{SLUG}.json")
    assert article["writer"] == "json"
    assert {
        "site",
        f"articles/{SLUG}",
        "studies/hohmann-2012",
        "offers/spikerest-mat-standard",
        "products/spikerest-mat",
    } <= set(article["sources"])
    assert f"articles/{SECOND}" not in article["sources"]


def test_json_documents_resolve_what_the_article_references(project: Project) -> None:
    project.export(only=PROFILES)
    document = json.loads((project.out / f"json/articles/{SLUG}.json").read_text("utf-8"))
    index = json.loads((project.out / "json/index.json").read_text("utf-8"))

    studies = [c["study"] for c in document["research"]["citations"]]
    assert [s["id"] for s in studies][:2] == ["bed-of-nails-2011", "hohmann-2012"]
    assert all("limitations" in s for s in studies)
    assert document["offer"]["product"]["name"]
    assert document["disclaimer"]["text"]
    assert document["url"] == "https://www.spikerest.example/acupressure-mat-benefits/"
    assert [a["slug"] for a in index["articles"]] == [SLUG, SECOND]
    assert index["articles"][0]["file"] == f"articles/{SLUG}.json"
    assert index["articles"][0]["api"] == f"/articles/{SLUG}"


def test_json_delivers_the_cited_studies_and_cautions_on_their_own(project: Project) -> None:
    uncited = (project.content / "studies" / "hohmann-2012.yaml").read_text("utf-8")
    uncited = uncited.replace("id: hohmann-2012", "id: uncited-2020")
    (project.content / "studies" / "uncited-2020.yaml").write_text(uncited, "utf-8")
    project.profile("json", 'writer = "json"\n')
    project.export(only=PROFILES)
    library = spikecontent.load(project.content)
    document = json.loads((project.out / f"json/articles/{SLUG}.json").read_text("utf-8"))
    cited = [c["study"] for c in document["research"]["citations"]]
    studies = json.loads((project.out / "json/studies.json").read_text("utf-8"))
    assert studies == cited  # the same resolved documents, in citation order
    assert sorted(p.stem for p in (project.out / "json/studies").iterdir()) == sorted(
        s["id"] for s in cited
    )
    one = json.loads((project.out / "json/studies/kisker-2024.json").read_text("utf-8"))
    assert one == next(s for s in cited if s["id"] == "kisker-2024")
    cautions = json.loads((project.out / "json/cautions.json").read_text("utf-8"))
    article = library.article(SLUG)
    assert article.cautions
    assert [c["id"] for c in cautions] == list(article.cautions.items)
    assert cautions == document["cautions"]["items"]


def test_outputs_are_byte_identical_across_runs_and_job_counts(
    project: Project, tmp_path: Path, pool: list[int]
) -> None:
    project.export(only=PROFILES, out=tmp_path / "one", jobs=1)
    assert pool == []
    project.export(only=PROFILES, out=tmp_path / "two", jobs=2)
    project.export(only=PROFILES, out=tmp_path / "one", jobs=2, force=True)
    assert pool == [1, 1]

    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one == two
    assert len(one) == 8  # seven artifacts and the manifest
    # The build states, beside the outputs, are as deterministic.
    states = [state_file(tmp_path / name) for name in ("one", "two")]
    assert states[0] is not None
    assert states[1] is not None
    assert states[0].read_bytes() == states[1].read_bytes()


def exported_then_armed(project: Project, boom: str) -> dict[str, bytes]:
    """Export ``project``, then change its article and add a ``boom`` profile with the
    options ``boom`` (TOML lines); the output as the first export left it."""
    project.export(only=PROFILES)
    before = snapshot(project.out)
    project.edit(f"articles/{SLUG}.yaml", "modified: 2026-07-04", "modified: 2026-07-05")
    project.profile("boom", f'writer = "boom"\n[options]\n{boom}\n')
    return before


def test_a_writer_that_raises_leaves_every_earlier_output_intact(
    project: Project, pool: list[int]
) -> None:
    before = exported_then_armed(project, f'fail_on = "{SLUG}"')

    report = project.export(only=PROFILES, jobs=2)

    assert pool == [1]
    assert not report.ok
    assert report.written == ()
    [failure] = report.failed
    assert (failure.writer, failure.profile, failure.path) == ("boom", "boom", f"boom/{SLUG}.boom")
    assert failure.cause == f"RuntimeError: cannot render {SLUG}"
    assert snapshot(project.out) == before  # nothing half-written, no temporary files left


def test_a_worker_process_that_dies_fails_the_export_and_writes_nothing(
    project: Project, pool: list[int]
) -> None:
    # The first artifact renders here; the second article's boom file, in a worker.
    before = exported_then_armed(project, f'fail_on = "{SECOND}"\ndie = true')
    project.edit(f"articles/{SECOND}.yaml", "title: 'A Second Article'", "title: 'Renamed'")

    with pytest.raises(ExecutorError, match="worker process rendering the export ended"):
        project.export(only=PROFILES, jobs=2)

    assert pool == [1]
    assert snapshot(project.out) == before


def test_an_interrupted_export_leaves_every_earlier_output_intact(project: Project) -> None:
    before = exported_then_armed(project, f'fail_on = "{SECOND}"\ninterrupt = true')

    with pytest.raises(KeyboardInterrupt):
        project.export(only=PROFILES, jobs=1)

    assert snapshot(project.out) == before


def test_a_full_disk_leaves_every_earlier_output_intact(project: Project) -> None:
    import resource
    import signal
    import subprocess
    import sys

    project.export(only=PROFILES)
    before = snapshot(project.out)
    # The kernel refuses writes past RLIMIT_FSIZE with EFBIG, like a disk that fills up
    # part way through: the small files of this run can be written, the article cannot.
    limit = 4096

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    script = (
        "import sys, spikecontent\n"
        "from tests.test_export import REGISTRY\n"
        "report = spikecontent.export(sys.argv[1], exporters=sys.argv[2], out=sys.argv[3],\n"
        "    registry=REGISTRY, jobs=1, force=True)\n"
        "print(*report.failed, sep='\\n')\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(project.content),
            str(project.exporters),
            str(project.out),
        ],
        capture_output=True,
        text=True,
        preexec_fn=limit_file_size,
        check=True,
        cwd=Path(__file__).parent.parent,
    )

    assert "could not write it" in result.stdout
    assert "File too large" in result.stdout
    assert snapshot(project.out) == before


def test_staged_files_reach_the_disk_in_one_flush_of_the_file_system(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert can_sync_file_system()  # Linux: what CI and the benchmarks run on
    fsyncs: list[int] = []
    fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: fsyncs.append(fd) or fsync(fd))
    flushed: list[Path] = []
    monkeypatch.setattr(output, "sync_file_system", lambda p: flushed.append(p) or durable(p))

    report = project.export(only=PROFILES)

    assert len(report.written) == 7
    assert len(flushed) == 1
    # The manifest, the build state and the content's history (pipeline/history.py), each
    # replaced on its own.
    assert len(fsyncs) == 3


def test_without_syncfs_each_staged_file_is_flushed_as_it_is_written(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where the C library has no syncfs (macOS, Windows): an fsync per file, none at commit.
    monkeypatch.setattr(output, "can_sync_file_system", lambda: False)
    monkeypatch.setattr(output, "sync_file_system", lambda p: pytest.fail("no syncfs here"))
    fsyncs: list[int] = []
    fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: fsyncs.append(fd) or fsync(fd))

    report = project.export(only=PROFILES)

    assert report.ok
    # And the manifest, the build state and the content's history.
    assert len(fsyncs) == len(report.written) + 3
    assert snapshot(project.out)


def test_a_disk_that_fails_the_flush_leaves_the_output_as_it_was(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A failing disk cannot be had here: syncfs is made to report what one reports.
    project.export(only=PROFILES)
    before = snapshot(project.out)
    project.edit(f"articles/{SECOND}.yaml", "title: 'A Second Article'", "title: 'Renamed'")

    def failing(path: Path) -> None:
        raise OSError(errno.EIO, "syncfs: Input/output error", str(path))

    monkeypatch.setattr(output, "sync_file_system", failing)
    report = project.export(only=PROFILES)

    assert not report.ok
    assert report.written == ()
    assert all("could not write it: [Errno 5]" in failure.cause for failure in report.failed)
    assert snapshot(project.out) == before
    assert not list(project.out.resolve().rglob("*.tmp"))


def test_changing_one_article_re_renders_only_its_artifacts(project: Project) -> None:
    project.export(only=PROFILES)
    project.edit(f"articles/{SECOND}.yaml", "title: 'A Second Article'", "title: 'Renamed'")

    report = project.export(only=PROFILES)

    assert set(report.written) == {
        f"json/articles/{SECOND}.json",
        "json/index.json",
        f"echo/{SECOND}.txt",
        f"boom/{SECOND}.boom",
    }
    assert f"json/articles/{SLUG}.json" in report.skipped
    assert b"Renamed" in (project.out / f"echo/{SECOND}.txt").read_bytes()


def test_changing_a_shared_study_re_renders_every_article_citing_it(project: Project) -> None:
    project.export(only=PROFILES)
    project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")

    report = project.export(only=PROFILES)

    assert f"json/articles/{SLUG}.json" in report.written
    assert f"json/articles/{SECOND}.json" in report.written
    assert f"echo/{SLUG}.txt" in report.written  # it depends on the article, hence its studies


def test_nothing_changed_means_nothing_loaded_or_rendered(project: Project) -> None:
    project.export(only=PROFILES)
    report = project.export(only=PROFILES)
    assert report.up_to_date
    assert report.written == ()
    assert len(report.skipped) == 7

    forced = project.export(only=PROFILES, force=True)
    assert len(forced.written) == 7


def test_a_comment_edit_re_checks_the_content_but_renders_nothing(project: Project) -> None:
    project.export(only=PROFILES)
    project.edit(f"articles/{SLUG}.yaml", "# Acupressure Mat Benefits", "# Edited comment:")

    report = project.export(only=PROFILES)

    assert not report.up_to_date
    assert report.written == ()


def test_a_tampered_output_is_rebuilt(project: Project) -> None:
    project.export(only=PROFILES)
    target = project.out / f"echo/{SLUG}.txt"
    good = target.read_bytes()
    target.write_bytes(b"edited by hand\n")

    report = project.export(only=PROFILES)

    assert report.written == (f"echo/{SLUG}.txt",)
    assert target.read_bytes() == good


def age_outputs(out: Path) -> None:
    """Make every output ten seconds old, as files from an earlier export are."""
    for path in out.rglob("*"):
        if path.is_file():
            found = path.stat()
            os.utime(path, ns=(found.st_atime_ns, found.st_mtime_ns - 10_000_000_000))


def test_outputs_found_intact_are_not_hashed_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.export(only=PROFILES)
    age_outputs(project.out)
    assert project.export(only=PROFILES).up_to_date  # hashes them all, and stamps them
    hashed = hashes(monkeypatch)
    assert project.export(only=PROFILES).up_to_date
    assert hashed == []
    # Written in place with the same size, a file is hashed again and rebuilt.
    target = project.out / f"echo/{SLUG}.txt"
    good = target.read_bytes()
    target.write_bytes(bytes(len(good)))
    report = project.export(only=PROFILES)
    assert set(hashed) == {f"echo/{SLUG}.txt"}  # (by the no-op check, then the plan)
    assert report.written == (f"echo/{SLUG}.txt",)
    assert target.read_bytes() == good


def test_outputs_of_removed_content_are_pruned_after_a_successful_run(project: Project) -> None:
    project.export(only=PROFILES)
    (project.content / "articles" / f"{SECOND}.yaml").unlink()

    report = project.export(only=PROFILES)

    assert set(report.pruned) == {
        f"json/articles/{SECOND}.json",
        f"echo/{SECOND}.txt",
        f"boom/{SECOND}.boom",
    }
    assert not (project.out / f"echo/{SECOND}.txt").exists()
    manifest = (project.out / "manifest.json").read_text(encoding="utf-8")
    assert SECOND not in manifest


def test_a_failed_run_prunes_nothing(project: Project) -> None:
    project.export(only=PROFILES)
    before = snapshot(project.out)
    (project.content / "articles" / f"{SECOND}.yaml").unlink()
    project.profile("boom", f'writer = "boom"\n[options]\nfail_on = "{SLUG}"\n')

    assert not project.export(only=PROFILES).ok
    assert snapshot(project.out) == before


def test_only_exports_the_named_profiles_and_keeps_the_others(project: Project) -> None:
    project.export(only=PROFILES)
    project.edit(f"articles/{SLUG}.yaml", "modified: 2026-07-04", "modified: 2026-07-05")

    report = project.export(only=["echo"])

    assert report.written == (f"echo/{SLUG}.txt",)
    manifest = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["artifacts"]) == 7
    # Nothing changed since: the named profiles' artifacts are reported, not every one
    # the output holds.
    again = project.export(only=["echo"])
    assert again.up_to_date
    assert again.skipped == tuple(
        sorted(p for p in report.skipped + report.written if "echo/" in p)
    )
    with pytest.raises(UnknownProfileError, match="did you mean 'echo'"):
        project.export(only=["ecko"])


def test_drafts_are_exported_only_when_asked(project: Project) -> None:
    project.edit(f"articles/{SECOND}.yaml", "status: published", "status: draft")

    assert f"echo/{SECOND}.txt" not in project.export(only=PROFILES).written
    assert f"echo/{SECOND}.txt" in project.export(only=PROFILES, include_drafts=True).written
    project.profile("echo", 'writer = "echo"\ndrafts = true\n')
    assert f"echo/{SECOND}.txt" in project.export(only=PROFILES, out=project.out / "again").written


def test_invalid_content_exports_nothing(project: Project) -> None:
    project.export(only=PROFILES)
    before = snapshot(project.out)
    project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: twenty-twelve")

    with pytest.raises(ContentError) as caught:
        project.export(only=PROFILES)

    assert "hohmann-2012.yaml" in caught.value.report()
    assert snapshot(project.out) == before


def test_a_template_override_takes_precedence_and_is_tracked(project: Project) -> None:
    project.export(only=PROFILES)
    assert (project.out / f"echo/{SLUG}.txt").read_text().startswith("== ")
    (project.exporters / "echo").mkdir()
    (project.exporters / "echo" / "frame.txt").write_text("** {{title}} **\n")

    report = project.export(only=PROFILES)

    assert set(report.written) == {f"echo/{SLUG}.txt", f"echo/{SECOND}.txt"}
    assert (project.out / f"echo/{SECOND}.txt").read_text() == "** A Second Article **\n"


def test_a_template_read_without_being_declared_is_a_failure(project: Project) -> None:
    project.profile("echo", 'writer = "echo"\n[options]\ndeclare = false\n')

    report = project.export(only=PROFILES)

    assert {f.path for f in report.failed} == {f"echo/{SLUG}.txt", f"echo/{SECOND}.txt"}
    assert "frame.txt not declared by plan()" in report.failed[0].cause
    assert not project.out.exists() or not any(project.out.rglob("*.txt"))


def test_a_path_outside_the_output_folder_is_refused(project: Project) -> None:
    report = project.export(only=["escape"])

    [failure] = report.failed
    assert "must be relative" in failure.cause
    assert not (project.out.parent / "outside.txt").exists()


def test_two_profiles_claiming_one_path_is_an_error(project: Project) -> None:
    project.profile("echo-again", 'writer = "echo"\noutput = "echo"\n')

    with pytest.raises(ContentError) as caught:
        project.export(only=[*PROFILES, "echo-again"])

    [problem] = caught.value.diagnostics
    assert problem.file.endswith("exporters/echo-again.toml")  # the later of the two, by name
    assert problem.message == (
        f"echo/{SLUG}.txt and 1 more would be written by profile 'echo' (writer 'echo') "
        "and by profile 'echo-again' (writer 'echo')"
    )
    assert "own 'output' folder" in problem.fix


def test_a_writer_planning_one_path_twice_is_told_so(project: Project) -> None:
    project.profile("twice", 'writer = "twice"\n')
    # Its own registry: the default profile of a writer in REGISTRY runs in other tests.
    project.registry = REGISTRY.with_writers(TwiceWriter)
    with pytest.raises(ContentError) as caught:
        project.export(only=["twice"])
    (problem,) = caught.value.diagnostics
    assert problem.message == "writer 'twice' would write twice/same.txt twice"
    assert "unique" in problem.fix


@pytest.mark.parametrize(
    "path", ["", "/etc/x", "a/../b", "./a", "a/./b", "a//b", "a/", "a\\b", ".."]
)
def test_artifact_paths_must_be_plain_relative_names(path: str) -> None:
    assert _path_problem(path) is not None
    assert _path_problem("feeds/articles/a.rss.xml") is None


def test_the_state_an_export_wrote_is_read_from_memory_until_its_file_changes(
    project: Project,
) -> None:
    assert project.export(only=PROFILES).ok
    written = read_state(project.out)
    assert read_state(project.out) is written  # the file this process wrote: not parsed
    # Another export process replaced it: read the file.
    path = state_file(project.out)
    assert path is not None
    replaced = path.with_suffix(".new")
    text = path.read_text(encoding="utf-8")
    replaced.write_text(text.replace(written.run, "0" * len(written.run)), encoding="utf-8")
    os.replace(replaced, path)
    again = read_state(project.out)
    assert again is not written
    assert again.run == "0" * len(written.run)
    assert again.records == written.records
    # Its warnings come back as written (decoded only when asked for).
    assert len(written.warnings) > 1
    assert tuple(again.warnings) == tuple(written.warnings)
    # Records that name the same entries share one tuple of them (14,000 artifacts name
    # about 1,000 distinct lists).
    by_entries: dict[tuple[str, ...], list[Record]] = {}
    for record in again.records.values():
        by_entries.setdefault(record.entries, []).append(record)
    assert any(len(same) > 1 for same in by_entries.values())
    for same in by_entries.values():
        assert all(r.entries is same[0].entries for r in same)
    # The file, too, holds each list once: a record names its list by its index.
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(map(tuple, stored["entry_lists"])) == sorted(by_entries)
    assert all(isinstance(r["entries"], int) for r in stored["records"])


@pytest.mark.parametrize("warnings", ['{"file": "x"}', '[{"file": ]', "[1, {}]"])
def test_a_state_whose_warnings_are_damaged(project: Project, warnings: str) -> None:
    assert project.export(only=PROFILES).ok
    path = state_file(project.out)
    assert path is not None
    stored = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(stored).replace(json.dumps(stored["warnings"]), warnings)
    path.write_text(text, encoding="utf-8")
    state = read_state(project.out)
    if warnings.startswith("[1"):
        # A list: its records are read; a warning it cannot give back is left out.
        assert len(state.records) == len(stored["records"])
        assert tuple(state.warnings) == ()
    else:  # not a list, or not JSON: no state (everything is made again)
        assert state.records == {}


def test_a_state_row_has_the_fields_of_a_record_in_its_order() -> None:
    # The state file's rows are records with their entries' list named by its index:
    # a field added to one and not the other would be lost between two exports.
    assert _Row.__struct_fields__ == Record.__struct_fields__


def served_files(out: Path) -> dict[str, bytes]:
    """Every file a copy of ``out`` that follows links (``rsync -rL``) would get, by
    relative path; a link to a folder is walked too."""
    files: dict[str, bytes] = {}
    for folder, _, names in os.walk(out, followlinks=True):
        for name in names:
            path = Path(folder) / name
            files[path.relative_to(out).as_posix()] = path.read_bytes()
    return files


DRAFT = "zebra-quokka-embargo"
DRAFT_TITLE = "Quokka Embargoed Launch Notes"
DRAFT_SENTENCE = "The quokka mat felt therapeutic to zebra sleepers"
"""A draft's text that the lint warns about (a warning names its file and quotes it)."""


def test_nothing_under_the_output_mentions_a_draft(tmp_path: Path) -> None:
    project = Project(tmp_path).with_article(DRAFT, title=DRAFT_TITLE)
    path = f"articles/{DRAFT}.yaml"
    project.edit(path, "status: published", "status: draft")
    project.edit(path, "This split —", f"{DRAFT_SENTENCE}. This split —")
    profiles = ("json", "jsonld", "rss", "macros", "html", "media")
    report = project.export(only=profiles)
    assert report.ok
    assert any(DRAFT in str(w) for w in report.warnings)  # what the build state keeps
    secrets = [DRAFT.encode(), DRAFT_TITLE.encode(), DRAFT_SENTENCE.encode()]

    def assert_no_draft_under_the_output() -> None:
        files = served_files(project.out)
        assert "manifest.json" in files
        for name, data in files.items():
            assert not any(s in data or s in name.encode() for s in secrets), name

    assert_no_draft_under_the_output()
    # The build state is kept beside the output, its owner's alone, and still works: an
    # export with nothing changed renders nothing and repeats the draft's warnings.
    state = state_file(project.out)
    assert state is not None
    assert not state.resolve().is_relative_to(project.out.resolve())
    assert state.stat().st_mode & 0o777 == 0o600
    again = project.export(only=profiles)
    assert again.up_to_date
    assert again.written == ()
    assert again.warnings == report.warnings
    # An edit of the draft alone is checked, and renders nothing.
    project.edit(path, DRAFT_SENTENCE, f"{DRAFT_SENTENCE} again")
    edited = project.export(only=profiles)
    assert not edited.up_to_date
    assert edited.written == ()
    assert set(edited.skipped) == set(report.written)
    assert_no_draft_under_the_output()


def test_an_older_versions_state_inside_the_output_is_read_once_and_unpublished(
    project: Project,
) -> None:
    # Older versions kept the build state in the output: dist/.spikecontent/state.json.
    assert project.export(only=PROFILES).ok
    beside = state_file(project.out)
    assert beside is not None
    inside = project.out / LEGACY_STATE
    inside.parent.mkdir()
    os.replace(beside, inside)
    assert state_file(project.out) == inside.parent.parent.resolve() / LEGACY_STATE
    # Nothing changed: the old state is read (nothing rendered), and the new generation
    # holds neither it nor its folder; the state is beside the output from then on.
    report = project.export(only=PROFILES)
    assert report.ok
    assert report.written == ()
    assert len(report.skipped) == 7
    assert not (project.out / ".spikecontent").exists()
    assert state_file(project.out) == beside.with_stem(beside.stem[:-1] + "2")
    assert project.export(only=PROFILES).up_to_date


def planted(out: Path, elsewhere: Path) -> set[str]:
    """Put into the output what no export made: a file, a file in an output folder, links
    to a private file and to a folder, and a link in place of an output; what a reader
    would see of them."""
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "secret.txt").write_text("a private file\n", encoding="utf-8")
    (out / "planted.html").write_text("<p>planted</p>\n", encoding="utf-8")
    (out / "json" / "planted.json").write_text("{}\n", encoding="utf-8")
    (out / "json" / "secret.json").symlink_to(elsewhere / "secret.txt")
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    # The same bytes as the output, through a link: intact to a reader, not the export's.
    copy = elsewhere / "echo.txt"
    copy.write_bytes((out / f"echo/{SLUG}.txt").read_bytes())
    (out / f"echo/{SLUG}.txt").unlink()
    (out / f"echo/{SLUG}.txt").symlink_to(copy)
    return {"planted.html", "json/planted.json", "json/secret.json", "linked/secret.txt"}


def assert_only_the_manifest(out: Path) -> None:
    """``out`` holds the files its manifest names, as regular files, and nothing else."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {item["path"]: item["sha256"] for item in manifest["artifacts"]}
    files = served_files(out)
    assert set(files) == {*listed, "manifest.json"}
    for path, digest in listed.items():
        assert not (out / path).is_symlink(), path
        assert sha256(files[path]).hexdigest() == digest, path


@pytest.mark.parametrize("change", [True, False], ids=["after a change", "nothing changed"])
def test_a_generation_holds_only_what_its_manifest_names(project: Project, change: bool) -> None:
    assert project.export(only=PROFILES).ok
    seen = planted(project.out, project.root / "elsewhere")
    assert seen <= set(served_files(project.out))
    if change:
        project.edit(f"articles/{SECOND}.yaml", "title: 'A Second Article'", "title: 'Renamed'")
    report = project.export(only=PROFILES)
    assert report.ok
    assert not report.up_to_date  # a new generation, without what was planted
    assert not seen & set(served_files(project.out))
    assert_only_the_manifest(project.out)
    # The link in place of an output is not carried: the output is written again.
    assert f"echo/{SLUG}.txt" in report.written
    # And the next export has nothing to do.
    assert project.export(only=PROFILES).up_to_date
