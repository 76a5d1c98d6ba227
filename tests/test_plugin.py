"""A writer from another distribution plugs in through its entry point, like the built-ins.

The test builds a real wheel of ``tests/fixtures/spikecontent-shout`` (zipfile, no build
backend, so no network), installs it with pip into a private folder, and runs the
``spikecontent`` CLI in a fresh interpreter that sees that folder.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from spikecontent.writers.json_delivery import JsonWriter
from tests.conftest import REPO, Project

PLUGIN = REPO / "tests" / "fixtures" / "spikecontent-shout"
DIST_INFO = "spikecontent_shout-0.1.0.dist-info"


def build_wheel(folder: Path) -> Path:
    """A wheel of the fixture: its package, metadata and entry points, with a RECORD."""
    files: dict[str, bytes] = {}
    package = PLUGIN / "src"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files[path.relative_to(package).as_posix()] = path.read_bytes()
    files[f"{DIST_INFO}/METADATA"] = (
        b"Metadata-Version: 2.1\nName: spikecontent-shout\nVersion: 0.1.0\n"
        b"Requires-Dist: spikecontent\n"
    )
    files[f"{DIST_INFO}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: spikecontent-tests\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    files[f"{DIST_INFO}/entry_points.txt"] = (
        b"[spikecontent.writers]\nshout = spikecontent_shout:ShoutWriter\n"
    )
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in sorted(files.items())]
    files[f"{DIST_INFO}/RECORD"] = ("\n".join([*record, f"{DIST_INFO}/RECORD,,"]) + "\n").encode()
    wheel = folder / "spikecontent_shout-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plugin")
    target = folder / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(build_wheel(folder)),
        ],
        check=True,
    )
    return target


def spikecontent(plugin_path: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(plugin_path)}
    return subprocess.run(
        [sys.executable, "-m", "spikecontent", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_the_installed_writer_is_listed_with_its_distribution(plugin_path: Path) -> None:
    result = spikecontent(plugin_path, "writers", cwd=REPO)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "shout  1.0  spikecontent-shout 0.1.0  Each article's title and FAQ questions, in capitals"
        in lines
    )
    assert any(line.startswith(f"json  {JsonWriter.version}  spikecontent ") for line in lines)


def test_the_installed_writer_exports_with_its_profile_and_overrides(
    plugin_path: Path, tmp_path: Path
) -> None:
    project = Project(tmp_path).without_profiles()
    project.profile("loud", 'writer = "shout"\n[options]\nmarks = 3\n')
    exporters = project.exporters
    (exporters / "loud").mkdir()
    (exporters / "loud" / "header.txt").write_text("OVERRIDDEN HEADER\n")

    result = spikecontent(plugin_path, "export", "--jobs", "2", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "dist" / "loud" / "acupressure-mat-benefits.txt").read_text().splitlines()
    assert lines[:2] == [
        "OVERRIDDEN HEADER",
        "ACUPRESSURE MAT BENEFITS: WHAT THE RESEARCH REALLY SAYS!!!",
    ]
    assert lines[2:] == [
        "DO ACUPRESSURE MATS WORK?!!!",
        "WHAT ARE THE MAIN BENEFITS PEOPLE REPORT FROM ACUPRESSURE MATS?!!!",
        "CAN AN ACUPRESSURE MAT HELP WITH SLEEP?!!!",
        "WHO SHOULD NOT USE AN ACUPRESSURE MAT?!!!",
    ]
    # json has no profile here, so it runs with its defaults beside the plugin.
    assert (tmp_path / "dist" / "json" / "index.json").is_file()


def test_a_profile_naming_a_missing_writer_suggests_the_plugin(
    plugin_path: Path, tmp_path: Path
) -> None:
    Project(tmp_path).without_profiles().profile("loud", 'writer = "shuot"\n')

    result = spikecontent(plugin_path, "export", cwd=tmp_path)

    assert result.returncode == 1
    assert (
        "exporters/loud.toml:1:10: writer: unknown writer 'shuot' (fix: did you mean 'shout'?)"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()
