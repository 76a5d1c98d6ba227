"""spikecontent beside its peers, on the same seed-sized corpus, in one run.

    python -m benchmarks.peers [--articles 1000] [--pelican 4.12.0]

- **spikecontent**: the benchmark corpus (``benchmarks/corpus.py``), exported through the
  non-PDF writers (json, jsonld, rss, macros, html) by ``spikecontent export --jobs 1``,
  from an empty output folder (cold: no load cache); then, likewise, through ``html`` and
  ``rss`` alone, the channels Pelican makes (web pages and feeds), for a like-for-like
  ratio. After the first export, each a new process (issue 44's targets): one article
  changed and exported, the no-op export and ``validate`` of the unchanged project, each
  as a share of Pelican's build.
- **Pelican**, installed by this benchmark into its own virtual environment (with
  ``markdown``), building the same number of Markdown pages made from the flagship
  article's prose (title, date, intro, sections, research summaries, FAQ and tips), with
  its RSS and Atom feeds.
- **Hugo**, when ``hugo`` is on PATH (Debian's package ``hugo``), building the same pages
  (HTML through minimal layouts, RSS and a JSON index); otherwise it is reported as not
  run.

Each tool's time is wall-clock for one build, from its process's start to its exit; ratios
are against spikecontent's. Peers are never committed or imported: they run as programs in
a temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import NamedTuple

import spikecontent
from benchmarks.corpus import generate
from spikecontent.richtext import to_plain_text

REPO = Path(__file__).resolve().parent.parent
WRITERS = ("json", "jsonld", "rss", "macros", "html")
SAME_AS_PELICAN = ("html", "rss")
"""The writers that make what Pelican makes: a page per article, and the site's feeds."""


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


class Built(NamedTuple):
    """One tool's build: its time, and the files and bytes it wrote."""

    seconds: float
    files: int
    megabytes: float

    @classmethod
    def of(cls, seconds: float, output: Path) -> Built:
        """The build that took ``seconds`` and wrote ``output`` (its links followed)."""
        found = [path for path in output.resolve().rglob("*") if path.is_file()]
        return cls(seconds, len(found), sum(p.stat().st_size for p in found) / 1e6)


def time_spikecontent(work: Path, count: int, writers: tuple[str, ...] = WRITERS) -> Built:
    """``spikecontent export`` of the corpus through ``writers``, timed as a whole process
    as the peers are (a new interpreter, so nothing an earlier build kept in memory
    helps), into an output folder of its own (so no load cache either)."""
    content = work / "spikecontent-content"
    if not content.is_dir():
        generate(content, count)
    out = work / f"spikecontent-{'-'.join(writers)}"
    command = [str(Path(sys.executable).parent / "spikecontent"), "export", "--jobs", "1"]
    command += ["-c", str(content), "-e", str(REPO / "exporters"), "-o", str(out)]
    command += [argument for writer in writers for argument in ("--only", writer)]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Built.of(time.perf_counter() - started, out)


def time_edits(work: Path, writers: tuple[str, ...] = WRITERS) -> dict[str, float]:
    """After :func:`time_spikecontent`, each a new process on its content and output (issue
    44): one article's title changed and exported, the no-op export, and ``validate`` of
    the unchanged project (run once before, as an editor's last save would have)."""
    content = work / "spikecontent-content"
    out = work / f"spikecontent-{'-'.join(writers)}"
    executable = str(Path(sys.executable).parent / "spikecontent")
    export = [executable, "export", "-c", str(content), "-e", str(REPO / "exporters")]
    export += ["-o", str(out), *(argument for writer in writers for argument in ("--only", writer))]
    validate = [executable, "validate", str(content), "-e", str(REPO / "exporters")]

    def timed(command: list[str]) -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started

    article = sorted((content / "articles").glob("*.yaml"))[0]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Synthetic article", "Changed article", 1), "utf-8")
    figures = {"one changed article, new process": timed(export)}
    figures["no-op export"] = timed(export)
    timed(validate)
    figures["validate, unchanged project"] = timed(validate)
    return figures


def time_pelican(work: Path, count: int, body: str, version: str) -> Built:
    environment = work / "pelican-venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"pelican=={version}", "markdown"],
        check=True,
    )
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
    started = time.perf_counter()
    subprocess.run(
        [
            str(environment / "bin" / "pelican"),
            "content",
            "-o",
            "output",
            "-s",
            "pelicanconf.py",
            "--quiet",
        ],
        cwd=site,
        check=True,
    )
    return Built.of(time.perf_counter() - started, site / "output")


def time_hugo(work: Path, count: int, body: str) -> Built | None:
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
    started = time.perf_counter()
    subprocess.run([hugo, "--quiet", "--destination", "public"], cwd=site, check=True)
    seconds = time.perf_counter() - started
    pages = list((site / "public" / "posts").glob("*/index.html"))
    assert len(pages) == count, f"Hugo wrote {len(pages)} pages, not {count}"
    return Built.of(seconds, site / "public")


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
    """Build the corpus with each tool and print the times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--pelican", default="4.12.0")
    options = parser.parse_args()
    body = page_body(spikecontent.load(REPO / "content"))
    work = Path(tempfile.mkdtemp(prefix="spikecontent-peers-"))
    try:
        ours = time_spikecontent(work, options.articles)
        edits = time_edits(work)
        # What Pelican makes, and no more: web pages and their feeds.
        same = time_spikecontent(work, options.articles, SAME_AS_PELICAN)
        pelican = time_pelican(work, options.articles, body, options.pelican)
        hugo = time_hugo(work, options.articles, body)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # Files written set the floor of what a build costs: creating one took 0.08-0.75 ms
    # on one machine, by what its disk had done just before (docs/performance.md).
    print(f"| tool ({options.articles} articles) | seconds | spikecontent / tool | files | MB |")
    print("|---|---:|---:|---:|---:|")
    rows = [(f"spikecontent, {', '.join(WRITERS)}, --jobs 1, cold", ours)]
    rows.append((f"spikecontent, {', '.join(SAME_AS_PELICAN)} only, --jobs 1, cold", same))
    rows.append((f"Pelican {options.pelican} (HTML, RSS, Atom)", pelican))
    if hugo is not None:
        rows.append(("Hugo (HTML, RSS, JSON)", hugo))
    for name, built in rows:
        ratio = ours.seconds / built.seconds
        print(
            f"| {name} | {built.seconds:.2f} | {ratio:.2f}x | {built.files:,}"
            f" | {built.megabytes:.1f} |"
        )
    if hugo is None:
        print("| Hugo | not run | `hugo` is not on PATH | | |")
    print()
    print(
        f"The same channels as Pelican ({', '.join(SAME_AS_PELICAN)}):"
        f" {same.seconds / pelican.seconds:.2f}x Pelican's time"
    )
    print()
    print("| spikecontent after that export | seconds | share of Pelican's build |")
    print("|---|---:|---:|")
    for step, seconds in edits.items():
        print(f"| {step} | {seconds:.2f} | {100 * seconds / pelican.seconds:.1f}% |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
