"""The load cache gives the same library, and never hides an error."""

from __future__ import annotations

from pathlib import Path

import pytest

import spikecontent
from spikecontent import ContentError
from tests.conftest import Edit, errors_of


def test_a_warm_cache_gives_the_same_library(content_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = spikecontent.load(content_copy, cache=cache)
    assert len(list(cache.rglob("*"))) > 10  # entries in two-character shard folders

    warm = spikecontent.load(content_copy, cache=cache)

    assert warm == cold == spikecontent.load(content_copy)


def test_an_edited_file_is_loaded_again(content_copy: Path, edit: Edit, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spikecontent.load(content_copy, cache=cache)
    edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")

    assert spikecontent.load(content_copy, cache=cache).study("hohmann-2012").year == 2013


def test_errors_are_found_with_a_warm_cache(content_copy: Path, edit: Edit, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spikecontent.load(content_copy, cache=cache)
    line = edit("studies/hohmann-2012.yaml", "year: 2012", "year: soon")
    (content_copy / "cautions" / "pregnancy.yaml").unlink()  # still cited by the article

    with pytest.raises(ContentError) as caught:
        spikecontent.load(content_copy, cache=cache)

    found = [str(d) for d in caught.value.diagnostics]
    assert found == [str(d) for d in errors_of(content_copy)]  # the same as without a cache
    assert any(f"hohmann-2012.yaml:{line}:" in text for text in found)
    assert any("no caution with id 'pregnancy'" in text for text in found)
