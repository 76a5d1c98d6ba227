"""Committing: the export's fifth and last step, once every artifact was staged.

Into the new generation: ``manifest.json`` (the artifacts of every profile that ran, and
of those that did not, as the last export wrote them) and the pruning of what is no longer
made. Beside it: the build state (private: it names drafts). The stamps of the files just
written, then the switch of the output link to the new generation in one rename, and the
part indexes of pruned outputs dropped. The output shows the last export or this one,
never a mix.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from spikecontent.pipeline.changes import Changes, LastExport
from spikecontent.pipeline.manifest import (
    MANIFEST,
    BuildState,
    Record,
    file_stamp,
    manifest_bytes,
    remember_state,
    state_bytes,
)
from spikecontent.pipeline.output import prune, write_atomically
from spikecontent.pipeline.parts import PartStore
from spikecontent.pipeline.planning import Job

__all__ = ["commit"]


def commit(
    state: BuildState,
    jobs: tuple[Job, ...],
    changes: Changes,
    last: LastExport,
    parts: PartStore,
    ran: set[str] | None,
) -> tuple[str, ...]:
    """Commit ``state`` (the records of ``changes.todo``, just staged; those of the other
    ``jobs`` are taken from the last export) and switch the output to it; the paths
    pruned. ``ran`` names the profiles that ran when ``--only`` chose them."""
    records = dict(state.records)
    for job in jobs:
        if job.path not in records:  # skipped: as last written
            records[job.path] = last.state.records[job.path]
    new = changes.new
    saved = attrs.evolve(state, records=records)
    state_file = last.generations.state_file(new)
    stale = _save_state(new, state_file, saved, last.state, ran, changes.missing)
    for job in changes.todo:
        last.stamps.wrote(new, records[job.path])
    last.generations.switch(new)
    parts.forget(stale)
    return stale


def _save_state(
    root: Path,
    state_file: Path,
    new: BuildState,
    old: BuildState,
    ran: set[str] | None,
    missing: frozenset[str],
) -> tuple[str, ...]:
    """Write the manifest of a successful run into the new generation ``root`` and its
    build state to ``state_file`` (beside the output, private), then prune what it no
    longer makes; the pruned paths. Outputs of profiles that did not run keep their
    records (``ran`` names the profiles that did, when ``--only`` chose them) if the new
    generation holds their files (``missing`` names those it could not take)."""
    records: dict[str, Record] = dict(new.records)
    for path, record in old.records.items():
        if ran is None or record.profile in ran or path in missing:
            continue
        records.setdefault(path, record)
    stale = tuple(sorted(set(old.records) - set(records)))
    write_atomically(root / MANIFEST, manifest_bytes(records))
    saved = attrs.evolve(new, records=records)
    write_atomically(state_file, state_bytes(saved), private=True)
    remember_state(file_stamp(state_file), saved)
    prune(root, list(stale))
    return stale
