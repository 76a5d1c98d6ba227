"""The content-model reference documents every field of every entity."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import spikecontent.model as model
from tests.conftest import REPO

REFERENCE = (REPO / "docs" / "content-model.md").read_text(encoding="utf-8")
DOCUMENTED = [
    cls
    for name in model.__all__
    if isinstance(cls := getattr(model, name), type)
    and attrs.has(cls)
    # The library and its machinery are documented in docs/architecture.md.
    and name
    not in {
        "Collection",
        "EntryKey",
        "Library",
        "Problem",
        "ResolvedArticle",
        "ResolvedCitation",
        "ResolvedCredit",
    }
]


def section(title: str) -> str:
    match = re.search(rf"^#+ {title}\b.*?(?=^#+ |\Z)", REFERENCE, re.MULTILINE | re.DOTALL)
    assert match, f"docs/content-model.md has no section for {title}"
    return match.group(0)


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda cls: cls.__name__)
def test_every_field_is_documented(cls: type) -> None:
    text = section(cls.__name__)
    rows = set(re.findall(r"^\| `(\w+)` \|", text, re.MULTILINE))
    assert rows == {f.name for f in attrs.fields(cls) if f.init}


# The docs run as written (issue 45, item 7).

WRITING_A_WRITER = REPO / "docs" / "writing-a-writer.md"


def _blocks(path: Path, language: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def test_the_writer_in_the_guide_is_the_one_the_plugin_test_installs() -> None:
    """tests/test_plugin.py builds a wheel of the example writer and runs it through the
    CLI; the guide's code block is that file, so the guide's code is what runs."""
    [writer] = [b for b in _blocks(WRITING_A_WRITER, "python") if "class ShoutWriter" in b]
    path_line, _, code = writer.partition("\n")
    assert path_line == "# src/spikecontent_shout/__init__.py"
    fixture = REPO / "tests" / "fixtures" / "spikecontent-shout" / "src" / "spikecontent_shout"
    assert code == (fixture / "__init__.py").read_text(encoding="utf-8")


def test_the_guides_writer_list_is_what_spikecontent_writers_prints() -> None:
    from typer.testing import CliRunner

    from spikecontent.cli import app

    printed = CliRunner().invoke(app, ["writers"]).stdout.splitlines()
    [sample] = [b for b in _blocks(WRITING_A_WRITER, "console") if "spikecontent writers" in b]
    shown = [line for line in sample.splitlines()[1:] if not line.startswith("shout ")]
    assert shown == printed, "update docs/writing-a-writer.md's `spikecontent writers` sample"


@pytest.mark.slow
def test_the_readme_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    [example] = _blocks(REPO / "README.md", "python")
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "exporters", tmp_path / "exporters")
    monkeypatch.chdir(tmp_path)
    printed: list[str] = []
    exec(
        compile(example, "README.md", "exec"),
        {"print": lambda *a: printed.append(" ".join(map(str, a)))},
    )
    assert any("n = 42" in line for line in printed)  # the 2012 pilot, as the seed says
    assert any("n not reported" in line for line in printed)  # the 2024 study's n
    assert (tmp_path / "dist" / "manifest.json").exists()
