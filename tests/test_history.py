"""The content's history (pipeline/history.py): steps recorded only when the delivered
entries change, revisions that follow what a document holds, tokens that name a step of
one history and no other, and a file that gives the same bytes for the same contents."""

from __future__ import annotations

from pathlib import Path

import pytest

import spikecontent
from spikecontent.pipeline import private_folder
from spikecontent.pipeline.history import (
    HISTORY_FILE,
    History,
    TokenError,
    compare,
    delivered_entries,
    read_history,
    record_history,
)
from tests.conftest import ARTICLE, SLUG, Project

STUDY = ("Study", "hohmann-2012")


def entries(project: Project) -> dict[tuple[str, str], str]:
    library = spikecontent.load(project.content)
    return delivered_entries(library, library.published_articles())


def test_the_entries_are_the_articles_and_what_they_use(tmp_path: Path) -> None:
    found = entries(Project(tmp_path))
    assert ("Article", SLUG) in found
    assert STUDY in found
    assert {kind for kind, _ in found} == {"Article", "Study", "Caution"}
    assert all(len(revision) == 32 for revision in found.values())


def test_a_revision_changes_with_the_entry_and_what_it_references(tmp_path: Path) -> None:
    project = Project(tmp_path)
    before = entries(project)
    project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")
    after = entries(project)
    changed = {entry for entry in after if after[entry] != before.get(entry)}
    # The study, and the article whose document inlines it; nothing else.
    assert changed == {STUDY, ("Article", SLUG)}


def test_steps_are_recorded_only_for_changes_and_replay_to_each_state(tmp_path: Path) -> None:
    project = Project(tmp_path)
    private = tmp_path / "private"
    first = record_history(private, spikecontent.load(project.content))
    assert first.head == 1
    body = (private / HISTORY_FILE).read_bytes()
    assert record_history(private, spikecontent.load(project.content)).head == 1
    assert (private / HISTORY_FILE).read_bytes() == body  # nothing changed: same bytes
    project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")
    second = record_history(private, spikecontent.load(project.content))
    assert second.head == 2
    assert read_history(private / HISTORY_FILE) == second
    changes = compare(second.state(1), second.state())
    assert [entry for entry, _ in changes.updated] == [("Article", SLUG), STUDY]
    assert changes.created == changes.deleted == ()
    project.edit(ARTICLE, "status: published", "status: draft")
    third = record_history(private, spikecontent.load(project.content))
    assert third.state() == {}  # nothing is published: every entry deleted
    deleted = compare(third.state(2), third.state()).deleted
    assert ("Article", SLUG) in deleted
    assert STUDY in deleted


def test_a_token_names_a_step_of_its_own_history_only() -> None:
    one = History().advance({("Article", "a"): "r1"}).advance({("Article", "a"): "r2"})
    other = History().advance({("Article", "b"): "r1"})
    assert one.step_of(one.token(1)) == 1
    assert one.step_of(one.token()) == 2
    assert one.token(1).startswith(one.lineage)
    with pytest.raises(TokenError, match="start again without one"):
        other.step_of(one.token(1))
    with pytest.raises(TokenError, match="step 3 is not recorded"):
        one.step_of(f"{one.lineage}.3")
    with pytest.raises(TokenError):
        one.step_of("garbage")
    assert History().step_of(History().token()) == 0


def test_each_export_that_changes_an_entry_records_a_step(tmp_path: Path) -> None:
    """The export's one call: a step for changed content, none for an export of the same."""
    project = Project(tmp_path)
    path = private_folder(project.out) / HISTORY_FILE

    def export(**options: object) -> int:
        report = project.export(only=["json"], **options)
        assert report.ok, report.failed
        return read_history(path).head

    assert export() == 1
    assert read_history(path).state() == entries(project)
    assert export(force=True) == 1
    project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")
    assert export() == 2
    assert read_history(path).state() == entries(project)
