"""Load a content folder into a :class:`~spikecontent.model.Library`, or report every problem.

Layout::

    content/
      site.yaml              the site, its pages
      people/*.yaml          one entity per file, in each folder
      studies/*.yaml
      cautions/*.yaml
      disclaimers/*.yaml
      products/*.yaml
      offers/*.yaml
      articles/*.yaml
      lint/*.yaml            editorial lint rules (read by spikecontent lint, not here)

Loading goes file by file (syntax, then types and values), then across files (duplicate ids,
references). All problems are collected before anything is raised; nothing half-loaded is
ever returned.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
from cattrs.errors import ClassValidationError

from spikecontent._version import __version__
from spikecontent.diagnostics import ContentError, Diagnostic, format_path, unreadable
from spikecontent.links import ARTICLE_SCHEME, PAGE_SCHEME
from spikecontent.loading.allowances import Allowance, read_allowances
from spikecontent.loading.cache import LoadCache
from spikecontent.loading.converter import (
    PartialEntityError,
    StrictTypeError,
    describe,
    structure,
)
from spikecontent.loading.digests import data_digest
from spikecontent.loading.evidence_lock import LOCK_FILE, EvidenceLock, apply_lock, read_lock
from spikecontent.loading.findings import Finding, findings_from, place
from spikecontent.loading.images import measure_images
from spikecontent.loading.indentation import explained, joined_items, swallowed_keys
from spikecontent.loading.source_map import (
    SourceMap,
    SourceSyntaxError,
    decode_text,
)
from spikecontent.loading.yaml_source import parse_yaml
from spikecontent.model import (
    ARTICLES,
    COLLECTIONS,
    PAGES,
    SITE_KEY,
    STUDIES,
    Collection,
    EntryKey,
    Library,
    LibraryError,
    Problem,
    Site,
    collection,
    dangling_references,
)
from spikecontent.model.outgoing import Outgoing, outgoing
from spikecontent.store.collector import collector_paused
from spikecontent.store.file_digests import file_digest

__all__ = [
    "LINT_FOLDER",
    "SITE_FILE",
    "LoadedContent",
    "LoadedEntry",
    "PartialContentError",
    "load",
    "load_with_sources",
]

SITE_FILE: Final = "site.yaml"
LINT_FOLDER: Final = "lint"
_FOLDERS: Final = tuple(kind.name for kind in COLLECTIONS)
_ID_FIELDS: Final = frozenset(kind.id_field for kind in COLLECTIONS)
_YAML_SUFFIXES: Final = (".yaml", ".yml")


def load(
    path: str | os.PathLike[str] = "content", *, cache: str | os.PathLike[str] | None = None
) -> Library:
    """Load and check the content folder at ``path``.

    Returns an immutable, fully consistent :class:`~spikecontent.model.Library`, or raises
    :class:`~spikecontent.diagnostics.ContentError` listing every problem, each at
    ``file:line:col`` with its field path and fix. With ``cache`` (a folder), files whose
    bytes were already loaded are not parsed again (:mod:`spikecontent.loading.cache`).
    """
    return load_with_sources(path, cache=cache).library


@attrs.frozen(kw_only=True)
class LoadedContent:
    """A loaded library and where each of its entries was written."""

    library: Library
    source_maps: Mapping[EntryKey, SourceMap]
    """Where each entry was written, by entry key (the site and every entity)."""
    allowances: Mapping[EntryKey, tuple[Allowance, ...]] = attrs.field(factory=dict)
    """The reasoned lint exceptions each entry's file declares (``lint_allow``)."""
    evidence_lock: EvidenceLock | None = None
    """``evidence.lock.yaml`` as read (its records are in the library's studies)."""


@attrs.frozen(kw_only=True)
class LoadedEntry:
    """One entry whose own file loaded, in content that as a whole did not."""

    key: EntryKey
    entity: object
    source: SourceMap
    allowances: tuple[Allowance, ...] = ()


class PartialContentError(ContentError):
    """Content that cannot be used, of which some entries loaded: :attr:`loaded` holds
    those whose own files are valid (a reference from one of them may still point at
    nothing), so that a linter can read their texts in the same run and every mistake is
    reported at once."""

    def __init__(self, diagnostics: Iterable[Diagnostic], loaded: Iterable[LoadedEntry]) -> None:
        super().__init__(diagnostics)
        self.loaded = tuple(loaded)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PartialContentError, (self.diagnostics, self.loaded))


