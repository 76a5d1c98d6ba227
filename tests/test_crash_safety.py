"""The output folder under ``kill -9``: at every instant, the whole old export or the whole
new one, each with its matching manifest; the next export cleans up and finishes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from benchmarks.corpus import generate
from typer.testing import CliRunner, Result

from spikecontent.cli import app
from spikecontent.pipeline.manifest import LOAD_CACHE, state_file
from spikecontent.store.generations import Generations, private_folder
from spikecontent.tempfiles import create_beside
from tests.conftest import ARTICLE, REPO, Project
from tests.servers import NGINX, Nginx

PROFILES = ("json", "jsonld", "rss", "macros")
KILLS_BEFORE = 3
"""Kills while an export loads, checks and plans, and as it begins its new generation."""
KILLS_WHILE = 8
"""Kills from the moment it says what it will render (its new generation begun) to its
end: rendering and staging, the flush, the manifest, the state, the switch."""
PROGRESS = b" to render\n"
SPIKECONTENT = Path(sys.executable).parent / "spikecontent"


def export_command(content: Path, out: Path) -> list[str]:
    only = [arg for name in PROFILES for arg in ("--only", name)]
    return [
        str(SPIKECONTENT),
        "export",
        "--content",
        str(content),
        "--exporters",
        str(REPO / "exporters"),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--force",
        *only,
    ]


def files_of(out: Path) -> dict[str, bytes]:
    """Every file a reader of ``out`` sees, by relative path."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def assert_whole(out: Path) -> str:
    """``out`` is one complete export: its manifest lists exactly its files, each with
    its size and digest; the digest of the manifest."""
    files = files_of(out)
    manifest = json.loads(files.pop("manifest.json"))
    listed = {item["path"]: item for item in manifest["artifacts"]}
    assert set(files) == set(listed)
    for path, data in files.items():
        assert len(data) == listed[path]["bytes"], path
        assert hashlib.sha256(data).hexdigest() == listed[path]["sha256"], path
    # The build state, beside the output, is the one of the generation shown.
    path = state_file(out)
    assert path is not None
    assert path.parent == private_folder(out) / "states"
    state = json.loads(path.read_text(encoding="utf-8"))
    assert {r["path"]: r["sha256"] for r in state["records"]} == {
        p: item["sha256"] for p, item in listed.items()
    }
    return hashlib.sha256(json.dumps(manifest).encode()).hexdigest()


def flip(content: Path, number: int) -> None:
    # Every artifact names the site, so each state rewrites every file differently.
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    names = ("name: SpikeRest\n", "name: SpikeRest Mats\n")
    site.write_text(text.replace(names[number % 2 == 0], names[number % 2]), encoding="utf-8")


def test_temporary_files_a_killed_export_left_are_removed_by_the_next(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["json"]).ok
    cache = private_folder(project.out) / LOAD_CACHE
    # What create_beside and (in older versions) mkstemp name them, and a file of someone
    # else's that only ends like one.
    left = [cache / ".entry.4242-7.tmp", cache / "tmpab_c1234.tmp"]
    kept = cache / "notes.tmp"
    fd, made = create_beside(cache / "entry", 0o600)
    os.close(fd)
    for path in (*left, kept):
        path.write_bytes(b"half")
    assert project.export(only=["json"], force=True).ok
    assert not any(path.exists() for path in (*left, Path(made)))
    assert kept.exists()


def started(content: Path, out: Path, log: Path) -> subprocess.Popen[bytes]:
    """An export of ``content`` into ``out``, its progress lines going to ``log``."""
    with log.open("wb") as stderr:
        return subprocess.Popen(
            export_command(content, out), stdout=subprocess.DEVNULL, stderr=stderr
        )


def progress_said(process: subprocess.Popen[bytes], log: Path) -> bool:
    """Wait until the export says what it will render (a file, not a pipe: its later
    lines must never wait for a reader); False when it ended first."""
    while process.poll() is None:
        if PROGRESS in log.read_bytes():
            return True
        time.sleep(0.002)
    return PROGRESS in log.read_bytes()


