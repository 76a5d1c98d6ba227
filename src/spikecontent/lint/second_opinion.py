"""A learned second opinion on the claims rules, sentence by sentence.

The rules name a claim and its fix, but on published text nobody here wrote they catch
about six dishonest sentences in ten and block about one honest sentence in ten (see
docs/performance.md, "Claims classifier study" and "The second opinion"). A linear model
over words and characters, trained on the dev half of the published corpus, reads text
it never saw much better, but a score names no rule and no fix. So it only ever adds a
**warning**, of its own rule, to a sentence where the rules found nothing (nor read a
claim as denied in each of its clauses: who speaks is theirs to judge) and which it reads
as claims copy: a score at or above ``alone``, or at or above ``beside_health`` when the
health-object vocabulary sees a condition, body function, measure or treatment in it.
The warning names the words that weighed most. It never makes an error, and never
changes a rule's finding: turning a rule's error into a warning where the model reads a
sentence as honest was tried and dropped (on dev it unblocked about four dishonest
sentences for each honest one it spared).

The model is a packaged file (``second-opinion.json``), made by
``python -m benchmarks.second_opinion`` with scikit-learn, its thresholds chosen on the
dev half's out-of-fold scores. Scoring is written out here rather than done by
scikit-learn: a linear model's score is a sum of products over a sentence's features,
and scikit-learn, numpy and scipy would make every lint import some 100 MB and half a
second for it. The trainer checks this scorer against scikit-learn's on every training
sentence before it writes the file.
"""

from __future__ import annotations

import bisect
import collections
import functools
import hashlib
import importlib.resources
import itertools
import json
import math
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Final

import attrs

from spikecontent.lint.status import CLAUSE_END, SENTENCE_END
from spikecontent.store.collector import promoted

__all__ = [
    "MODEL_FILE",
    "Model",
    "char_grams",
    "denied_throughout",
    "load_model",
    "masked",
    "model_digest",
    "sentences",
    "warns_on",
    "word_grams",
]

MODEL_FILE: Final = "second-opinion.json"
_FORMAT: Final = 1

# The features are scikit-learn's TfidfVectorizer's, written out (see the module's
# docstring): words as its default token pattern finds them, lower-cased and stripped of
# accents, in ones and twos; characters in two to five, inside words padded by a space.
_TOKEN: Final = re.compile(r"(?u)\b\w\w+\b")
_SPACES: Final = re.compile(r"\s\s+")


# Every kind of goods reads as one word, so that a claim about a mat reads as the same claim
# about a bracelet (the first review found the same claims scoring higher about bracelets,
# when the project's own sentences, then in training, spoke mostly of "the mat"). The
# goods, not medicine: "come off your sleeping pills" is a claim about the buyer's
# medicine, and "pills" read as "product" hid it (the second review).
_PRODUCT: Final = re.compile(
    r"\b(?:mats?|products?|devices?|pillows?|patch(?:es)?|bracelets?|bands?|insoles?|"
    r"cushions?|toppers?|blankets?|belts?|wraps?|sleeves?|massagers?|pads?|gadgets?|kits?|"
    r"machines?)\b",
    re.IGNORECASE,
)


def masked(text: str) -> str:
    """``text`` with every kind of product named as the word "product"."""
    return _PRODUCT.sub("product", text)


def word_grams(text: str) -> list[str]:
    """The words of ``text`` and its pairs of neighbouring words, every kind of product
    ("mat", "bracelets") read as the word "product"."""
    tokens = _TOKEN.findall(_without_accents(masked(text).lower()))
    return [*tokens, *(f"{one} {two}" for one, two in itertools.pairwise(tokens))]


def _without_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def char_grams(text: str) -> list[str]:
    """Runs of two to five characters of each word of ``text``, padded by a space (every
    kind of product read as the word "product")."""
    return [run for word in _words_of(text) for run in _runs(word)]


def _words_of(text: str) -> list[str]:
    return _SPACES.sub(" ", masked(text).lower()).split()


def _runs(word: str) -> list[str]:
    runs: list[str] = []
    padded = f" {word} "
    for size in range(2, 6):
        offset = 0
        runs.append(padded[:size])
        while offset + size < len(padded):
            offset += 1
            runs.append(padded[offset : offset + size])
        if offset == 0:  # a word shorter than the run: counted once
            break
    return runs


