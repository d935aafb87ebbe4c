#!/usr/bin/env python3
"""Fine-tunes the sentence-pair model (:mod:`storydesk.crosscheck.pairs`) and ships it to
src/storydesk/data/pairs/.

usage: scripts/train_pairs.py [--epochs N] [--tuned N] [--no-save] [--limit N] [--out FILE]

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

import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from train_stance import Cache, predict  # noqa: E402  (the frozen layers' cache, shared)

from _pairs import Pair, derived, read, score  # noqa: E402
from storydesk.crosscheck import pairs  # noqa: E402

OUT = ROOT / "src" / "storydesk" / "data" / "pairs" / pairs.WEIGHTS_FILE
EPOCHS = 2
BATCH = 16
LR_LAYERS = 1e-4
LR_HEAD = 1e-3
WARMUP = 0.1
SEED = 0


def cached(tokenizer: object, net: pairs.StanceNet, data: list[Pair]) -> Cache:
    """The pairs' hidden states entering the tuned layers (:class:`train_stance.Cache`)."""
    return Cache(net, pairs.encode(tokenizer, [(a, b) for a, b, _ in data]))


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


def evaluate(net: pairs.StanceNet, tokenizer: object) -> None:
    """MRPC test figures (:func:`_pairs.score`), from the trained net."""
    score(lambda data: predict(net, cached(tokenizer, net, data), np.arange(len(data))))


def main(argv: list[str]) -> None:
    from safetensors.torch import save_file

    torch.set_num_threads(1)  # a shared, busy machine: two threads wait on each other
    epochs = int(argv[argv.index("--epochs") + 1]) if "--epochs" in argv else EPOCHS
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    tuned = int(argv[argv.index("--tuned") + 1]) if "--tuned" in argv else pairs.TUNED_LAYERS
    start = time.time()
    data = derived(read("train")[:limit], random.Random(SEED))
    labels = np.array([pairs.LABELS.index(label) for _, _, label in data])  # type: ignore[arg-type]
    print(
        f"{len(data)} training pairs: "
        + ", ".join(f"{n} {c}" for n, c in zip(pairs.LABELS, np.bincount(labels, minlength=4), strict=True))
    )
    torch.manual_seed(SEED)
    tokenizer, net = pairs.base(tuned)
    cache = cached(tokenizer, net, data)
    print(f"  cached the frozen layers ({time.time() - start:.0f} s)", flush=True)
    fit(net, cache, labels, epochs)
    evaluate(net, tokenizer)
    if "--no-save" not in argv:
        out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else OUT
        out.parent.mkdir(parents=True, exist_ok=True)
        save_file({k: v.half().contiguous() for k, v in net.tuned_state().items()}, str(out))
        print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    print(f"{time.time() - start:.0f} s in all")


if __name__ == "__main__":
    main(sys.argv)
