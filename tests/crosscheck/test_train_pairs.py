"""scripts/train_pairs.py's schedule: with ``--flip`` every second epoch reads the pairs in
their other order (a second cache), and the held-out scoring follows each epoch."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import torch

from storydesk.crosscheck import pairs

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def training_script() -> ModuleType:
    """scripts/train_pairs.py as a module (its folder on the path while it loads: it imports
    the optimiser of train_stance.py)."""
    sys.path.insert(0, str(SCRIPTS))
    try:
        spec = importlib.util.spec_from_file_location("train_pairs", SCRIPTS / "train_pairs.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(SCRIPTS))


class RecordingCache:
    """Hidden states of a few short pairs, counting the rows read."""

    def __init__(self, rows: int, width: int) -> None:
        generator = torch.Generator().manual_seed(rows)
        self.hidden = torch.randn((rows, 5, width), generator=generator)
        self.mask = torch.ones((rows, 5), dtype=torch.long)
        self.read = 0

    def rows(self, idx: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        self.read += len(idx)
        return self.hidden[idx].clone(), self.mask[idx]


def test_flipped_epochs_alternate_between_the_two_orders() -> None:
    script = training_script()
    _, net = pairs.base(tuned=1)
    width = int(net.bert.config.hidden_size)
    caches = [RecordingCache(20, width), RecordingCache(20, width)]
    labels = np.arange(20) % len(pairs.LABELS)
    seen: list[tuple[int, int, int]] = []
    script.fit(net, caches, labels, 3, 1e-5, lambda epoch: seen.append((epoch, caches[0].read, caches[1].read)))
    # Epochs 1 and 3 read the first order, epoch 2 the other; each epoch reads every pair once.
    assert seen == [(1, 20, 0), (2, 20, 20), (3, 40, 20)]
