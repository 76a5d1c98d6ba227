"""Which warnings an export into the same folder printed already, so that each is said once
until its file changes.

Kept in the export's private folder, per warned file: that file's digest when the warnings
were said, one digest of the file's digest and all its warnings' texts, and a digest of
each text. A file whose warnings and bytes are as they were is passed over with one
digest; only the files whose digest moved (at 1,000 articles, the one changed article
among a thousand warned files and 12,000 warnings) are looked at warning by warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from spikecontent.diagnostics import Diagnostic
from spikecontent.store.file_digests import file_digest
from spikecontent.store.generations import private_folder
from spikecontent.store.signing import write_private

__all__ = ["SAID_FILE", "SaidWarnings"]

SAID_FILE: Final = "warnings-said.json"
"""In the export's private folder: what the last export printed (see the module)."""
_FORMAT: Final = 2

_Said = tuple[str, str, tuple[str, ...]]
"""A warned file's digest, the digest of it and its warnings' texts, each text's digest."""


class SaidWarnings:
    """The warnings the last export into ``out`` printed, by the file each is in: a
    warning is said again only when it is new or its file has changed since."""

    def __init__(self, out: Path) -> None:
        self.path = private_folder(out) / SAID_FILE
        self._digests: dict[str, str] = {}
        self._files: dict[str, _Said] = {}
        self._flat: dict[str, str] = {}
        """An older version's file: each text's digest and its file's digest."""
        try:
            said = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            said = {}
        if not isinstance(said, dict):
            return
        if said.get("format") != _FORMAT:
            self._flat = {str(k): str(v) for k, v in said.items()}
            return
        files = said.get("files")
        for file, entry in (files if isinstance(files, dict) else {}).items():
            with contextlib.suppress(TypeError, ValueError):
                digest, whole, keys = entry
                self._files[str(file)] = (str(digest), str(whole), tuple(map(str, keys)))

    def _digest(self, file: str) -> str:
        if file not in self._digests:
            try:
                # Read only if this process has not (the run's digest, the loader).
                self._digests[file] = file_digest(file)[0]
            except OSError:  # an artifact's path (a writer warning), or a file gone
                self._digests[file] = ""
        return self._digests[file]

    def new(self, warnings: Sequence[Diagnostic], texts: Sequence[str]) -> list[str]:
        """The ``texts`` of those ``warnings`` the last export did not print for their
        file as it is now, in their order; all of them are kept as printed for the next
        export (best effort: a folder that cannot take the file means they are printed
        again)."""
        by_file: dict[str, list[int]] = {}
        for index, warning in enumerate(warnings):
            by_file.setdefault(warning.file, []).append(index)
        fresh: set[int] = set()
        said: dict[str, _Said] = {}
        for file, indexes in by_file.items():
            digest = self._digest(file)
            # Each text length-prefixed: no two lists of texts give the same string.
            whole = _key("\0".join([digest, *(f"{len(texts[i])}:{texts[i]}" for i in indexes)]))
            last = self._files.get(file)
            if last is not None and last[1] == whole:
                said[file] = last  # the same file, the same warnings: none is new
                continue
            keys = tuple(_key(texts[i]) for i in indexes)
            before = set(last[2]) if last is not None and last[0] == digest else set()
            fresh.update(
                index
                for index, key in zip(indexes, keys, strict=True)
                if key not in before and self._flat.get(key) != digest
            )
            said[file] = (digest, whole, keys)
        if said != self._files or self._flat:  # an older version's file is replaced once
            self._write(said)
        return [text for index, text in enumerate(texts) if index in fresh]

    def _write(self, said: dict[str, _Said]) -> None:
        # Through a fresh private file, never a predictable name: the folder beside the
        # output may be writable by others, who could plant a link there.
        document = {"format": _FORMAT, "files": dict(sorted(said.items()))}
        write_private(self.path, json.dumps(document).encode())


def _key(text: str) -> str:
    # A digest rather than the text: at 1,000 articles the 12,000 warnings' texts made a
    # 6 MB file written on every export.
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
