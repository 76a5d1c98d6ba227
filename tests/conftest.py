"""Shared fixtures: the real content folder, and a writable copy to break on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import spikecontent
from spikecontent import ContentError, Diagnostic

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
SEED = REPO / "tests" / "fixtures" / "acupressure-mat-benefits.txt"
"""A copy of the seed page the content was encoded from (the original lives in shared/)."""
SHARED_SEED = REPO.parent / "shared" / "seed" / "acupressure-mat-benefits.txt"


@pytest.fixture(scope="session")
def library() -> spikecontent.Library:
    return spikecontent.load(CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


Edit = Callable[[str, str, str], int]


@pytest.fixture
def edit(content_copy: Path) -> Edit:
    """Replace ``old`` by ``new`` in a content file; return the 1-based line of ``new``."""

    def apply(relative: str, old: str, new: str) -> int:
        path = content_copy / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
        text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        return text[: text.index(new)].count("\n") + 1

    return apply


def errors_of(folder: Path) -> tuple[Diagnostic, ...]:
    with pytest.raises(ContentError) as caught:
        spikecontent.load(folder)
    return caught.value.diagnostics
