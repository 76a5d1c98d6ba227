"""Reasoned lint exceptions: ``lint_allow`` in a content file.

An editor who disagrees with the linter on one field records why, in the file itself::

    lint_allow:
      - rule: physiology-claim
        field: faq.items[2].question
        reason: A customer's own question, answered honestly in the answer below.

The list is read before the entity is structured (it is about the file's words, not part
of the content model) and kept with its positions, so the linter can waive exactly that
rule on exactly that field, report the waiver, and refuse an allowance that waives nothing.
"""

from __future__ import annotations

import re
from typing import Any, Final

import attrs

from spikecontent.diagnostics import Diagnostic
from spikecontent.loading.source_map import Position, SourceMap

__all__ = ["ALLOW_KEY", "Allowance", "read_allowances"]

ALLOW_KEY: Final = "lint_allow"
_FIELDS: Final = ("rule", "field", "reason")
_WORDS: Final = "words"
"""Optional: the allowance waives only findings whose words hold these (a sentence the
second opinion warns on, say), so that a claim written later in the same field is not
waived with it."""


@attrs.frozen(kw_only=True)
class Allowance:
    """One rule waived for one field of one file, and why."""

    rule: str
    field: str
    """As lint prints it: ``faq.items[2].question``."""
    reason: str
    file: str
    at: Position
    """Where the allowance is written (its ``rule`` key)."""
    words: str | None = None
    """When given, only findings whose words hold these are waived (case and spacing
    aside)."""

    def waives(self, excerpt: str) -> bool:
        """Whether the allowance covers a finding on ``excerpt`` (its rule and field
        matching): its words stand in it as whole words."""
        if self.words is None:
            return True
        pattern = rf"(?<!\w){re.escape(_plain(self.words))}(?!\w)"
        return re.search(pattern, _plain(excerpt)) is not None


def _plain(words: str) -> str:
    return " ".join(words.split()).casefold()


FEWEST_WORDS: Final = 3
"""An allowance's ``words`` are at least this many: one word ("blood", as lint shows what
weighed most) would stand in a later claim in the same field too."""


def read_allowances(
    data: dict[str, Any], source: SourceMap
) -> tuple[tuple[Allowance, ...], list[Diagnostic]]:
    """Take ``lint_allow`` out of ``data``; the allowances and what is wrong with them."""
    if ALLOW_KEY not in data:
        return (), []
    raw = data.pop(ALLOW_KEY)
    problems: list[Diagnostic] = []

    def problem(path: tuple[str | int, ...], message: str, fix: str) -> None:
        line, col = source.value((ALLOW_KEY, *path))
        field = ALLOW_KEY + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
        problems.append(
            Diagnostic(file=source.file, line=line, col=col, field=field, message=message, fix=fix)
        )

    if not isinstance(raw, list):
        problem((), "expected a list of allowances", "write '- rule: ...' items under lint_allow")
        return (), problems
    allowances = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            problem((index,), "expected rule, field and reason", "write rule:, field:, reason:")
            continue
        extra = sorted(set(item) - {*_FIELDS, _WORDS})
        for key in extra:
            problem(
                (index, key),
                f"unknown key {key!r}",
                "an allowance takes rule, field, reason and, optionally, words",
            )
        words = item.get(_WORDS)
        if _WORDS in item and not (isinstance(words, str) and len(words.split()) >= FEWEST_WORDS):
            problem(
                (index, _WORDS),
                f"words must be at least {FEWEST_WORDS} words of the sentence lint points at",
                "copy a few words of the sentence at the line and column lint gives (one"
                " word would waive a later claim that holds it too), or leave words out to"
                " waive the rule on the whole field",
            )
            continue
        values: dict[str, str] = {}
        for key in _FIELDS:
            value = item.get(key)
            if isinstance(value, str) and value.strip():
                values[key] = value.strip()
            else:
                fix = (
                    "say why this rule does not apply here; an allowance without a reason is"
                    " not accepted"
                    if key == "reason"
                    else f"name the {key} as lint prints it"
                )
                problem((index, key), f"the allowance needs a {key}", fix)
        if extra or len(values) < len(_FIELDS):
            continue
        allowances.append(
            Allowance(
                rule=values["rule"],
                field=values["field"],
                reason=values["reason"],
                file=source.file,
                at=source.value((ALLOW_KEY, index, "rule")),
                words=words.strip() if isinstance(words, str) else None,
            )
        )
    return tuple(allowances), problems
