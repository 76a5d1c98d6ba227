"""``spikecontent export --watch`` on a large corpus: from a save to the line that says it
was written.

    python -m benchmarks.watch [--articles 1000] [--saves 3]

Starts the watch as an editor would (the CLI in its own process, the non-PDF profiles,
``--jobs 1``) on the benchmark corpus, waits for "watching", then saves one article
``--saves`` times, each time waiting for the run's line. The time is wall-clock from the
save (the file's write returning) to that line being read, so it includes the watcher's
debounce and the whole re-export.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import REPO, generate
from benchmarks.peers import WRITERS

SPIKECONTENT = Path(sys.executable).parent / "spikecontent"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="spikecontent-watch-") as work:
        content = generate(Path(work) / "content", options.articles)
        only = [arg for name in WRITERS for arg in ("--only", name)]
        command = [
            str(SPIKECONTENT),
            "export",
            "--watch",
            "--content",
            str(content),
            "--exporters",
            str(REPO / "exporters"),
            "--out",
            str(Path(work) / "dist"),
            "--jobs",
            "1",
            *only,
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=work)
        assert process.stdout is not None
        try:
            _wait_for(process, "watching")
            article = next((content / "articles").glob("*.yaml"))
            original = article.read_text(encoding="utf-8")
            seconds = []
            for number in range(options.saves):
                changed = original.replace("Synthetic article", f"Saved article {number}", 1)
                started = time.perf_counter()
                article.write_text(changed, encoding="utf-8")
                line = _wait_for(process, " written, ")
                seconds.append(time.perf_counter() - started)
                print(f"save {number + 1}: {seconds[-1]:.2f} s  ({line.strip()})")
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
    print(
        f"save to written, {options.articles} articles: median {statistics.median(seconds):.2f} s"
    )


def _wait_for(process: subprocess.Popen[str], needle: str) -> str:
    assert process.stdout is not None
    for line in process.stdout:
        if needle in line:
            return line
    raise RuntimeError(f"the watch ended before printing {needle!r}")


if __name__ == "__main__":
    main()
