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
from collections.abc import Iterable, Iterator

import attrs

from spikecontent.lint.anchors import keep_anchors, rule_anchors, text_words
from spikecontent.lint.linear import Finder, linear_patterns
from spikecontent.lint.rules import Kind, Level, Rule
from spikecontent.lint.second_opinion import (
    Model,
    denied_throughout,
    load_model,
    sentences,
    warns_on,
)
from spikecontent.lint.status import CLAUSE_END, WORD, Claim, ClaimStatus, level_for, status_of
from spikecontent.readable import readable

__all__ = ["Match", "Matcher", "find_matches"]


@attrs.frozen(kw_only=True)
class Match:
    """A finding's place in the text: ``text[start:end]`` is the offending words."""

    rule: Rule
    start: int
    end: int
    replacement: str | None = None
    status: ClaimStatus | None = ClaimStatus.ASSERTED
    """Who says it and how firmly (see .status); None for the second opinion's own
    finding, which judges a sentence, not a claim's words."""
    level: Level | None = None
    """The finding's level, from the rule's and the status (None until decided)."""
    order: int = 0
    """The rule's place in the rule list: among overlapping matches of one level, the
    later rule (the more specific: claim forms are listed general first) names the claim."""
    weighed: str = ""
    """For the second opinion's own finding: the words that weighed most."""


