"""Lint findings per article and per other file, kept between exports and keyed by what
makes them.

An article's findings (its texts matched against the rules, and its structural checks)
depend on the rules, the health-object vocabulary, spikecontent's version and the files
of the article and of the entries :func:`~spikecontent.lint.structure.article_inputs`
names (a cross-check's message points into a caution's file). So they are stored under
the SHA-256 of exactly those, and an export that changes one article lints that one.
The texts outside articles (a study's, a caution's, the site's, a profile's wording) are
kept the same way, per file, under the file's text and the texts read from it. Findings
that are no one file's (a study cited without its n, placeholders, allowances) are always
computed afresh.

They are kept as one blob of JSON (not a pickle: reading it never runs code) in the
export's store (:class:`~spikecontent.store.Blobs`, kind ``lint-findings``), under the
digest of the rules; a damaged, foreign or unsigned blob only costs a full lint.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from spikecontent._version import __version__
from spikecontent.diagnostics import Diagnostic
from spikecontent.lint.rule_files import packaged_rule_files
from spikecontent.lint.second_opinion import model_digest
from spikecontent.lint.vocabulary import vocabulary_digest
from spikecontent.loading.source_map import SourceMap
from spikecontent.store import Blobs
from spikecontent.store.file_digests import unreadable_digest
from spikecontent.store.memo import per_object

__all__ = ["FINDINGS", "FindingsCache", "rules_digest"]

FINDINGS: Final = "lint-findings"
"""The findings' kind of blob in the store."""
_FORMAT: Final = 2  # 2: findings carry their claim status and form


def _bytes_of(path: Path) -> bytes:
    """A project rule file's bytes, or why they cannot be read: the rule files' loader
    reports that file at its place, and the digest must not end the run first."""
    try:
        return path.read_bytes()
    except OSError as error:
        return unreadable_digest(error.errno).encode()


def rules_digest(project_rules: Path) -> str:
    """One digest of what lint reads besides the content: spikecontent's version and the
    linter's code, the packaged rule files, the project's rule files in
    ``project_rules``, the vocabulary and the second opinion's model."""
    digest = hashlib.sha256(
        f"{__version__}\0{_FORMAT}\0{vocabulary_digest()}\0{model_digest()}".encode()
    )
    # The linter's own code too: a check changed before a version bump (in development)
    # must not be served the findings of the old one.
    code = importlib.resources.files(__package__ or "spikecontent.lint")
    files = [(e.name, e.read_bytes()) for e in code.iterdir() if e.name.endswith(".py")]
    files += packaged_rule_files()
    if project_rules.is_dir():
        files += [(str(p), _bytes_of(p)) for p in sorted(project_rules.iterdir()) if p.is_file()]
    for name, data in files:
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


# Once per file while it is unchanged (in ``export --watch``, 1,000 files joined and
# hashed on every save otherwise).
@per_object
def _text_digest(source: SourceMap) -> str:
    """The SHA-256 of the text of the file behind ``source``."""
    return hashlib.sha256("\n".join(source.lines).encode()).hexdigest()


class FindingsCache:
    """Findings by key, read from the store under ``folder`` when they were kept under
    the same ``rules`` (a :func:`rules_digest`); :meth:`save` keeps only the keys used
    since."""

    def __init__(self, folder: Path, rules: str) -> None:
        self._blobs = Blobs(folder)
        self._rules = rules
        self._stored = self._read()
        self._used: dict[str, list[dict[str, Any]]] = {}

    def key(self, sources: Iterable[SourceMap], extra: Iterable[str] = ()) -> str:
        """The key of findings made from the files behind ``sources`` and ``extra``
        (digests of what else they read: a picture's, whose size a check warns about)."""
        digest = hashlib.sha256(self._rules.encode())
        for source in sources:
            digest.update(f"\0{source.file}\0{_text_digest(source)}".encode())
        for item in extra:
            digest.update(f"\0{item}".encode())
        return digest.hexdigest()

    def get(self, key: str) -> list[Diagnostic] | None:
        """The findings stored under ``key``, or None."""
        found = self._stored.get(key)
        if found is None:
            return None
        try:
            findings = [Diagnostic.from_json(item) for item in found]
        except (KeyError, TypeError, ValueError):
            return None
        self._used[key] = found
        return findings

    def put(self, key: str, findings: Iterable[Diagnostic]) -> None:
        """Remember ``findings`` under ``key``, to be written by :meth:`save`."""
        self._used[key] = [finding.as_json() for finding in findings]

    def save(self) -> None:
        """Write the findings used in this run, when they differ from what was read.
        Failures to write are ignored: it is only a cache."""
        if self._used.keys() == self._stored.keys():
            return
        data = {"format": _FORMAT, "rules": self._rules, "findings": self._used}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        self._blobs.put(FINDINGS, self._rules, text.encode())
        self._blobs.sweep(FINDINGS, {self._rules})  # those of other rules, or code

    def _read(self) -> dict[str, list[dict[str, Any]]]:
        payload = self._blobs.get(FINDINGS, self._rules)
        if payload is None:
            return {}
        try:
            data = json.loads(bytes(payload).decode("utf-8"))
        except ValueError:
            return {}
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            return {}
        if data.get("rules") != self._rules or not isinstance(data.get("findings"), dict):
            return {}
        return dict(data["findings"])
