"""The words a rule's patterns must start with, so that a text without them skips the rule.

Every token matches at the start of a word (:mod:`.matching` wraps it in ``(?<![\\w-])``),
so a pattern that begins with literal letters can only match where a word begins with
them: ``reliev(?:e|es)`` needs a word starting "reliev", ``(?:lower|reduc)\\w*`` one
starting "lower" or "reduc". Looking those prefixes up among a text's words costs a
few dictionary lookups, where running the rule's regular expression costs a scan of it;
most texts hold none of most rules' words. A pattern whose start is not literal
(``\\d+``, ``(?:\\w+ )?``) gives no anchor, and its rule always runs: skipping is only
ever done when the rule cannot match.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from spikecontent.lint import pattern_syntax
from spikecontent.lint.kept_files import remove_others
from spikecontent.lint.pattern_syntax import (
    Branch,
    Group,
    Literal,
    Node,
    Repeat,
    UnsupportedPattern,
    parse,
)
from spikecontent.store.signing import read_signed, save_signed, user_cache_folder

__all__ = ["anchors", "keep_anchors", "rule_anchors", "text_words"]

# What text_words splits words at ends a prefix too: an apostrophe is no word character
# there ("it's" is the words "it" and "s"), so a prefix running over one ("it's") would
# be looked for among words that can never hold it, and its rule skipped on text it
# matches.
_WORD_CHAR = re.compile(r"\w")


def anchors(pattern: str) -> frozenset[str] | None:
    """Lower-case word prefixes one of which starts every match of ``pattern``; None
    when the pattern's start is not literal."""
    known = _kept()
    if pattern not in known:
        known[pattern] = _anchors(pattern)
        _CHANGED.add(pattern)
    return known[pattern]


def keep_anchors() -> None:
    """Keep the anchors worked out in this process for the next ones (see :func:`_kept`)."""
    if not _CHANGED:
        return
    known = _kept()
    data = {p: None if found is None else sorted(found) for p, found in known.items()}
    text = json.dumps({"code": _code_digest(), "anchors": data}, sort_keys=True)
    save_signed(_kept_path(), text.encode())
    remove_others(_kept_path(), "lint-anchors-*.json")
    _CHANGED.clear()


_CHANGED: set[str] = set()
_MOST_KEPT = 20_000  # patterns: project rule files come and go, the file is made afresh


@functools.cache
def _kept() -> dict[str, frozenset[str] | None]:
    """The anchors earlier processes worked out, read from the user's cache folder:
    parsing the packaged rules' 480 patterns costs every process that lints about 0.05 s,
    reading their anchors a millisecond. Named by the digest of the code that works them
    out and signed like the other files kept there (a planted file could make lint skip
    rules); anything else there is ignored."""
    payload = read_signed(_kept_path())
    if payload is None:
        return {}
    try:
        data = json.loads(bytes(payload).decode("utf-8"))
        if data["code"] != _code_digest() or len(data["anchors"]) > _MOST_KEPT:
            return {}
        return {
            str(pattern): None if found is None else frozenset(map(str, found))
            for pattern, found in data["anchors"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


@functools.cache
def _kept_path() -> Path:
    return user_cache_folder() / f"lint-anchors-{_code_digest()[:20]}.json"


@functools.cache
def _code_digest() -> str:
    # What the anchors depend on: this module, the pattern parser, and Python's \w.
    digest = hashlib.sha256(sys.version.encode())
    for module in (__file__, pattern_syntax.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _anchors(pattern: str) -> frozenset[str] | None:
    try:
        tree = parse(pattern)
    except UnsupportedPattern:
        return None  # syntax not read (a project rule's \pL): the rule always runs
    found = _prefixes(tree)
    if found is None or not all(found):
        return None
    return frozenset(found)


def rule_anchors(patterns: Iterable[str]) -> frozenset[str] | None:
    """The anchors of all ``patterns`` together; None if any pattern has none."""
    union: set[str] = set()
    for pattern in patterns:
        found = anchors(pattern)
        if found is None:
            return None
        union |= found
    return frozenset(union)


_WORDS = re.compile(r"\w+")


def text_words(folded: str) -> list[str]:
    """The sorted distinct words of lower-cased text, split at every non-word character
    (so that every place a token can start begins one of them)."""
    return sorted(set(_WORDS.findall(folded)))


def _prefixes(nodes: tuple[Node, ...]) -> set[str] | None:
    """The literal word prefixes the node sequence starts with (None: not literal).

    A group's prefixes stand on their own: what follows the group may make the word
    longer, but a shorter prefix only admits more words, which is safe.
    """
    prefix = ""
    for position, node in enumerate(nodes):
        if isinstance(node, Literal):
            if not _WORD_CHAR.match(node.char):
                break  # the word ends here; what came before is its prefix
            prefix += node.char.lower()  # the matcher lowers a pattern's letters for folded text
            continue
        if prefix:
            break  # a non-literal after literals: the literals are the prefix
        if isinstance(node, Group):
            return _prefixes(node.body)
        if isinstance(node, Repeat):
            inner = _prefixes(node.body)
            if node.low:
                return inner
            # Optional: the word starts with it, or with what follows it.
            rest = _prefixes(nodes[position + 1 :])
            return None if inner is None or rest is None else inner | rest
        if isinstance(node, Branch):
            options: set[str] = set()
            for branch in node.alternatives:
                found = _prefixes(branch)
                if found is None:
                    return None
                options |= found
            return options
        return None  # a class, an escape such as \w, an anchor, a look-around
    return {prefix} if prefix else None