@pytest.mark.slow
def test_a_killed_export_never_shows_a_mix_of_two(tmp_path: Path) -> None:
    content = generate(tmp_path / "content", articles=40)
    out, log = tmp_path / "dist", tmp_path / "progress.log"
    subprocess.run(export_command(content, out), check=True, capture_output=True)
    seen = {assert_whole(out)}
    # How long one export takes here, and when it begins writing: the kills follow that.
    flip(content, 1)
    begun = time.perf_counter()
    process = started(content, out, log)
    assert progress_said(process, log)
    planned = time.perf_counter() - begun
    assert process.wait() == 0
    writing = time.perf_counter() - begun - planned
    seen.add(assert_whole(out))
    # Before it writes, at fixed shares of the time it took to get there; once it says
    # what it will render, spread evenly over the rest, by its own clock (a kill at a
    # share of the whole run, as before, landed before any writing in half the runs).
    delays = [(False, planned * (0.6 + 0.35 * n / (KILLS_BEFORE - 1))) for n in range(KILLS_BEFORE)]
    delays += [(True, writing * n / (KILLS_WHILE - 1)) for n in range(KILLS_WHILE)]
    for number, (after_progress, delay) in enumerate(delays):
        flip(content, number)
        process = started(content, out, log)
        if after_progress:
            progress_said(process, log)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen.add(assert_whole(out))
    assert len(seen) == 2  # the two content states, and never anything in between
    # The next export removes what the killed ones left and finishes the job.
    flip(content, len(delays))
    subprocess.run(export_command(content, out), check=True, capture_output=True)
    assert_whole(out)
    home = private_folder(out) / "generations"
    assert len(list(home.iterdir())) <= 3  # the current one, the previous one, the spare
    assert not list(private_folder(out).rglob("*.tmp"))
    reference = tmp_path / "reference"
    subprocess.run(export_command(content, reference), check=True, capture_output=True)
    assert files_of(out) == files_of(reference)


