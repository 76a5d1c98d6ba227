"""The Nu HTML Checker (vnu.jar, from npm's ``vnu-jar``; ``./run.sh test`` installs it in
``.venv/tools``), run by Java on files or on a fragment, errors only."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import REPO

JAR = Path(
    os.environ.get(
        "SPIKECONTENT_VNU_JAR",
        REPO / ".venv" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
    )
)
JAVA = shutil.which("java")

NEEDS_VNU = pytest.mark.skipif(
    JAVA is None or not JAR.is_file(),
    reason="the Nu HTML Checker needs java (default-jre-headless) and vnu.jar (./run.sh test)",
)

# A check is over in seconds: the JIT's first tier only and one garbage collector thread
# halve the checker's CPU time (its reports are the same). The first tier's frames are
# larger: the schema's recursion then needs more than the default 1 MB of stack.
_QUICK_START = ("-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def vnu_errors(files: Sequence[Path]) -> list[str]:
    """Every error the checker reports in ``files`` (as HTML, whatever their names), one
    line each as ``"file":line.col: error: message``."""
    assert JAVA is not None
    checker = [JAVA, *_QUICK_START, "-jar", str(JAR), "--errors-only", "--format", "gnu"]
    done = subprocess.run(
        [*checker, "--html", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == (1 if errors else 0), done.stderr
    return errors


def vnu_fragment_errors(fragment: str, folder: Path, *, where: str = "head") -> list[str]:
    """The errors in ``fragment`` placed where it belongs (``head`` or ``body``) in the
    smallest valid document."""
    head, body = (fragment, "") if where == "head" else ("", fragment)
    page = folder / "fragment.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>fragment</title>'
        f"{head}</head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return vnu_errors([page])
