#!/usr/bin/env python3
"""Fine-tunes the sentence-pair model (:mod:`storydesk.crosscheck.pairs`) and ships it to
src/storydesk/data/pairs/.

usage: scripts/train_pairs.py [--epochs N] [--tuned N] [--lr X] [--held-out SHARE] [--no-save]
                              [--no-test] [--limit N] [--out FILE]
       scripts/train_pairs.py --stack [--no-save]

Training pairs, all from MRPC train (news sentences of one event from different outlets), each
in both orders (benchmarks/_pairs.py):
  same         its paraphrases (label 1)
  related      its non-paraphrases (label 0): same event, different information
  contradicts  a paraphrase with the second sentence's shared figure changed, a word reversed
               (data/opposites.txt) or its first auxiliary negated (or its negation removed)
  unrelated    a sentence paired with one of another cluster
A random ``--held-out`` share of MRPC train (default 0.1) is kept out of training: after each
epoch it is scored as MRPC test is, and the epoch that scores best there is the one kept (early
stopping; every choice is made on this part of train, never on test). MRPC test is scored once,
at the end: "same" against the rest (accuracy, F1 of "same"; published BERT-base 84.8 / 88.9,
always "same" 0.665), and the derived contradictions and unrelated pairs of its sentences.
The top ``--tuned`` layers (default ``pairs.TUNED_LAYERS``) and the head are trained, the
classes unweighted (MRPC's share of paraphrases is the prior the decision should keep). Fixed
seeds, CPU, one thread. MRPC's text is not shipped, only fp16 weights.

--stack fits the second reading of "same" against "related" (``pairs.stacked``): a logistic
regression over the shipped cross-encoder's odds and ``pairs.STACK_FEATURES``, on the held-out
part of MRPC train (pairs the cross-encoder never trained on). It prints the 10-fold
cross-validated accuracy there against the cross-encoder's alone, and writes
data/pairs/stack.json (a few numbers).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from train_stance import Cache  # noqa: E402  (the frozen layers' cache, shared)

from _pairs import Pair, derived, read, score, split  # noqa: E402
from storydesk.crosscheck import pairs  # noqa: E402

OUT = ROOT / "src" / "storydesk" / "data" / "pairs" / pairs.WEIGHTS_FILE
EPOCHS = 4
BATCH = 16
LR_LAYERS = 5e-5
LR_HEAD = 1e-3
WARMUP = 0.1
HELD_OUT = 0.1
SEED = 0


class Tokens:
    """Pairs as word-piece ids; their rows enter the net at its embeddings, which stay frozen
    (when every layer is tuned there is nothing worth caching)."""

    def __init__(self, net: pairs.StanceNet, batch: Any) -> None:
        self.net = net
        self.ids: torch.Tensor = batch["input_ids"]
        self.mask: torch.Tensor = batch["attention_mask"]

    def rows(self, idx: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        mask = self.mask[idx]
        length = int(mask.sum(1).max())
        with torch.no_grad():
            hidden = self.net.bert.embeddings(input_ids=self.ids[idx, :length])
        return hidden, mask[:, :length]


def cached(tokenizer: object, net: pairs.StanceNet, data: list[Pair]) -> Cache | Tokens:
    """The pairs' hidden states entering the tuned layers (:class:`train_stance.Cache`)."""
    batch = pairs.encode(tokenizer, [(a, b) for a, b, _ in data])
    return Tokens(net, batch) if net.first_tuned == 0 else Cache(net, batch)


def predict(net: pairs.StanceNet, cache: Cache | Tokens) -> np.ndarray:
    """Probabilities over pairs.LABELS for every row of ``cache``."""
    out = []
    with torch.inference_mode():
        for b in range(0, len(cache.mask), 128):
            hidden, mask = cache.rows(np.arange(b, min(b + 128, len(cache.mask))))
            out.append(torch.softmax(net.top(hidden, mask), dim=-1).numpy())
    return np.concatenate(out)


