"""Builds story dossiers: analyses grouped by story, actors merged across outlets, quotes
grouped with their speakers, amounts. Later stages (facts, positions) plug in here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storydesk.crosscheck import facts
from storydesk.dossier import brief, merge, sourcing
from storydesk.models import (
    Analysis,
    Article,
    DossierActor,
    DossierAmount,
    DossierArticle,
    DossierQuote,
    ParsedQuestion,
    Story,
)
from storydesk.positions import consensus
from storydesk.positions import holders as positions
from storydesk.stories import syndication, title


def _report(article_id: str, origins: Mapping[str, str | None]) -> str:
    """The article a report goes back to: the one it copies, else itself."""
    origin = origins.get(article_id)
    return article_id if origin is None else origin


def build_story(
    story_id: str,
    items: Sequence[tuple[Article, Analysis]],
    question: ParsedQuestion | None = None,
    bodies: Sequence[consensus.Body] | None = None,
    origins: Mapping[str, str | None] | None = None,
) -> Story:
    """The dossier of one story from its articles and their analyses; copies of one wire
    story are counted once. ``question`` is the story's central question, parsed where it was
    asked (proposed from the articles when None); ``bodies`` the decision bodies known (the
    bundled ones when None); ``origins`` maps each article id to the id of the article it
    copies, or None: a store has them recorded at ingest; when not given, they are found here.
    Nothing is parsed here: positions read the parses the analyses keep."""
    items = [(an.analysed(a), an) for a, an in items]  # a text cut for analysis is read as cut
    if origins is None:
        origins = syndication.copied_from([a for a, _ in items], [an for _, an in items])
    reports = {a.id: _report(a.id, origins) for a, _ in items}
    listed = items
    # Articles in another language than English are listed, but the stages read English alone
    # (their analyses hold no actors or quotes, and no parse: pipeline.untouched).
    items = [(a, an) for a, an in items if an.language is None]
    actors, rename = merge.merge_actors((an.id, an.actors) for _, an in items)
    quotes = []
    for _, an in items:
        for q in an.quotes:
            dq = DossierQuote(article=an.id, **q.model_dump())
            if dq.speaker is not None:
                dq.speaker.name = merge.renamed(rename, an.id, dq.speaker.name)
                dq.speaker.co_speakers = [merge.renamed(rename, an.id, n) for n in dq.speaker.co_speakers]
            quotes.append(dq)
    check = facts.cross_check(items, reports)
    story = Story(
        story=story_id,
        title=title.story_title([a for a, _ in listed]),
        articles=[
            DossierArticle(
                id=an.id,
                outlet=an.outlet,
                title=a.title,
                published=a.date,
                origin=origins.get(a.id),
                language=an.language or a.language,
            )
            for a, an in listed
        ],
        independent_origins=len(set(reports.values())),
        actors=[
            DossierActor(
                name=a.name,
                kind=a.kind,
                aliases=sorted(n for n in a.names if n != a.name),
                articles=a.articles,
                anonymous=a.anonymous,
            )
            for a in actors
        ],
        quotes=[q for q in quotes if q.act == "speech"],
        thoughts=[q for q in quotes if q.act == "thought"],
        amounts=[DossierAmount(article=an.id, **m.model_dump()) for _, an in items for m in an.amounts],
        facts=check.facts,
        disputes=check.disputes,
        brief=brief.build_brief(check.facts, check.disputes),
        sourcing=sourcing.build_sourcing(items, check.facts, check.disputes, rename),
    )
    story.positions = positions.build_positions(items, story.actors, question)
    story.consensus = consensus.assess(story.positions, items, consensus.load_bodies() if bodies is None else bodies)
    return story