def load_with_sources(
    path: str | os.PathLike[str] = "content", *, cache: str | os.PathLike[str] | None = None
) -> LoadedContent:
    """Like :func:`load`, also keeping each entry's source map, for tools (such as the
    linter) that report positions inside valid content."""
    store = LoadCache(Path(cache), __version__) if cache is not None else None
    loader = _Loader(Path(path), store)
    with collector_paused():
        library = loader.load()
        source_maps = {SITE_KEY: loader.source_maps[(SITE_KEY.kind, 0)]}
        allowances = {SITE_KEY: loader.allowances.get((SITE_KEY.kind, 0), ())}
        for kind in COLLECTIONS:
            for index, entity in enumerate(library.all(kind)):
                source_maps[kind.key_of(entity)] = loader.source_maps[(kind.name, index)]
                allowances[kind.key_of(entity)] = loader.allowances.get((kind.name, index), ())
        return LoadedContent(
            library=library,
            source_maps=source_maps,
            allowances=allowances,
            evidence_lock=loader.lock,
        )


class _Loader:
    def __init__(self, root: Path, cache: LoadCache | None) -> None:
        self.root = root
        self.real_root = root.resolve()
        self._inside_folders: dict[Path, bool] = {}
        self.cache = cache
        self.diagnostics: list[Diagnostic] = []
        self.source_maps: dict[tuple[str, int], SourceMap] = {}
        self.allowances: dict[tuple[str, int], tuple[Allowance, ...]] = {}
        self.unloaded_ids: set[str] = set()
        self.partial: list[tuple[str, Any, SourceMap]] = []
        """Entities whose files have an error, with the fields that did load: by
        collection name, the part instance, where it was written."""
        self.media: dict[str, bytes] = {}
        self.lock: EvidenceLock | None = None
        self.incomplete = False
        """Whether a folder could not be read: the references between files go unchecked,
        or each one into it would be reported as pointing at nothing."""

    def load(self) -> Library:
        if not self.root.is_dir():
            raise ContentError(
                [
                    Diagnostic(
                        file=str(self.root),
                        message="content folder not found",
                        fix="pass the folder that holds site.yaml, e.g. 'content'",
                    )
                ]
            )
        self._check_layout()
        site = self._load_site()
        collections = {kind: self._load_collection(kind) for kind in COLLECTIONS}
        # The evidence lock's records join the studies (the linter judges what cites them).
        self.lock, problems = read_lock(self.root)
        collections[STUDIES], misplaced = apply_lock(
            self.lock, collections[STUDIES], self.source_maps
        )
        self.diagnostics.extend([*problems, *misplaced])
        if site is None or self.incomplete:
            raise PartialContentError(self.diagnostics, self._loaded(site, collections))
        self._check_partial_references(site, collections)
        try:
            library = Library(site=site, entities=collections, media=self.media)
        except LibraryError as error:
            for problem in error.problems:
                if self._of_unloaded(problem):
                    continue  # it points at an entity whose own file already has an error
                self.diagnostics.append(self._place_problem(problem))
            raise PartialContentError(self.diagnostics, self._loaded(site, collections)) from None
        if self.diagnostics:
            raise PartialContentError(self.diagnostics, self._loaded(site, collections))
        if self.cache:
            self.cache.flush()
        return library

    def _loaded(
        self, site: Site | None, collections: Mapping[Collection[Any], tuple[Any, ...]]
    ) -> Iterator[LoadedEntry]:
        """The entries whose own files loaded."""
        slots: list[tuple[tuple[str, int], EntryKey, object]] = []
        if site is not None:
            slots.append(((SITE_KEY.kind, 0), SITE_KEY, site))
        for kind, entities in collections.items():
            slots.extend(((kind.name, i), kind.key_of(e), e) for i, e in enumerate(entities))
        for slot, key, entity in slots:
            source = self.source_maps.get(slot)
            if source is not None:
                allowances = self.allowances.get(slot, ())
                yield LoadedEntry(key=key, entity=entity, source=source, allowances=allowances)

    def _check_partial_references(
        self, site: Site, collections: Mapping[Collection[Any], tuple[Any, ...]]
    ) -> None:
        """What the loaded fields of entities with errors point at, checked as the library
        checks a whole one: a broken link is said in this run, not after the file's own
        error is fixed."""
        if not self.partial:
            return
        index = {PAGES.name: {page.id: page for page in site.pages}}
        for kind, entities in collections.items():
            index[kind.name] = {getattr(entity, kind.id_field): entity for entity in entities}
        said = {(d.file, d.field) for d in self.diagnostics}
        for holder, entity, source in self.partial:
            for problem in dangling_references(holder, 0, entity, index):
                placed = self._placed(problem, source)
                # A value its own check refused (a path that is a link) is not said twice.
                if not self._of_unloaded(problem) and (placed.file, placed.field) not in said:
                    self.diagnostics.append(placed)

    def _of_unloaded(self, problem: Problem) -> bool:
        """Whether ``problem`` points at an entry whose own file has an error (by its id,
        or a link to it: ``article:<slug>``), which is the error to fix."""
        written = problem.written or ""
        for scheme in (ARTICLE_SCHEME, PAGE_SCHEME):
            written = written.removeprefix(scheme)
        return written in self.unloaded_ids

    def _place_problem(self, problem: Problem) -> Diagnostic:
        source = self.source_maps[(problem.collection, problem.index)]
        message = problem.message
        if problem.first_at is not None:
            collection, index, path = problem.first_at
            first = self.source_maps[(collection, index)]
            line, col = first.value(path)
            message += f" (first at {first.file}:{line}:{col})"
        return self._placed(attrs.evolve(problem, message=message), source)

    @staticmethod
    def _placed(problem: Problem, source: SourceMap) -> Diagnostic:
        finding = Finding(
            path=problem.path, message=problem.message, fix=problem.fix, needle=problem.written
        )
        return place(finding, source)

    def _check_layout(self) -> None:
        expected = {SITE_FILE, LINT_FOLDER, LOCK_FILE, *_FOLDERS}
        try:
            entries = sorted(self.root.iterdir())
        except OSError as error:
            message, fix = unreadable(error, str(self.root), folder=True)
            raise ContentError(
                [Diagnostic(file=str(self.root), message=message, fix=fix)]
            ) from None
        for entry in entries:
            if entry.name.startswith(".") or entry.name in expected:
                continue
            misplaced = entry.is_file() and entry.suffix.lower() in _YAML_SUFFIXES
            holds_yaml = entry.is_dir() and any(_yaml_files(entry))
            if not (misplaced or holds_yaml):
                continue
            close = difflib.get_close_matches(entry.name.lower(), sorted(expected), n=1)
            fix = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"content goes in {SITE_FILE} or one of the folders {', '.join(_FOLDERS)}")
            )
            kind = "file" if misplaced else "folder"
            self.diagnostics.append(
                Diagnostic(file=str(entry), message=f"unknown content {kind}", fix=fix)
            )

    def _load_site(self) -> Site | None:
        path = self.root / SITE_FILE
        if path.is_dir():
            self.diagnostics.append(
                Diagnostic(
                    file=str(path),
                    message="a folder where the file site.yaml should be",
                    fix="move the folder away, and write site.yaml with name, base_url and "
                    "language (see docs/editing-guide.md)",
                )
            )
            return None
        if not path.is_file():
            self.diagnostics.append(
                Diagnostic(
                    file=str(path),
                    message="site.yaml is missing",
                    fix="create it with name, base_url and language (see docs/editing-guide.md)",
                )
            )
            return None
        site: Site | None = self._load_entity(path, Site, (SITE_KEY.kind, 0))
        return site

    def _load_collection(self, kind: Collection[Any]) -> tuple[Any, ...]:
        folder = self.root / kind.name
        entities: list[Any] = []
        if not folder.is_dir() and os.path.lexists(folder):
            self.diagnostics.append(
                Diagnostic(
                    file=str(folder),
                    message=f"a file where the folder {kind.name}/ should be",
                    fix=(
                        f"move it away, and make {kind.name}/ a folder of .yaml files, "
                        "one for each entry"
                    ),
                )
            )
            self.incomplete = True
        skipped: list[_Skipped] = []
        files = _yaml_files(folder, skipped)
        for diagnostic, unlisted in skipped:
            self.diagnostics.append(diagnostic)
            self.incomplete |= unlisted
            if not unlisted:  # what points at it is not also said to point at nothing
                self._remember_unloaded(Path(diagnostic.file), None)
        for path in files:
            entity = self._load_entity(path, kind.cls, (kind.name, len(entities)))
            if entity is not None:
                entities.append(entity)
        return tuple(entities)

    def _load_entity(self, path: Path, cls: type, slot: tuple[str, int]) -> Any:
        display = str(path)
        if not _inside(path, self.real_root, self._inside_folders):
            self.diagnostics.append(
                Diagnostic(
                    file=display,
                    message="a link to a file outside the content folder",
                    fix="copy the file into the content folder instead of linking to it",
                )
            )
            return None
        try:
            digest, data = file_digest(path) if self.cache else ("", _read(path))
        except OSError as error:
            return self._unreadable(path, error)
        key = self.cache.key(digest, cls, display) if self.cache else ""
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            return self._from_cache(path, slot, cached[0], cached[1])
        if data is None:  # as this process last read it, but no longer in the cache
            try:
                data = _read(path)
            except OSError as error:
                return self._unreadable(path, error)
            if self.cache is not None:
                key = self.cache.key(hashlib.sha256(data).hexdigest(), cls, display)
        try:
            document = parse_yaml(decode_text(data, display), display)
        except SourceSyntaxError as error:
            self._remember_unloaded(path, None)
            fix = "correct the YAML syntax at this position (indentation, quotes, colons)"
            self.diagnostics.append(error.diagnostic(fix, prefix="invalid YAML: "))
            return None
        if not isinstance(document.data, dict):
            self.diagnostics.append(
                Diagnostic(
                    file=document.source.file,
                    line=1,
                    col=1,
                    message=f"expected a mapping of fields, got {describe(document.data)}",
                    fix="write the entity as 'key: value' lines",
                )
            )
            self._remember_unloaded(path, None)  # its id is not also "not found"
            return None
        allowances, problems = read_allowances(document.data, document.source)
        self.diagnostics.extend(problems)
        self.allowances[slot] = allowances
        # A key indented into the text above it: said at its line, and not again as a
        # missing field.
        moved = list(swallowed_keys(document.data, document.source, cls))
        moved.extend(joined_items(document.data, document.source))
        self.diagnostics.extend(moved)
        try:
            entity: Any = structure(document.data, cls)
        except (ClassValidationError, StrictTypeError) as error:
            swallowed = {d.field for d in moved}
            self.diagnostics.extend(
                explained(f, document.source)
                for f in findings_from(error)
                if format_path(f.path) not in swallowed
            )
            id_field = collection(slot[0]).id_field if slot[0] != SITE_KEY.kind else "id"
            self._remember_unloaded(path, document.data.get(id_field))
            if isinstance(error, PartialEntityError) and slot[0] != SITE_KEY.kind:
                self.partial.append((slot[0], error.partial, document.source))
            return None
        self.source_maps[slot] = document.source
        self._check_file_name(path, entity, slot, document.source)
        if self.cache and not problems and not moved:
            # Kept as content wrote it: pictures are measured on every load, so a changed
            # picture file is seen although the YAML file is the same.
            kept: tuple[Any, ...] = (entity, allowances, outgoing(entity), data_digest(entity))
            self.cache.put(key, kept, document.source)
        return self._measured(entity, document.source)

    def _from_cache(
        self,
        path: Path,
        slot: tuple[str, int],
        found: tuple[Any, tuple[Allowance, ...], tuple[Outgoing, ...], str],
        source: SourceMap,
    ) -> Any:
        """The entity the load cache kept for ``path``'s bytes, as a fresh load makes it."""
        entity, allowances, points_at, data_digested = found
        # Walking each entity for the library's checks was a third of a cached load,
        # and digesting its data a fifth of planning an export.
        outgoing.keep(entity, points_at)
        self.source_maps[slot] = source
        self.allowances[slot] = allowances
        self._check_file_name(path, entity, slot, source)
        measured = self._measured(entity, source)
        if measured is entity:  # a measured picture makes it another entity
            data_digest.keep(entity, data_digested)
        return measured

    def _check_file_name(
        self, path: Path, entity: Any, slot: tuple[str, int], source: SourceMap
    ) -> None:
        """An article is found by its file's name (``show <name>``, links, macros): its
        slug must be that name."""
        if slot[0] != ARTICLES.name or entity.slug == path.stem:
            return
        line, col = source.value(("slug",))
        self.diagnostics.append(
            Diagnostic(
                file=source.file,
                line=line,
                col=col,
                field="slug",
                message=f"the slug {entity.slug!r} differs from the file's name {path.name!r}",
                fix=(
                    f"rename the file to {entity.slug}{path.suffix}, or change the slug to "
                    f"{path.stem}"
                ),
            )
        )

    def _measured(self, entity: Any, source: SourceMap) -> Any:
        measured = measure_images(entity, self.root)
        self.media.update(measured.files)
        # A picture that could not be read is reported here, not again by the library.
        self.unloaded_ids.update(measured.unread)
        self.diagnostics.extend(place(f, source) for f in measured.findings)
        return measured.entity

    def _unreadable(self, path: Path, error: OSError) -> None:
        message, fix = unreadable(error, str(path))
        self.diagnostics.append(Diagnostic(file=str(path), message=message, fix=fix))
        self._remember_unloaded(path, None)

    def _remember_unloaded(self, path: Path, ident: object) -> None:
        # References to an entity whose file failed are not reported again: the file's own
        # error is the one to fix. When the id cannot be read, the file name stands in.
        self.unloaded_ids.add(path.stem)
        if isinstance(ident, str):
            self.unloaded_ids.add(ident)
            return
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return  # said at the file
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key in _ID_FIELDS and value.strip():
                self.unloaded_ids.add(value.strip().strip("'\""))


