"""Sentence stance toward a claim: the shipped model loads, answers in its label set, and ships
only weights (the tuned layers and the head), small enough for the package."""

from __future__ import annotations

from storydesk import resources
from storydesk.crosscheck import stance

CLAIM = "Rising sea levels are a serious threat."


def test_stance_labels_and_probability() -> None:
    label, prob = stance.sentence_stance(CLAIM, "Scientists warn the threat is real and urgent action is needed.")
    assert label in ("agree", "neutral", "disagree")
    assert 0.0 < prob <= 1.0


def test_alarm_agrees_and_denial_disagrees() -> None:
    agree, _ = stance.sentence_stance(CLAIM, "The warming of the planet is a grave danger that demands action now.")
    disagree, _ = stance.sentence_stance(CLAIM, "The so-called crisis is an exaggerated hoax pushed by alarmists.")
    assert agree == "agree"
    assert disagree == "disagree"


def test_empty_sentence_is_neutral() -> None:
    assert stance.sentence_stance(CLAIM, "   ") == ("neutral", 1.0)


def test_batch_probabilities_are_distributions() -> None:
    probs = stance.probabilities(["Emissions fell last year.", "The danger is overblown.", "Act now."])
    assert tuple(probs.shape) == (3, len(stance.LABELS))
    assert all(abs(float(row.sum()) - 1.0) < 1e-5 for row in probs)


def test_shipped_weights_are_the_tuned_layers_and_head_only() -> None:
    from safetensors import safe_open

    path = resources.path("stance", stance.WEIGHTS_FILE)
    assert path.stat().st_size < 25_000_000
    with safe_open(str(path), framework="pt") as f:
        names = set(f.keys())
    _, net = stance.model()
    assert names == set(net.tuned_state())
    tuned = {str(i) for i in range(6 - stance.TUNED_LAYERS, 6)}
    assert {n.split(".")[3] for n in names if n.startswith("bert.")} == tuned


def test_shipped_weights_say_how_they_were_trained() -> None:
    from safetensors import safe_open

    with safe_open(str(resources.path("stance", stance.WEIGHTS_FILE)), framework="pt") as f:
        meta = f.metadata()
    assert meta["trained_by"] == "scripts/train_stance.py"
    assert meta["tuned_layers"] == str(stance.TUNED_LAYERS)
    assert len(meta["data_sha256"]) == 64


def test_inference_leaves_torch_threads_as_they_were() -> None:
    import torch

    before = torch.get_num_threads()
    stance.sentence_stance(CLAIM, "Sea levels are rising faster than expected.")
    assert torch.get_num_threads() == before
