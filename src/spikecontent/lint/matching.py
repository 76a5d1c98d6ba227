"""Find rule matches in a text, leaving out negated, hedged and attributed ones.

Context decides whether words are a claim. "Mats do not cure back pain" denies one;
"confident promises — better circulation" reports someone else's; a quoted phrase after
"sellers say" is attributed. So a match is *not* a finding when, within its clause:

- a negation cue comes shortly before it ("not", "no", "never", "without", "myth", a
  denying noun like "promises" or "claims" that no pronoun makes first-person), or a
  denial follows it ("... is not supported", "no evidence");
- an ``unless`` pattern of the rule is within its window (hedges such as "pilot");
- it sits in quotation marks introduced by someone else's claim ("sellers say", "so-called",
  "marketed as"), or is reported as someone else's words in its own clause ("some brands
  say their mats boost the immune system", "if someone tells you a mat is safe").

Clauses end at sentence ends, semicolons, colons and contrast words ("but", "however"),
so "It won't cure anything, but it relieves back pain" is still caught.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import attrs

from spikecontent.lint.rules import Kind, Rule

__all__ = ["Match", "Matcher", "find_matches"]

_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
_CLAUSE_END = re.compile(
    r"[.!?;:]+(?=\s|$)|\n|\b(?:but|however|although|though|whereas|yet)\b", re.IGNORECASE
)
_NEGATION_WINDOW = 10
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nor",
        "neither",
        "without",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "hadn't",
        "shouldn't",
        "wouldn't",
        "couldn't",
        "mustn't",
        "unproven",
        "untested",
        "unsupported",
        "unestablished",
        "unlikely",
        "lack",
        "lacks",
        "lacking",
        "myth",
        "myths",
        "skeptical",
        "sceptical",
        "doubt",
        "doubtful",
        "rather",
        "instead",
        "nothing",
        "none",
        "whether",
    ]
)
# Nouns and verbs that report a claim as someone else's; "we promise" makes it ours again.
_DISTANCING = frozenset(
    [
        "claim",
        "claims",
        "claimed",
        "promise",
        "promises",
        "promised",
        "supposedly",
        "allegedly",
        "so-called",
        "purported",
        "purportedly",
        "marketed",
        "advertised",
        "hype",
        "idea",
        "notion",
        "belief",
        "theory",
    ]
)
_FIRST_PERSON = frozenset(["we", "i", "our", "us", "you", "they", "can", "will", "shall"])
_NOT_A_NEGATION = re.compile(r"\bnot only\b|\bno doubt\b|\bnothing but\b", re.IGNORECASE)
_DENIED_AFTER = re.compile(
    r"^\s*(?:that\s+)?(?:no|not|nothing|little)\b|"
    r"\b(?:(?:is|are|was|were|has|have|remains?|been)\s+(?:not|never)\s+(?:been\s+)?"
    r"(?:proven|established|supported|shown|demonstrated|backed)|unproven|untested|unsupported|"
    r"(?:is|are)n['\u2019]t\s+(?:proven|established|supported|backed)|"
    r"(?:is|are|was|were|remains?)\s+(?:still\s+)?(?:limited|weak|mixed|inconclusive|unclear|"
    r"lacking|thin|sparse|preliminary|an open question|unknown)|"
    r"(?:no|little|weak)\s+(?:good\s+|strong\s+|reliable\s+|clear\s+)?evidence)\b",
    re.IGNORECASE,
)
_QUOTES = re.compile(
    r"\"[^\"\n]*\"|\u201c[^\u201d\n]*\u201d|\u2018[^\u2019\n]*\u2019|(?<!\w)'[^'\n]*'(?!\w)"
)
_ATTRIBUTION = re.compile(
    r"\b(?:sellers|brands|marketers|retailers|companies|ads|adverts|advertisers|websites|"
    r"sites|listings|others|influencers|manufacturers)\b[^.!?\n]*$|"
    r"\b(?:so-called|marketed as|advertised as|sold as|billed as|claims? (?:that|of)|"
    r"promises? (?:that|of)|that mats|that they)\s*$",
    re.IGNORECASE,
)


# Reported speech: the claim is what others say, in the clause that reports it.
_REPORTED = re.compile(
    r"\b(?:(?:some|many|other|most) (?:sellers|brands|marketers|retailers|companies|ads|adverts|"
    r"advertisers|websites|sites|listings|influencers|manufacturers|people|articles)|sellers|"
    r"brands|marketers|advertisers|influencers|someone|anyone|they)\b(?:\s+\w+){0,2}\s+"
    r"(?:say|says|said|claim|claims|claimed|promise|promises|promised|suggest|suggests|"
    r"tells? you|told you|insist|insists)\b",
    re.IGNORECASE,
)


@attrs.frozen(kw_only=True)
class Match:
    """A finding's place in the text: ``text[start:end]`` is the offending words."""

    rule: Rule
    start: int
    end: int
    replacement: str | None = None


