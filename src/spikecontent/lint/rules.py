"""Lint rules: what an editorial rule file declares (a small subset of Vale's format).

A rule ``extends`` one of three kinds:

- ``existence``: any of ``tokens`` is a finding;
- ``substitution``: each key of ``swap`` is a finding whose suggestion is its value;
- ``near``: a ``tokens`` match within ``within`` words of a ``near`` match, either order;
- ``model``: no patterns: the learned second opinion (:mod:`.second_opinion`) warns on a
  sentence the other rules are silent on. Only the packaged ``second-opinion`` rule is
  one; a project turns it off with ``enabled: false`` and cannot declare another.

Tokens are regular expressions matched on word boundaries. Matches that are negated,
hedged by an ``unless`` pattern or quoted as someone else's claim are not findings (see
:mod:`.matching`).
"""

from __future__ import annotations

import contextlib
import enum
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import attrs

from spikecontent.diagnostics import Level
from spikecontent.lint.linear import linear_error
from spikecontent.lint.pattern_syntax import (
    Branch,
    Group,
    Look,
    Node,
    Repeat,
    UnsupportedPattern,
    parse,
)
from spikecontent.model.fields import FieldError, non_empty_text

__all__ = [
    "CLAIM_FORMS",
    "DEFAULT_SCOPES",
    "Kind",
    "Level",
    "ProjectRule",
    "Rule",
    "Scope",
    "packaged_patterns",
]


class Kind(enum.Enum):
    """How a rule matches."""

    EXISTENCE = "existence"
    SUBSTITUTION = "substitution"
    NEAR = "near"
    MODEL = "model"


class Scope(enum.Enum):
    """Which content a rule reads."""

    TITLE = "title"
    """An article's title and description."""
    PROSE = "prose"
    """Article prose: intro, sections, user reports, sleep, honesty note, byline."""
    RESEARCH = "research"
    """How the article summarizes each study, and its key finding."""
    EVIDENCE = "evidence"
    """The "what the evidence supports" column and the takeaway."""
    NOT_ESTABLISHED = "not-established"
    """The "what is not established" column: claims listed in order to deny them."""
    FAQ = "faq"
    TIPS = "tips"
    FEED = "feed"
    """Revision summaries, which become feed entries."""
    STUDIES = "studies"
    """Study records: finding, outcome results, limitations."""
    WORDING = "wording"
    """The words export profiles add around the content (a support macro's greeting,
    closing and titles), as each writer declares them; the content they carry is read in
    the scopes above."""
    CAUTIONS = "cautions"
    """A caution's advice and whom it applies to: conditions named by design."""
    DISCLAIMER = "disclaimer"
    NAME = "name"
    """Names and labels a reader sees: the site's, its pages', a product's, its brand's,
    a person's, a category's and the disclaimer's label."""


DEFAULT_SCOPES = (
    Scope.TITLE,
    Scope.PROSE,
    Scope.RESEARCH,
    Scope.EVIDENCE,
    Scope.FAQ,
    Scope.TIPS,
    Scope.FEED,
    Scope.STUDIES,
    Scope.WORDING,
    Scope.CAUTIONS,
    Scope.DISCLAIMER,
    Scope.NAME,
)
"""Every scope but the not-established column, which lists claims in order to deny them.
Cautions and the disclaimer name conditions on purpose; a claim's status (cautioned,
denied) leaves their honest words clean, and a claim slipped into them is caught."""


CLAIM_FORMS = ("effect", "safety", "guarantee", "evidence", "care", "wording")
"""The kinds of claim a rule finds: an effect on health or the body; safety; a guarantee;
evidence (research, experts, testimonials, approval); medical care discouraged; wording
that sounds medical or hyped."""


