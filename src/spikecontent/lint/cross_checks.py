"""Checks of an article's words against its own content: safety and study citations.

- **Safe for a cautioned group.** A sentence that calls the product safe (or suitable,
  harmless) and names a group the article's own cautions name ("safe during pregnancy"
  beside a caution on pregnancy) is an error at the sentence, pointing at the caution too.
  A sentence that sends the reader to a doctor ("check with your doctor that it is safe
  for you") or denies the safety is not one.
- **"Studies show" without a study.** A sentence that appeals to research in general
  ("research shows", "studies have found") must be near a citation: in a field that names
  one of the article's cited studies (its year with a study word, or an author), or in the
  research section and its evidence table. Otherwise it is a warning: say which study.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from spikecontent.lint.citations import SENTENCE, study_mentions
from spikecontent.lint.rules import Level, Scope
from spikecontent.lint.texts import Text
from spikecontent.loading.findings import Finding
from spikecontent.model import CAUTIONS, Article, Caution, Library

__all__ = ["cross_check_issues"]

_SAFE = re.compile(r"\b(?:safe|safely|harmless|risk-free|suitable|gentle enough)\b", re.IGNORECASE)
_SAFE_WORDS = ("safe", "harmless", "risk-free", "suitable", "gentle enough")
"""Each word :data:`_SAFE` finds holds one of these."""
_NOT_SAFE = re.compile(
    r"\b(?:not|n't|never|no|unsafe|isn't|aren't)\b(?:\W+\w+){0,2}\W+(?:safe|suitable|harmless)\b"
    r"|\b(?:ask|check with|talk to|consult|speak to|see) (?:your|a|an)\b",
    re.IGNORECASE,
)
# Words of a caution's group too general to identify it ("Reduced skin sensation (for
# example from diabetes ...)": "diabetes" names the group, "reduced" does not).
_GENERAL = frozenset(
    (
        "reduced",
        "broken",
        "infected",
        "irritated",
        "sensation",
        "example",
        "conditions",
        "condition",
        "disorders",
        "disorder",
        "problems",
        "people",
        "anyone",
        "someone",
        "before",
        "should",
    )
)
_RESEARCH = re.compile(
    r"\b(?:research|studies|science|trials|evidence|scientists)\s+"
    r"(?:consistently\s+|also\s+|now\s+)?"
    r"(?:shows?|has shown|have shown|proves?|have found|has found|finds|suggests?|confirms?)\b",
    re.IGNORECASE,
)
_RESEARCH_WORDS = ("research", "studies", "science", "trials", "evidence", "scientists")
"""One of these starts each appeal :data:`_RESEARCH` finds."""


def _found(folded: str, words: tuple[str, ...], pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` is in ``text``, asked only when one of ``words`` is in
    ``folded`` (``text`` casefolded)."""
    return any(word in folded for word in words) and pattern.search(text) is not None


@functools.lru_cache(maxsize=4096)
def _appeals(text: str) -> tuple[bool, bool]:
    """Whether ``text`` calls something safe, and whether it appeals to research.

    Kept for the text: articles share FAQ answers, tips and whole paragraphs, and most of
    a check's cost was asking each copy again."""
    # The words are looked for first as they are (``in`` is many times faster than the
    # patterns' search, which tries each position): casefolded, as IGNORECASE matches them.
    folded = text.casefold()
    return _found(folded, _SAFE_WORDS, _SAFE, text), _found(
        folded, _RESEARCH_WORDS, _RESEARCH, text
    )


def cross_check_issues(
    library: Library, article: Article, texts: Iterable[Text]
) -> Iterator[Finding]:
    """Every cross-check finding in ``article``'s ``texts``."""
    texts = [t for t in texts if t.scope is not Scope.NOT_ESTABLISHED]
    cautions = [library.caution(i) for i in article.cautions.items] if article.cautions else []
    groups = [(c, words) for c in cautions if (words := _group_words(c)) is not None]
    cited = [library.study(c.study) for c in article.research.citations] if article.research else []
    for text in texts:
        # A sentence is the text between punctuation marks: a word found in one is found
        # in the whole text, and most texts hold none, so they are not split at all.
        safe, research = _appeals(text.text)
        safety = bool(groups) and safe
        # The research section and its summary table sit beside the citations.
        beside = text.path[0] in ("research", "evidence_table") or not cited
        appeal = not beside and research
        if not (safety or appeal):
            continue
        sentences = [s.strip() for s in SENTENCE.findall(text.text) if s.strip()]
        for sentence in sentences if safety else ():
            if not _SAFE.search(sentence) or _NOT_SAFE.search(sentence):
                continue
            for caution, words in groups:
                if words.search(sentence):
                    yield _safe_for(text, sentence, caution)
                    break
        if not appeal:
            continue
        general = [s for s in sentences if _RESEARCH.search(s)]
        if general and not any(study_mentions(study).search(text.text) for study in cited):
            yield Finding(
                entry=text.entry,
                path=text.path,
                rule="structure.research-uncited",
                level=Level.WARNING,
                message="appeals to research in general without naming the study",
                fix="name the study it rests on (its year and design, e.g. 'a 2012"
                " pilot study of 42 people'), or leave the finding to the research section",
                needle=general[0][:40],
            )


def _safe_for(text: Text, sentence: str, caution: Caution) -> Finding:
    return Finding(
        entry=text.entry,
        path=text.path,
        rule="structure.safe-for-caution",
        level=Level.ERROR,
        message=f"calls the product safe for a group the article's cautions name"
        f" ({caution.applies_to!r})",
        fix="remove the safety claim; people in this group should check with a"
        " doctor first, as the caution says",
        needle=sentence[:40],
        related=(CAUTIONS.key_of(caution), ("applies_to",)),
    )


def _group_words(caution: Caution) -> re.Pattern[str] | None:
    words = [
        w for w in re.findall(r"[A-Za-z]{5,}", caution.applies_to) if w.lower() not in _GENERAL
    ]
    if not words:
        return None
    # The stem (the first six letters) also finds "pregnant" for "Pregnancy".
    stems = sorted({re.escape(w.lower()[:6]) for w in words})
    return re.compile(rf"\b(?:{'|'.join(stems)})\w*", re.IGNORECASE)
