"""What ``export`` wrote, read only as it was written.

The output folder is writable by more people than are trusted (docs/security.md: anyone
who can write it is trusted with nothing), and what a push sends reaches customers. So a
push reads a file only when its bytes have the SHA-256 the export recorded: in the
manifest (``manifest.json`` in the output folder) and, when there is one, in the build
state kept beside the output folder (readable and writable by its owner only, so an edit
of both the file and the manifest is still caught). A file changed after the export is an
error that says to export again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from spikecontent.pipeline.manifest import MANIFEST, read_state
from spikecontent.push.client import PushError

__all__ = ["Export"]


class Export:
    """The export shown by the output folder ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        path = out / MANIFEST
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            self.recorded = {str(item["path"]): str(item["sha256"]) for item in data["artifacts"]}
        except FileNotFoundError:
            raise PushError(f"{path} is missing: run spikecontent export first") from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise PushError(
                f"{path} is not an export's manifest ({type(error).__name__}):"
                " run spikecontent export again"
            ) from None
        self.state = {p: r.sha256 for p, r in read_state(out).records.items()}
        """The digests in the private build state; empty when there is none (an output
        copied from elsewhere: then the manifest alone vouches for the files)."""

    def has(self, relative: str) -> bool:
        """Whether the export wrote ``relative`` (``/``-separated, in the output folder)."""
        return relative in self.recorded

    def read(self, relative: str) -> bytes:
        """The bytes of ``relative``, checked against the export's digests."""
        path = self.out / relative
        if relative not in self.recorded:
            if path.exists():
                raise PushError(
                    f"{path} is not in the export's manifest: it was put there after the"
                    " export; run spikecontent export again"
                )
            raise PushError(f"{path} is missing: run spikecontent export first")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise PushError(f"{path}: cannot read it ({error.strerror})") from None
        digest = hashlib.sha256(data).hexdigest()
        for source, digests in (("manifest", self.recorded), ("build state", self.state)):
            if digests and digests.get(relative) != digest:
                raise PushError(
                    f"{path} is not the file the export wrote (its SHA-256 differs from the"
                    f" export's {source}): it was changed after the export, and what it holds"
                    " has passed no check; run spikecontent export again"
                )
        return data

    def json(self, relative: str) -> Any:
        """:meth:`read`, decoded as JSON."""
        try:
            return json.loads(self.read(relative))
        except ValueError as error:
            raise PushError(
                f"{self.out / relative}: not JSON ({error}); run spikecontent export again"
            ) from None