def test_a_plain_output_folder_is_moved_aside_whole_and_kept(tmp_path: Path) -> None:
    # An output folder from before generations (or made by hand): the export moves it
    # aside, whole, and puts its link in its place. The new generation holds only what
    # its manifest names, so a file made by hand is not published any more; it is kept
    # aside, where the next exports leave it.
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    out = tmp_path / "dist"
    (out / "json").mkdir(parents=True)
    (out / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    subprocess.run(export_command(content, out), check=True, capture_output=True)
    assert out.is_symlink()
    assert not (out / "robots.txt").exists()
    assert (out / "json" / "index.json").is_file()
    assert_whole(out)
    current = Generations(out).current()
    assert current is not None
    for number in range(3):
        flip(content, number)
        subprocess.run(export_command(content, out), check=True, capture_output=True)
    [aside] = (private_folder(out) / "generations").glob("legacy-*")
    assert (aside / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\n"


def test_an_output_link_the_export_did_not_make_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    elsewhere = tmp_path / "www"
    elsewhere.mkdir()
    out = tmp_path / "dist"
    os.symlink(elsewhere, out)
    result = subprocess.run(export_command(content, out), capture_output=True, text=True)
    assert result.returncode == 1
    assert "which no export made" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_nginx_serves_the_output_and_sees_the_next_export_whole(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    out = tmp_path / "dist"
    subprocess.run(export_command(content, out), check=True, capture_output=True)
    with Nginx("", tmp_path / "nginx", static=out) as url:
        served = httpx.get(f"{url}/manifest.json")
        assert served.status_code == 200
        first = served.json()["artifacts"]
        for artifact in first[:5]:
            body = httpx.get(f"{url}/{artifact['path']}").content
            assert hashlib.sha256(body).hexdigest() == artifact["sha256"]
        flip(content, 1)
        subprocess.run(export_command(content, out), check=True, capture_output=True)
        # No reload: the next request resolves the link to the new generation.
        again = httpx.get(f"{url}/manifest.json").json()["artifacts"]
        assert again != first
        for artifact in again:
            body = httpx.get(f"{url}/{artifact['path']}").content
            assert hashlib.sha256(body).hexdigest() == artifact["sha256"], artifact["path"]
        # The export's own folder is beside the served one, out of nginx's reach.
        assert httpx.get(f"{url}/.spikecontent/state.json").status_code in (403, 404)
        assert httpx.get(f"{url}/../.dist.spikecontent/lock").status_code in (400, 403, 404)


def test_the_spare_generation_is_brought_level_with_the_current_one(tmp_path: Path) -> None:
    # From the third export on, the new generation is the spare renamed and updated: it
    # must end up exactly the export, whatever the spare held.
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    out = tmp_path / "dist"
    for number in range(3):
        flip(content, number)
        subprocess.run(export_command(content, out), check=True, capture_output=True)
    generations = Generations(out)
    [spare, _previous, current] = sorted((private_folder(out) / "generations").iterdir())
    assert current == generations.current()
    # What the spare may hold: a stray file and folder, a file written in place, a file
    # where the output has a folder.
    (spare / "stray.txt").write_text("stray", encoding="utf-8")
    (spare / "stray-folder").mkdir()
    (spare / "stray-folder" / "x.txt").write_text("x", encoding="utf-8")
    manifest = spare / "manifest.json"
    manifest.unlink()
    manifest.write_text("{}", encoding="utf-8")
    shutil.rmtree(spare / "macros")
    (spare / "macros").write_text("not a folder", encoding="utf-8")
    flip(content, 3)
    subprocess.run(export_command(content, out), check=True, capture_output=True)
    assert (
        generations.current()
        == private_folder(out) / "generations" / f"{int(current.name) + 1:06d}"
    )
    assert not spare.exists()  # renamed into the new generation
    assert_whole(out)
    reference = tmp_path / "reference"
    subprocess.run(export_command(content, reference), check=True, capture_output=True)
    assert files_of(out) == files_of(reference)


def test_a_file_written_beside_is_adopted_once_on_disk_or_reported(tmp_path: Path) -> None:
    from spikecontent.pipeline.output import Staging, write_beside

    generation = tmp_path / "generation"
    staging = Staging(generation)
    temporary, sha256 = write_beside(generation / "big.txt", b"bytes")
    # Given back once the staging's thread has flushed it, as a file it writes itself.
    assert staging.adopt("big.txt", temporary, sha256).result() == sha256
    # One that cannot be flushed (gone, here) is a failure to write, as a staged one.
    lost, digest = write_beside(generation / "lost.txt", b"lost")
    lost.unlink()
    with pytest.raises(FileNotFoundError):
        staging.adopt("lost.txt", lost, digest).result()
    staging.discard()
    assert not list(generation.rglob("*.tmp"))


def exported_by_the_cli(project: Project, *options: str) -> Result:
    command = ["export", "-c", str(project.content), "-e", str(project.exporters), *options]
    return CliRunner().invoke(app, command)


def test_an_output_that_cannot_be_written_is_an_error_and_the_last_export_stays(
    tmp_path: Path,
) -> None:
    # A full disk while the manifest and build state were saved ended in a traceback; the
    # private folder's states/ taken by a file fails the same write, for real.
    project = Project(tmp_path)
    project.export(only=["json"])
    before = {p.relative_to(project.out): p.read_bytes() for p in project.out.rglob("*.json")}
    states = private_folder(project.out) / "states"
    shutil.rmtree(states)
    states.write_text("not a folder\n", encoding="utf-8")
    project.edit(ARTICLE, "Reviewed and updated.", "Reviewed and updated again.")

    result = exported_by_the_cli(project, "--only", "json", "--out", str(project.out))

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(
            f"could not write the export into {project.out}: file exists; nothing was written"
        )
    )
    after = {p.relative_to(project.out): p.read_bytes() for p in project.out.rglob("*.json")}
    assert after == before


def test_an_output_under_a_file_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    project = Project(tmp_path)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n", encoding="utf-8")

    result = exported_by_the_cli(project, "--out", str(blocker / "dist"))

    assert result.exit_code == 2
    assert f"{blocker} is a file, not a folder" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "mine\n"


def test_an_output_whose_private_folder_is_taken_is_an_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path)
    private = private_folder(project.out)
    private.write_text("mine\n", encoding="utf-8")

    result = exported_by_the_cli(project, "--only", "json", "--out", str(project.out))

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"could not write the export into {project.out}" in result.stderr
    assert private.read_text(encoding="utf-8") == "mine\n"


def test_records_that_cannot_be_saved_after_the_commit_are_a_warning(tmp_path: Path) -> None:
    # The output had switched when the history could not be written (a full disk): a
    # traceback said the export failed, though it had not.
    project = Project(tmp_path)
    history = private_folder(project.out) / "history.json"
    history.mkdir(parents=True)  # a folder where the file goes: the write fails, for real

    result = exported_by_the_cli(project, "--only", "json", "--out", str(project.out))

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"{project.out}: warning: exported, but the records for the next run" in result.stderr
    assert (project.out / "json" / "index.json").is_file()


def test_an_output_under_a_link_to_nothing_is_refused_as_such(tmp_path: Path) -> None:
    project = Project(tmp_path)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")

    result = exported_by_the_cli(project, "--out", str(dangling / "dist"))

    assert result.exit_code == 2
    assert f"{dangling} is a link to nothing" in result.stderr
