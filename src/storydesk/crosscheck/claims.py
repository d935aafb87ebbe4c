"""Claim checking: does an article agree with a claim, refute it, report it without taking a side,
or not relate to it at all (contract section 4, ``storydesk check``)?

The claim is read against the text's best evidence: the sentences that cover most of its
content words. The sentence-pair model (:mod:`storydesk.crosscheck.pairs`) reads the claim
against each of the :data:`PAIR_SENTENCES` best: does the sentence say the same, contradict it,
only relate to it?

- An article is described by a few dozen numbers, the classic ones of the Fake News Challenge:
  how much of the claim's content the text covers (as a whole, in its lead, in its best
  sentences, as word pairs), how the text's words lean near where it covers the claim
  (refuting, hedging and affirming lexicons in ``storydesk/data/``), and the pair model's
  reading of its best sentences (and whether one has a word opposite to the claim's,
  ``data/opposites.txt``). A small gradient-boosted model (``data/claims/model.joblib``, trained
  by ``scripts/train_claims.py`` on FNC-1) turns them into a stance.
- In a short text (two or three sentences: too few for those statistics to see it) a best
  sentence that contradicts the claim, denies it or hedges it decides disagree or discuss
  (:func:`short_reading`), not the words it shares with the claim.
- A one-sentence text is an opinion to place: the sentence stance model reads it.

The article model sits behind :class:`StanceModel`, so another one can be passed to
:func:`check` without changing its callers.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Protocol

import joblib
from threadpoolctl import threadpool_limits

from storydesk import resources
from storydesk.crosscheck import pairs, stance
from storydesk.crosscheck.statements import content_terms
from storydesk.errors import ModelError
from storydesk.models import ClaimStance, Span
from storydesk.text import CONTRACTED, LETTERS, sentence_spans

MODEL_FILE = "model.joblib"
LABELS: tuple[ClaimStance, ...] = ("agree", "disagree", "discuss", "unrelated")
EVIDENCE_SENTENCES = 2  # sentences returned as evidence for a related stance
SENTENCE_BATCH = 64  # one-sentence texts the stance model reads at once
TOP_SENTENCES = 3  # sentences whose words are read for the text's leaning
LEAD_SENTENCES = 3

_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|n't|without)\b|n't\b", re.IGNORECASE)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+")
_NUMBER = re.compile(r"\d[\d,.]*")

FEATURES = (
    "coverage",
    "weighted_coverage",
    "best_sentence",
    "top_sentences",
    "lead_coverage",
    "bigram_coverage",
    "repeated_terms",
    "name_coverage",
    "number_coverage",
    "first_match",
    "claim_terms",
    "text_words",
    "refuting_text",
    "hedging_text",
    "affirming_text",
    "refuting_near",
    "hedging_near",
    "affirming_near",
    "negation_near",
    "refuting_claim",
    "hedging_claim",
    "negation_claim",
    "question_claim",
    "refuting_lead",
    "hedging_lead",
    "pair_same",
    "pair_contradicts",
    "pair_related",
    "pair_unrelated",
    "opposed_near",
)
# The sentence-pair model's reading, in pairs.LABELS order.
PAIR_FEATURES = ("pair_same", "pair_contradicts", "pair_related", "pair_unrelated")
SHORT_TEXT = LEAD_SENTENCES  # a text no longer than a lead is read sentence by sentence (short_reading)
PAIR_SENTENCES = 2  # the claim is read against this many of the text's best-covering sentences
# Read as "no sentence to read" (unrelated certain): a text sharing no content word with the claim.
NO_READING = (0.0, 0.0, 0.0, 1.0)

PairProbabilities = Callable[[Sequence[tuple[str, str]]], Any]


SENTENCE_TO_CLAIM: dict[str, ClaimStance] = {"agree": "agree", "disagree": "disagree", "neutral": "discuss"}


class StanceModel(Protocol):
    """Anything that turns a pair's feature vectors into one stance per pair."""

    def predict(self, features: Sequence[Sequence[float]]) -> list[ClaimStance]: ...


@dataclass(frozen=True)
class Evidence:
    span: Span
    text: str


@dataclass(frozen=True)
class ClaimCheck:
    stance: ClaimStance
    evidence: list[Evidence]


@dataclass(frozen=True)
class _Lexicons:
    refuting: frozenset[str]
    hedging: frozenset[str]
    affirming: frozenset[str]


@functools.cache
def lexicons() -> _Lexicons:
    return _Lexicons(
        refuting=frozenset(resources.lines("refuting_words.txt")),
        hedging=frozenset(resources.lines("hedging_words.txt")),
        affirming=frozenset(resources.lines("affirming_words.txt")),
    )


