"""Evidence that checks itself: each cited study matched to its record in Crossref and
PubMed (``spikecontent evidence check``), candidates proposed and accepted by an editor
(``spikecontent evidence accept``), and the lock that keeps exports offline
(:mod:`spikecontent.loading.evidence_lock`).

Only :mod:`spikecontent.evidence.registries` talks to the network (with httpx, the
``push`` extra); the command line imports it inside ``check`` alone, so ``validate``
and exports never load it.
"""

from __future__ import annotations

__all__: list[str] = []
