"""Citations of studies the registries no longer stand behind: retracted, withdrawn, or
under an expression of concern, as ``evidence.lock.yaml`` records them.

An error on the citation, which a ``lint_allow`` with a reason may waive for an article
that discusses the retraction (the linter then shows the finding as allowed, with the
reason, and reports an allowance that waives nothing). Not cached with the article's
findings: the lock is not one of the article's files.
"""

from __future__ import annotations

from collections.abc import Iterator

from spikecontent.lint.rules import Level
from spikecontent.loading.evidence_lock import RETRACTED_RULE, EvidenceLock, lock_place
from spikecontent.loading.findings import Finding
from spikecontent.model import ARTICLES, Library

__all__ = ["undermined_citations"]


def undermined_citations(library: Library, lock: EvidenceLock | None) -> Iterator[Finding]:
    """One error per citation of a study whose record the lock holds as undermined."""
    if lock is None:
        return
    for article in library.articles:
        if article.research is None:
            continue
        for position, citation in enumerate(article.research.citations):
            record = library.study(citation.study).record
            notices = [n for n in record.updates if n.kind.undermines] if record else []
            if not notices:
                continue
            kinds = ", ".join(sorted({notice.kind.value for notice in notices}))
            at = lock_place(lock, ("studies", citation.study, "record", "updates"))
            yield Finding(
                entry=ARTICLES.key_of(article),
                path=("research", "citations", position, "study"),
                rule=RETRACTED_RULE,
                level=Level.ERROR,
                message=(
                    f"cites {citation.study}, which the registries record as {kinds}"
                    f" ({at}): a study in this state cannot back a finding"
                ),
                fix=(
                    "remove the citation and what rests on it; to discuss the retraction,"
                    f" add lint_allow with rule {RETRACTED_RULE}, this field and a reason"
                ),
            )
