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

import bisect
import functools
import re
from collections.abc import Iterator

import attrs

from spikecontent.lint.anchors import rule_anchors, text_words
from spikecontent.lint.linear import Finder, linear_patterns
from spikecontent.lint.rules import Kind, Rule
from spikecontent.readable import readable

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
        # Which rules a word prefix wakes (see .anchors): bit i stands for rule i. A rule
        # whose tokens have no anchor is always awake; a near rule also needs its near
        # words (or its health objects) present.
        self._tokens = _PrefixMasks([rule_anchors((*r.tokens, *r.swap)) for r in rules])
        self._near = _PrefixMasks([_near_anchors(rule) for rule in rules])

    def find(self, text: str) -> Iterator[Match]:
        """Every finding in ``text``, in rule order, then text order: matched on the text
        as a reader reads it (:func:`~spikecontent.readable.readable`: no invisible
        characters, look-alike letters or entities hiding a word), placed in ``text``."""
        if not self.rules:
            return
        shown = readable(text)
        for match in self._find(shown.text):
            start, end = shown.original(match.start, match.end)
            yield (
                match
                if (start, end) == (match.start, match.end)
                else attrs.evolve(match, start=start, end=end)
            )

    def _find(self, text: str) -> Iterator[Match]:
        scan, folded = _folded(text)
        words = text_words(scan) if folded else None
        awake = self._tokens.present(words)
        near = self._near.present(words)
        index = _TextIndex(scan)
        for bit, rule in enumerate(self.rules):
            if not awake >> bit & 1:
                continue  # none of its tokens' words is in the text
            nothing_near = rule.extends is Kind.NEAR and not near >> bit & 1
            if nothing_near and not (rule.near_objects and index.objects(rule.near_objects)):
                continue  # nothing for its tokens to be near
            for match in _raw_matches(scan, rule, folded, index):
                if not _exempt(text, match):
                    yield match


def _near_anchors(rule: Rule) -> frozenset[str] | None:
    """A near rule's near words' anchors (none: it relies on health objects alone)."""
    if rule.extends is not Kind.NEAR or not rule.near:
        return frozenset()
    return rule_anchors(rule.near)


class _PrefixMasks:
    """For each anchor prefix, the rules it belongs to, as bits; then, for a text's words,
    the rules one of whose prefixes is there."""

    def __init__(self, anchors: list[frozenset[str] | None]) -> None:
        self._always = 0
        self._masks: dict[str, int] = {}
        for bit, prefixes in enumerate(anchors):
            if prefixes is None:
                self._always |= 1 << bit
                continue
            for prefix in prefixes:
                self._masks[prefix] = self._masks.get(prefix, 0) | 1 << bit
        self._lengths = sorted({len(prefix) for prefix in self._masks})
        # Words recur across texts: each one's rules are worked out once per matcher.
        self._by_word: dict[str, int] = {}

    def present(self, words: list[str] | None) -> int:
        """The rules woken by ``words`` (None: every rule)."""
        if words is None:
            return -1  # not folded: every bit set, nothing skipped
        found = self._always
        for word in words:
            mask = self._by_word.get(word)
            if mask is None:
                mask = self._by_word[word] = self._word_mask(word)
            found |= mask
        return found

    def _word_mask(self, word: str) -> int:
        mask = 0
        for length in self._lengths:
            if length > len(word):
                break
            mask |= self._masks.get(word[:length], 0)
        return mask


def find_matches(text: str, rules: tuple[Rule, ...]) -> Iterator[Match]:
    """Every finding of ``rules`` in ``text``, in rule order, then text order."""
    return Matcher(rules).find(text)


def _folded(text: str) -> tuple[str, bool]:
    """The text lower-cased when that keeps every offset, which lets patterns match
    case-sensitively (several times faster than ``re.IGNORECASE``); else the text as is."""
    lower = text.lower()
    return (lower, True) if len(lower) == len(text) else (text, False)


class _TextIndex:
    """What the near rules need of one text, computed once for all of them: where its
    words start, and its health objects."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._word_starts: list[int] | None = None
        self._objects: list[tuple[int, int, str]] | None = None

    @property
    def word_starts(self) -> list[int]:
        if self._word_starts is None:
            self._word_starts = [m.start() for m in _WORD.finditer(self.text)]
        return self._word_starts

    def objects(self, kinds: tuple[str, ...]) -> list[tuple[int, int]]:
        if self._objects is None:
            from spikecontent.lint.vocabulary import health_objects

            found = health_objects().find(self.text)
            self._objects = [(o.start, o.end, o.kind) for o in found]
        return [(start, end) for start, end, kind in self._objects if kind in kinds]


def _raw_matches(text: str, rule: Rule, folded: bool, index: _TextIndex) -> Iterator[Match]:
    if rule.extends is Kind.SUBSTITUTION:
        for pattern, replacement in rule.swap.items():
            for found in _engine(rule, (pattern,), folded).finditer(text):
                yield Match(
                    rule=rule, start=found.start(), end=found.end(), replacement=replacement
                )
        return
    firsts = list(_engine(rule, rule.tokens, folded).finditer(text))
    if rule.extends is Kind.EXISTENCE:
        for found in firsts:
            yield Match(rule=rule, start=found.start(), end=found.end())
        return
    if not firsts:
        return
    seconds = _near_spans(text, rule, folded, index)
    if not seconds:
        return
    starts = [start for start, _ in seconds]
    longest = max(end - start for start, end in seconds)
    words = index.word_starts
    used: set[tuple[int, int]] = set()
    for first in firsts:
        # Only the seconds close enough in words can qualify: before the first, one whose
        # end is past the word ``within`` words back; after it, one that starts no further
        # than ``within`` words on. Scanning just those keeps each text linear, not
        # quadratic, in the matches it holds.
        before = bisect.bisect_left(words, first.start()) - rule.within - 1
        lowest_end = words[before] + 1 if before >= 0 else 0
        after = bisect.bisect_left(words, first.end()) + rule.within
        highest_start = words[after] if after < len(words) else len(text)
        low = bisect.bisect_left(starts, lowest_end - longest)
        high = bisect.bisect_right(starts, highest_start)
        for second_start, second_end in seconds[low:high]:
            start, end = min(first.start(), second_start), max(first.end(), second_end)
            if first.start() < second_end and second_start < first.end():
                continue  # overlapping: one phrase, not two
            gap = (min(first.end(), second_end), max(first.start(), second_start))
            count = bisect.bisect_left(words, gap[1]) - bisect.bisect_left(words, gap[0])
            if count > rule.within or _CLAUSE_END.search(text[gap[0] : gap[1]]):
                continue
            if (start, end) not in used:
                used.add((start, end))
                yield Match(rule=rule, start=start, end=end)
            break


def _near_spans(text: str, rule: Rule, folded: bool, index: _TextIndex) -> list[tuple[int, int]]:
    """Where ``rule``'s second part is: its ``near`` patterns and its health objects."""
    near = _engine(rule, rule.near, folded) if rule.near else None
    spans = [m.span() for m in near.finditer(text)] if near is not None else []
    if rule.near_objects:
        spans.extend(index.objects(rule.near_objects))
    return sorted(spans)


def _engine(rule: Rule, patterns: tuple[str, ...], folded: bool) -> Finder:
    """Any of ``patterns`` as whole words: on RE2 for a project's rules (see .linear)."""
    return linear_patterns(patterns) if rule.linear else _any_of(patterns, folded)


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
        if _engine(rule, rule.unless, folded).search(scan):
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
