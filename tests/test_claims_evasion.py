"""What is read is what is published: a claim hidden by invisible characters, look-alike
letters, entities or emphasis is caught in a real article, by ``validate`` and by
``export``, at its line (issue 37, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spikecontent import ContentError
from spikecontent.cli import app
from spikecontent.readable import disguise, readable
from tests.conftest import ARTICLE, Project

SENTENCE = "It depends what you mean by work."

# (how the claim is written in the YAML file, what the error must say)
TRICKS = {
    "zero-width space": ("This mat cu\\u200Bres sciatica.", "U+200B"),
    "soft hyphen": ("This mat cu\\u00ADres sciatica.", "U+00AD"),
    "word joiner": ("This mat cu\\u2060res sciatica.", "U+2060"),
    "tag character": ("This mat cures\\U000E0041 sciatica.", "U+E0041"),
    "Cyrillic letter": ("This mat c\\u0443res sciatica.", "mixes Cyrillic and Latin"),
    "Greek letter": ("This mat cures sci\\u03b1tica.", "mixes Greek and Latin"),
    "HTML entity": ("This mat cu&shy;res sciatica.", "U+00AD"),
    "numeric entity": ("This mat cu&#8203;res sciatica.", "U+200B"),
    "emphasis inside a word": ("This mat *cu*res sciatica.", "cures sciatica"),
    "full-width letters": ("This mat \\uff43\\uff55\\uff52\\uff45\\uff53 sciatica.", "sciatica"),
    # The same promise in other words.
    "gets rid of": ("This mat gets rid of sciatica.", "gets rid of sciatica"),
    "erases": ("This mat erases back pain.", "erases back pain"),
    "melts away": ("This mat melts away back pain.", "melts away back pain"),
    "knocks out": ("This mat knocks out migraines.", "knocks out migraine"),
    "say goodbye to": ("Say goodbye to sciatica with this mat.", "Say goodbye to"),
}


def _hide(project: Project, written: str) -> int:
    """Put ``written`` before the first FAQ answer, as a double-quoted YAML string (so
    that escapes such as \\u200B stand for the characters); return its line."""
    path = project.content / ARTICLE
    text = path.read_text(encoding="utf-8")
    block = "answer: |\n        " + SENTENCE
    start = text.index(block)
    end = text.index("\n", start + len(block))
    rest = text[start + len(block) : end]
    text = f'{text[:start]}answer: "{written} {SENTENCE}{rest}"{text[end:]}'
    path.write_text(text, encoding="utf-8")
    return text[:start].count("\n") + 1


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_a_hidden_claim_fails_validate_at_its_line(project: Project, trick: str) -> None:
    written, said = TRICKS[trick]
    line = _hide(project, written)
    result = CliRunner().invoke(app, ["validate", str(project.content)])
    assert result.exit_code == 1, result.output
    found = [x for x in result.output.splitlines() if f"{ARTICLE}:{line}:" in x]
    # The hidden claim is an error, never let through as a warning. The line's other
    # findings (the FAQ answer's appeal to research) are said beside it.
    claims = [x for x in found if said in x]
    assert claims, result.output
    assert not [x for x in claims if " warning " in x], claims
    assert "Traceback" not in result.output


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_a_hidden_claim_is_never_exported(project: Project, trick: str) -> None:
    written, _said = TRICKS[trick]
    line = _hide(project, written)
    with pytest.raises(ContentError) as caught:
        project.export(only=["json", "macros"])
    assert any(d.line == line and d.file.endswith(ARTICLE) for d in caught.value.diagnostics)
    assert not (project.out / "json").exists()


def test_folding_keeps_offsets_in_the_original() -> None:
    written = "It c\u0443res back pain, cu&shy;res, \uff43ures and *cu*res."
    folded = readable(written)
    assert folded.text == "It cyres back pain, cures, cures and *cures."
    start = folded.text.index("cures")
    assert written[slice(*folded.original(start, start + 5))] == "cu&shy;res"
    start = folded.text.rindex("cures")
    assert written[slice(*folded.original(start, start + 5))] == "cu*res"


def test_honest_text_is_left_as_it_is() -> None:
    for text in ("Café — “quoted” text’s fine · done", "Москва is written in one script"):  # noqa: RUF001
        assert readable(text).text == text
        assert disguise(text) is None
    family = "A family \U0001f468\u200d\U0001f469\u200d\U0001f467 emoji"
    assert disguise(family) is None  # a joiner between emoji is how emoji are written
