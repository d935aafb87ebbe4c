"""Data files are read through one loader: word lists without their comments, YAML parsed, and
the model files found where the training scripts write them."""

from __future__ import annotations

from storydesk import lexicon, resources
from storydesk.crosscheck import claims, stance
from storydesk.quotes import model, tagger


def test_lines_drop_comments_and_blank_lines() -> None:
    raw = resources.path("titles.txt").read_text(encoding="utf-8").splitlines()
    assert any("#" in line or not line.strip() for line in raw)  # the file has both to drop
    found = resources.lines("titles.txt")
    assert found and all(line and "#" not in line and line == line.strip() for line in found)


def test_model_files_are_under_the_data_folder() -> None:
    shipped = [
        model.MODEL_PATH,
        tagger.TAGGER_PATH,
        resources.path("claims", claims.MODEL_FILE),
        resources.path("stance", stance.WEIGHTS_FILE),
    ]
    assert all(p.is_file() and p.is_relative_to(resources.DATA) for p in shipped)


def test_lexicon_reads_the_shared_copy() -> None:
    # one parse of pronouns.yaml serves both of its readers
    assert "who" in lexicon.relative_pronouns()
    assert resources.yaml_data("pronouns.yaml") is resources.yaml_data("pronouns.yaml")
    assert "person" in lexicon.pronoun_kinds()["he"]