def fit(
    net: pairs.StanceNet, cache: Cache | Tokens, labels: np.ndarray, epochs: int, lr: float, after_epoch: Any
) -> None:
    """Trains the tuned layers and the head; ``after_epoch(epoch)`` runs after each epoch."""
    torch.manual_seed(SEED)
    layers = [p for layer in net.tuned_layers() for p in layer.parameters()]
    opt = torch.optim.AdamW(
        [{"params": layers, "lr": lr}, {"params": net.head.parameters(), "lr": LR_HEAD}], weight_decay=0.01
    )
    steps = epochs * -(-len(labels) // BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (WARMUP * steps)) * max(0.0, (steps - s) / steps)
    )
    order = np.random.RandomState(SEED)
    target = torch.tensor(labels)
    for epoch in range(epochs):
        net.train()
        started, total = time.time(), 0.0
        for b, idx in enumerate(np.array_split(order.permutation(len(labels)), -(-len(labels) // BATCH))):
            hidden, mask = cache.rows(idx)
            loss = torch.nn.functional.cross_entropy(net.top(hidden, mask), target[idx])
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            sched.step()
            total += float(loss.detach())
            if b % 200 == 0:
                print(
                    f"  epoch {epoch + 1} batch {b}: loss {total / (b + 1):.3f} ({time.time() - started:.0f} s)",
                    flush=True,
                )
        net.eval()
        after_epoch(epoch + 1)


def fit_stack(argv: list[str]) -> None:
    """``--stack``: the second reading, fitted and measured on the held-out part of MRPC train."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    _, held_rows = split(read("train"), option(argv, "--held-out", HELD_OUT))
    pairs_ = [(str(r["a"]), str(r["b"])) for r in held_rows]
    gold = np.array([int(r["label"]) for r in held_rows])
    probs = pairs.cross_probabilities(pairs_).numpy()
    x = pairs.stack_features(pairs_, probs)
    alone = float(((probs.argmax(1) == pairs.LABELS.index("same")) == gold).mean())
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    folds = StratifiedKFold(10, shuffle=True, random_state=SEED)
    share = cross_val_predict(model, x, gold, cv=folds, method="predict_proba")[:, 1]
    restacked = probs.copy()
    s, r = pairs.LABELS.index("same"), pairs.LABELS.index("related")
    mass = probs[:, s] + probs[:, r]
    restacked[:, s], restacked[:, r] = mass * share, mass * (1 - share)
    stacked = float(((restacked.argmax(1) == s) == gold).mean())
    print(
        f"held-out MRPC train ({len(gold)} pairs): cross-encoder alone {alone:.3f}, stacked (10-fold CV) {stacked:.3f}"
    )
    model.fit(x, gold)
    scaler, logistic = model[0], model[1]
    coef = logistic.coef_[0] / scaler.scale_
    intercept = float(logistic.intercept_[0] - (coef * scaler.mean_).sum())
    print("  weights: " + ", ".join(f"{n} {c:+.3f}" for n, c in zip(pairs.STACK_FEATURES, coef, strict=True)))
    if "--no-save" not in argv:
        out = OUT.parent / pairs.STACK_FILE
        fitted = {"features": list(pairs.STACK_FEATURES), "coef": [float(c) for c in coef], "intercept": intercept}
        out.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")


def option(argv: list[str], name: str, default: Any) -> Any:
    return type(default)(argv[argv.index(name) + 1]) if name in argv else default


def main(argv: list[str]) -> None:
    from safetensors.torch import save_file

    torch.set_num_threads(option(argv, "--threads", 1))  # a shared, busy machine: threads wait on each other
    if "--stack" in argv:
        fit_stack(argv)
        return
    epochs, tuned, lr = (
        option(argv, "--epochs", EPOCHS),
        option(argv, "--tuned", pairs.TUNED_LAYERS),
        option(argv, "--lr", LR_LAYERS),
    )
    limit = option(argv, "--limit", 0) or None
    start = time.time()
    train_rows, held_rows = split(read("train")[:limit], option(argv, "--held-out", HELD_OUT))
    data = derived(train_rows, random.Random(SEED))
    labels = np.array([pairs.LABELS.index(label) for _, _, label in data])  # type: ignore[arg-type]
    print(
        f"{len(data)} training pairs from {len(train_rows)} MRPC train rows ({len(held_rows)} held out): "
        + ", ".join(f"{n} {c}" for n, c in zip(pairs.LABELS, np.bincount(labels, minlength=4), strict=True))
    )
    torch.manual_seed(SEED)
    tokenizer, net = pairs.base(tuned)
    cache = cached(tokenizer, net, data)
    print(f"  encoded ({time.time() - start:.0f} s)", flush=True)
    best: dict[str, Any] = {"accuracy": -1.0}

    def keep_best(epoch: int) -> None:
        accuracy = score(
            lambda d: predict(net, cached(tokenizer, net, d)), held_rows, f"held-out MRPC train, epoch {epoch}"
        )
        if accuracy > best["accuracy"]:
            best.update(accuracy=accuracy, epoch=epoch, state={k: v.clone() for k, v in net.tuned_state().items()})
        print(f"  ({time.time() - start:.0f} s)", flush=True)

    fit(net, cache, labels, epochs, lr, keep_best)
    net.load_state_dict(best["state"], strict=False)
    print(f"kept epoch {best['epoch']} (held-out accuracy {best['accuracy']:.3f})")
    if "--no-test" not in argv:
        score(lambda d: predict(net, cached(tokenizer, net, d)))
    if "--no-save" not in argv:
        out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else OUT
        out.parent.mkdir(parents=True, exist_ok=True)
        save_file({k: v.half().contiguous() for k, v in net.tuned_state().items()}, str(out))
        print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    print(f"{time.time() - start:.0f} s in all")


if __name__ == "__main__":
    main(sys.argv)
