"""The persisted dependency graph (issue 44): what the last run read, kept in the store.

For one project (its content and profiles folders) the graph keeps, in one signed blob
of kind ``graph`` (:class:`~spikecontent.store.Blobs`):

- every input file's stat stamp and digest (content, profiles, spikecontent's code and
  each writer's, its templates and lint rules: :func:`InputGraph.run_digest`), so that
  a new process finds by a stat which files changed and digests only those;
- for every artifact of the last export, the inputs it read: its profile, writer and
  version, and its content entries, each with the file it is written in (the profile's
  file for the profile); an artifact's templates and options are its profile's;
- ``validate``'s last report, under the digest of every input it depends on, so an
  unchanged project is validated without loading anything.

It answers two questions. "Did anything change?": whatever the graph cannot bound (a
file it never saw, a stamp that moved and whose digest changed, a new version of
anything) changes the run's digest, and the caller takes the full path. "Which
artifacts can the changed files reach?" (:meth:`InputGraph.reuse`): only when every
changed file is an entity's file (a ``.yaml`` or ``.yml`` file anywhere below
``content/<collection>/``) and everything else (the site file, pictures, the evidence
lock, lint rules, profiles, code, templates, versions, settings: the run's *frame*) is as
the last export found it; then an artifact that read none of the changed files, and that
its writer plans as before, keeps the last export's input digest without being digested
again (:class:`Reuse`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import msgspec

from spikecontent._version import __version__
from spikecontent.lint.rule_files import packaged_rule_files
from spikecontent.model import COLLECTIONS
from spikecontent.pipeline.inputs import files_digest
from spikecontent.pipeline.manifest import Record
from spikecontent.pipeline.profiles import Profile
from spikecontent.sdk.templates import Templates
from spikecontent.sdk.writer import Writer
from spikecontent.store import Blobs, StampTable
from spikecontent.store.file_digests import file_digest
from spikecontent.store.stamps import Stamp

__all__ = ["GRAPH", "InputGraph", "Report", "Reuse"]

GRAPH: Final = "graph"
"""The graphs' kind in the store."""
_FORMAT: Final = 2  # 2: the run, its frame, entity files' digests, artifacts' plans
_KEPT: Final = 64
"""Graphs kept at most in one store (a user cache serves every project validated)."""
_PACKAGE: Final = Path(__file__).resolve().parents[1]


class Report(msgspec.Struct, frozen=True, kw_only=True):
    """What ``validate`` printed: its warnings (standard error) and its summary."""

    warnings: tuple[str, ...]
    summary: str


class _Artifact(msgspec.Struct, frozen=True, array_like=True):
    profile: str
    entries: int
    """The index of its list of entries in the graph's ``entry_lists``."""
    plan: str = ""
    """What its writer planned (:func:`plan_signature`): a writer that plans it
    otherwise (other entries, subject or templates) makes it affected."""


class _Profile(msgspec.Struct, frozen=True, kw_only=True):
    file: str | None
    writer: str
    version: str


class _Graph(msgspec.Struct, frozen=True, kw_only=True):
    format: int
    stamps: dict[str, Stamp] = {}
    reports: dict[str, Report] = {}
    """``validate``'s last report, under its run digest (one at a time)."""
    profiles: dict[str, _Profile] = {}
    entry_files: dict[str, str] = {}
    entry_lists: list[tuple[str, ...]] = []
    artifacts: dict[str, _Artifact] = {}
    run: str = ""
    """The run digest of the export recorded (the build state's, when they match)."""
    frame: str = ""
    """The digest of that run's inputs other than entity files (:meth:`InputGraph.reuse`)."""
    entity_files: dict[str, str] = {}
    """Each entity file's digest in that run, by the name it is digested under."""


@attrs.frozen(kw_only=True)
class Reuse:
    """What the last export planned that this one need not digest again: ``records`` (its
    build state's) of the artifacts that read no changed file (none in ``affected``) and
    whose writer plans them as it did then (``plans``)."""

    affected: frozenset[str]
    """The artifacts that read a changed file."""
    plans: Mapping[str, str]
    records: Mapping[str, Record]

    def record(self, path: str, profile: str, plan: str) -> Record | None:
        """The last export's record of the artifact at ``path``, when it still holds for
        this export: its profile's, planned the same, and reading nothing that changed."""
        if path in self.affected or self.plans.get(path) != plan:
            return None
        record = self.records.get(path)
        return record if record is not None and record.profile == profile else None


