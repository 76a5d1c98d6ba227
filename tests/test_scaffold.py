"""``spikecontent new``: skeletons that validate as they are, and whose placeholders can
never be published."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

import spikecontent
from spikecontent.cli import app
from tests.conftest import ARTICLE, REPO

runner = CliRunner()
KINDS = [
    ("article", "articles"),
    ("study", "studies"),
    ("caution", "cautions"),
    ("person", "people"),
]


def validate(content: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", str(content), "-e", str(REPO / "exporters")])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("kind", "folder"), KINDS)
def test_a_skeleton_validates_as_it_is_and_lists_what_to_fill_in(
    content_copy: Path, kind: str, folder: str
) -> None:
    result = runner.invoke(app, ["new", kind, "brand-new", "-c", str(content_copy)])
    assert result.exit_code == 0, result.output
    path = content_copy / folder / "brand-new.yaml"
    assert result.stdout.splitlines()[0] == f"wrote {path}"
    todo = result.stdout.splitlines()[2:]
    assert todo, "nothing to fill in"
    assert all(line.startswith(f"  {path}:") and "TODO" in line for line in todo)
    code, stderr = validate(content_copy)
    assert code == 0, stderr
    # Every placeholder is a warning at its line, so the editor finds each one.
    warned = {int(line.split(":")[1]) for line in stderr.splitlines() if str(path) in line}
    listed = {int(line.strip().split(":")[1]) for line in todo}
    assert warned == listed
    mine = [line for line in stderr.splitlines() if str(path) in line]
    assert all("warning structure.placeholder" in line for line in mine)


def test_an_article_skeleton_is_a_draft_with_the_title_given(content_copy: Path) -> None:
    title = "Mats: a first look"
    runner.invoke(app, ["new", "article", "first-look", "--title", title, "-c", str(content_copy)])
    text = (content_copy / "articles" / "first-look.yaml").read_text(encoding="utf-8")
    assert "status: draft" in text
    assert f'title: "{title}"' in text
    assert "disclaimer: wellness" in text  # a real disclaimer of this content


def test_placeholders_cannot_be_published(content_copy: Path) -> None:
    runner.invoke(app, ["new", "article", "first-look", "-c", str(content_copy)])
    runner.invoke(app, ["new", "study", "smith-2025", "-c", str(content_copy)])
    article = content_copy / "articles" / "first-look.yaml"
    article.write_text(
        article.read_text(encoding="utf-8").replace("status: draft", "status: published"),
        encoding="utf-8",
    )
    code, stderr = validate(content_copy)
    assert code == 1
    assert "first-look.yaml:9:14: error structure.placeholder: description:" in stderr
    # A skeleton study is only a warning until a published article cites it.
    assert "error structure.placeholder" not in "".join(
        line for line in stderr.splitlines() if "smith-2025" in line
    )
    flagship = content_copy / ARTICLE
    text = flagship.read_text(encoding="utf-8")
    assert "- study: kisker-2024" in text
    flagship.write_text(text.replace("- study: kisker-2024", "- study: smith-2025", 1), "utf-8")
    code, stderr = validate(content_copy)
    assert code == 1
    cited = [line for line in stderr.splitlines() if "smith-2025.yaml" in line]
    assert any("error structure.placeholder" in line for line in cited)


def test_a_taken_or_malformed_id_is_refused(content_copy: Path) -> None:
    taken = runner.invoke(app, ["new", "study", "hohmann-2012", "-c", str(content_copy)])
    assert taken.exit_code == 1
    assert "a study with id 'hohmann-2012' exists already" in taken.stderr
    malformed = runner.invoke(app, ["new", "caution", "Bad Id", "-c", str(content_copy)])
    assert malformed.exit_code == 1
    assert "'Bad Id' is not a valid id" in malformed.stderr
    unknown = runner.invoke(app, ["new", "recipe", "x", "-c", str(content_copy)])
    assert unknown.exit_code == 2


INJECTED = "x\nstatus: published\ninjected: true"
"""What `--title $'x\\nstatus: published'` carried into the header comment."""
BREAKS = ["\n", "\r", "\r\n", "\x85"]
"""Every character YAML ends a line at that a title may hold."""


def test_a_title_never_writes_a_key(content_copy: Path) -> None:
    """For every kind, and every line break YAML knows, the title stays a value: the file
    loads with the keys of a skeleton made without one, and the article is a draft."""
    yaml = YAML(typ="safe")
    for kind, folder in KINDS:
        plain = runner.invoke(app, ["new", kind, "plain", "-c", str(content_copy)])
        assert plain.exit_code == 0, plain.output
        keys = set(yaml.load(content_copy / folder / "plain.yaml"))
        for number, line_break in enumerate(BREAKS):
            title = INJECTED.replace("\n", line_break)
            ident = f"hostile-{number}"
            made = runner.invoke(
                app, ["new", kind, ident, "--title", title, "-c", str(content_copy)]
            )
            assert made.exit_code == 0, made.output
            written = yaml.load(content_copy / folder / f"{ident}.yaml")
            assert set(written) == keys, (kind, repr(line_break))
            if kind == "article":
                assert written["status"] == "draft"
                assert written["slug"] == ident
                assert written["title"] == title  # the title as given, line breaks and all
    library = spikecontent.load(content_copy)
    for number in range(len(BREAKS)):
        assert library.article(f"hostile-{number}").status.value == "draft"


@pytest.mark.parametrize("character", ["\u2028", "\u2029", "\x00", "\x1b", "\x7f"])
def test_a_title_the_content_could_not_hold_is_refused(content_copy: Path, character: str) -> None:
    title = f"x{character}status: published"
    made = runner.invoke(
        app, ["new", "article", "refused", "--title", title, "-c", str(content_copy)]
    )
    assert made.exit_code == 1
    assert f"--title: contains the control character U+{ord(character):04X} at position 2" in (
        made.stderr
    )
    assert not (content_copy / "articles" / "refused.yaml").exists()
