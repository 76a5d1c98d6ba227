"""Which files a batch of changes saved: temporary files that came and went are none."""

from __future__ import annotations

from pathlib import Path

from watchfiles import Change

from spikecontent.saves import saved_files


def test_sed_in_place_saves_the_file_it_edits_only(tmp_path: Path) -> None:
    edited = tmp_path / "article.yaml"
    edited.write_text("a: 2\n")
    temporary = str(tmp_path / "sedAbC123")  # written, then renamed over the file
    changes = {(Change.added, temporary), (Change.deleted, temporary), (Change.added, str(edited))}

    assert saved_files(changes) == [edited]


def test_a_file_made_and_removed_within_the_batch_is_no_save(tmp_path: Path) -> None:
    probe = str(tmp_path / "4913")  # vim's test of the folder, before it writes

    assert saved_files({(Change.added, probe), (Change.deleted, probe)}) == []


def test_removals_and_files_written_anew_are_saves(tmp_path: Path) -> None:
    removed = tmp_path / "gone.yaml"  # it was there before the batch
    rewritten = tmp_path / "article.yaml"  # removed, then written again
    rewritten.write_text("a: 1\n")
    changes = {
        (Change.deleted, str(removed)),
        (Change.deleted, str(rewritten)),
        (Change.added, str(rewritten)),
        (Change.modified, str(tmp_path / "site.yaml")),
    }

    assert saved_files(changes) == [rewritten, removed, tmp_path / "site.yaml"]
