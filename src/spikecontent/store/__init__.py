"""The incremental engine's machinery, in one place, below every layer that uses it.

- :mod:`.blobs`: signed, content-addressed blobs by kind and digest, pruned to what a run
  used: the load cache's entities, writers' remembered values, composed artifacts' part
  indexes, lint findings, the health-object vocabulary. Each layer keeps only its keys.
- :mod:`.stamps`: the stat-stamp table (a file's inode, size and time, and its digest),
  in memory for the content files (:mod:`.file_digests`) or on disk for the outputs.
- :mod:`.signing`: the user's signing key, and private files written whole.
- :mod:`.memo`: values computed once per live model object.
- :mod:`.generations`: the output folder as generations switched whole;
  :mod:`.durable`, :mod:`.memory`, :mod:`.libc`, :mod:`.collector`: one flush of the file
  system, memory given back, the C library's functions, full collections held off.

It imports nothing of spikecontent but the base modules (``tempfiles``, ``diagnostics``).
"""

from spikecontent.store.blobs import MISSING, Blobs
from spikecontent.store.signing import signing_key, user_cache_folder, write_private
from spikecontent.store.stamps import StampTable, settled

__all__ = [
    "MISSING",
    "Blobs",
    "StampTable",
    "settled",
    "signing_key",
    "user_cache_folder",
    "write_private",
]