def plan_signature(subject: str, templates: tuple[str, ...], entries: tuple[str, ...]) -> str:
    """A short digest of what a writer planned for one artifact (its subject, templates
    and entries as written), to tell whether it plans the artifact as before."""
    text = "\0".join((subject, *templates, "", *entries))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


_ENCODER: Final = msgspec.json.Encoder()
_DECODER: Final = msgspec.json.Decoder(_Graph)


class InputGraph:
    """The graph of the project ``content`` and ``exporters`` in the store ``folder``
    (nothing is kept without one, or without a signing key)."""

    def __init__(self, folder: Path | None, content: Path, exporters: Path) -> None:
        self.content = content
        self.exporters = exporters
        blobs = Blobs(folder) if folder is not None else None
        self._blobs = blobs if blobs is not None and blobs.enabled else None
        where = f"{content.resolve()}\0{exporters.resolve()}"
        self._name = hashlib.sha256(where.encode()).hexdigest()[:32]
        self._graph = self._read()
        self.stamps = StampTable(read=self._graph.stamps)
        """The input files' stamps: those of the last run, and those seen in this one."""
        self._changed = False
        self._run = ""
        self._frame = ""
        self._entity_files: dict[str, str] = {}

    def run_digest(
        self,
        profiles: Iterable[Profile],
        include_drafts: bool,
        settings: Mapping[str, Any] | None = None,
    ) -> str:
        """One digest of every input file of a run over ``profiles`` (content, profiles,
        spikecontent's code and each writer's, their templates, the packaged lint
        rules) and of ``settings``; a file whose stamp has not moved is not read."""
        profiles = tuple(profiles)
        files = [
            (name, file_digest(path, self.stamps)[0].encode())
            for name, path in _input_files(self.content, self.exporters, profiles)
        ]
        entity = [_is_entity_file(name) for name, _ in files]
        self._entity_files = {n: d.decode() for (n, d), e in zip(files, entity, strict=True) if e}
        described = {
            "spikecontent": __version__,
            "include_drafts": include_drafts,
            "profiles": sorted(
                [p.name, p.writer.name, p.writer.version, p.output] for p in profiles
            ),
            **(settings or {}),
        }
        for profile in profiles:
            templates = Templates(package=profile.writer.templates)
            files.extend((f"package/{name}", data) for name, data in templates.all_files())
        # The lint gate's default rules decide whether an export may run at all.
        files.extend(packaged_rule_files())
        self._frame = files_digest([f for f in files if f[0] not in self._entity_files], described)
        self._run = files_digest(files, described)
        return self._run

    def report(self, run: str) -> Report | None:
        """``validate``'s report for the inputs digested as ``run``, if it is the last."""
        return self._graph.reports.get(run)

    def keep_report(self, run: str, report: Report) -> None:
        """Keep ``report`` as ``validate``'s for ``run`` (in place of the last one)."""
        self._graph = msgspec.structs.replace(self._graph, reports={run: report})
        self._changed = True

    def record_export(
        self,
        artifacts: Mapping[str, tuple[str, tuple[str, ...], str]],
        profiles: Iterable[Profile],
        entry_files: Mapping[str, str],
    ) -> None:
        """Record what each artifact read: ``artifacts`` maps its path to its profile,
        entries and plan (:func:`plan_signature`); ``entry_files`` each entry to its
        file. The run (and each entity file's digest) is the one :meth:`run_digest` gave."""
        lists: dict[tuple[str, ...], int] = {}
        rows = {
            path: _Artifact(profile, lists.setdefault(entries, len(lists)), plan)
            for path, (profile, entries, plan) in sorted(artifacts.items())
        }
        self._graph = msgspec.structs.replace(
            self._graph,
            profiles={
                p.name: _Profile(file=p.file, writer=p.writer.name, version=p.writer.version)
                for p in profiles
            },
            entry_files=dict(sorted(entry_files.items())),
            entry_lists=list(lists),
            artifacts=rows,
            run=self._run,
            frame=self._frame,
            entity_files=self._entity_files,
        )
        self._changed = True

    def reuse(self, records: Mapping[str, Record], run: str) -> Reuse | None:
        """What this run (after :meth:`run_digest`) can take from the last export, whose
        build state has ``records`` and ``run``; None when the graph cannot bound the
        change: no graph of that export, or a changed file that is no entity's (the site
        file, a picture, the evidence lock, a lint rule, a profile, code, a template), or
        other versions or settings. Then everything is planned and digested."""
        graph = self._graph
        if not self._run or not run or graph.run != run or graph.frame != self._frame:
            return None
        before, now = graph.entity_files, self._entity_files
        names = {n for n in before.keys() | now.keys() if before.get(n) != now.get(n)}
        changed = frozenset(str(self.content / n.partition("/")[2]) for n in names)
        return Reuse(
            affected=frozenset(self.dependents(changed)),
            plans={path: artifact.plan for path, artifact in graph.artifacts.items()},
            records=records,
        )

    def dependents(self, files: Iterable[str]) -> set[str]:
        """The artifacts of the last export that read one of ``files`` (written as
        :meth:`record_export` was told them); a profile's file names all its artifacts."""
        files = set(files)
        entries = {entry for entry, file in self._graph.entry_files.items() if file in files}
        profiles = {name for name, p in self._graph.profiles.items() if p.file in files}
        lists = {
            i for i, found in enumerate(self._graph.entry_lists) if not entries.isdisjoint(found)
        }
        return {
            path
            for path, artifact in self._graph.artifacts.items()
            if artifact.entries in lists or artifact.profile in profiles
        }

    def save(self) -> None:
        """Keep the graph, with the stamps of the files this run saw (only those: a file
        gone is dropped), when anything changed."""
        if self._blobs is None:
            return
        stamps = self.stamps.looked_up()
        if not self._changed and stamps == self._graph.stamps:
            return
        self._graph = msgspec.structs.replace(self._graph, stamps=stamps)
        self._blobs.put(GRAPH, self._name, _ENCODER.encode(self._graph))
        self._changed = False
        _bound(self._blobs.folder / GRAPH)

    def _read(self) -> _Graph:
        payload = self._blobs.get(GRAPH, self._name) if self._blobs is not None else None
        if payload is not None:
            with contextlib.suppress(msgspec.DecodeError, msgspec.ValidationError):
                found = _DECODER.decode(payload)
                if found.format == _FORMAT:
                    return found
        return _Graph(format=_FORMAT)


