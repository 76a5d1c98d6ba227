"""A structural finding at a field of a content entry, before the linter places it."""

from __future__ import annotations

import attrs

from spikecontent.lint.rules import Level
from spikecontent.model import EntryKey
from spikecontent.model.fields import FieldPath

__all__ = ["Issue"]


@attrs.frozen(kw_only=True)
class Issue:
    """A structural finding at a field of a content entry.

    Not yet a :class:`~spikecontent.diagnostics.Diagnostic`: the linter places it in the
    entry's file (``file:line:col``) from the entry's source map.
    """

    entry: EntryKey
    path: FieldPath
    rule: str
    level: Level
    message: str
    suggestion: str
    needle: str | None = None
    """Words to point at inside the field, when the finding is about some of them."""
    related: tuple[EntryKey, FieldPath] | None = None
    """Another field the finding is about (the caution a safety claim contradicts); the
    linter names its ``file:line:col`` in the message."""