class Matcher:
    """Finds the matches of a set of rules; build one per set and reuse it."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self._second_opinion = next((r for r in rules if r.extends is Kind.MODEL), None)
        # Which rules a word prefix wakes (see .anchors): bit i stands for rule i. A rule
        # whose tokens have no anchor is always awake; a near rule also needs its near
        # words (or its health objects) present.
        self._tokens = _PrefixMasks([rule_anchors((*r.tokens, *r.swap)) for r in rules])
        self._near = _PrefixMasks([_near_anchors(rule) for rule in rules])
        keep_anchors()

    def find(self, text: str) -> Iterator[Match]:
        """Every finding in ``text``, in rule order, then text order: matched on the text
        as a reader reads it (:func:`~spikecontent.readable.readable`: no invisible
        characters, look-alike letters or entities hiding a word), placed in ``text``."""
        if not self.rules:
            return
        shown = readable(text)
        denied: list[int] = []
        merged = _merged(_without_covered(list(self._find(shown.text, denied))))
        if self._second_opinion is not None:
            merged = _reviewed(shown.text, merged, self._second_opinion, sorted(denied))
        for match in merged:
            start, end = shown.original(match.start, match.end)
            yield (
                match
                if (start, end) == (match.start, match.end)
                else attrs.evolve(match, start=start, end=end)
            )

    def denials(self, text: str) -> list[int]:
        """Where in ``text`` (as a reader reads it) stand the claims the rules read as
        denied: the second opinion stays silent on their sentences."""
        denied: list[int] = []
        for _ in self._find(readable(text).text, denied):
            pass
        return sorted(denied)

    def _find(self, text: str, denied: list[int]) -> Iterator[Match]:
        """The findings in ``text``; where a claim stands that it denies, appended to
        ``denied``."""
        scan, folded = _folded(text)
        words = text_words(scan) if folded else None
        awake = self._tokens.present(words)
        near = self._near.present(words)
        index = _TextIndex(scan)
        for bit, rule in enumerate(self.rules):
            if not awake >> bit & 1 or rule.extends is Kind.MODEL:
                continue  # none of its tokens' words is in the text, or it has none
            nothing_near = rule.extends is Kind.NEAR and not near >> bit & 1
            if nothing_near and not rule.near_objects:
                continue  # nothing for its tokens to be near
            for match in _raw_matches(scan, rule, folded, index, nothing_near=nothing_near):
                judged = _judged(text, match)
                if judged is None:
                    continue
                if judged.level is not None:
                    yield attrs.evolve(judged, order=bit)
                elif judged.status is ClaimStatus.DENIED and rule.form != "wording":
                    denied.append(judged.start)


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
            self._word_starts = [m.start() for m in WORD.finditer(self.text)]
        return self._word_starts

    def objects(self, kinds: tuple[str, ...]) -> list[tuple[int, int]]:
        if self._objects is None:
            from spikecontent.lint.vocabulary import health_objects

            found = health_objects().find(self.text)
            self._objects = [(o.start, o.end, o.kind) for o in found]
        return [(start, end) for start, end, kind in self._objects if kind in kinds]


def _raw_matches(
    text: str, rule: Rule, folded: bool, index: _TextIndex, *, nothing_near: bool = False
) -> Iterator[Match]:
    """``rule``'s matches in ``text`` before their status is judged; with
    ``nothing_near``, a near rule whose near words are not in the text (only its health
    objects can be near)."""
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
    if nothing_near and not index.objects(rule.near_objects):
        # Asked only once a token is found: most texts need no health object, and the
        # objects' automaton is then never loaded.
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
                # Overlapping: one phrase, not two, unless the token names the object
                # itself ("breaks pain signals" holds "pain"): then the token is the claim.
                inside = first.start() <= second_start and second_end <= first.end()
                if inside and (first.start(), first.end()) not in used:
                    used.add((first.start(), first.end()))
                    yield Match(rule=rule, start=first.start(), end=first.end())
                continue
            gap = (min(first.end(), second_end), max(first.start(), second_start))
            count = bisect.bisect_left(words, gap[1]) - bisect.bisect_left(words, gap[0])
            between = text[gap[0] : gap[1]]
            if count > rule.within or CLAUSE_END.search(between):
                continue
            if ("\u201d" in between or '"' in between) and _quoted_apart(
                text, first.start(), second_start
            ):
                continue
            if (start, end) not in used:
                used.add((start, end))
                yield Match(rule=rule, start=start, end=end)
            # Every near part, not only the first: "cures back pain and helps sciatica"
            # pairs "helps" with both, and the merge makes them one finding.


def _quoted_apart(text: str, one: int, other: int) -> bool:
    """Whether the two parts stand in two different quotations of two words or more each,
    listed one after the other: examples listed ("language like “supports immune
    function” or “supports brain health”") are no one claim. A word in scare quotes is
    still inside the claim ('our mat “relieves” your “back pain”', 'cures "chronic" and
    "stubborn" sciatica')."""
    spans = _quotations(text)
    first = next((span for span in spans if span[0] < one < span[1]), None)
    second = next((span for span in spans if span[0] < other < span[1]), None)
    if first is None or second is None or first == second:
        return False
    (_, end), (start, _) = sorted((first, second))
    return _LISTED.fullmatch(text[end + 1 : start]) is not None and all(
        len(text[a:b].split()) >= 2 for a, b in (first, second)
    )


# Two quotations listed as examples: joined by a comma, "or" or "and" (not a headline's
# question and its answer, “Back pain?” “Our mat relieves it.”, nor a dash).
_LISTED = re.compile(r"\s*(?:,|,?\s*(?:or|and))\s*", re.IGNORECASE)


def _quotations(text: str) -> list[tuple[int, int]]:
    """The spans between paired quotation marks: curly ones pair by direction, straight
    ones in turn."""
    spans: list[tuple[int, int]] = []
    opened: dict[str, int] = {}
    for position, mark in enumerate(text):
        if mark == "\u201c":
            opened["curly"] = position
        elif mark == "\u201d" and "curly" in opened:
            spans.append((opened.pop("curly"), position))
        elif mark == '"':
            if "straight" in opened:
                spans.append((opened.pop("straight"), position))
            else:
                opened["straight"] = position
    return spans


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


def _judged(text: str, match: Match) -> Match | None:
    """``match`` with its claim status and finding level, the level None when it is no
    finding (denied, cautioned, reported from a named study or authority); None when one
    of the rule's ``unless`` patterns hedges it."""
    rule = match.rule
    claim = Claim.at(text, match.start, match.end)
    if rule.unless:
        near = " ".join(
            [
                *WORD.findall(claim.before)[-rule.window :],
                claim.words,
                *WORD.findall(claim.after)[: rule.window],
            ]
        )
        scan, folded = _folded(near)
        if _engine(rule, rule.unless, folded).search(scan):
            return None
    status = status_of(claim, quoted_counts=rule.quoted, denials=rule.negation)
    if rule.form == "wording":  # style, not a claim: who says it does not matter
        level = None if status is ClaimStatus.DENIED else rule.level
    else:
        level = level_for(status, rule.level, claim)
    return attrs.evolve(match, status=status, level=level)


def _reviewed(text: str, matches: list[Match], rule: Rule, denied: list[int]) -> list[Match]:
    """``matches``, and a warning of the second opinion's ``rule`` on each sentence with
    no match, and no claim the rules read as denied (at ``denied``), that it reads as a
    claim (see .second_opinion)."""
    model = load_model()
    added: list[Match] = []
    starts = [match.start for match in matches]
    for start, end in sentences(text):
        sentence = text[start:end]
        if bisect.bisect_left(starts, end) > bisect.bisect_left(starts, start):
            continue  # the rules found something here: one finding per claim
        low, high = bisect.bisect_left(denied, start), bisect.bisect_left(denied, end)
        if denied_throughout(sentence, [at - start for at in denied[low:high]]):
            # The rules read a claim and its denial in each clause ("no study has shown
            # that it lowers blood pressure"): who speaks is theirs to judge.
            continue
        if not warns_on(sentence):
            continue
        score = model.score(sentence)
        if model.warns(score, names_health=_names_health(sentence, score, model)):
            weighed = ", ".join(f"'{words}'" for words in model.weighed(sentence))
            added.append(
                Match(
                    rule=rule,
                    start=start,
                    end=end,
                    status=None,
                    level=rule.level,
                    weighed=weighed or "its wording as a whole",
                )
            )
    return sorted([*matches, *added], key=lambda m: (m.start, m.end)) if added else matches


def _names_health(sentence: str, score: float, model: Model) -> bool:
    """Whether ``sentence`` names a health object, asked only where it could matter."""
    if score < model.beside_health or score >= model.alone:
        return False
    from spikecontent.lint.vocabulary import health_objects  # loaded only when needed

    return next(health_objects().find(sentence), None) is not None


def _severity(match: Match) -> tuple[int, int]:
    return (0 if match.level is Level.ERROR else 1, -match.order)


def _without_covered(matches: list[Match]) -> list[Match]:
    """``matches`` less those of fallback rules that overlap another claim rule's match
    (a house style warning, "therapeutic", names no claim)."""
    specific = [m for m in matches if not m.rule.fallback and m.rule.form != "wording"]
    return [
        m
        for m in matches
        if not m.rule.fallback or not any(m.start < s.end and s.start < m.end for s in specific)
    ]


def _merged(matches: Iterable[Match]) -> list[Match]:
    """One finding per claim: matches whose words overlap are one finding, spanning them
    all, reported by the most severe of them (the most specific rule among equals)."""
    merged: list[tuple[Match, int, int]] = []
    for match in sorted(matches, key=lambda m: (m.start, m.end)):
        if merged and match.start < merged[-1][2]:
            best, start, end = merged[-1]
            if _severity(match) < _severity(best):
                best = match
            merged[-1] = (best, start, max(end, match.end))
        else:
            merged.append((match, match.start, match.end))
    return [
        m if (m.start, m.end) == (start, end) else attrs.evolve(m, start=start, end=end)
        for m, start, end in merged
    ]
