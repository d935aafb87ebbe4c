"""Two statements read together: do they carry the same information, contradict each other, or
are they merely related, or unrelated?

A cross-encoder: all-MiniLM-L6-v2 (the encoder of :mod:`storydesk.embeddings`) reads the two
statements as one input (``[CLS] a [SEP] b [SEP]``), so that a different figure or a denial in
one of them is seen against the other; its top tuned layers and a linear head over
:data:`LABELS` are fine-tuned by ``scripts/train_pairs.py`` on public pairs (MRPC news
paraphrases, their negatives "related"; contradictions derived from its paraphrases by
changing a figure or negating the verb; unrelated pairs drawn across clusters). Only the tuned
layers and the head ship, in fp16, in ``data/pairs/``.

"Same" against "related" is then read a second time (:func:`stacked`, when ``data/pairs/
stack.json`` ships): a logistic model over the cross-encoder's odds, the sentence encoder's
cosine and what the cross-encoder reads loosely (a figure or a name on one side only, a
negation on one side only, words in common; :func:`lexical`), fitted on MRPC train by
``scripts/train_pairs.py --stack``. :func:`cross_probabilities` is the cross-encoder alone (claim
checking reads with it: it needs no second encoder).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import torch

from storydesk import resources
from storydesk.crosscheck.stance import StanceNet, _one_thread, encoder_dir
from storydesk.embeddings import quiet_transformers
from storydesk.errors import ModelError

PairLabel = Literal["same", "contradicts", "related", "unrelated"]
LABELS: tuple[PairLabel, ...] = ("same", "contradicts", "related", "unrelated")
WEIGHTS_FILE = "tuned.safetensors"
STACK_FILE = "stack.json"  # the second reading of "same" against "related" (see :func:`stacked`)
TUNED_LAYERS = 2  # the top two of six: what a shared CPU retrains in under 45 minutes (lower layers cached)
MAX_TOKENS = 96  # word-pieces per pair: two news sentences (longer pairs lose the ends of their longer side)
STACK_FEATURES = (
    "same_logit",
    "cosine",
    "numbers_apart",
    "names_apart",
    "negation_apart",
    "word_overlap",
    "length_ratio",
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<!^)(?<![.!?\"“]\s)\b[A-Z][a-zA-Z]+")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|without)\b|n't\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")


def base(tuned: int = TUNED_LAYERS) -> tuple[Any, StanceNet]:
    """The tokenizer and an untrained pair net on the encoder's weights, ``tuned`` top layers
    to train."""
    from transformers import AutoTokenizer, BertModel

    quiet_transformers()
    folder = str(encoder_dir())
    net = StanceNet(BertModel.from_pretrained(folder), labels=len(LABELS), tuned=tuned)
    return AutoTokenizer.from_pretrained(folder), net


def _tuned_count(weights: dict[str, torch.Tensor]) -> int:
    """How many top layers a weights file holds (training picks it: ``--tuned``)."""
    return len({m.group(1) for k in weights if (m := re.match(r"bert\.encoder\.layer\.(\d+)\.", k))})


@functools.cache
def model() -> tuple[Any, StanceNet]:
    """The tokenizer and the trained pair net, in eval mode (loaded once per process)."""
    from safetensors.torch import load_file

    try:
        tuned = load_file(str(resources.path("pairs", WEIGHTS_FILE)))
    except (OSError, ValueError) as exc:
        raise ModelError(f"pair model {WEIGHTS_FILE!r} unreadable; run scripts/train_pairs.py") from exc
    tokenizer, net = base(_tuned_count(tuned))
    missing = set(net.tuned_state()) - set(tuned)
    if missing:
        raise ModelError(f"pair model {WEIGHTS_FILE!r} lacks {sorted(missing)[:3]}; retrain it")
    net.load_state_dict({k: v.float() for k, v in tuned.items()}, strict=False)
    return tokenizer, net.eval()


def encode(tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> Any:
    """The pairs as the net reads them (also in training: one tokenisation for both)."""
    firsts, seconds = [a for a, _ in pairs], [b for _, b in pairs]
    return tokenizer(
        firsts, seconds, padding=True, truncation="longest_first", max_length=MAX_TOKENS, return_tensors="pt"
    )


@functools.cache
def opposites() -> dict[str, frozenset[str]]:
    """Each word of ``data/opposites.txt`` and the words of opposite meaning paired with it."""
    out: dict[str, set[str]] = {}
    for line in resources.lines("opposites.txt"):
        one, other = line.split("\t")
        out.setdefault(one, set()).add(other)
        out.setdefault(other, set()).add(one)
    return {word: frozenset(words) for word, words in out.items()}


def opposed(a: str, b: str) -> bool:
    """Whether one side has a word whose opposite the other has instead ("released" against
    "detained", "rose" against "fell")."""
    words_a, words_b = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    table = opposites()
    return any((table.get(w, frozenset()) & (words_b - words_a)) and w not in words_b for w in words_a)


def _apart(a: set[str], b: set[str]) -> float:
    """The share of the items of either side missing from the other (0 when neither has any)."""
    return len(a ^ b) / len(a | b) if a | b else 0.0


def lexical(a: str, b: str) -> list[float]:
    """What the cross-encoder is known to read loosely: figures and names one side has and the
    other lacks (news non-paraphrases often differ only there), a negation on one side only,
    the share of words in common and the length ratio (:data:`STACK_FEATURES` after the first two)."""
    words_a, words_b = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    numbers = _apart(set(_NUMBER.findall(a)), set(_NUMBER.findall(b)))
    names = _apart({m.lower() for m in _NAME.findall(a)}, {m.lower() for m in _NAME.findall(b)})
    negation = float(bool(_NEGATION.search(a)) != bool(_NEGATION.search(b)))
    overlap = len(words_a & words_b) / max(len(words_a | words_b), 1)
    length = min(len(a), len(b)) / max(len(a), len(b), 1)
    return [numbers, names, negation, overlap, length]


def cosines(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The sentence encoder's cosine of each pair's two sides (each distinct text encoded once)."""
    from storydesk import embeddings

    texts = sorted({t for pair in pairs for t in pair})
    index = {t: k for k, t in enumerate(texts)}
    with _one_thread():
        vectors = embeddings.encode(texts)
    return np.array([float(vectors[index[a]] @ vectors[index[b]]) for a, b in pairs])


