"""What each artifact is made from, reduced to one digest for incremental exports.

An artifact's digest covers its content entries and everything they reference (an article
names its studies, an offer its product), the site, the template files it reads, its
profile's options, its path, and the writer's and spikecontent's versions. Entries are
digested from their model data, not their file bytes, so reformatting a YAML file or
editing a comment rebuilds nothing.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from spikecontent.loading.converter import unstructure
from spikecontent.loading.digests import compact_json, data_digest
from spikecontent.model import ARTICLES, SITE_KEY, Article, EntryKey, Library
from spikecontent.model.outgoing import outgoing
from spikecontent.sdk.writer import Artifact
from spikecontent.store.memo import per_object

__all__ = ["InputDigests", "files_digest"]


class InputDigests:
    """Digests of content entries and artifacts, each computed once per export."""

    def __init__(self, library: Library, version: str) -> None:
        self._library = library
        self._version = version
        self._entries: dict[EntryKey, str] = {}
        self._written: dict[EntryKey, str] = {}
        self._written_keys: dict[tuple[EntryKey, ...], tuple[str, ...]] = {}
        self._closures: dict[EntryKey, frozenset[EntryKey]] = {}
        self._unions: dict[tuple[EntryKey, ...], tuple[EntryKey, ...]] = {}
        self._digests: dict[tuple[EntryKey, ...], str] = {}
        self._options: dict[int, tuple[Any, Any]] = {}
        self._frames: dict[tuple[Any, ...], str] = {}
        # By the id of a tuple of parts, kept with it so that the id cannot be reused.
        self._part_digests: dict[int, tuple[Any, tuple[bytes, ...]]] = {}

    def closure(self, artifact: Artifact) -> tuple[EntryKey, ...]:
        """The artifact's entries, the entries they reference, and the site; sorted as
        their keys are written."""
        return self._closure_of(artifact.entries)

    def _closure_of(self, entries: tuple[EntryKey, ...]) -> tuple[EntryKey, ...]:
        # A profile's shared files all name the same thousand entries: one union for all.
        found = self._unions.get(entries)
        if found is None:
            keys: set[EntryKey] = {SITE_KEY}
            for key in entries:
                keys |= self._closure(key)
            names = dict(zip(keys, self.written(tuple(keys)), strict=True))
            found = self._unions[entries] = tuple(sorted(keys, key=names.__getitem__))
        return found

    def sources(self, entries: tuple[EntryKey, ...]) -> str:
        """One digest of ``entries``, what they reference and the site: it changes exactly
        when the content of one of those does."""
        return self._sources_digest(self._closure_of(entries))

    def written(self, keys: tuple[EntryKey, ...]) -> tuple[str, ...]:
        """``keys`` as written in the manifest; one string per key for the whole export,
        shared by every artifact that depends on it."""
        # Artifacts of one closure share its tuple of keys (and the names made for it).
        found = self._written_keys.get(keys)
        if found is None:
            names = self._written
            found = tuple(names.get(k) or names.setdefault(k, str(k)) for k in keys)
            self._written_keys[keys] = found
        return found

    def artifact(
        self,
        artifact: Artifact,
        *,
        entries: tuple[EntryKey, ...],
        writer: str,
        writer_version: str,
        options: Any,
        output_path: str,
        templates: dict[str, str],
    ) -> str:
        """One digest of everything that can change the artifact's bytes.

        ``entries`` is what :meth:`closure` gave for the artifact.
        """
        # What every artifact of a profile shares is encoded once (a JSON document per
        # artifact was a third of planning 14,000); the path, subject and sources follow
        # it, each length-prefixed, so no two different inputs give the same text.
        shared = (writer, writer_version, id(options), tuple(sorted(templates.items())))
        frame = self._frames.get(shared)
        if frame is None:
            frame = self._frames[shared] = compact_json(
                {
                    "spikecontent": self._version,
                    "writer": [writer, writer_version],
                    "options": self._options_data(options),
                    "templates": templates,
                }
            )
        sources = self._sources_digest(entries)
        subject = artifact.subject
        text = f"{frame}\0{len(output_path)}:{output_path}\0{len(subject)}:{subject}\0{sources}"
        return hashlib.sha256(text.encode()).hexdigest()

    def _options_data(self, options: Any) -> Any:
        # Every artifact of a profile has the same options object: unstructure it once
        # (the object is kept with its data, so its id cannot be reused meanwhile).
        found = self._options.get(id(options))
        if found is None:
            found = self._options[id(options)] = (options, unstructure(options))
        return found[1]

    def _sources_digest(self, entries: tuple[EntryKey, ...]) -> str:
        """One digest of ``entries`` and each one's data."""
        found = self._digests.get(entries)
        if found is None:
            # Names and digests hold no NUL: joined by it, two different sets of sources
            # never give the same text (a JSON document each was half of this method).
            pairs = zip(self.written(entries), map(self._entry, entries), strict=True)
            text = "\0".join(f"{name}\0{digest}" for name, digest in pairs)
            found = self._digests[entries] = hashlib.sha256(text.encode()).hexdigest()
        return found

    def parts(self, artifact: Artifact) -> tuple[bytes, ...]:
        """The SHA-256 (32 bytes: no text form is ever needed) of each of a composed
        artifact's parts: its key, its entries, what they reference and the site, so it
        changes exactly when one of those does. What the parts of one artifact share
        (writer, options, path, templates, versions) is its frame, the :meth:`artifact`
        digest over no entries, kept beside them (see :mod:`.parts`)."""
        parts = artifact.parts or ()
        # A writer's composed files often share one tuple of parts (eight import files
        # hold the same 8,000 replies): their digests are made once for all.
        found = self._part_digests.get(id(parts))
        if found is None:
            digests = tuple(
                hashlib.sha256(f"{p.key}\0{self.sources(p.entries)}".encode()).digest()
                for p in parts
            )
            found = self._part_digests[id(parts)] = (parts, digests)
        return found[1]

    def _entry(self, key: EntryKey) -> str:
        if key not in self._entries:
            self._entries[key] = data_digest(self._library.entry(key))
        return self._entries[key]

    def _closure(self, key: EntryKey) -> frozenset[EntryKey]:
        if key not in self._closures:
            found = {key}
            for referenced in _referenced(self._library.entry(key)):
                found |= self._closure(referenced)
            self._closures[key] = frozenset(found)
        return self._closures[key]


# Depends on the entity alone: kept with it, so a process exporting again (--watch) reads
# only the entities that changed.
@per_object
def _referenced(entity: Any) -> tuple[EntryKey, ...]:
    """The entries one entity names directly: its declared references, as the walk the
    load cache keeps beside it found them (walking every article's tree again to digest a
    composed file was 0.17 s of a profiled one-change export at 1,000 articles)."""
    found = [
        EntryKey(kind, value)
        for _path, value, kind, _in_prose in outgoing(entity)
        if kind is not None and isinstance(value, str)
    ]
    if isinstance(entity, Article):
        # A link shows the linked article's URL (and, in a preview, its title).
        found.extend(ARTICLES.key(slug) for slug in entity.linked_articles())
    return tuple(found)


def files_digest(parts: list[tuple[str, bytes]], settings: Any) -> str:
    """One digest of named file contents and run settings, for the whole-run check."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode("utf-8"))
    for name, data in sorted(parts):
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
