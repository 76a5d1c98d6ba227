"""``spikecontent export --watch``: a save re-exports, one line per run; a save that breaks
the content says what is wrong and leaves the last good output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTICLE, REPO, SLUG

SPIKECONTENT = Path(sys.executable).parent / "spikecontent"


class Lines:
    """Every line a process prints, collected in the background."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.changed = threading.Condition()
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_for(self, words: str, *, after: int = 0, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines[after:]:
                    if words in line:
                        return line
                left = deadline - time.monotonic()
                assert left > 0, f"no line with {words!r}: {self.lines}"
                self.changed.wait(left)


@pytest.fixture
def watching(content_copy: Path, tmp_path: Path) -> Iterator[tuple[Lines, Path]]:
    out = tmp_path / "dist"
    command = [
        str(SPIKECONTENT),
        "export",
        "--watch",
        "--content",
        str(content_copy),
        "--exporters",
        str(REPO / "exporters"),
        "--out",
        str(out),
        "--only",
        "json",
        "--only",
        "macros",
        "--jobs",
        "1",
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # On a hang, SIGABRT makes faulthandler print where every thread is.
        env={**os.environ, "COLUMNS": "200", "PYTHONFAULTHANDLER": "1"},
    )
    lines = Lines(process)
    try:
        lines.wait_for("watching")
        yield lines, out
        # Ctrl-C stops the watch even when it lands during a re-export.
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=10)
            time.sleep(0.5)  # let the reader take the last lines
            pytest.fail("Ctrl-C did not stop the watch:\n" + "\n".join(lines.lines))
        assert code == 0, lines.lines
        assert "stopped watching" in lines.wait_for("stopped watching")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def save(content: Path, old: str, new: str) -> None:
    path = content / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_exports_again_and_a_broken_one_keeps_the_output(
    watching: tuple[Lines, Path], content_copy: Path
) -> None:
    lines, out = watching
    document = out / "json" / "articles" / f"{SLUG}.json"
    assert "It depends what you mean by work." in document.read_text(encoding="utf-8")
    seen = len(lines.lines)
    save(content_copy, "It depends what you mean by work.", "It depends on what you mean.")
    line = lines.wait_for(" -> ", after=seen)
    assert line.startswith(f"{Path(ARTICLE).name}: ")
    assert " written, " in line
    # The seed's warnings were printed once, at the start; this run prints only those
    # that are new (the edit moved one) and counts the others.
    started = lines.lines[:seen]
    warnings = [text for text in started if ": warning " in text or ": warning:" in text]
    assert len(warnings) > 2
    run = lines.lines[seen : lines.lines.index(line)]
    assert not set(run) & set(warnings)
    [count] = [text for text in run if text.endswith(" as before")]
    # Lint's warnings ("file:line:col: warning rule:") and writers' ("artifact: warning:"):
    # the edit changes the length of the FAQ reply it is in, so that warning is new too.
    moved = [text for text in run if ": warning " in text or ": warning:" in text]
    assert count == f"{len(warnings) - len(moved)} warnings as before"
    assert len(moved) < len(warnings)
    assert "It depends on what you mean." in document.read_text(encoding="utf-8")
    before = document.read_bytes()
    seen = len(lines.lines)
    save(content_copy, "status: published", "status: publishd")
    lines.wait_for("status", after=seen)
    lines.wait_for("nothing was exported", after=seen)
    assert document.read_bytes() == before
    seen = len(lines.lines)
    save(content_copy, "status: publishd", "status: published")
    assert " written, " in lines.wait_for(" -> ", after=seen)


def test_temporary_files_that_come_and_go_are_not_saves(
    watching: tuple[Lines, Path], content_copy: Path
) -> None:
    """vim makes and removes a file called 4913 before it writes; sed -i writes a
    temporary file and renames it over the one it edits. Neither is a save of its own."""
    lines, out = watching
    seen = len(lines.lines)
    probe = content_copy / Path(ARTICLE).parent / "4913"
    probe.write_text("")
    probe.unlink()
    time.sleep(0.5)  # past the watch's debounce: a batch of its own
    article = content_copy / ARTICLE
    text = article.read_text(encoding="utf-8")
    temporary = article.parent / "sedAbC123"
    temporary.write_text(text.replace("It depends what you mean", "It depends on what you mean"))
    os.replace(temporary, article)
    line = lines.wait_for(" -> ", after=seen)
    assert line.startswith(f"{Path(ARTICLE).name}: "), line
    runs = [text for text in lines.lines[seen:] if " -> " in text]
    assert runs == [line]
    document = out / "json" / "articles" / f"{SLUG}.json"
    assert "It depends on what you mean" in document.read_text(encoding="utf-8")


def test_ctrl_c_ends_the_watch_even_when_its_interrupt_is_swallowed(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python drops a KeyboardInterrupt raised inside a finalizer; so may careless code.
    Here the first export swallows the Ctrl-C that lands in it: the watch must still end
    (without the stop flag it would watch until killed)."""
    from typer.testing import CliRunner

    import spikecontent.pipeline
    from spikecontent.cli import app

    real_export = spikecontent.pipeline.export
    swallowed: list[bool] = []

    def export_swallowing_ctrl_c(*args: object, **kwargs: object) -> object:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the handler runs in here
        except KeyboardInterrupt:
            swallowed.append(True)
        return real_export(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(spikecontent.pipeline, "export", export_swallowing_ctrl_c)
    # Should the watch not end, a second Ctrl-C ends it, and the test fails.
    rescued: list[bool] = []

    def rescue_the_test() -> None:
        rescued.append(True)
        os.kill(os.getpid(), signal.SIGINT)

    rescue = threading.Timer(20, rescue_the_test)
    rescue.start()
    try:
        result = CliRunner().invoke(
            app,
            [
                *("export", "--watch", "--content", str(content_copy)),
                *("--out", str(tmp_path / "dist"), "--exporters", str(REPO / "exporters")),
                *("--only", "json", "--jobs", "1"),
            ],
        )
    finally:
        rescue.cancel()
    assert swallowed == [True]
    assert not rescued, "the watch went on after Ctrl-C"
    assert result.exit_code == 0, result.output
    assert "stopped watching" in result.output
    assert (tmp_path / "dist" / "json" / "articles" / f"{SLUG}.json").is_file()
