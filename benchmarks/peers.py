"""spikecontent beside its peers, on the same seed-sized corpus, at each size, in one run.

    python -m benchmarks.peers [--sizes 1000,10000 | --articles N ...] [--pelican 4.12.0]
                               [--same-as-pelican]

At each size (1,000 and 10,000 articles unless told; ``--articles`` may repeat), every
step a new process, timed from its start to its exit, with its peak memory (its maximum
resident set, by GNU ``time`` when present, see :func:`measured`):

- **spikecontent** on the benchmark corpus (``benchmarks/corpus.py``): the full export
  of every non-PDF channel (json, jsonld, rss, macros, html, media) by ``spikecontent
  export --jobs 1`` into an empty output folder (cold: no load cache, no build state);
  then, on that output, one article's title changed and exported, the no-op export,
  ``validate`` cold (the project's first: nothing of it in the user's cache) and
  ``validate`` of the unchanged project. With ``--same-as-pelican``, also a cold export
  through ``html`` and ``rss`` alone, the channels Pelican makes.
- **Pelican**, installed by this benchmark into its own virtual environment (with
  ``markdown``), building the same number of Markdown pages made from the flagship
  article's prose (title, date, intro, sections, research summaries, FAQ and tips), with
  its RSS and Atom feeds.
- **Hugo**, when ``hugo`` is on PATH (Debian's package ``hugo``), building the same pages
  (HTML through minimal layouts, RSS and a JSON index); otherwise it is reported as not
  run.

Every figure is also a share of Pelican's build of the same size, and the run ends with
issue 44's targets, each with its figure and whether it is met. Peers are never committed
or imported: they run as programs in a temporary folder. A step that fails stops the run
with the end of its standard error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import spikecontent
from benchmarks.corpus import REPO, compile_once, generate
from spikecontent.richtext import to_plain_text

SIZES = (1000, 10_000)
WRITERS = ("json", "jsonld", "rss", "macros", "html")
"""The non-PDF writers that write for this corpus (benchmarks/watch.py exports these)."""
CHANNELS = (*WRITERS, "media")
"""Every non-PDF channel (``media`` writes nothing for this corpus, but it runs)."""
SAME_AS_PELICAN = ("html", "rss")
"""The channels that make what Pelican makes: a page per article, and the site's feeds."""
EXPORTERS = REPO / "exporters"

FULL = "spikecontent: full export, every non-PDF channel, --jobs 1, cold"
CHANGE = "spikecontent: one changed article, new process"
NO_OP = "spikecontent: no-op export"
VALIDATE_COLD = "spikecontent: validate, cold"
VALIDATE_UNCHANGED = "spikecontent: validate, unchanged project"
SAME = "spikecontent: html and rss only, --jobs 1, cold"
PELICAN = "Pelican (HTML, RSS, Atom)"
HUGO = "Hugo (HTML, RSS, JSON index)"
OURS = (FULL, CHANGE, NO_OP, VALIDATE_COLD, VALIDATE_UNCHANGED, SAME)

PEAK_MIB = {1000: 400.0, 10_000: 2048.0}
"""Issue 44's peak memory targets, by corpus size."""


def page_body(library: spikecontent.Library) -> str:
    """The flagship's prose as one Markdown page body (links as plain text)."""
    article = library.article("acupressure-mat-benefits")

    def plain(text: object) -> str:
        return to_plain_text(text, lambda href: "") if text is not None else ""  # type: ignore[arg-type]

    parts = [plain(article.intro)]
    for section in article.sections:
        parts += [f"## {section.heading}", plain(section.body)]
    if article.research:
        parts.append(f"## {article.research.heading}")
        parts += [plain(c.summary) for c in article.research.citations]
    for extra in (article.user_reports, article.sleep, article.honesty_note):
        if extra:
            parts += [f"## {extra.heading}", plain(extra.body)]
    if article.tips:
        parts.append(f"## {article.tips.heading}")
        parts += [f"- **{t.title}** {plain(t.body)}" for t in article.tips.items]
    if article.faq:
        parts.append(f"## {article.faq.heading}")
        for entry in article.faq.items:
            parts += [f"### {entry.question}", plain(entry.answer)]
    return "\n\n".join(parts)


