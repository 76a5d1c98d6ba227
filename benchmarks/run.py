"""Measure loading and exporting on synthetic corpora; print a table for docs/performance.md.

    python -m benchmarks.run [--articles 1000] [--small 100]

Each figure comes from its own fresh interpreter, so peak memory (max RSS) is per step.
Timings are wall-clock seconds on whatever machine runs this: compare ratios, measured
side by side in one run, rather than absolute figures across machines.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import REPO, generate

EXPORTERS = REPO / "exporters"


def _step(name: str, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--step", name, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return dict(json.loads(result.stdout.splitlines()[-1]))


def _run_step(name: str, args: list[str]) -> dict[str, Any]:
    import spikecontent

    started = time.perf_counter()
    figures: dict[str, Any] = {}
    if name == "load":
        content, cache = args[0], (args[1] if len(args) > 1 else None)
        spikecontent.load(content, cache=cache)
    elif name == "lint":
        from spikecontent.lint import lint_content, project_rules
        from spikecontent.loading.loader import load_with_sources

        loaded = load_with_sources(args[0], cache=args[1])
        linting = time.perf_counter()
        findings = lint_content(loaded, project_rules(Path(args[0])))
        figures = {"lint_seconds": time.perf_counter() - linting, "findings": len(findings)}
    elif name == "export":
        content, out, jobs, *only = args
        report = spikecontent.export(
            content, exporters=EXPORTERS, out=out, jobs=int(jobs), only=only
        )
        assert report.ok, report.failed
        figures = {"written": len(report.written), "skipped": len(report.skipped)}
    elif name == "cli":
        # What an editor waits for at the command line: start-up to exit, in one process.
        command = [str(Path(sys.executable).parent / "spikecontent"), *args]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    seconds = time.perf_counter() - started
    peak_kib = _own_peak_kib()
    # A worker's figure may include this process's size when it was started (see above):
    # the largest of the two is an upper bound of any one process's peak.
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_mib": max(peak_kib, children_kib) / 1024, **figures}


def _writers() -> list[str]:
    from spikecontent.pipeline import Registry
    from spikecontent.pipeline.profiles import load_profiles

    profiles, _ = load_profiles(EXPORTERS, Registry.installed())
    # Leaflets take most of a second each: benchmarks/pdf.py measures them on a batch.
    return [p.name for p in profiles if p.enabled and p.writer.name != "pdf"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    options, rest = parser.parse_known_args()
    if options.step:
        print(json.dumps(_run_step(options.step, rest)))
        return

    work = Path(tempfile.mkdtemp(prefix="spikecontent-bench-"))
    try:
        rows = _measure(work, options.articles, options.small)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cpu = platform.processor() or platform.machine()
    print(f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}")
    print()
    print("| step | seconds | peak MiB | notes |")
    print("|---|---:|---:|---|")
    for step, figures, notes in rows:
        print(f"| {step} | {figures['seconds']:.2f} | {figures['peak_mib']:.0f} | {notes} |")


def _measure(work: Path, large: int, small: int) -> list[tuple[str, dict[str, Any], str]]:
    big = generate(work / "big", large)
    little = generate(work / "little", small)
    rows: list[tuple[str, dict[str, Any], str]] = []

    load_small = _step("load", str(little))
    load_big = _step("load", str(big))
    ratio = load_big["seconds"] / load_small["seconds"]
    rows.append((f"load + validate {small} articles", load_small, "no cache"))
    rows.append((f"load + validate {large} articles", load_big, f"no cache; {ratio:.1f}x {small}"))
    _step("load", str(big), str(work / "cache"))
    warm = _step("load", str(big), str(work / "cache"))
    rows.append((f"load + validate {large} articles", warm, "warm load cache (as export uses)"))
    lint = _step("lint", str(big), str(work / "cache"))
    rows.append(
        (
            f"load (warm) + lint {large} articles",
            lint,
            f"lint alone {lint['lint_seconds']:.2f} s, {lint['findings']} findings",
        )
    )

    writers = _writers()
    for writer in writers:
        figures = _step("export", str(big), str(work / f"out-{writer}"), "2", writer)
        rows.append((f"full export, {writer} only", figures, f"{figures['written']} artifacts"))

    one = _step("export", str(big), str(work / "jobs1"), "1", *writers)
    two = _step("export", str(big), str(work / "jobs2"), "2", *writers)
    speedup = one["seconds"] / two["seconds"]
    rows.append(("full export, all writers, --jobs 1", one, f"{one['written']} artifacts"))
    rows.append(("full export, all writers, --jobs 2", two, f"{speedup:.2f}x faster than 1"))
    same = _same_tree(work / "jobs1", work / "jobs2")
    rows[-1] = (
        rows[-1][0],
        two,
        rows[-1][2] + ("; identical output" if same else "; OUTPUT DIFFERS"),
    )

    noop = _step("export", str(big), str(work / "jobs2"), "2", *writers)
    share = 100 * noop["seconds"] / two["seconds"]
    rows.append(("no-op re-export", noop, f"{share:.1f}% of the full export"))

    article = next((big / "articles").glob("*.yaml"))
    text = article.read_text(encoding="utf-8")
    assert "Synthetic article" in text
    article.write_text(text.replace("Synthetic article", "Changed article", 1))
    changed = _step("export", str(big), str(work / "jobs2"), "2", *writers)
    rows.append(
        (
            "re-export after changing one article",
            changed,
            f"{changed['written']} re-rendered, {changed['skipped']} unchanged",
        ),
    )
    article.write_text(text.replace("Synthetic article", "Edited article", 1))
    only = [arg for writer in writers for arg in ("--only", writer)]
    out = work / "jobs2"
    cli = _step("cli", "export", "-c", str(big), "-e", str(EXPORTERS), "-o", str(out), *only)
    rows.append(("the same, `spikecontent export` (process start to exit)", cli, "default --jobs"))
    return rows


def _same_tree(one: Path, two: Path) -> bool:
    # Digests, not contents: holding two 300 MB trees here would raise this process's
    # size, which every later step (a child) would report as its own peak.
    def files(root: Path) -> dict[str, str]:
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*")
            if p.is_file() and "cache" not in p.relative_to(root).parts
        }

    return files(one) == files(two)


def _own_peak_kib() -> int:
    """This process's own peak resident size since it started (VmHWM). Linux's ru_maxrss
    also counts the parent's size when it forked the child that became this process."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
