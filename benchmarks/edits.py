"""What an edit costs a new process, for one tree or for two side by side (issue 44).

    python -m benchmarks.edits [--articles 1000] [--rounds 3] [--baseline OTHER/src]

Generates the corpus, exports it fully once per tree, then for each round and each tree
in turn: one article's title changed and exported, a no-op export, ``validate`` (the
first after the edit, then again unchanged). Every step is a whole ``python -m
spikecontent`` process (what CI, a hook or an editor's save command sees), each tree with
its own copy of the corpus and its own output, and its own user cache folder
(``XDG_CACHE_HOME``: two trees with other lint vocabularies would otherwise each
rebuild the shared health-object terms and index, a vocabulary at a time). With
``--baseline``, the other tree's ``src`` is measured the same way, alternating with this
one (which goes first alternating), so both see the same load; the load average is
printed with each round. Every non-PDF channel is exported. Each tree runs from bytecode
compiled once. Each step is given in wall-clock seconds and in the CPU seconds (user and
system) of its process, which vary less on a loaded machine; the medians of each step
and tree close the run, and with ``--baseline`` each step's CPU difference between the
trees round by round (the rounds' spread is often larger than a change's effect).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from benchmarks.corpus import REPO, compile_once, generate

CHANNELS = ("json", "jsonld", "rss", "macros", "html", "media")
_CACHES: dict[Path, Path] = {}
"""Each tree's user cache folder, by its ``src``."""
EXPORTERS = REPO / "exporters"


class Timed(NamedTuple):
    """One process: its wall-clock seconds, and its CPU seconds (user and system), the
    steadier figure on a loaded machine."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f})"


def _timed(source: Path, *arguments: str) -> Timed:
    # Each tree's user cache beside its corpus (see the module's docstring).
    caches = _CACHES[source]
    environment = {**os.environ, "PYTHONPATH": str(source), "XDG_CACHE_HOME": str(caches)}
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "spikecontent", *arguments],
        env=environment,
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime
    return Timed(wall, cpu)


def _edit(content: Path, number: int) -> None:
    article = sorted((content / "articles").glob("*.yaml"))[number]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Synthetic article", "Changed article", 1), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another tree's src folder")
    options = parser.parse_args()
    trees = {"this": REPO / "src"}
    if options.baseline:
        trees = {"baseline": options.baseline.resolve(), **trees}
    compile_once(*trees.values())
    work = Path(tempfile.mkdtemp(prefix="spikecontent-edits-"))
    measured: dict[tuple[str, str], list[Timed]] = defaultdict(list)
    try:
        corpus = generate(work / "corpus", options.articles)
        only = [argument for channel in CHANNELS for argument in ("--only", channel)]
        for name, source in trees.items():
            shutil.copytree(corpus, work / name / "content")
            _CACHES[source] = work / name / "user-cache"
            export = _export_arguments(work / name, only)
            print(f"{name}: full export {_timed(source, *export)}", flush=True)
        for number in range(options.rounds):
            load = os.getloadavg()[0]
            # Which tree goes first alternates: a step right after the other tree's same
            # step may find the file system's caches warmer.
            order = list(trees.items())
            for name, source in order if number % 2 == 0 else reversed(order):
                content = work / name / "content"
                export = _export_arguments(work / name, only)
                validate = ("validate", str(content), "-e", str(EXPORTERS))
                _edit(content, number)
                figures = {
                    "one change": _timed(source, *export),
                    "no-op": _timed(source, *export),
                    "validate after the edit": _timed(source, *validate),
                    "validate unchanged": _timed(source, *validate),
                }
                shown = ", ".join(f"{step} {timed}" for step, timed in figures.items())
                print(f"round {number + 1} (load {load:.1f}) {name}: {shown}", flush=True)
                for step, timed in figures.items():
                    measured[name, step].append(timed)
        print(f"medians of {options.rounds} rounds (load now {os.getloadavg()[0]:.1f}):")
        for (name, step), runs in measured.items():
            wall = statistics.median(run.wall for run in runs)
            cpu = statistics.median(run.cpu for run in runs)
            print(f"  {name}, {step}: {Timed(wall, cpu)}", flush=True)
        if options.baseline:
            _paired(measured)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _paired(measured: dict[tuple[str, str], list[Timed]]) -> None:
    """Each step's CPU seconds, this tree's minus the baseline's, round by round: the two
    ran within seconds of each other, so a round's difference is steadier than the
    medians of two spreads that the load moves by more than most changes."""
    print("CPU, this tree minus the baseline, per round (median; rounds where lower):")
    for (name, step), runs in measured.items():
        if name != "this":
            continue
        differences = [a.cpu - b.cpu for a, b in zip(runs, measured["baseline", step], strict=True)]
        lower = sum(difference < 0 for difference in differences)
        shown = ", ".join(f"{difference:+.2f}" for difference in differences)
        median = statistics.median(differences)
        print(f"  {step}: {shown} (median {median:+.2f}; lower in {lower} of {len(differences)})")


def _export_arguments(folder: Path, only: list[str]) -> tuple[str, ...]:
    content, out = folder / "content", folder / "out"
    return ("export", "-c", str(content), "-e", str(EXPORTERS), "-o", str(out), *only)


if __name__ == "__main__":
    main()