def markdown_pages(folder: Path, count: int, body: str, front: str) -> None:
    """``count`` pages in ``folder``; ``front`` formats each page's metadata."""
    folder.mkdir(parents=True)
    for number in range(1, count + 1):
        day = f"2026-{(number % 12) + 1:02d}-{(number % 28) + 1:02d}"
        text = front.format(number=number, day=day) + body + "\n"
        (folder / f"synthetic-article-{number:05d}.md").write_text(text, encoding="utf-8")


class Measured(NamedTuple):
    """One process: its wall-clock time and peak memory, and the files it wrote."""

    seconds: float
    peak_mib: float
    files: int = 0
    megabytes: float = 0.0

    def wrote(self, output: Path) -> Measured:
        """This run, with the files and bytes under ``output`` (its links followed)."""
        found = [path for path in output.resolve().rglob("*") if path.is_file()]
        megabytes = sum(path.stat().st_size for path in found) / 1e6
        return self._replace(files=len(found), megabytes=megabytes)


TIME = Path("/usr/bin/time")
"""GNU time: its child is forked from it, a small process, so the child's peak is its own."""


def measured(command: Sequence[str], cwd: Path | None = None) -> Measured:
    """Run ``command`` to its exit; its time and its peak resident memory.

    A child's ``ru_maxrss`` counts the image it was forked from until its ``exec``: a
    child of this process would report at least this process's peak. Through
    :data:`TIME`, when present, the figure is the command's own; without it, ``wait4``'s
    figure is the child's, floored at this process's peak (``RUSAGE_CHILDREN`` would
    also keep the largest of all children so far)."""
    with tempfile.TemporaryDirectory() as folder:
        errors_path, peak_path = Path(folder) / "errors", Path(folder) / "peak"
        timed = [str(TIME), "-f", "%M", "-o", str(peak_path), *command]
        with errors_path.open("wb") as errors:
            started = time.perf_counter()
            process = subprocess.Popen(
                timed if TIME.exists() else command,
                cwd=cwd,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            tail = errors_path.read_text(encoding="utf-8", errors="replace")[-4000:]
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
        # Both in KiB on Linux; GNU time's last line is its figure.
        kib = int(peak_path.read_text().split()[-1]) if TIME.exists() else usage.ru_maxrss
    return Measured(seconds, kib / 1024)


def sizes(arguments: Sequence[str] | None = None) -> tuple[tuple[int, ...], argparse.Namespace]:
    """The corpus sizes asked for (``--sizes 1000,10000`` and any ``--articles N``, each
    once, smallest first; :data:`SIZES` when neither is given) and the other options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, action="append", default=[], metavar="N")
    parser.add_argument("--sizes", default="", help="sizes separated by commas")
    parser.add_argument("--pelican", default="4.12.0")
    parser.add_argument(
        "--same-as-pelican", action="store_true", help="also export html and rss alone"
    )
    options = parser.parse_args(arguments)
    chosen = set(options.articles)
    chosen |= {int(size) for size in options.sizes.replace(" ", "").split(",") if size}
    if any(size < 1 for size in chosen):
        parser.error("a corpus has at least one article")
    return tuple(sorted(chosen)) or SIZES, options


def spikecontent_steps(work: Path, size: int, same_as_pelican: bool) -> dict[str, Measured]:
    """Every spikecontent step at ``size`` articles, each a new process (see the module)."""
    content = generate(work / "content", size)
    executable = str(Path(sys.executable).parent / "spikecontent")

    def export(out: Path, channels: Sequence[str], *extra: str) -> list[str]:
        command = [executable, "export", "-c", str(content), "-e", str(EXPORTERS)]
        return [*command, "-o", str(out), *extra, *(f"--only={name}" for name in channels)]

    out = work / "out"
    figures = {FULL: measured(export(out, CHANNELS, "--jobs", "1")).wrote(out)}
    article = content / "articles" / "synthetic-article-00001.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Synthetic article", "Changed article", 1), "utf-8")
    figures[CHANGE] = measured(export(out, CHANNELS))
    figures[NO_OP] = measured(export(out, CHANNELS))
    validate = [executable, "validate", str(content), "-e", str(EXPORTERS)]
    figures[VALIDATE_COLD] = measured(validate)
    figures[VALIDATE_UNCHANGED] = measured(validate)
    if same_as_pelican:
        same = work / "out-same"
        figures[SAME] = measured(export(same, SAME_AS_PELICAN, "--jobs", "1")).wrote(same)
    return figures


def pelican_environment(work: Path, version: str) -> Path:
    """A virtual environment with Pelican ``version`` and ``markdown``; its ``pelican``."""
    environment = work / "pelican-venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", f"pelican=={version}", "markdown"]
    installed = subprocess.run(install, capture_output=True, text=True, check=False)
    if installed.returncode != 0:
        raise RuntimeError(
            f"{' '.join(install)} exited {installed.returncode}:\n{installed.stderr}"
        )
    return environment / "bin" / "pelican"


def time_pelican(work: Path, count: int, body: str, pelican: Path) -> Measured:
    site = work / "pelican"
    front = (
        "Title: Synthetic article {number}\nDate: {day}\nSlug: synthetic-article-{number:05d}\n\n"
    )
    markdown_pages(site / "content", count, body, front)
    (site / "pelicanconf.py").write_text(
        "SITENAME = 'SpikeRest'\nSITEURL = 'https://www.spikerest.example'\n"
        "TIMEZONE = 'America/New_York'\nDEFAULT_LANG = 'en'\n"
        "FEED_DOMAIN = SITEURL\nFEED_ALL_ATOM = 'feeds/all.atom.xml'\n"
        "FEED_ALL_RSS = 'feeds/all.rss.xml'\nDEFAULT_PAGINATION = False\n",
        encoding="utf-8",
    )
    command = [str(pelican), "content", "-o", "output", "-s", "pelicanconf.py", "--quiet"]
    return measured(command, cwd=site).wrote(site / "output")


def time_hugo(work: Path, count: int, body: str) -> Measured | None:
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    site = work / "hugo"
    front = '---\ntitle: "Synthetic article {number}"\ndate: {day}\n---\n\n'
    markdown_pages(site / "content" / "posts", count, body, front)
    (site / "hugo.toml").write_text(
        # Pages dated after today are drafts to Hugo, not to Pelican: build them all.
        "baseURL = 'https://www.spikerest.example/'\ntitle = 'SpikeRest'\nbuildFuture = true\n"
        "[outputs]\nhome = ['HTML', 'RSS', 'JSON']\nsection = ['HTML', 'RSS']\n",
        encoding="utf-8",
    )
    # Hugo ships no theme: without layouts it writes no page at all (and says so), which
    # would time nothing. These give every page its HTML, as Pelican's theme does.
    for name, text in _HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    built = measured([hugo, "--quiet", "--destination", "public"], cwd=site)
    pages = list((site / "public" / "posts").glob("*/index.html"))
    assert len(pages) == count, f"Hugo wrote {len(pages)} pages, not {count}"
    return built.wrote(site / "public")


class Target(NamedTuple):
    """One of issue 44's targets at one size: what it asks, the figure, and whether met."""

    name: str
    figure: str
    met: bool


def targets(figures: Mapping[int, Mapping[str, Measured]]) -> list[Target]:
    """Issue 44's targets, for the sizes in ``figures`` (each with Pelican's build): the
    one-change share at 1,000 articles, and at each larger size against the smallest."""
    found: list[Target] = []
    smallest = min(figures)
    for size, steps in sorted(figures.items()):
        if size == 1000:
            found.append(_share(steps, CHANGE, size, 0.10))
        if size > smallest:
            value = steps[CHANGE].seconds / figures[smallest][CHANGE].seconds
            name = f"one changed article, {size:,}: at most 1.5x its {smallest:,}-article time"
            found.append(Target(name, f"{value:.2f}x", value <= 1.5))
        value = steps[FULL].seconds / steps[PELICAN].seconds
        name = f"full export, cold, {size:,}: at most 1.0x Pelican"
        found.append(Target(name, f"{value:.2f}x", value <= 1.0))
        if size in PEAK_MIB:
            peak = max(value.peak_mib for step, value in steps.items() if step in OURS)
            name = f"peak memory, {size:,}: at most {PEAK_MIB[size]:,.0f} MiB"
            found.append(Target(name, f"{peak:,.0f} MiB", peak <= PEAK_MIB[size]))
        found.append(_share(steps, VALIDATE_UNCHANGED, size, 0.05))
        found.append(_share(steps, VALIDATE_COLD, size, 0.25))
    return found


def _share(steps: Mapping[str, Measured], step: str, size: int, most: float) -> Target:
    value = steps[step].seconds / steps[PELICAN].seconds
    name = f"{step.removeprefix('spikecontent: ')}, {size:,}: at most {most:.0%} of Pelican"
    return Target(name, f"{value:.1%}", value <= most)


_HUGO_LAYOUTS = {
    "_default/single.html": (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}'
        "</title></head><body><article><h1>{{ .Title }}</h1>"
        '<time>{{ .Date.Format "2006-01-02" }}</time>{{ .Content }}</article></body></html>\n'
    ),
    "_default/list.html": (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}'
        "</title></head><body><ul>{{ range .Pages }}"
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n'
    ),
    "index.json": (
        "{{ $pages := slice }}{{ range .Site.RegularPages }}"
        '{{ $pages = $pages | append (dict "title" .Title "url" .Permalink) }}{{ end }}'
        "{{ jsonify $pages }}\n"
    ),
}