@dataclass(frozen=True)
class _Sentence:
    span: Span
    text: str
    terms: frozenset[str]


def _words(text: str) -> list[str]:
    return CONTRACTED.findall(text.lower())


def _rate(words: Sequence[str], lexicon: frozenset[str]) -> float:
    """Lexicon words per 100 words."""
    return 100.0 * sum(w in lexicon for w in words) / max(len(words), 1)


def _hits(words: Sequence[str], lexicon: frozenset[str]) -> float:
    return float(sum(w in lexicon for w in words))


def _bigrams(terms: Sequence[str]) -> set[tuple[str, str]]:
    return set(pairwise(terms))


@functools.lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[_Sentence, ...]:
    """The text's sentences and their content terms (remembered: one text is checked against
    many claims, and read several times for each)."""
    return tuple(
        _Sentence(span=s, text=text[s[0] : s[1]], terms=frozenset(content_terms(text[s[0] : s[1]])))
        for s in sentence_spans(text)
    )


@functools.lru_cache(maxsize=64)
def _text_terms(text: str) -> tuple[str, ...]:
    return content_terms(text)


def _coverage(claim: frozenset[str], terms: frozenset[str]) -> float:
    return len(claim & terms) / len(claim) if claim else 0.0


def _ranked(claim: frozenset[str], sentences: Sequence[_Sentence]) -> list[_Sentence]:
    """Sentences by how much of the claim they cover, best first (text order among equals)."""
    return sorted(sentences, key=lambda s: -_coverage(claim, s.terms))


def _names(text: str) -> set[str]:
    return {m.group(0).lower() for m in _NAME.finditer(text)}


