"""scripts/train_stance.py: its length-sorted batches and its ensemble members."""

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


def invented_rows() -> list[dict[str, object]]:
    texts = [
        ("The warming is a grave danger to coastal towns.", "agree"),
        ("Scientists say the threat demands action now.", "agree"),
        ("The report was published on Tuesday.", "neutral"),
        ("The minister spoke at the conference.", "neutral"),
        ("The so-called crisis is exaggerated.", "disagree"),
        ("Critics call the alarm a hoax.", "disagree"),
    ]
    return [{"text": t, "label": label} for t, label in texts]


def test_members_are_reproducible_and_differ_by_seed(trainer: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.setattr(trainer, "EPOCHS", 1)
    monkeypatch.setattr(trainer, "BATCH", 2)
    fitter = trainer.Trainer(invented_rows())
    rows = np.arange(6)
    first = fitter.member(rows, 0, 0)
    second = fitter.member(rows, 0, 1)
    again = fitter.member(rows, 0, 0)  # after another member: each starts from the untrained weights
    assert first.keys() == second.keys() == set(fitter.net.tuned_state())
    assert all(torch.equal(first[k], again[k]) for k in first)
    assert not torch.equal(first["head.weight"], second["head.weight"])
