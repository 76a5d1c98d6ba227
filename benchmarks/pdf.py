"""The pdf writer's speed and memory targets, measured side by side in one run.

    python -m benchmarks.pdf [--renders 300] [--batch 40]

1. Overhead: rendering a leaflet through the writer against rendering the same final
   HTML and CSS with bare WeasyPrint (same fonts, same asset fetcher), interleaved.
2. Memory: resident memory after a warm-up, and after ``--renders`` more leaflets.
3. Processes: exporting a batch of leaflets with ``--jobs 1``, ``--jobs 2`` and on a
   two-worker Dask LocalCluster (``--executor dask://``, same bytes), beside
   the most two processes gain on this machine for pure CPU work.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import spikecontent
from benchmarks.corpus import generate
from spikecontent.model import ARTICLES
from spikecontent.sdk import Artifact, WriterContext
from spikecontent.sdk.templates import Templates

SLUG = "acupressure-mat-benefits"


def _context(library: spikecontent.Library) -> WriterContext[Any]:
    from spikecontent.writers.pdf import PdfOptions, PdfWriter

    return WriterContext(
        library=library,
        articles=library.articles,
        options=PdfOptions(),
        templates=Templates(package=PdfWriter.templates),
        profile="pdf",
    )


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def overhead(library: spikecontent.Library, rounds: int) -> tuple[float, float]:
    """Median seconds per leaflet: through the writer, and bare WeasyPrint on its output."""
    from weasyprint import CSS, HTML

    from spikecontent.writers.pdf import PdfWriter
    from spikecontent.writers.pdf.engine import font_configuration
    from spikecontent.writers.pdf.fetcher import AssetFetcher

    context = _context(library)
    writer = PdfWriter(context)
    artifact = Artifact(path=f"{SLUG}.pdf", entries=(ARTICLES.key(SLUG),), subject=SLUG)
    leaflet = writer.leaflet_input(artifact)
    fonts = font_configuration()
    through, bare = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        writer.render(artifact)
        through.append(time.perf_counter() - started)
        started = time.perf_counter()
        fetcher = AssetFetcher(leaflet.assets)
        stylesheet = CSS(string=leaflet.css, url_fetcher=fetcher, font_config=fonts)
        HTML(string=leaflet.html, url_fetcher=fetcher, base_url="asset:").write_pdf(
            stylesheets=[stylesheet], font_config=fonts, pdf_variant=leaflet.variant
        )
        bare.append(time.perf_counter() - started)
    return statistics.median(through), statistics.median(bare)


def memory(library: spikecontent.Library, renders: int) -> tuple[float, float]:
    """Resident MiB after 20 warm-up renders, and after ``renders`` more."""
    from spikecontent.writers.pdf import PdfWriter

    context = _context(library)
    writer = PdfWriter(context)
    artifact = Artifact(path=f"{SLUG}.pdf", entries=(ARTICLES.key(SLUG),), subject=SLUG)
    for _ in range(20):
        writer.render(artifact)
    before = _rss_mib()
    for _ in range(renders):
        writer.render(artifact)
    return before, _rss_mib()


def processes(work: Path, batch: int) -> dict[str, float]:
    """Seconds to export ``batch`` leaflets with one and with two worker processes, and on
    a two-worker Dask LocalCluster (when distributed is installed), side by side; every
    output is checked to be the bytes of ``--jobs 1``."""
    content = generate(work / "content", batch)
    exporters = work / "exporters"
    exporters.mkdir()
    (exporters / "pdf.toml").write_text('writer = "pdf"\n')
    runs: dict[str, dict[str, object]] = {"--jobs 1": {"jobs": 1}, "--jobs 2": {"jobs": 2}}
    cluster = None
    try:
        import distributed

        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        address = cluster.scheduler_address.removeprefix("tcp://")
        runs["Dask LocalCluster, 2 workers"] = {"executor": f"dask://{address}"}
    except ImportError:
        pass
    seconds: dict[str, float] = {}
    outputs: dict[str, dict[str, bytes]] = {}
    try:
        for number, (name, options) in enumerate(runs.items()):
            out = work / f"out{number}"
            started = time.perf_counter()
            report = spikecontent.export(
                content,
                exporters=exporters,
                out=out,
                only=["pdf"],
                **options,  # type: ignore[arg-type]
            )
            seconds[name] = time.perf_counter() - started
            assert report.ok, report.failed
            assert len(report.written) == batch, report.written
            outputs[name] = {p.name: p.read_bytes() for p in (out / "pdf").glob("*.pdf")}
    finally:
        if cluster is not None:
            cluster.close()
    first = next(iter(outputs.values()))
    assert all(output == first for output in outputs.values()), "outputs differ"
    return seconds


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def ceiling(loops: int = 30_000_000) -> float:
    """How much faster two processes do pure CPU work than one, on this machine: the most
    that two workers could gain (virtual CPUs that share a core give less than 2x)."""
    started = time.perf_counter()
    _spin(loops)
    _spin(loops)
    one = time.perf_counter() - started
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_spin, [loops, loops])
    return one / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=300)
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    library = spikecontent.load(Path(__file__).resolve().parent.parent / "content")
    through, bare = overhead(library, options.rounds)
    before, after = memory(library, options.renders)
    work = Path(tempfile.mkdtemp(prefix="spikecontent-pdf-bench-"))
    try:
        runs = processes(work, options.batch)
        limit = ceiling()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| measure | figure | target |")
    print("|---|---:|---|")
    print(f"| leaflet through the writer (median) | {through * 1000:.0f} ms | |")
    print(f"| same HTML, bare WeasyPrint (median) | {bare * 1000:.0f} ms | |")
    print(f"| writer / bare | {through / bare:.2f}x | at most 1.10x |")
    print(f"| resident memory after 20 renders | {before:.1f} MiB | |")
    grown = f"{after:.1f} MiB ({after - before:+.1f})"
    print(f"| ... after {options.renders} more | {grown} | within 10 MB |")
    one = runs["--jobs 1"]
    for name, taken in runs.items():
        rate = options.batch / taken
        target = "at least 1.8x" if name == "--jobs 2" else ""
        print(
            f"| {options.batch} leaflets, {name} | {taken:.1f} s, {rate:.2f} leaflets/s"
            f" ({one / taken:.2f}x) | {target} |"
        )
    print(f"| pure CPU work, 2 processes against 1 (this machine's ceiling) | {limit:.2f}x | |")


if __name__ == "__main__":
    main()