def _input_files(
    content: Path, exporters: Path, profiles: tuple[Profile, ...]
) -> Iterator[tuple[str, Path]]:
    """Every file a run reads, by the name it is digested under."""
    for folder, label in ((content, "content"), (exporters, "exporters")):
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file() and not path.name.startswith("."):
                    yield f"{label}/{path.relative_to(folder).as_posix()}", path
    # The code that reads them: a changed writer or check gives other output, even under
    # the same version (an editable install, a writer being written).
    folders = {_PACKAGE, *(_writer_folder(p.writer) for p in profiles)}
    for folder in sorted(folders):
        pattern = "**/*" if folder == _PACKAGE else "*.py"
        for path in sorted(folder.glob(pattern)):
            if path.suffix != ".pyc" and path.is_file():
                yield f"code/{folder.name}/{path.relative_to(folder).as_posix()}", path


_ENTITY_FOLDERS: Final = frozenset(f"content/{kind.name}" for kind in COLLECTIONS)


def _is_entity_file(name: str) -> bool:
    """Whether the input file digested as ``name`` is an entity's, as the loader reads
    it (a ``.yaml`` or ``.yml`` file below ``content/<collection>/``); everything else is
    the run's frame."""
    return name.endswith((".yaml", ".yml")) and name[: name.find("/", 8)] in _ENTITY_FOLDERS


@functools.cache
def _writer_folder(writer: type[Writer[Any]]) -> Path:
    return Path(inspect.getfile(writer)).resolve().parent


def _bound(folder: Path) -> None:
    """Keep the :data:`_KEPT` graphs written last in ``folder``."""
    with contextlib.suppress(OSError):
        found = sorted(os.scandir(folder), key=_written, reverse=True)
        for entry in found[_KEPT:]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _written(entry: os.DirEntry[str]) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_mtime_ns
    except OSError:
        return 0
