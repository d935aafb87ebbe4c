"""scripts/train_stance.py: its batches and its layer-wise learning rates."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_stance.py"


@pytest.fixture(scope="module")
def trainer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_stance", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_stance"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_batches_cover_the_rows_once_each_sorted_by_length(trainer: ModuleType) -> None:
    rng = np.random.RandomState(3)
    lengths = rng.randint(5, 80, size=900)
    train = rng.choice(900, size=700, replace=False)
    out = trainer.batches(train, lengths, np.random.RandomState(0))
    seen = np.concatenate(out)
    assert sorted(seen.tolist()) == sorted(train.tolist())
    assert all(len(b) <= trainer.BATCH for b in out)
    assert all((np.diff(lengths[b]) >= 0).all() for b in out)
    # Like lengths together: far less padding than the same rows in random batches.
    padded = sum(int(lengths[b].max()) * len(b) for b in out)
    shuffled = rng.permutation(train)
    random_padded = sum(
        int(lengths[shuffled[k : k + trainer.BATCH]].max()) * len(shuffled[k : k + trainer.BATCH])
        for k in range(0, len(shuffled), trainer.BATCH)
    )
    assert padded < 0.8 * random_padded


def test_lower_layers_learn_slower_by_the_decay(trainer: ModuleType) -> None:
    _, net = trainer.stance.base(tuned=3)
    opt, _ = trainer.optimiser(net, 1e-4, 100, decay=0.5)
    rates = [group["initial_lr"] for group in opt.param_groups]
    assert rates == pytest.approx([0.25e-4, 0.5e-4, 1e-4, trainer.LR_HEAD])
    first_layer = {id(p) for p in net.tuned_layers()[0].parameters()}
    assert {id(p) for p in opt.param_groups[0]["params"]} == first_layer


def test_configurations_fit_the_encoder(trainer: ModuleType) -> None:
    assert trainer.CONFIGS
    assert all(1 <= c.layers <= 6 and c.epochs >= 1 and 0 < c.decay <= 1 for c in trainer.CONFIGS)
    assert len({c.name for c in trainer.CONFIGS}) == len(trainer.CONFIGS)
