"""The shipped sentence-pair model on MRPC test (issue 18's bar: accuracy >= 0.82; BERT-base
0.848, always "same" 0.665), and on the contradictions and unrelated pairs derived from its
sentences. The model was trained on MRPC train only (``scripts/train_pairs.py``; the stack
with ``--stack``). Cross-encoder alone: accuracy 0.786, F1 0.830; with the stack 0.795 / 0.846.

    PYTHONPATH=src .venv/bin/python benchmarks/eval_pairs.py
"""

from __future__ import annotations

import sys
import time

import torch

from _pairs import score
from storydesk.crosscheck import pairs

BAR = 0.82


def main() -> None:
    torch.set_num_threads(1)
    started = time.perf_counter()
    accuracy = score(lambda data: pairs.probabilities([(a, b) for a, b, _ in data]).numpy())
    print(f"{time.perf_counter() - started:.0f} s")
    print(f"{'PASS' if accuracy >= BAR else 'SHORT'}  MRPC test accuracy {accuracy:.3f} (bar >= {BAR})")
    sys.exit(0 if accuracy >= BAR else 1)


if __name__ == "__main__":
    main()