Weights = Mapping[str, Sequence[float]]
"""A feature's inverse document frequency and its weight in the score."""


@attrs.frozen(kw_only=True)
class Model:
    """A linear model over a sentence's word and character features, and its thresholds."""

    words: Weights
    chars: Weights
    intercept: float
    alone: float
    """A sentence the rules are silent on gets a warning at or above this."""
    beside_health: float
    """... or at or above this when it names a health object."""
    _known_runs: dict[str, tuple[str, ...]] = attrs.field(factory=dict, repr=False, eq=False)
    """Each word's character runs that the model knows: words recur from sentence to
    sentence, and their runs are most of a sentence's features."""

    def score(self, sentence: str) -> float:
        """The model's score of ``sentence``: above zero, it reads more like the claims
        regulators ruled against than like evidence writing or shop copy."""
        words = collections.Counter(g for g in word_grams(sentence) if g in self.words)
        return (
            self.intercept
            + _score(words, self.words)
            + _score(self._char_counts(sentence), self.chars)
        )

    def weighed(self, sentence: str, most: int = 3) -> tuple[str, ...]:
        """The words of ``sentence`` that weighed most towards a claim, at most ``most``:
        each word credited with its own share, half of each pair's it stands in, and its
        share of the character runs it holds (most of the features), so that the words an
        editor is shown are the ones the score came from."""
        credit: dict[str, float] = collections.defaultdict(float)
        known = collections.Counter(g for g in word_grams(sentence) if g in self.words)
        for gram, share in _part(known, self.words)[0].items():
            parts = gram.split()
            for word in parts:
                credit[word] += share / len(parts)
        runs = self._char_counts(sentence)
        shares = _part(runs, self.chars)[0]
        for written in _words_of(sentence):
            words = word_grams(written)[: len(_TOKEN.findall(written))] or [written]
            for run in self._runs_of(written):
                for word in words:
                    credit[word] += shares[run] / runs[run] / len(words)
        telling = [(share, w) for w, share in credit.items() if share > 0 and _telling(w)]
        return tuple(
            word for _, word in sorted(telling, key=lambda item: (-item[0], item[1]))[:most]
        )

    def warns(self, score: float, *, names_health: bool) -> bool:
        """Whether a sentence scored ``score`` gets the model's warning (when the rules
        found nothing in it), ``names_health`` when it names a health object."""
        return score >= self.alone or (names_health and score >= self.beside_health)

    def _runs_of(self, word: str) -> tuple[str, ...]:
        known = self._known_runs
        runs = known.get(word)
        if runs is None:
            if len(known) > _KNOWN_WORDS:
                known.clear()  # a bound on memory over a long watch; it refills as it goes
            # Interned: a cached word holds the runs' one copy, not a slice of its own.
            runs = known[word] = tuple(sys.intern(r) for r in _runs(word) if r in self.chars)
        return runs

    def _char_counts(self, sentence: str) -> collections.Counter[str]:
        return collections.Counter(
            itertools.chain.from_iterable(map(self._runs_of, _words_of(sentence)))
        )


_KNOWN_WORDS: Final = 100_000


def _telling(gram: str) -> bool:
    """Whether a word or pair is worth showing an editor: one with a word of four letters
    or more ("the body", not "and" or "by", which weigh in the sum but explain nothing)."""
    return any(len(word) >= 4 for word in gram.split())


def _score(counts: Mapping[str, int], weights: Weights) -> float:
    """The block's score alone, as :func:`_part` sums it (the characters' shares are
    never shown, and they are most of the features: this is the scorer's inner loop)."""
    total = squares = 0.0
    for gram, count in counts.items():
        idf, weight = weights[gram]  # only known runs are counted
        value = idf if count == 1 else (1.0 + math.log(count)) * idf
        total += value * weight
        squares += value * value
    return total / math.sqrt(squares) if squares else 0.0


