"""The content-model reference documents every field of every entity."""

from __future__ import annotations

import re

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
