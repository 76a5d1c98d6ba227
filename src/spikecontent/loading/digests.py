"""The digest of an entity's data: what an incremental export compares to decide what to
render again.

Entries are digested from their model data (as the converter unstructures it), not their
file bytes, so reformatting a YAML file or editing a comment changes nothing. The load
cache keeps each entity's digest with it: a later export does not unstructure and encode
1,000 unchanged entities again to learn what it already knew.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from spikecontent.loading.converter import unstructure
from spikecontent.store.memo import per_object

__all__ = ["compact_json", "data_digest", "digest_json"]


def digest_json(data: Any) -> str:
    """SHA-256 of ``data`` as canonical JSON."""
    return hashlib.sha256(compact_json(data).encode("utf-8")).hexdigest()


def compact_json(data: Any) -> str:
    """``data`` as canonical JSON: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# Kept with the entity: a process exporting again (--watch) digests only the entities that
# changed, and the load cache gives it back with each entity it keeps.
@per_object
def data_digest(entity: Any) -> str:
    """The digest of ``entity``'s data."""
    return digest_json(unstructure(entity))