def _share(part: set[Any], whole: set[Any]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def _coverage_features(claim: str, text: str, sentences: Sequence[_Sentence]) -> dict[str, float]:
    claim_terms = content_terms(claim)
    ct = frozenset(claim_terms)
    body_terms = _text_terms(text)
    counts = Counter(body_terms)
    ranked = _ranked(ct, sentences)
    top = [_coverage(ct, s.terms) for s in ranked[:TOP_SENTENCES]]
    first = next((k for k, s in enumerate(sentences) if _coverage(ct, s.terms) >= 0.5), len(sentences))
    lead = frozenset(t for s in sentences[:LEAD_SENTENCES] for t in s.terms)
    return {
        "coverage": _coverage(ct, frozenset(counts)),
        "weighted_coverage": sum(math.log1p(counts[t]) for t in ct) / max(len(ct), 1),
        "best_sentence": top[0] if top else 0.0,
        "top_sentences": sum(top) / len(top) if top else 0.0,
        "lead_coverage": _coverage(ct, lead),
        "bigram_coverage": _share(_bigrams(claim_terms), _bigrams(body_terms)),
        "repeated_terms": sum(counts[t] >= 2 for t in ct) / max(len(ct), 1),
        "name_coverage": _share(_names(claim), {w.lower() for w in LETTERS.findall(text)}),
        "number_coverage": _share(set(_NUMBER.findall(claim)), set(_NUMBER.findall(text))),
        "first_match": first / max(len(sentences), 1),
        "claim_terms": float(len(ct)),
        "text_words": math.log1p(len(text.split())),
    }


def _leaning_features(claim: str, text: str, sentences: Sequence[_Sentence]) -> dict[str, float]:
    lex = lexicons()
    ct = frozenset(content_terms(claim))
    near = [w for s in _ranked(ct, sentences)[:TOP_SENTENCES] for w in _words(s.text)]
    lead = [w for s in sentences[:LEAD_SENTENCES] for w in _words(s.text)]
    body, claim_words = _words(text), _words(claim)
    near_text = " ".join(s.text for s in _ranked(ct, sentences)[:TOP_SENTENCES])
    return {
        "refuting_text": _rate(body, lex.refuting),
        "hedging_text": _rate(body, lex.hedging),
        "affirming_text": _rate(body, lex.affirming),
        "refuting_near": _hits(near, lex.refuting),
        "hedging_near": _hits(near, lex.hedging),
        "affirming_near": _hits(near, lex.affirming),
        "negation_near": float(len(_NEGATION.findall(near_text))),
        "refuting_claim": _hits(claim_words, lex.refuting),
        "hedging_claim": _hits(claim_words, lex.hedging),
        "negation_claim": float(bool(_NEGATION.search(claim))),
        "question_claim": float("?" in claim),
        "refuting_lead": _hits(lead, lex.refuting),
        "hedging_lead": _hits(lead, lex.hedging),
    }


def _text_features(claim: str, text: str) -> dict[str, float]:
    sentences = _sentences(text)
    return _coverage_features(claim, text, sentences) | _leaning_features(claim, text, sentences)


@dataclass(frozen=True)
class _Reading:
    """The sentence-pair model's reading of the claim against one sentence of the text."""

    sentence: str
    probs: tuple[float, ...]  # over pairs.LABELS

    @property
    def label(self) -> pairs.PairLabel:
        return pairs.LABELS[max(range(len(self.probs)), key=self.probs.__getitem__)]


def _sentence_readings(
    claims_and_texts: Sequence[tuple[str, str]], probabilities: PairProbabilities
) -> list[list[_Reading]]:
    """For each pair, the sentence-pair model's readings of the claim against the text's
    :data:`PAIR_SENTENCES` best-covering sentences (those sharing a content word with it), in
    one batched call."""
    asked: list[tuple[str, str]] = []
    owners: list[int] = []
    for k, (claim, text) in enumerate(claims_and_texts):
        ct = frozenset(content_terms(claim))
        for s in _ranked(ct, _sentences(text))[:PAIR_SENTENCES]:
            if ct & s.terms:
                asked.append((claim, s.text))
                owners.append(k)
    readings: list[list[_Reading]] = [[] for _ in claims_and_texts]
    for k, (_, sentence), row in zip(owners, asked, probabilities(asked), strict=True):
        readings[k].append(_Reading(sentence, tuple(float(v) for v in row)))
    return readings


def _pair_features(claim: str, readings: Sequence[_Reading]) -> dict[str, float]:
    """The highest probability of "same", "contradicts" and "related" over the readings, the
    lowest of "unrelated" (:data:`NO_READING` without any), and whether a read sentence has a
    word opposite to one of the claim's (``pairs.opposed``)."""
    values: tuple[float, ...] = NO_READING
    if readings:
        rows = [r.probs for r in readings]
        values = (*(max(p[i] for p in rows) for i in range(3)), min(p[3] for p in rows))
    opposed = float(any(pairs.opposed(claim, r.sentence) for r in readings))
    return dict(zip(PAIR_FEATURES, values, strict=True)) | {"opposed_near": opposed}


@functools.cache
def _denials() -> re.Pattern[str]:
    words = sorted(resources.lines("denial_words.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def _new_cue(claim: str, sentence: str, cues: frozenset[str] | re.Pattern[str]) -> bool:
    """Whether ``sentence`` has a cue (a word of ``cues``, or a match) that ``claim`` lacks."""
    if isinstance(cues, re.Pattern):
        return bool(cues.search(sentence)) and not cues.search(claim)
    return bool(cues & (set(_words(sentence)) - set(_words(claim))))


def short_reading(claim: str, readings: Sequence[_Reading]) -> ClaimStance | None:
    """What a short text's best sentences settle (a few sentences are too few for the article
    model's statistics to see a contradiction): one that contradicts the claim (the pair model
    says so, it has a word opposite to the claim's, or a denial the claim lacks) disagrees; one
    that hedges (a hedging word the claim lacks) only discusses. None when neither: the article
    model decides."""
    read = [r for r in readings if r.label != "unrelated"]
    if any(
        r.label == "contradicts" or pairs.opposed(claim, r.sentence) or _new_cue(claim, r.sentence, _denials())
        for r in read
    ):
        return "disagree"
    if any(_new_cue(claim, r.sentence, lexicons().hedging) for r in read):
        return "discuss"
    return None


def is_short(text: str) -> bool:
    """A text of two to :data:`SHORT_TEXT` sentences (one sentence is an opinion to place)."""
    return 1 < len(sentence_spans(text)) <= SHORT_TEXT


def readings_and_features(
    claims_and_texts: Sequence[tuple[str, str]], probabilities: PairProbabilities = pairs.cross_probabilities
) -> tuple[list[list[_Reading]], list[list[float]]]:
    """Each pair's sentence readings and its feature vector, in the order of ``FEATURES`` (the
    sentence-pair model reads all of them in one call; ``probabilities`` stands in for it in
    training, to cache)."""
    readings = _sentence_readings(claims_and_texts, probabilities)
    out = []
    for (claim, text), read in zip(claims_and_texts, readings, strict=True):
        values = _text_features(claim, text) | _pair_features(claim, read)
        out.append([values[name] for name in FEATURES])
    return readings, out


def features_many(
    claims_and_texts: Sequence[tuple[str, str]], probabilities: PairProbabilities = pairs.cross_probabilities
) -> list[list[float]]:
    """Each pair's feature vector, in the order of ``FEATURES``."""
    return readings_and_features(claims_and_texts, probabilities)[1]


def features(claim: str, text: str) -> list[float]:
    """The pair's feature vector, in the order of ``FEATURES``."""
    return features_many([(claim, text)])[0]


def evidence(claim: str, text: str, limit: int = EVIDENCE_SENTENCES) -> list[Evidence]:
    """The sentences of ``text`` that cover most of the claim (at least one claim term), in text order."""
    ct = frozenset(content_terms(claim))
    best = [s for s in _ranked(ct, _sentences(text))[:limit] if ct & s.terms]
    return [Evidence(span=s.span, text=s.text) for s in sorted(best, key=lambda s: s.span)]


class BoostedModel:
    """The shipped gradient-boosted classifier over ``FEATURES``."""

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator

    def predict(self, features: Sequence[Sequence[float]]) -> list[ClaimStance]:
        if not features:
            return []
        # one thread: the trees are small, and OpenMP threads on a busy machine cost far more than they save
        with threadpool_limits(limits=1, user_api="openmp"):
            predicted = self.estimator.predict(list(features))
        return [LABELS[LABELS.index(y)] for y in predicted]


@functools.cache
def default_model() -> StanceModel:
    """The model shipped in ``storydesk/data/claims/`` (loaded once per process)."""
    try:
        bundle = joblib.load(resources.path("claims", MODEL_FILE))
    except (OSError, ValueError) as exc:
        raise ModelError(f"claim model {MODEL_FILE} cannot be read: {exc}") from exc
    if tuple(bundle.get("features", ())) != FEATURES:
        raise ModelError("claim model was trained on other features; run scripts/train_claims.py")
    return BoostedModel(bundle["model"])


def check_many(claims_and_texts: Sequence[tuple[str, str]], model: StanceModel | None = None) -> list[ClaimCheck]:
    """Checks each ``(claim, text)`` pair; one batched model call for all of them. A text that
    shares no content word with its claim is unrelated without asking the model."""
    stances: list[ClaimStance] = ["unrelated"] * len(claims_and_texts)
    # A one-sentence text is an opinion to place, not an article to check: the sentence-level
    # stance model reads it (its neutral is "discusses").
    single = [k for k, (_, text) in enumerate(claims_and_texts) if len(sentence_spans(text)) == 1 and text.strip()]
    # In batches: the encoder is far cheaper per sentence when it reads several at once.
    for start in range(0, len(single), SENTENCE_BATCH):
        batch = single[start : start + SENTENCE_BATCH]
        for k, probs in zip(batch, stance.probabilities([claims_and_texts[k][1] for k in batch]), strict=True):
            stances[k] = SENTENCE_TO_CLAIM[stance.LABELS[int(probs.argmax())]]
    placed = set(single)
    # Only texts sharing a content word with the claim are read (FEATURES[0]: claim coverage).
    covered = [k for k, (claim, text) in enumerate(claims_and_texts) if k not in placed and _shares_terms(claim, text)]
    if covered:
        readings, rows = readings_and_features([claims_and_texts[k] for k in covered])
        # What a short text's sentences settle overrides the article model's statistics
        # (unless another model is passed in: it then reads every text).
        settled = {
            i: reading
            for i, k in enumerate(covered)
            if model is None
            and is_short(claims_and_texts[k][1])
            and (reading := short_reading(claims_and_texts[k][0], readings[i])) is not None
        }
        rest = [i for i in range(len(covered)) if i not in settled]
        if rest:
            predicted = (model or default_model()).predict([rows[i] for i in rest])
            for i, label in zip(rest, predicted, strict=True):
                stances[covered[i]] = label
        for i, reading in settled.items():
            stances[covered[i]] = reading
    return [
        ClaimCheck(stance=label, evidence=[] if label == "unrelated" else evidence(claim, text))
        for (claim, text), label in zip(claims_and_texts, stances, strict=True)
    ]


def _shares_terms(claim: str, text: str) -> bool:
    return bool(set(content_terms(claim)) & set(_text_terms(text)))


def check(claim: str, text: str, model: StanceModel | None = None) -> ClaimCheck:
    """The stance of ``text`` toward ``claim`` and the sentences that show it."""
    return check_many([(claim, text)], model)[0]


@dataclass(frozen=True)
class ClaimPair:
    """One line of ``storydesk check`` input."""

    id: str | int  # kept as given, so output ids equal input ids in JSON
    claim: str
    text: str