def _part(counts: Mapping[str, int], weights: Weights) -> tuple[dict[str, float], float]:
    """Each known feature's share of the score, and the block's score: sub-linear term
    counts times inverse document frequency, scaled to unit length, times the weights."""
    shares: dict[str, float] = {}
    squares = 0.0
    for gram, count in counts.items():
        known = weights.get(gram)
        if known is None:
            continue
        value = (1.0 + math.log(count)) * known[0]
        squares += value * value
        shares[gram] = value * known[1]
    if not squares:
        return shares, 0.0
    length = math.sqrt(squares)
    for gram in shares:
        shares[gram] /= length
    return shares, math.fsum(shares.values())


@functools.cache
def load_model() -> Model:
    """The packaged model (read once per process)."""
    data = importlib.resources.files(__package__ or "spikecontent.lint").joinpath(MODEL_FILE)
    raw = data.read_bytes()
    return model_from(raw)


def model_from(raw: bytes) -> Model:
    """A model from the bytes of its file."""
    # Some 80,000 objects that live as long as the process and make no cycles: made with
    # the collector off and put in the oldest generation (made with it on, over a loaded
    # library, the collections they set off cost 0.4 s here). Each feature's pair becomes
    # a tuple of floats, which the collector stops tracking: as lists, 38,000 objects more
    # for every full collection of a long-lived process (`serve` lints each snapshot).
    with promoted():
        loaded = json.loads(raw)
        for block in ("words", "chars"):
            loaded[block] = {gram: (pair[0], pair[1]) for gram, pair in loaded[block].items()}
    if loaded.get("format") != _FORMAT:
        raise ValueError(f"{MODEL_FILE} is format {loaded.get('format')!r}, not {_FORMAT}")
    thresholds = loaded["thresholds"]
    return Model(
        words=loaded["words"],
        chars=loaded["chars"],
        intercept=float(loaded["intercept"]),
        alone=float(thresholds["alone"]),
        beside_health=float(thresholds["beside_health"]),
    )


def model_digest() -> str:
    """The SHA-256 of the packaged model's file, without parsing it."""
    data = importlib.resources.files(__package__ or "spikecontent.lint").joinpath(MODEL_FILE)
    return hashlib.sha256(data.read_bytes()).hexdigest()


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """The spans of ``text``'s sentences, without their surrounding white space."""
    start = 0
    for end in SENTENCE_END.finditer(text):
        yield from _trimmed(text, start, end.end())
        start = end.end()
    yield from _trimmed(text, start, len(text))


SHORTEST: Final = 6
"""The fewest words of a sentence the model warns on: headings, labels and measure names
("Heart rate", "Do acupressure mats work?") are too short for their words to say who is
speaking, and the corpus's short claims are mostly caught by the rules."""
_WORDS: Final = re.compile(r"\w+")


# The claim status's clause ends (semicolons, colons, contrast words), and the joints that
# open a clause of its own within a sentence here: a dash, ", and", ", so".
_CLAUSE_BREAK: Final = re.compile(
    rf"{CLAUSE_END.pattern}|\s[\u2014\u2013-]\s|,\s*(?:and|or|so|plus)\b", re.IGNORECASE
)


def denied_throughout(sentence: str, denied: list[int]) -> bool:
    """Whether every clause of ``sentence`` (of three words or more) holds a claim the
    rules read as denied, at the offsets ``denied`` (relative to the sentence): then the
    model stays silent. A clause free of denial keeps the whole sentence the model's to
    read ("It does not treat diabetes, and kids with ADHD focus better on our mat")."""
    if not denied:
        return False
    start = 0
    for found in [*_CLAUSE_BREAK.finditer(sentence), None]:
        end = found.start() if found is not None else len(sentence)
        held = bisect.bisect_left(denied, end) > bisect.bisect_left(denied, start)
        if not held and len(_WORDS.findall(sentence[start:end])) >= 3:
            return False
        start = found.end() if found is not None else end
    return True


def warns_on(sentence: str) -> bool:
    """Whether the model may add a warning of its own to ``sentence``: one of at least
    :data:`SHORTEST` words that asks no question (a question asks in the customer's
    words; the rules read it, at most as a warning)."""
    return not sentence.endswith("?") and len(_WORDS.findall(sentence)) >= SHORTEST


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    stripped = piece.strip()
    if any(c.isalpha() for c in stripped):
        first = start + len(piece) - len(piece.lstrip())
        yield first, first + len(stripped)