class Matcher:
    """Finds the matches of a set of rules; build one per set and reuse it."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        # Where any rule could match: its tokens (a near rule needs them too) or swaps.
        self._triggers = tuple(p for rule in rules for p in (*rule.tokens, *rule.swap))

    def find(self, text: str) -> Iterator[Match]:
        """Every finding in ``text``, in rule order, then text order."""
        if not self.rules:
            return
        scan, folded = _folded(text)
        # Most fields hold no rule's words at all: one scan for any of them rules those out.
        if not _any_of(self._triggers, folded).search(scan):
            return
        for rule in self.rules:
            for match in _raw_matches(scan, rule, folded):
                if not _exempt(text, match):
                    yield match


def find_matches(text: str, rules: tuple[Rule, ...]) -> Iterator[Match]:
    """Every finding of ``rules`` in ``text``, in rule order, then text order."""
    return Matcher(rules).find(text)


def _folded(text: str) -> tuple[str, bool]:
    """The text lower-cased when that keeps every offset, which lets patterns match
    case-sensitively (several times faster than ``re.IGNORECASE``); else the text as is."""
    lower = text.lower()
    return (lower, True) if len(lower) == len(text) else (text, False)


def _raw_matches(text: str, rule: Rule, folded: bool) -> Iterator[Match]:
    if rule.extends is Kind.SUBSTITUTION:
        for pattern, replacement in rule.swap.items():
            for found in _compiled(pattern, folded).finditer(text):
                yield Match(
                    rule=rule, start=found.start(), end=found.end(), replacement=replacement
                )
        return
    firsts = list(_any_of(rule.tokens, folded).finditer(text))
    if rule.extends is Kind.EXISTENCE:
        for found in firsts:
            yield Match(rule=rule, start=found.start(), end=found.end())
        return
    seconds = _near_spans(text, rule, folded) if firsts else []
    used: set[tuple[int, int]] = set()
    for first in firsts:
        for second_start, second_end in seconds:
            start, end = min(first.start(), second_start), max(first.end(), second_end)
            if first.start() < second_end and second_start < first.end():
                continue  # overlapping: one phrase, not two
            between = text[min(first.end(), second_end) : max(first.start(), second_start)]
            if _CLAUSE_END.search(between) or len(_WORD.findall(between)) > rule.within:
                continue
            if (start, end) not in used:
                used.add((start, end))
                yield Match(rule=rule, start=start, end=end)
            break


def _near_spans(text: str, rule: Rule, folded: bool) -> list[tuple[int, int]]:
    """Where ``rule``'s second part is: its ``near`` patterns and its health objects."""
    spans = [m.span() for m in _any_of(rule.near, folded).finditer(text)] if rule.near else []
    if rule.near_objects:
        from spikecontent.lint.vocabulary import health_objects

        found = health_objects().find(text, rule.near_objects)
        spans.extend((o.start, o.end) for o in found)
    return sorted(spans)


@functools.cache
def _any_of(patterns: tuple[str, ...], folded: bool) -> re.Pattern[str]:
    # One scan per rule and text: a rule's patterns as one alternation.
    return _compiled("|".join(f"(?:{p})" for p in patterns), folded)


@functools.cache
def _compiled(pattern: str, folded: bool) -> re.Pattern[str]:
    if folded:
        return re.compile(rf"(?<![\w-])(?:{_lower_literals(pattern)})(?![\w-])")
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


def _lower_literals(pattern: str) -> str:
    """``pattern`` for lower-cased text: letters lowered, escapes (``\\S``, ``\\w``) kept."""
    out, escaped = [], False
    for char in pattern:
        out.append(char if escaped else char.lower())
        escaped = char == "\\" and not escaped
    return "".join(out)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause's text before and after the match."""
    before = text[:start]
    ends = list(_CLAUSE_END.finditer(before))
    before = before[ends[-1].end() :] if ends else before
    after = text[end:]
    found = _CLAUSE_END.search(after)
    return before, after[: found.start()] if found else after


def _exempt(text: str, match: Match) -> bool:
    rule = match.rule
    before, after = _clause(text, match.start, match.end)
    if rule.negation and (_negated(before) or _DENIED_AFTER.search(after)):
        return True
    if rule.unless:
        words = text[match.start : match.end]
        near = " ".join(
            [*_WORD.findall(before)[-rule.window :], words, *_WORD.findall(after)[: rule.window]]
        )
        scan, folded = _folded(near)
        if _any_of(rule.unless, folded).search(scan):
            return True
    if not rule.quoted and _REPORTED.search(before):
        return True
    return not rule.quoted and _attributed_quote(text, match)


def _negated(before: str) -> bool:
    cleaned = _NOT_A_NEGATION.sub(" ", before)
    words = [w.lower() for w in _WORD.findall(cleaned)][-_NEGATION_WINDOW:]
    for index, word in enumerate(words):
        if word.replace("\u2019", "'") in _NEGATORS:
            return True
        if word in _DISTANCING and (index == 0 or words[index - 1] not in _FIRST_PERSON):
            return True
    return False


def _attributed_quote(text: str, match: Match) -> bool:
    for quote in _QUOTES.finditer(text):
        if quote.start() <= match.start and match.end <= quote.end():
            line_start = text.rfind("\n", 0, quote.start()) + 1
            return bool(_ATTRIBUTION.search(text[line_start : quote.start()]))
    return False
