"""The cyclic collector is held off during loads and exports, and only then."""

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from spikecontent.cli import main
from spikecontent.loading.loader import load_with_sources
from spikecontent.pipeline import ArtifactFate
from spikecontent.store.collector import collector_paused
from tests.conftest import CONTENT, REPO, Project


def test_full_collections_wait_inside_and_thresholds_are_restored() -> None:
    before = gc.get_threshold()
    with collector_paused():
        young, middle, old = gc.get_threshold()
        assert (young, middle) == before[:2]
        assert old > 10**8
        with collector_paused():
            assert gc.get_threshold()[2] == old
        assert gc.get_threshold()[2] == old  # the outer one still holds them
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError
    assert gc.get_threshold() == before


class _Watching:
    """Progress that counts the full collections up to the export's last artifact."""

    def __init__(self) -> None:
        self.collections: list[int] = []
        self.done = 0
        self.before_last = -1

    def collected(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            self.collections.append(2)

    def planned(self, total: int, to_render: int) -> None:
        pass

    def finished(self, path: str, fate: ArtifactFate) -> None:
        self.done += 1
        self.before_last = len(self.collections)


def test_an_export_runs_without_it_and_leaves_it_on(tmp_path: Path) -> None:
    project = Project(tmp_path)
    for number in range(40):
        project.with_article(f"copy-{number}")
    watching = _Watching()
    gc.callbacks.append(watching.collected)
    try:
        # Loading, planning and rendering 41 articles: millions of allocations, in
        # which the collector made full passes.
        gc.collect()
        watching.collections.clear()
        assert project.export(only=["json", "macros"], progress=watching).ok
        assert watching.done > 20
        assert watching.before_last == 0
        assert gc.isenabled()
        watching.collections.clear()
        gc.collect()
        assert watching.collections == [2]  # and it runs when asked, after
    finally:
        gc.callbacks.remove(watching.collected)


def test_a_loaded_library_leaves_the_collector_nothing_to_find(tmp_path: Path) -> None:
    # Why the command line may freeze everything at exit (spikecontent.cli.main): the
    # content and its source maps are freed by reference counting alone.
    project = Project(tmp_path).with_article("copy")
    load_with_sources(project.content)  # the first load also builds converters, once
    gc.collect()
    loaded = load_with_sources(project.content)
    assert loaded.library.articles
    del loaded
    assert gc.collect() == 0


def test_the_command_line_leaves_its_objects_out_of_the_last_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.argv", ["spikecontent", "--version"])
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit):
            main()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


_PROBE = """
import atexit, os, sys, types
from spikecontent.store.collector import lasting

class Noted:
    def __init__(self, name):
        self.name = name.encode()

    def __del__(self, write=os.write):  # os.write itself, whatever exit has cleared
        write(1, b"freed " + self.name + b"\\n")

# Two caches in a module, as a cache of spikecontent's is (not in __main__).
module = sys.modules["probe_caches"] = types.ModuleType("probe_caches")
module.cache = lasting({"entry": Noted("the cache")})
module.other = {"entry": Noted("another object")}
del module
atexit.register(print, "atexit ran", flush=True)
if sys.argv[1:] == ["main"]:
    from spikecontent.cli import main
    sys.argv = ["spikecontent", "--version"]
    main()
"""


def _probe(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=REPO
    )


def test_the_command_line_leaves_lasting_caches_unfreed_and_the_rest_of_exit_as_it_was() -> None:
    # What a process exporting 1,000 articles spent freeing its caches of content one
    # object at a time as it ended (docs/performance.md, stop 43).
    ended = _probe("main")
    assert ended.returncode == 0, ended.stderr
    lines = ended.stdout.splitlines()
    assert lines[0].startswith("spikecontent ")  # its output, then the hooks as before
    assert "atexit ran" in lines
    assert "freed another object" in lines  # other objects are freed as they were
    assert "freed the cache" not in lines


def test_a_lasting_cache_is_freed_as_any_other_without_the_command_line() -> None:
    # A program using the library ends as Python ends any program.
    ended = _probe()
    assert ended.returncode == 0, ended.stderr
    assert {"atexit ran", "freed the cache", "freed another object"} <= set(
        ended.stdout.splitlines()
    )


def test_the_command_lines_exit_code_stays_its_commands() -> None:
    stopped = subprocess.run(
        [sys.executable, "-m", "spikecontent", "show", "no-such-article", "-c", str(CONTENT)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    # The content was loaded (its caches are left at exit), then the slug refused.
    assert stopped.returncode == 2
    assert "no article 'no-such-article'" in stopped.stderr