def main() -> None:
    """Build the corpus at each size with each tool; print the figures and the targets."""
    chosen, options = sizes()
    body = page_body(spikecontent.load(REPO / "content"))
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    source = Path(spikecontent.__file__).parent
    if source.is_relative_to(REPO / "src"):
        print(f"spikecontent from this checkout, {commit or 'commit unknown'} (and its changes)")
    else:
        print(f"spikecontent from {source}; the benchmark from this checkout, {commit}")
    print(f"sizes {', '.join(f'{size:,}' for size in chosen)}")
    # Every step runs from bytecode compiled once, as an installed package does (Pelican's
    # is, by pip).
    compile_once(source)
    figures: dict[int, dict[str, Measured]] = {}
    work = Path(tempfile.mkdtemp(prefix="spikecontent-peers-"))
    try:
        pelican = pelican_environment(work, options.pelican)
        for size in chosen:
            folder = work / str(size)
            load = os.getloadavg()
            figures[size] = spikecontent_steps(folder, size, options.same_as_pelican)
            figures[size][PELICAN] = time_pelican(folder, size, body, pelican)
            hugo = time_hugo(folder, size, body)
            if hugo is not None:
                figures[size][HUGO] = hugo
            after = os.getloadavg()
            print(
                f"\n{size:,} articles done; load average {load[0]:.2f}, {load[1]:.2f}"
                f" before, {after[0]:.2f}, {after[1]:.2f} after\n",
                flush=True,
            )
            # Each size's figures as soon as they are known: a run cut short keeps them.
            print_figures(figures, options.pelican)
        print()
        print("| target (issue 44) | figure | met |")
        print("|---|---:|---|")
        for target in targets(figures):
            print(f"| {target.name} | {target.figure} | {'yes' if target.met else 'no'} |")
        sys.stdout.flush()
    finally:
        # Removing a 10,000-article run's output takes minutes: after the figures.
        shutil.rmtree(work, ignore_errors=True)


