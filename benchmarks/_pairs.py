"""MRPC pairs for the sentence-pair model (:mod:`storydesk.crosscheck.pairs`): the labelled
pairs derived from it (training, ``scripts/train_pairs.py``) and its test figures (here and in
``eval_pairs.py``)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from _shared import read_jsonl, require_shared
from storydesk.crosscheck import pairs

SEED = 0
AUX = re.compile(r"\b(is|are|was|were|will|would|can|could|should|has|have|had|did|does|do|must|may)\b( not\b|n't\b)?")
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")

Pair = tuple[str, str, str]  # a, b, label


def read(split: str) -> list[dict[str, Any]]:
    """MRPC ``split`` (train or test) from the shared data (exits 0 with a note without it)."""
    return read_jsonl(require_shared() / "bench" / "paraphrase-mrpc" / f"{split}.jsonl")


def negated(text: str) -> str | None:
    """``text`` with its first auxiliary negated, or its negation removed; None without one."""
    m = AUX.search(text)
    if m is None:
        return None
    if m.group(2):
        return text[: m.end(1)] + text[m.end(2) :]
    return text[: m.end(1)] + " not" + text[m.end(1) :]


def refigured(a: str, b: str, rng: random.Random) -> str | None:
    """``b`` with a figure that ``a`` shares changed (a different figure for the same slot)."""
    shared = [m for m in NUMBER.finditer(b) if m.group() in a]
    if not shared:
        return None
    m = rng.choice(shared)
    digits = m.group().replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    new = value * rng.choice([0.5, 2, 3, 1.5]) + rng.choice([0, 1, 7])
    text = f"{new:,.0f}" if "." not in digits else f"{new:.{len(digits.split('.')[1])}f}"
    if text == m.group():
        return None
    return b[: m.start()] + text + b[m.end() :]


def reversed_word(text: str, rng: random.Random) -> str | None:
    """``text`` with one of its words replaced by one of opposite meaning (``pairs.opposites``), or
    None without such a word."""
    table = pairs.opposites()
    found = [m for m in re.finditer(r"[A-Za-z]+", text) if m.group().lower() in table]
    if not found:
        return None
    m = rng.choice(found)
    new = rng.choice(sorted(table[m.group().lower()]))
    new = new.capitalize() if m.group()[0].isupper() else new
    return text[: m.start()] + new + text[m.end() :]


def contradicted(a: str, b: str, rng: random.Random) -> str | None:
    """``b`` changed to contradict ``a``: a shared figure changed, a word reversed or its first
    auxiliary negated (tried in a random order; None when none applies)."""
    changes: list[Callable[[], str | None]] = [
        lambda: refigured(a, b, rng),
        lambda: reversed_word(b, rng),
        lambda: negated(b),
    ]
    rng.shuffle(changes)
    return next((text for change in changes if (text := change()) is not None), None)


def either_order(a: str, b: str, label: str, rng: random.Random) -> Pair:
    """The pair in a random order (the relation is symmetric; one order costs half the training)."""
    return (a, b, label) if rng.random() < 0.5 else (b, a, label)


def derived(rows: list[dict[str, Any]], rng: random.Random, unrelated: float = 0.3, both: bool = True) -> list[Pair]:
    """The labelled pairs of ``rows``: paraphrases "same" and non-paraphrases "related" in both
    orders (the relation is symmetric; with ``both`` False, in one random order), a paraphrase
    with a shared figure changed, a word reversed or its auxiliary negated "contradicts", and for
    a share ``unrelated`` of the rows a sentence with one of another pair "unrelated" (the easy
    class, kept small), each in a random order."""
    out: list[Pair] = []
    for r in rows:
        a, b = str(r["a"]), str(r["b"])
        if r["label"] == 1:
            out += [(a, b, "same"), (b, a, "same")] if both else [either_order(a, b, "same", rng)]
            changed = contradicted(a, b, rng)
            if changed:
                out.append(either_order(a, changed, "contradicts", rng))
        else:
            out += [(a, b, "related"), (b, a, "related")] if both else [either_order(a, b, "related", rng)]
    for i, r in enumerate(rows):
        j = rng.randrange(len(rows))
        if j != i and rng.random() < unrelated:
            out.append(either_order(str(r["a"]), str(rows[j]["b"]), "unrelated", rng))
    return out


def split(
    rows: list[dict[str, Any]], share: float, seed: int = SEED
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``rows`` cut at random into a training part and a held-out part of ``share``."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    cut = int(len(rows) * share)
    held = set(order[:cut])
    return [r for k, r in enumerate(rows) if k not in held], [r for k, r in enumerate(rows) if k in held]


def score(
    probabilities: Callable[[list[Pair]], np.ndarray], rows: list[dict[str, Any]] | None = None, name: str = "MRPC test"
) -> float:
    """Prints MRPC test figures (or those of ``rows``) from ``probabilities`` (rows over ``pairs.LABELS`` per pair):
    "same" against the rest (accuracy, F1 of "same"), and the share of the derived
    contradictions and unrelated pairs of its sentences labelled so. Returns the accuracy."""
    rows = read("test") if rows is None else rows
    mrpc: list[Pair] = [(str(r["a"]), str(r["b"]), "same" if r["label"] == 1 else "related") for r in rows]
    said_same = probabilities(mrpc).argmax(1) == pairs.LABELS.index("same")
    gold_same = np.array([label == "same" for _, _, label in mrpc])
    tp = int((said_same & gold_same).sum())
    precision, recall = tp / max(int(said_same.sum()), 1), tp / max(int(gold_same.sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    accuracy = float((said_same == gold_same).mean())
    print(f"{name} ({len(rows)} pairs): accuracy {accuracy:.3f}, F1 of 'same' {f1:.3f}")
    extra = [p for p in derived(rows, random.Random(SEED + 1), unrelated=0.6) if p[2] in ("contradicts", "unrelated")]
    found = probabilities(extra).argmax(1)
    for label in ("contradicts", "unrelated"):
        idx = [i for i, p in enumerate(extra) if p[2] == label]
        share = float(np.mean(found[idx] == pairs.LABELS.index(label)))
        print(f"  derived from {name}: {label} {share:.3f} of {len(idx)} labelled so")
    return accuracy


# --- ECB+ train: statements of different articles about one event -----------------------------

ECB_SHARE = {"same": 1500, "related": 1500, "unrelated": 600}  # pairs drawn per label (at most)


def _sentence_text(tokens: list[str]) -> str:
    """A sentence of ECB+'s tokens as the pipeline reads it (its articles are tokens joined by
    spaces, ../shared/eval/score_facts.py); the word-piece tokenizer splits punctuation anyway."""
    return " ".join(tokens).replace("``", '"').replace("''", '"')


def ecb_sentences(split: str) -> dict[tuple[str, int], dict[str, Any]]:
    """ECB+ ``split``'s annotated sentences: text, topic, subtopic and the cross-document event
    and entity clusters each mentions (only the ``selected`` sentences are annotated)."""
    base = require_shared() / "bench" / "facts-ecbplus"
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for d in read_jsonl(base / "documents.jsonl"):
        if d["split"] != split:
            continue
        for s in d["sentences"]:
            if s["selected"]:
                key = (d["doc_id"], s["sent_id"])
                out[key] = {"text": _sentence_text(s["tokens"]), "topic": d["topic"], "subtopic": d["subtopic"]}
                out[key].update(events=set(), entities=set())
    for m in read_jsonl(base / "mentions-train-dev.jsonl"):
        key = (m["doc_id"], m["sent_id"])
        if m["split"] == split and m["cluster_kind"] == "cross_doc" and key in out:
            out[key]["events" if m["type"] == "event" else "entities"].add(m["cluster_id"])
    return out


def ecb_label(a: dict[str, Any], b: dict[str, Any]) -> str:
    """What two annotated sentences of different articles of one topic share: "same" when they
    mention one event cluster with its participants (two entity clusters in common, or the only
    one either names), "related" when they share less of one subtopic (the same story: another
    event, or the event with other participants), "unrelated" across subtopics (ECB+ pairs each
    story with another of the same kind: another earthquake, another arrest)."""
    if a["subtopic"] != b["subtopic"]:
        return "unrelated"
    shared = a["entities"] & b["entities"]
    participants = len(shared) >= 2 or (len(shared) == 1 and min(len(a["entities"]), len(b["entities"])) == 1)
    return "same" if a["events"] & b["events"] and participants else "related"


def ecb_rows(split: str, topics: set[int] | None = None) -> list[dict[str, Any]]:
    """Every labelled pair (:func:`ecb_label`) of annotated sentences of different articles of one
    topic of ECB+ ``split`` (only the ``topics`` given, if any), as rows ``a``, ``b``, ``label``,
    ``topic``."""
    sentences = ecb_sentences(split)
    keys = sorted(k for k, s in sentences.items() if topics is None or s["topic"] in topics)
    rows = []
    for i, ka in enumerate(keys):
        for kb in keys[i + 1 :]:
            a, b = sentences[ka], sentences[kb]
            if ka[0] != kb[0] and a["topic"] == b["topic"]:
                rows.append({"a": a["text"], "b": b["text"], "label": ecb_label(a, b), "topic": a["topic"]})
    return rows


def ecb_derived(rows: list[dict[str, Any]], rng: random.Random, share: dict[str, int] = ECB_SHARE) -> list[Pair]:
    """At most ``share[label]`` pairs of each label drawn from ``rows`` (:func:`ecb_rows`), each in a
    random order, and one contradiction derived from each "same" pair drawn (as :func:`derived`)."""
    out: list[Pair] = []
    for label, most in share.items():
        chosen = [r for r in rows if r["label"] == label]
        rng.shuffle(chosen)
        for r in chosen[:most]:
            a, b = str(r["a"]), str(r["b"])
            out.append(either_order(a, b, label, rng))
            if label == "same" and (changed := contradicted(a, b, rng)) is not None:
                out.append(either_order(a, changed, "contradicts", rng))
    return out