def _patterns(rule: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for index, pattern in enumerate(value):
        _compile_checked((attribute.name, index), pattern, linear=isinstance(rule, ProjectRule))


def _swap(rule: object, attribute: attrs.Attribute[Any], value: dict[str, str]) -> None:
    for pattern in value:
        _compile_checked((attribute.name, pattern), pattern, linear=isinstance(rule, ProjectRule))


_PACKAGED: ContextVar[bool] = ContextVar("structuring the packaged rule files", default=False)


@contextlib.contextmanager
def packaged_patterns() -> Iterator[None]:
    """While the packaged rule files are structured: their patterns are not compiled and
    parsed again to be checked (about half a second of CPU in every process that lints);
    the test suite checks every one of them instead (tests/test_lint.py)."""
    token = _PACKAGED.set(True)
    try:
        yield
    finally:
        _PACKAGED.reset(token)


def _compile_checked(path: tuple[str | int, ...], pattern: str, *, linear: bool) -> None:
    if _PACKAGED.get() and not linear:
        return
    if linear:
        reason = linear_error(pattern)
        if reason is not None:
            raise FieldError(
                path,
                f"{pattern!r} cannot run on RE2, which project rules use so that no pattern"
                f" can hang lint: {reason}",
                "drop look-arounds ((?=, (?!, (?<=, (?<!) and back-references (\\1); lint"
                " already matches whole words and leaves out negated and hedged matches",
            )
        return
    try:
        re.compile(pattern)
    except re.error as error:
        raise FieldError(
            path, f"{pattern!r} is not a valid regular expression: {error}", _REGEX_FIX
        ) from None
    try:
        tree = parse(pattern)
    except UnsupportedPattern as error:
        raise FieldError(
            path,
            f"{pattern!r} uses syntax a rule's check of its repeats does not read ({error})",
            "write it without verbose mode (?x) and conditional groups (?(...)",
        ) from None
    if repeats_a_repetition(tree):
        raise FieldError(
            path,
            f"{pattern!r} repeats a repetition, as in (a+)+: Python's backtracking matcher"
            " can take exponential time on it",
            "repeat the inner part once, e.g. a+ instead of (a+)+",
        )


# A repetition inside a repetition is the classic catastrophic pattern for a backtracking
# matcher; packaged rules are written by people, so refusing it is cheap, where a
# non-backtracking engine (RE2) would lack the look-arounds a packaged rule may use.
def repeats_a_repetition(nodes: tuple[Node, ...], inside: bool = False) -> bool:
    """Whether a repeat of more than once stands inside a repeat without limit."""
    for node in nodes:
        if isinstance(node, Repeat):
            if inside and (node.high is None or node.high > 1):
                return True
            # Only an unbounded repetition multiplies without limit: (\w+ ){0,2} is fine.
            if repeats_a_repetition(node.body, inside or node.high is None):
                return True
        elif any(repeats_a_repetition(child, inside) for child in _children(node)):
            return True
    return False


def _children(node: Node) -> tuple[tuple[Node, ...], ...]:
    """The node sequences inside a group, a look-around or the branches of an alternation."""
    if isinstance(node, Group | Look):
        return (node.body,)
    if isinstance(node, Branch):
        return node.alternatives
    return ()


_REGEX_FIX = "fix the pattern (Python regular expressions; escape ( ) [ ] . ? + * with \\)"


def _object_kinds(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    from spikecontent.lint.vocabulary import KINDS

    for index, kind in enumerate(value):
        if kind not in KINDS:
            raise FieldError(
                (attribute.name, index),
                f"{kind!r} is not a kind of health object",
                f"use some of {', '.join(KINDS)}",
            )


def _at_least_one(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise FieldError(attribute.name, f"must be at least 1, got {value}", "use e.g. 6")


@attrs.frozen(kw_only=True)
class Rule:
    """One rule, as written in a rule file."""

    id: str = attrs.field(validator=non_empty_text)
    enabled: bool = True
    """``false`` in a project file turns off a packaged rule with the same id."""
    extends: Kind | None = None
    level: Level = Level.ERROR
    message: str | None = attrs.field(default=None, validator=non_empty_text)
    """What is wrong; ``{match}`` is the matched text."""
    suggestion: str | None = attrs.field(default=None, validator=non_empty_text)
    """How to fix it; for substitutions, ``{replacement}`` is the swap's value."""
    link: str | None = None
    """Where the rule comes from (guidance, ruling)."""
    form: str = attrs.field(default="wording", validator=attrs.validators.in_(CLAIM_FORMS))
    """What kind of claim it finds (:data:`CLAIM_FORMS`), shown with each finding. A
    claim form has its level decided by the claim's status (see .status); ``wording``,
    the default (a house style rule), fires wherever its words stand but where denied."""
    scope: tuple[Scope, ...] = DEFAULT_SCOPES
    tokens: tuple[str, ...] = attrs.field(default=(), validator=_patterns)
    near: tuple[str, ...] = attrs.field(default=(), validator=_patterns)
    near_objects: tuple[str, ...] = attrs.field(default=(), validator=_object_kinds)
    """For ``near``: kinds of health object (``condition``, ``measure``, ``function``,
    ``treatment``; see :mod:`.vocabulary`) that count as ``near`` matches."""
    within: int = attrs.field(default=6, validator=_at_least_one)
    """For ``near``: the most words between the two matches."""
    swap: dict[str, str] = attrs.field(factory=dict, validator=_swap)
    unless: tuple[str, ...] = attrs.field(default=(), validator=_patterns)
    """Patterns that, within ``window`` words of a match, make it not a finding (hedges
    such as "pilot" before "studies show")."""
    window: int = attrs.field(default=4, validator=_at_least_one)
    negation: bool = True
    """Whether a negated match ("does not cure") is exempt."""
    quoted: bool = False
    """Whether a quoted match is a finding even when it is attributed to someone else."""
    fallback: bool = False
    """Whether the rule is a catch-all: its matches are findings only where no other
    claim rule's finding overlaps them (the claim words a specific rule names say more;
    a house style warning names no claim)."""

    @property
    def linear(self) -> bool:
        """Whether the rule's patterns run on RE2 (a project's rules) rather than Python's
        engine (the packaged ones)."""
        return False

    def __attrs_post_init__(self) -> None:
        if not self.enabled:
            return
        for name in ("extends", "message"):
            if getattr(self, name) is None:
                raise FieldError(name, "is required", f"add '{name}:' to the rule")
        if self.extends is Kind.MODEL:
            return  # its sentences come from the model, not from patterns
        needs = {Kind.EXISTENCE: "tokens", Kind.NEAR: "tokens", Kind.SUBSTITUTION: "swap"}
        needed = needs[self.extends] if self.extends else "tokens"
        if not getattr(self, needed):
            raise FieldError(
                needed,
                f"a {self.extends.value if self.extends else ''} rule needs {needed}",
                f"add '{needed}:'",
            )
        if self.extends is Kind.NEAR and not (self.near or self.near_objects):
            raise FieldError(
                "near", "a near rule needs near tokens", "add 'near:' patterns or 'near_objects:'"
            )


@attrs.frozen(kw_only=True)
class ProjectRule(Rule):
    """A rule from a project's own rule file: the same fields, its patterns checked and
    run on RE2 (:mod:`.linear`), so that no rule file can hang lint."""

    @property
    def linear(self) -> bool:
        """Always: a project's patterns run on RE2."""
        return True

    def __attrs_post_init__(self) -> None:
        if self.enabled and self.extends is Kind.MODEL:
            raise FieldError(
                "extends",
                "'model' is the packaged second opinion's kind: a project rule cannot be one"
                " (it would warn, or block, by a model nobody trained for it)",
                "use existence, substitution or near; to change the second opinion, turn it"
                " off with '- {id: second-opinion, enabled: false}'",
            )
        super().__attrs_post_init__()
