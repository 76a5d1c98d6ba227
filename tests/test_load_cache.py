"""The load cache gives the same library, and never hides an error."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import spikecontent
from spikecontent import ContentError
from spikecontent.loading import loader, unstructure
from spikecontent.loading.cache import ENTITIES, LoadCache, forget_resident
from spikecontent.loading.digests import data_digest, digest_json
from spikecontent.loading.positions import PositionsByField
from spikecontent.model.outgoing import outgoing
from spikecontent.store.memo import PerObject
from tests.conftest import Edit, errors_of


def test_a_warm_cache_gives_the_same_library(content_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = spikecontent.load(content_copy, cache=cache)
    assert len(list(cache.rglob("*"))) > 10  # entries in two-character shard folders
    forget_resident()  # read them from disk, as the next export's process does

    warm = spikecontent.load(content_copy, cache=cache)

    assert warm == cold == spikecontent.load(content_copy)


def test_positions_from_the_cache_are_the_parsed_ones_read_by_field(
    content_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    parsed = loader.load_with_sources(content_copy, cache=cache).source_maps
    forget_resident()
    warm = loader.load_with_sources(content_copy, cache=cache).source_maps

    key = next(k for k in warm if k.kind == "articles")
    source, made = warm[key], parsed[key]
    assert isinstance(source.values, PositionsByField)
    assert isinstance(source.keys, PositionsByField)
    # One field's position opens that field alone; each answer is the parsed one.
    question = ("faq", "items", 1, "question")
    assert source.value(question) == made.value(question) != (1, 1)
    assert list(source.values._opened) == ["faq"]
    assert source.key(("title",)) == made.key(("title",))
    assert source.value(("no", "such", "field")) == made.value(("no", "such", "field"))
    assert set(source.values) == set(made.values)
    assert len(source.keys) == len(made.keys)
    # Pickled again (a load that keeps it, a worker), its fields go as they were read.
    again = pickle.loads(pickle.dumps(source))
    assert again == made
    assert again.values._packed == source.values._packed
    assert warm == parsed


def warm_load_counting(
    memo: PerObject[Any, Any], content: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[spikecontent.Library, list[object]]:
    """A load from a warm cache as the next process makes it (the cache filled, nothing
    resident), and every object ``memo`` computed its value for during it."""
    spikecontent.load(content, cache=cache)
    forget_resident()
    computed: list[object] = []
    compute = memo._compute
    monkeypatch.setattr(memo, "_compute", lambda entity: computed.append(entity) or compute(entity))
    return spikecontent.load(content, cache=cache), computed


def test_a_cached_entity_comes_with_what_it_points_at(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm, walked = warm_load_counting(outgoing, content_copy, tmp_path / "cache", monkeypatch)

    assert walked == []  # the library's checks read what the cache kept
    article = warm.articles[0]
    assert outgoing(article)
    assert outgoing(article) == outgoing.__wrapped__(article)  # as a walk finds them


def test_a_cached_entity_comes_with_the_digest_of_its_data(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    warm, digested = warm_load_counting(data_digest, content_copy, cache, monkeypatch)

    entities = [warm.site, *(e for kind in warm.entities.values() for e in kind)]
    kept = [data_digest(entity) for entity in entities]
    assert digested == []  # export's planning reads what the cache kept
    assert kept == [digest_json(unstructure(entity)) for entity in entities]


def test_an_edited_file_is_loaded_again(content_copy: Path, edit: Edit, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spikecontent.load(content_copy, cache=cache)
    edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")

    assert spikecontent.load(content_copy, cache=cache).study("hohmann-2012").year == 2013


def entries_of(cache: Path) -> set[str]:
    return {p.name for p in cache.glob(f"{ENTITIES}/*") if p.is_file()}


def test_entries_of_changed_files_are_removed_once_a_load_succeeds(
    content_copy: Path, edit: Edit, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    spikecontent.load(content_copy, cache=cache)
    first = entries_of(cache)
    edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")
    spikecontent.load(content_copy, cache=cache)
    second = entries_of(cache)
    assert len(second) == len(first)  # one entry replaced: the old one is gone
    assert len(first - second) == 1
    # A load that fails keeps every entry: the next good one still finds them.
    edit("studies/hohmann-2012.yaml", "year: 2013", "year: soon")
    with pytest.raises(ContentError):
        spikecontent.load(content_copy, cache=cache)
    assert entries_of(cache) == second
    # Back as it was: the same entry as the first time, and the edited one's gone.
    edit("studies/hohmann-2012.yaml", "year: soon", "year: 2012")
    spikecontent.load(content_copy, cache=cache)
    assert entries_of(cache) == first


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


class _Planted:
    """What an attacker with write access to the output folder would plant."""

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.touch, (MARKER[0],))


MARKER: list[Path] = []


def test_a_planted_cache_entry_is_never_unpickled(content_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spikecontent.load(content_copy, cache=cache)
    forget_resident()  # a new process: it reads what is on disk
    MARKER.append(tmp_path / "pwned")
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert entries
    for entry in entries:  # unsigned, or signed with a key the attacker guessed
        entry.write_bytes(pickle.dumps(_Planted()))
    warm = spikecontent.load(content_copy, cache=cache)
    assert not MARKER[0].exists()
    assert warm == spikecontent.load(content_copy)
    # The rebuilt entries are signed again, and used.
    forget_resident()
    store = LoadCache(cache, spikecontent.__version__)
    assert all(store.get(p.name) is not None for p in entries)


def test_a_process_that_loads_again_parses_only_what_changed(
    content_copy: Path, edit: Edit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    spikecontent.load(content_copy, cache=cache)
    parsed: list[str] = []
    parse = loader.parse_yaml

    def counting(text: str, display: str) -> object:
        parsed.append(Path(display).name)
        return parse(text, display)

    monkeypatch.setattr(loader, "parse_yaml", counting)
    edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")
    for entry in cache.rglob("*"):
        if entry.is_file():
            entry.unlink()  # what this process holds in memory is enough
    again = spikecontent.load(content_copy, cache=cache)
    assert parsed == ["hohmann-2012.yaml"]
    assert again.study("hohmann-2012").year == 2013
    assert again == spikecontent.load(content_copy)


def test_entities_made_by_other_model_code_are_not_served(
    content_copy: Path, tmp_path: Path
) -> None:
    # A validator changed in development, before a version bump, must check the content
    # again: the key holds a digest of the code that makes an entity.
    package = tmp_path / "src" / "spikecontent"
    shutil.copytree(
        Path(spikecontent.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    cache = tmp_path / "cache"

    def load_and_list() -> set[str]:
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys, spikecontent; spikecontent.load(sys.argv[1], cache=sys.argv[2])",
                str(content_copy),
                str(cache),
            ],
            env={**os.environ, "PYTHONPATH": str(package.parent)},
            check=True,
        )
        return {path.name for path in cache.rglob("*") if path.is_file()}

    first = load_and_list()
    assert load_and_list() == first  # the same code: every entity served from the cache
    with (package / "model" / "fields.py").open("a", encoding="utf-8") as module:
        module.write("\n# a validator changed here\n")

    again = load_and_list()
    # Each file loaded and checked again, kept under a new key (the old entries swept).
    assert len(again) == len(first) > 10
    assert again.isdisjoint(first)


def test_entities_from_the_cache_go_straight_to_the_oldest_generation(
    content_copy: Path, tmp_path: Path
) -> None:
    """No young collection examines what the cache unpickles (it lives as long as the
    library), and garbage made before a load is still collected, not promoted with it."""
    import gc
    import weakref

    cache = tmp_path / "cache"
    spikecontent.load(content_copy, cache=cache)
    forget_resident()

    class Cycle:
        me: object = None

    before = Cycle()
    before.me = before  # garbage only a collection finds
    gone = weakref.ref(before)
    del before
    warm = spikecontent.load(content_copy, cache=cache)

    assert gone() is None
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(warm.articles[0]) in oldest
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_frozen_process_keeps_its_frozen_objects(content_copy: Path, tmp_path: Path) -> None:
    """A process that froze its objects (a forking server does) finds them frozen after
    a load from the cache."""
    import gc

    cache = tmp_path / "cache"
    spikecontent.load(content_copy, cache=cache)
    forget_resident()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        warm = spikecontent.load(content_copy, cache=cache)
        assert gc.get_freeze_count() >= frozen
        assert warm == spikecontent.load(content_copy)
    finally:
        gc.unfreeze()
