"""What the delivery API serves, apart from HTTP: the entries as documents with their
``sys`` and reference depth, the content's history for the sync feed, filters, orders,
projections and full-text search, reader-facing labels, and the publish hook's webhooks.

It stands between the writers and the API: documents come from the model through the
json writer's own functions and encoder, so the API serves what the export writes.
"""

from spikecontent.pipeline.history import HISTORY_FILE, Entry, History, TokenError, read_history
from spikecontent.writers.json_output import json_document

__all__ = [
    "HISTORY_FILE",
    "Entry",
    "History",
    "TokenError",
    "json_document",
    "read_history",
]
