"""``validate`` as a library call, answered from the dependency graph when nothing changed.

A project validates to the same report for the same inputs: its content and profile
files, spikecontent's code and each writer's (with their templates and lint rules), the
health-object vocabulary, the paths as given (they are in the messages) and the day (the
evidence lock's age warnings). The last report is kept with the project's graph
(:mod:`.graph`) in the user's cache, under the digest of all of those: a process that
finds them unchanged by a stat prints it without loading anything. Reports of content
that fails are not kept; any doubt takes the full path, which keeps checked entities and
lint findings in the same store as export does in its own (the load cache and the
findings cache: after an edit, only the changed files are parsed and linted again; the
store holds the last project validated's).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Final

from spikecontent.diagnostics import ContentError
from spikecontent.lint.vocabulary import vocabulary_digest
from spikecontent.pipeline.graph import InputGraph, Report
from spikecontent.pipeline.profiles import load_profiles
from spikecontent.pipeline.registry import Registry
from spikecontent.store import user_cache_folder
from spikecontent.store.collector import collector_paused

__all__ = ["VALIDATE_STORE", "validate_folders"]

VALIDATE_STORE: Final = "projects"
"""The store of ``validate``'s graphs, in the user's cache folder."""


def validate_folders(
    content: Path,
    exporters: Path,
    *,
    lint: bool = True,
    store: Path | None = None,
    registry: Registry | None = None,
    today: datetime.date | None = None,
) -> Report:
    """Check ``content`` against the profiles in ``exporters`` (and lint it, with
    ``lint``) as export does; its warnings and summary, or :class:`ContentError`. With
    the same inputs as the last time, the last report (``store``: the user cache's
    by default)."""
    today = today or datetime.date.today()
    store = store or user_cache_folder() / VALIDATE_STORE
    graph = InputGraph(store, content, exporters)
    profiles, problems = load_profiles(exporters, registry or Registry.installed())
    settings = {
        "validate": lint,
        "content": str(content),
        "exporters": str(exporters),
        "today": today.isoformat(),
        "vocabulary": vocabulary_digest(),
    }
    run = "" if problems else graph.run_digest(profiles, False, settings)
    found = graph.report(run) if run else None
    if found is None:
        # Imported only on this path: the last report needs none of the checks.
        from spikecontent.loading.evidence_lock import lock_warnings
        from spikecontent.loading.loader import load
        from spikecontent.pipeline.project import check_project, unread_override_warnings

        # As in an export: the library lives on (the load cache keeps it), so full
        # collections would only walk it again (see spikecontent.store.collector).
        with collector_paused():
            if lint:
                project = check_project(content, profiles, problems, cache=store)
                library, warnings = project.library, [str(w) for w in project.lint_warnings]
            else:
                # The profiles are checked as without --no-lint: only the lint is left out.
                try:
                    library = load(content, cache=store)
                except ContentError as error:
                    raise ContentError([*problems, *error.diagnostics]) from None
                if problems:
                    raise ContentError(problems)
                warnings = [str(w) for w in unread_override_warnings(profiles)]
            warnings.extend(str(w) for w in lock_warnings(content, library, today))
        counts = ", ".join(
            f"{len(items)} {noun if len(items) == 1 else plural}"
            for items, noun, plural in (
                (library.articles, "article", "articles"),
                (library.studies, "study", "studies"),
                (library.cautions, "caution", "cautions"),
            )
        )
        found = Report(warnings=tuple(warnings), summary=f"{content}: OK ({counts})")
        if run:
            graph.keep_report(run, found)
    graph.save()
    return found
