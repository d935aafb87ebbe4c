"""Two statements read together: do they carry the same information, contradict each other, or
are they merely related, or unrelated?

A cross-encoder: all-MiniLM-L6-v2 (the encoder of :mod:`storydesk.embeddings`) reads the two
statements as one input (``[CLS] a [SEP] b [SEP]``), so that a different figure or a denial in
one of them is seen against the other; its top :data:`TUNED_LAYERS` layers and a linear head
over :data:`LABELS` are fine-tuned by ``scripts/train_pairs.py`` on public pairs (MRPC news
paraphrases, their negatives "related"; contradictions derived from its paraphrases by
changing a figure or negating the verb; unrelated pairs drawn across clusters). Only the tuned
layers and the head ship, in fp16, in ``data/pairs/``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any, Literal

import torch

from storydesk import resources
from storydesk.crosscheck.stance import StanceNet, _one_thread, encoder_dir
from storydesk.embeddings import quiet_transformers
from storydesk.errors import ModelError

PairLabel = Literal["same", "contradicts", "related", "unrelated"]
LABELS: tuple[PairLabel, ...] = ("same", "contradicts", "related", "unrelated")
WEIGHTS_FILE = "tuned.safetensors"
TUNED_LAYERS = 4  # as the sentence stance model (its calibration: 4 of 6 layers did best)
MAX_TOKENS = 160  # word-pieces per pair; MRPC's longest pair has about 110


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


def probabilities(pairs: Sequence[tuple[str, str]], batch: int = 64) -> torch.Tensor:
    """One row of probabilities over :data:`LABELS` per pair (an empty tensor for none)."""
    if not pairs:
        return torch.zeros((0, len(LABELS)))
    tokenizer, net = model()
    out = []
    with _one_thread(), torch.inference_mode():
        for i in range(0, len(pairs), batch):
            enc = encode(tokenizer, pairs[i : i + batch])
            # No segment ids: the net was trained without them (the encoder never saw a second segment).
            out.append(torch.softmax(net(enc["input_ids"], enc["attention_mask"]), dim=-1))
    return torch.cat(out)


def classify(pairs: Sequence[tuple[str, str]]) -> list[tuple[PairLabel, float]]:
    """Each pair's label and the model's probability for it."""
    probs = probabilities(pairs)
    return [(LABELS[int(row.argmax())], float(row.max())) for row in probs]
