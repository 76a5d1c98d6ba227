"""What a push made in a helpdesk that keeps no metadata of ours: macro id -> remote id.

Help Scout saved replies and Freshdesk canned responses have no field for an identity of
our own (no external id, no description, no tag), and a marker hidden in the reply body
would travel in every email sent with it. So the push keeps the identity itself: one
ledger per helpdesk account, in the output's private folder, rewritten atomically after
every write, so a push cut off half-way knows exactly what it had made.

Each entry also keeps the digest of the body last sent: these helpdesks rewrite the HTML
they store (Freshdesk wraps it in its own ``<div>``), so "unchanged" means "the same body
as we last sent", not "equal to what the helpdesk returns".

A ledger is not trusted to name what may be written over or retired: an entry edited to
claim a reply this tool never made would have a push overwrite it (an entry whose digest
differs is an update) or ``--prune`` delete it. So each entry also keeps the *mark* of the
body last sent (:func:`reply_mark`: a digest of its title and of its text as a reader sees
it, which the helpdesks' rewriting of the HTML leaves alone), and a reply is updated or
retired only when the helpdesk's record of it still has that mark.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Final

import attrs

from spikecontent.push.client import PushError

__all__ = ["Ledger", "LedgerEntry", "body_digest", "reply_mark"]

_FORMAT: Final = 1
_TAG: Final = re.compile(r"<[^>]*>")


def body_digest(body: dict[str, Any]) -> str:
    """A digest of a request body, independent of key order."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def reply_mark(title: object, body_html: object) -> str:
    """A digest of a reply's title and of its HTML's text as a reader sees it (tags
    dropped, entities decoded, white space collapsed): equal for the body sent and the
    helpdesk's rewriting of it, different for another reply."""
    text = html.unescape(_TAG.sub(" ", str(body_html or "")))
    seen = f"{' '.join(str(title or '').split())}\n{' '.join(text.split())}"
    return hashlib.sha256(seen.encode()).hexdigest()


@attrs.frozen(kw_only=True)
class LedgerEntry:
    """One macro this tool made: the helpdesk's id for it, the body last sent and its
    :func:`reply_mark` (None in a ledger from before marks were kept)."""

    remote: int | str
    digest: str
    mark: str | None = None


class Ledger:
    """The macros pushed to one helpdesk account, by macro id."""

    def __init__(self, path: Path, entries: dict[str, LedgerEntry]) -> None:
        self.path = path
        self.entries = entries

    @classmethod
    def open(cls, folder: Path, target: str, account: str) -> Ledger:
        """The ledger of ``target`` at ``account`` (its base URL and scope), empty if none."""
        key = hashlib.sha256(account.encode()).hexdigest()[:16]
        path = folder / f"{target}-{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path, {})
        except (OSError, ValueError) as error:
            raise PushError(f"{path}: cannot read the push ledger ({error})") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise PushError(f"{path}: not a push ledger of this version")
        try:
            entries = {
                str(macro): LedgerEntry(
                    remote=entry["remote"], digest=entry["digest"], mark=entry.get("mark")
                )
                for macro, entry in data["macros"].items()
            }
        except (AttributeError, KeyError, TypeError):
            raise PushError(f"{path}: not a push ledger of this version") from None
        return cls(path, entries)

    def record(self, macro: str, remote: int | str, digest: str, mark: str | None) -> None:
        """Remember that ``macro`` is ``remote`` in the helpdesk, last sent as ``digest``
        with the mark ``mark``."""
        self.entries[macro] = LedgerEntry(remote=remote, digest=digest, mark=mark)
        self._save()

    def forget(self, macro: str) -> None:
        """``macro`` was retired."""
        self.entries.pop(macro, None)
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": _FORMAT,
            "macros": {
                macro: {"remote": entry.remote, "digest": entry.digest}
                | ({} if entry.mark is None else {"mark": entry.mark})
                for macro, entry in sorted(self.entries.items())
            },
        }
        # Write beside, then rename: a kill leaves the old ledger or the new one, never half.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=1)
                stream.write("\n")
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