def stack_features(pairs: Sequence[tuple[str, str]], probs: np.ndarray) -> np.ndarray:
    """One row of :data:`STACK_FEATURES` per pair, from the cross-encoder's ``probs``."""
    same, related = probs[:, LABELS.index("same")], probs[:, LABELS.index("related")]
    logit = np.log(np.clip(same, 1e-6, None)) - np.log(np.clip(related, 1e-6, None))
    lex = np.array([lexical(a, b) for a, b in pairs]).reshape(len(pairs), len(STACK_FEATURES) - 2)
    return np.column_stack([logit, cosines(pairs), lex])


@functools.cache
def stack() -> dict[str, Any] | None:
    """The fitted second reading (``scripts/train_pairs.py --stack``), or None when none ships."""
    try:
        fitted: dict[str, Any] = json.loads(resources.path("pairs", STACK_FILE).read_text(encoding="utf-8"))
    except OSError:
        return None
    if tuple(fitted["features"]) != STACK_FEATURES:
        raise ModelError(f"pair stack {STACK_FILE!r} was fitted on other features; refit it")
    return fitted


def stacked(pairs: Sequence[tuple[str, str]], probs: np.ndarray, fitted: dict[str, Any]) -> np.ndarray:
    """``probs`` with the mass of "same" and "related" shared anew between them by a logistic
    model over :data:`STACK_FEATURES` (fitted on pairs the cross-encoder did not train on);
    "contradicts" and "unrelated" keep the cross-encoder's probabilities."""
    z = stack_features(pairs, probs) @ np.array(fitted["coef"]) + float(fitted["intercept"])
    share = 1.0 / (1.0 + np.exp(-z))
    s, r = LABELS.index("same"), LABELS.index("related")
    out = probs.copy()
    mass = probs[:, s] + probs[:, r]
    out[:, s], out[:, r] = mass * share, mass * (1.0 - share)
    return out


def probabilities(pairs: Sequence[tuple[str, str]], batch: int = 64) -> torch.Tensor:
    """One row of probabilities over :data:`LABELS` per pair (an empty tensor for none)."""
    if not pairs:
        return torch.zeros((0, len(LABELS)))
    probs = cross_probabilities(pairs, batch)
    fitted = stack()
    return probs if fitted is None else torch.from_numpy(stacked(pairs, probs.numpy(), fitted)).float()


def cross_probabilities(pairs: Sequence[tuple[str, str]], batch: int = 64) -> torch.Tensor:
    """The cross-encoder's own probabilities over :data:`LABELS`, one row per pair."""
    if not pairs:
        return torch.zeros((0, len(LABELS)))
    tokenizer, net = model()
    # Batched by length: a batch is padded to its longest pair, so like lengths waste least.
    order = sorted(range(len(pairs)), key=lambda k: len(pairs[k][0]) + len(pairs[k][1]))
    out = torch.zeros((len(pairs), len(LABELS)))
    with _one_thread(), torch.inference_mode():
        for i in range(0, len(order), batch):
            rows = order[i : i + batch]
            enc = encode(tokenizer, [pairs[k] for k in rows])
            # No segment ids: the net was trained without them (the encoder never saw a second segment).
            out[rows] = torch.softmax(net(enc["input_ids"], enc["attention_mask"]), dim=-1)
    return out


def classify(pairs: Sequence[tuple[str, str]]) -> list[tuple[PairLabel, float]]:
    """Each pair's label and the model's probability for it."""
    probs = probabilities(pairs)
    return [(LABELS[int(row.argmax())], float(row.max())) for row in probs]