def _inside(path: Path, real_root: Path, folders: dict[Path, bool]) -> bool:
    """Whether ``path``, its links followed, is within ``real_root`` (links followed).
    ``folders`` remembers the answer for each folder of files that are not links."""
    # A file that is not a link is where its folder really is: one lstat, and the folder
    # resolved once for all its files (resolving each of 1,000 files was 5% of a load).
    if path.is_symlink():
        return path.resolve().is_relative_to(real_root)
    inside = folders.get(path.parent)
    if inside is None:
        inside = folders[path.parent] = path.parent.resolve().is_relative_to(real_root)
    return inside


def _yaml_files(folder: Path, problems: list[_Skipped] | None = None) -> list[Path]:
    """The YAML files in ``folder`` and its sub-folders (not those behind links), sorted.
    What is not read though it looks meant to be goes into ``problems``: a folder that
    cannot be listed (read as empty, it would drop its entities without a word), a link
    to nothing, a name ending in ``.YAML`` or ``.Yml``."""
    if not folder.is_dir():
        return []
    found: list[Path] = []
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError as error:
            if problems is not None:
                message, fix = unreadable(error, str(here), folder=True)
                problems.append((Diagnostic(file=str(here), message=message, fix=fix), True))
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(here / entry.name)
                continue
            name = entry.name
            suffix = os.path.splitext(name)[1]
            if name.startswith(".") or suffix.lower() not in _YAML_SUFFIXES:
                continue
            path = here / name
            try:
                is_file = entry.is_file()
            except OSError as error:  # a link that leads back to itself
                is_file = False
                problem: tuple[str, str] | None = unreadable(error, str(path))
            else:
                problem = None if is_file else _not_a_file(path)
            if is_file and suffix in _YAML_SUFFIXES:
                found.append(path)
                continue
            if is_file:
                problem = (
                    f"not read: only names ending in {' or '.join(_YAML_SUFFIXES)} are",
                    f"rename it to {path.stem}{suffix.lower()}",
                )
            if problem is not None and problems is not None:
                diagnostic = Diagnostic(file=str(path), message=problem[0], fix=problem[1])
                problems.append((diagnostic, False))
    found.sort()
    return found


_Skipped = tuple[Diagnostic, bool]
"""A file or folder not read, and whether it is a folder that could not be listed."""


def _not_a_file(path: Path) -> tuple[str, str] | None:
    """Why a YAML-named entry that is not a file is not read, if it is a mistake: a link
    to nothing (a named pipe or such is left alone)."""
    if not path.is_symlink() or path.exists():
        return None
    return (
        f"a link to {os.readlink(path)!r}, which does not exist",
        "point the link at a real file, or remove it",
    )


def _read(path: Path) -> bytes:
    """The file's bytes; an OSError (no permission, a link loop) is the caller's to say."""
    with open(path, "rb") as handle:
        return handle.read()
