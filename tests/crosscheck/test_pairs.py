"""The sentence-pair model: it loads from the package, answers in its label set, tells a
paraphrase from an unrelated sentence and a changed figure; its training pairs are derived as
documented (benchmarks/_pairs.py, read by scripts/train_pairs.py)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

from storydesk import resources
from storydesk.crosscheck import pairs

STATEMENT = "The city council approved a budget of 40 million euros on Monday."


def training_pairs() -> ModuleType:
    """benchmarks/_pairs.py, where the training pairs are derived (it imports its neighbours)."""
    folder = Path(__file__).resolve().parents[2] / "benchmarks"
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location("_pairs", folder / "_pairs.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(folder))


def test_only_the_tuned_weights_ship() -> None:
    size = resources.path("pairs", pairs.WEIGHTS_FILE).stat().st_size
    assert 1_000_000 < size < 20_000_000  # four layers and a head in fp16, not the encoder


def test_no_pairs_no_work() -> None:
    assert pairs.classify([]) == []


def test_labels_and_probabilities() -> None:
    found = pairs.classify([(STATEMENT, "A zoo in Ohio welcomed twin snow leopard cubs this week.")])
    assert len(found) == 1 and found[0][0] in pairs.LABELS and 0.0 < found[0][1] <= 1.0
    probs = pairs.probabilities([(STATEMENT, STATEMENT), (STATEMENT, "It rained.")])
    assert probs.shape == (2, len(pairs.LABELS)) and abs(float(probs.sum()) - 2.0) < 1e-4


def test_a_paraphrase_is_the_same_and_another_event_unrelated() -> None:
    same = "On Monday the city council approved a 40 million euro budget."
    other = "A zoo in Ohio welcomed twin snow leopard cubs this week, keepers said."
    (label_same, _), (label_other, _) = pairs.classify([(STATEMENT, same), (STATEMENT, other)])
    assert label_same == "same" and label_other == "unrelated"


def test_a_changed_figure_is_not_the_same_information() -> None:
    changed = "On Monday the city council approved a 90 million euro budget."
    ((label, _),) = pairs.classify([(STATEMENT, changed)])
    assert label != "same"


def test_training_pairs_are_derived_as_documented() -> None:
    script = training_pairs()
    assert script.negated("The council will approve the plan.") == "The council will not approve the plan."
    assert script.negated("The council will not approve the plan.") == "The council will approve the plan."
    assert script.negated("Councils approve plans.") is None
    changed = script.refigured("It costs 40 euros.", "The price is 40 euros.", random.Random(0))
    assert changed is not None and changed.startswith("The price is ") and "40 " not in changed
    assert script.refigured("It costs 40 euros.", "The price is 50 euros.", random.Random(0)) is None
    rows = [
        {"label": 1, "a": "Prices rose 5 percent, the bank said.", "b": "The bank said prices were up 5 percent."},
        {"label": 0, "a": "The mayor will resign.", "b": "The mayor met the press."},
    ]
    labels = [label for _, _, label in script.derived(rows, random.Random(0))]
    assert labels.count("same") == 2 and labels.count("related") == 1 and labels.count("contradicts") == 1
