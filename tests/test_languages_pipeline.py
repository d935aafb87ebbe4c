"""Articles in another language than English: stored and listed with their language, left out of
the English-only stages (entities, actors, quotes, amounts, facts, stances) with a one-line note."""

from __future__ import annotations

from storydesk import pipeline
from storydesk.dossier import build_story
from storydesk.models import Analysis, Article

FRENCH = Article(
    id="fr.html",
    text="« Nous ne céderons pas », a déclaré mardi le ministre Jean Dupont devant les députés.",
    source="Le Monde",
    title="Le ministre ne cède pas",
    date="2025-03-11",
    language="fr",
)


def test_a_french_article_gets_its_metadata_alone() -> None:
    (analysis,) = pipeline.analyze([FRENCH])  # no spaCy model is loaded for it
    assert analysis.language == "fr" and analysis.outlet == "Le Monde"
    assert analysis.entities == [] and analysis.actors == [] and analysis.quotes == [] and analysis.amounts == []
    assert analysis.parse is None and analysis.vectors is None
    assert analysis.contract()["language"] == "fr"
    assert pipeline.language_note(analysis) == (
        "fr.html: French (fr) text: stored and listed, left out of actors, quotes and stances"
    )


def test_english_and_unknown_get_no_note_and_no_language_field() -> None:
    english = Analysis(id="en.txt")
    assert pipeline.language_note(english) is None and "language" not in english.contract()


def test_the_dossier_lists_it_with_its_language_and_leaves_it_out_of_the_stages() -> None:
    # Its analysis keeps no parse: were it read by the stages, positions would refuse it.
    story = build_story("s1", [(FRENCH, pipeline.untouched(FRENCH))], origins={"fr.html": None})
    assert [(a.id, a.outlet, a.language) for a in story.articles] == [("fr.html", "Le Monde", "fr")]
    assert story.actors == [] and story.quotes == [] and story.facts == []
    assert story.title == "Le ministre ne cède pas"
