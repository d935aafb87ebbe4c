#!/usr/bin/env python3
"""Fine-tunes the sentence-pair model (:mod:`storydesk.crosscheck.pairs`) and ships it to
src/storydesk/data/pairs/.

usage: scripts/train_pairs.py [--epochs N] [--no-save] [--limit N]

Training pairs, all from MRPC train (news sentences of one event from different outlets):
  same         its paraphrases (label 1), both orders
  related      its non-paraphrases (label 0): same event, different information
  contradicts  a paraphrase with the second sentence's shared figure changed, or its first
               auxiliary negated (or its negation removed)
  unrelated    a sentence paired with one of another cluster
MRPC test is scored the same way: "same" against the rest (accuracy, F1 of "same"; published
BERT-base 84.8 / 88.9, always "same" 0.665), and the derived contradictions and unrelated pairs
of its sentences (share labelled so). The top ``pairs.TUNED_LAYERS`` layers and the head are
trained; the frozen layers below run once per pair (cached). Fixed seeds, CPU, one thread. MRPC's
text is not shipped, only fp16 weights.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from storydesk.crosscheck import pairs  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "paraphrase-mrpc"
OUT = ROOT / "src" / "storydesk" / "data" / "pairs" / pairs.WEIGHTS_FILE
EPOCHS = 2
BATCH = 16
LR_LAYERS = 1e-4
LR_HEAD = 1e-3
WARMUP = 0.1
SEED = 0
AUX = re.compile(r"\b(is|are|was|were|will|would|can|could|should|has|have|had|did|does|do|must|may)\b( not\b|n't\b)?")
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")

Pair = tuple[str, str, str]  # a, b, label


def read(split: str) -> list[dict[str, object]]:
    path = DATA / f"{split}.jsonl"
    if not path.is_file():
        sys.exit(f"{path} not found (the shared benchmark data sits beside the repo)")
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


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


def derived(rows: list[dict[str, object]], rng: random.Random) -> list[Pair]:
    """The labelled pairs of ``rows`` (see the module's doc)."""
    out: list[Pair] = []
    for r in rows:
        a, b = str(r["a"]), str(r["b"])
        if r["label"] == 1:
            out += [(a, b, "same"), (b, a, "same")]
            changed = refigured(a, b, rng) if rng.random() < 0.5 else None
            changed = changed or negated(b)
            if changed:
                out.append((a, changed, "contradicts"))
        else:
            out.append((a, b, "related"))
    for i, r in enumerate(rows):
        j = rng.randrange(len(rows))
        if j != i and rng.random() < 0.6:
            out.append((str(r["a"]), str(rows[j]["b"]), "unrelated"))
    return out


class Cache:
    """The pairs' hidden states entering the tuned layers, and their attention masks."""

    def __init__(self, tokenizer: object, net: pairs.StanceNet, data: list[Pair]) -> None:
        enc = pairs.encode(tokenizer, [(a, b) for a, b, _ in data])
        self.mask: torch.Tensor = enc["attention_mask"]
        states = []
        net.eval()
        with torch.inference_mode():
            for i in range(0, len(data), 128):
                out = net.bert(
                    input_ids=enc["input_ids"][i : i + 128],
                    attention_mask=self.mask[i : i + 128],
                    output_hidden_states=True,
                )
                states.append(out.hidden_states[net.first_tuned])
        self.hidden = torch.cat(states)

    def rows(self, idx: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        mask = self.mask[idx]
        length = int(mask.sum(1).max())
        return self.hidden[idx, :length].clone(), mask[:, :length]


def fit(net: pairs.StanceNet, cache: Cache, labels: np.ndarray, epochs: int) -> None:
    torch.manual_seed(SEED)
    counts = np.bincount(labels, minlength=len(pairs.LABELS))
    weight = torch.tensor(len(labels) / (len(counts) * np.maximum(counts, 1)), dtype=torch.float32)
    layers = [p for layer in net.tuned_layers() for p in layer.parameters()]
    opt = torch.optim.AdamW(
        [{"params": layers, "lr": LR_LAYERS}, {"params": net.head.parameters(), "lr": LR_HEAD}], weight_decay=0.01
    )
    steps = epochs * -(-len(labels) // BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (WARMUP * steps)) * max(0.0, (steps - s) / steps)
    )
    order = np.random.RandomState(SEED)
    target = torch.tensor(labels)
    net.train()
    for epoch in range(epochs):
        started, total = time.time(), 0.0
        for b, idx in enumerate(np.array_split(order.permutation(len(labels)), -(-len(labels) // BATCH))):
            hidden, mask = cache.rows(idx)
            loss = torch.nn.functional.cross_entropy(net.top(hidden, mask), target[idx], weight=weight)
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            sched.step()
            total += float(loss.detach())
            if b % 100 == 0:
                print(
                    f"  epoch {epoch + 1} batch {b}: loss {total / (b + 1):.3f} ({time.time() - started:.0f} s)",
                    flush=True,
                )
    net.eval()


def predict(net: pairs.StanceNet, cache: Cache) -> np.ndarray:
    out = []
    with torch.inference_mode():
        for b in range(0, len(cache.mask), 128):
            hidden, mask = cache.rows(np.arange(b, min(b + 128, len(cache.mask))))
            out.append(torch.softmax(net.top(hidden, mask), dim=-1).numpy())
    return np.concatenate(out)


def evaluate(net: pairs.StanceNet, tokenizer: object) -> None:
    """MRPC test figures (see the module's doc)."""
    rows = read("test")
    rng = random.Random(SEED + 1)
    mrpc = [(str(r["a"]), str(r["b"]), "same" if r["label"] == 1 else "related") for r in rows]
    probs = predict(net, Cache(tokenizer, net, mrpc))
    said_same = probs.argmax(1) == pairs.LABELS.index("same")
    gold_same = np.array([label == "same" for _, _, label in mrpc])
    tp = int((said_same & gold_same).sum())
    precision, recall = tp / max(int(said_same.sum()), 1), tp / max(int(gold_same.sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"MRPC test ({len(rows)} pairs): accuracy {(said_same == gold_same).mean():.3f}, F1 of 'same' {f1:.3f}")
    extra = [p for p in derived(rows, rng) if p[2] in ("contradicts", "unrelated")]
    found = predict(net, Cache(tokenizer, net, extra)).argmax(1)
    for label in ("contradicts", "unrelated"):
        idx = [i for i, p in enumerate(extra) if p[2] == label]
        share = float(np.mean(found[idx] == pairs.LABELS.index(label)))
        print(f"  derived from MRPC test: {label} {share:.3f} of {len(idx)} labelled so")


def main(argv: list[str]) -> None:
    from safetensors.torch import save_file

    torch.set_num_threads(1)  # a shared, busy machine: two threads wait on each other
    epochs = int(argv[argv.index("--epochs") + 1]) if "--epochs" in argv else EPOCHS
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    start = time.time()
    data = derived(read("train")[:limit], random.Random(SEED))
    labels = np.array([pairs.LABELS.index(label) for _, _, label in data])  # type: ignore[arg-type]
    print(
        f"{len(data)} training pairs: "
        + ", ".join(f"{n} {c}" for n, c in zip(pairs.LABELS, np.bincount(labels, minlength=4), strict=True))
    )
    torch.manual_seed(SEED)
    tokenizer, net = pairs.base()
    cache = Cache(tokenizer, net, data)
    print(f"  cached the frozen layers ({time.time() - start:.0f} s)", flush=True)
    fit(net, cache, labels, epochs)
    evaluate(net, tokenizer)
    if "--no-save" not in argv:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        save_file({k: v.half().contiguous() for k, v in net.tuned_state().items()}, str(OUT))
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.1f} MB)")
    print(f"{time.time() - start:.0f} s in all")


if __name__ == "__main__":
    main(sys.argv)