def print_figures(figures: Mapping[int, Mapping[str, Measured]], pelican: str) -> None:
    """One row per step, for each size: seconds, share of Pelican's build, peak MiB,
    and what the builds wrote."""
    order = [*OURS, PELICAN, HUGO]
    heads = "".join(f" {size:,}: s | x Pelican | peak MiB |" for size in figures)
    print(f"| step |{heads}")
    print("|---|" + "---:|---:|---:|" * len(figures))
    for step in order:
        if not any(step in steps for steps in figures.values()):
            if step == HUGO:
                print(f"| {HUGO} | not run: `hugo` is not on PATH |")
            continue
        name = step.replace("Pelican", f"Pelican {pelican}", 1)
        cells = ""
        for steps in figures.values():
            if step not in steps:
                cells += " | | |"
                continue
            value = steps[step]
            ratio = value.seconds / steps[PELICAN].seconds
            cells += f" {value.seconds:.2f} | {ratio:.3f} | {value.peak_mib:,.0f} |"
        print(f"| {name} |{cells}")
    print()
    print("| build | articles | files | MB |")
    print("|---|---:|---:|---:|")
    for size, steps in figures.items():
        for step, value in steps.items():
            if value.files:
                print(f"| {step} | {size:,} | {value.files:,} | {value.megabytes:.1f} |")


if __name__ == "__main__":
    main()
