"""The sentence-pair model: it loads from the package, answers in its label set, tells a
paraphrase from an unrelated sentence and a changed figure; its training pairs are derived as
documented (benchmarks/_pairs.py, read by scripts/train_pairs.py)."""

from __future__ import annotations

import random
from types import ModuleType

import numpy as np
import torch

from storydesk import resources
from storydesk.crosscheck import pairs
from tests import benchmark_modules

STATEMENT = "The city council approved a budget of 40 million euros on Monday."


def training_pairs() -> ModuleType:
    """benchmarks/_pairs.py, where the training pairs are derived."""
    return benchmark_modules.load("_pairs")


def test_only_the_tuned_weights_ship() -> None:
    size = resources.path("pairs", pairs.WEIGHTS_FILE).stat().st_size
    assert 1_000_000 < size < 25_000_000  # the tuned layers and a head in fp16, not the encoder


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
    labels = [label for _, _, label in script.derived(rows, random.Random(0), unrelated=0.0)]
    assert labels.count("same") == 2 and labels.count("related") == 2 and labels.count("contradicts") == 1


def test_a_reversed_word_or_any_change_contradicts() -> None:
    script = training_pairs()
    assert script.reversed_word("Police released the man.", random.Random(0)) in (
        "Police detained the man.",
        "Police arrested the man.",
    )
    assert script.reversed_word("Prices Rose.", random.Random(0)) == "Prices Fell."
    assert script.reversed_word("The man spoke.", random.Random(0)) is None
    changed = script.contradicted("It costs 40 euros.", "The price is 40 euros.", random.Random(1))
    assert changed is not None and changed != "The price is 40 euros."
    assert script.contradicted("A man spoke.", "The man spoke.", random.Random(0)) is None


def test_held_out_rows_are_a_seeded_share_of_train() -> None:
    script = training_pairs()
    rows = [{"k": k} for k in range(100)]
    kept, held = script.split(rows, 0.1)
    assert len(held) == 10 and len(kept) == 90 and not {r["k"] for r in held} & {r["k"] for r in kept}
    assert script.split(rows, 0.1) == (kept, held)


def test_lexical_features_see_a_figure_a_name_and_a_negation_apart() -> None:
    numbers, names, negation, overlap, length = pairs.lexical(
        "Shares of Acme rose 5 percent on Monday.", "Shares of Acme rose 5 percent on Monday."
    )
    assert (numbers, names, negation, overlap, length) == (0.0, 0.0, 0.0, 1.0, 1.0)
    numbers, names, negation, _, _ = pairs.lexical(
        "Shares of Acme rose 5 percent, Lee said.", "Shares of Acme did not rise 7 percent, Kim said."
    )
    assert numbers == 1.0 and 0.0 < names < 1.0 and negation == 1.0


def test_the_stack_shares_same_and_related_anew_and_leaves_the_rest() -> None:
    probs = np.array([[0.5, 0.1, 0.3, 0.1]])
    fitted = {"coef": [0.0] * len(pairs.STACK_FEATURES), "intercept": -50.0}
    out = pairs.stacked([(STATEMENT, STATEMENT)], probs, fitted)
    assert out[0, 0] < 1e-6 and abs(out[0, 2] - 0.8) < 1e-6 and list(out[0, [1, 3]]) == [0.1, 0.1]


def test_opposite_words_are_seen_either_way_and_only_instead_of_each_other() -> None:
    assert pairs.opposed("Police released the man.", "Police detained the man.")
    assert pairs.opposed("Police detained the man.", "Police released the man.")
    assert not pairs.opposed("Police released the man.", "Police released the man they had detained.")
    assert not pairs.opposed("Police released the man.", "The man thanked the police.")


def test_the_stack_changes_only_same_against_related() -> None:
    asked = [(STATEMENT, "On Monday the city council approved a 40 million euro budget."), (STATEMENT, "It rained.")]
    cross, final = pairs.cross_probabilities(asked), pairs.probabilities(asked)
    assert abs(float(final.sum()) - 2.0) < 1e-4
    for label in ("contradicts", "unrelated"):
        k = pairs.LABELS.index(label)
        assert torch.allclose(cross[:, k], final[:, k], atol=1e-5)


def test_ecb_pairs_are_labelled_by_shared_event_and_participants() -> None:
    """ECB+ sentences of one subtopic: one event with two shared participants (or the only one
    either names) is the same information, the event alone or other events related; another
    subtopic is unrelated. Drawn pairs keep the caps, a contradiction derived from each "same"."""
    script = training_pairs()

    def sentence(sub: str, events: set[str], entities: set[str]) -> dict[str, object]:
        return {"subtopic": sub, "events": events, "entities": entities}

    quake = sentence("1_ecb", {"E1"}, {"P1", "L1"})
    assert script.ecb_label(quake, sentence("1_ecb", {"E1", "E2"}, {"P1", "L1", "T1"})) == "same"
    assert script.ecb_label(sentence("1_ecb", {"E1"}, {"P1"}), sentence("1_ecb", {"E1"}, {"P1", "T9"})) == "same"
    assert script.ecb_label(quake, sentence("1_ecb", {"E1"}, {"P1", "T9"})) == "related"
    assert script.ecb_label(quake, sentence("1_ecb", {"E2"}, {"P1", "L1"})) == "related"
    assert script.ecb_label(quake, sentence("1_ecbplus", {"E1"}, {"P1", "L1"})) == "unrelated"
    rows = [
        {"a": "Police arrested 12 people in the port on Monday.", "b": "On Monday 12 were arrested.", "label": "same"},
        {"a": "The mayor spoke.", "b": "Rain fell.", "label": "related"},
        {"a": "The mayor spoke.", "b": "Snow fell.", "label": "related"},
    ]
    drawn = script.ecb_derived(rows, random.Random(0), {"same": 1, "related": 1, "unrelated": 1})
    labels = sorted(label for _, _, label in drawn)
    assert labels == ["contradicts", "related", "same"]
