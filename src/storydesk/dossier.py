"""Builds story dossiers: analyses grouped by story, actors merged across outlets, quotes
grouped with their speakers, amounts. Later stages (facts, positions) plug in here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from storydesk import brief, consensus, facts, merge, pipeline, positions, sourcing, stories, syndication
from storydesk.models import (
    Analysis,
    Article,
    Dossier,
    DossierActor,
    DossierAmount,
    DossierArticle,
    DossierQuote,
    Story,
)

TITLE_WORDS = 14  # a story without a headline is titled by its lead's first words


def story_title(articles: Sequence[Article]) -> str | None:
    for a in articles:
        if a.title:
            return a.title
    for a in articles:
        words = a.text.split()
        if words:
            lead = " ".join(words[:TITLE_WORDS])
            return lead + (" …" if len(words) > TITLE_WORDS else "")
    return None


def _copied_from(article: Article, copies: Mapping[str, syndication.Origin]) -> str | None:
    origin = copies.get(article.id)
    return origin.article if origin is not None and origin.article != article.id else None


def build_story(
    story_id: str,
    items: Sequence[tuple[Article, Analysis]],
    question: str | None = None,
    bodies: Sequence[consensus.Body] | None = None,
) -> Story:
    """The dossier of one story from its articles and their analyses; copies of one wire
    story are found and counted once.     ``question`` is the
    story's central question (proposed from the articles when None); ``bodies`` the decision
    bodies known (the bundled ones when None)."""
    actors, rename = merge.merge_actors((an.id, an.actors) for _, an in items)
    quotes = []
    for _, an in items:
        for q in an.quotes:
            dq = DossierQuote(article=an.id, **q.model_dump())
            if dq.speaker is not None:
                dq.speaker.name = rename.get(dq.speaker.name, dq.speaker.name)
            quotes.append(dq)
    copies = syndication.find_copies([a for a, _ in items])
    check = facts.cross_check(items, {a.id: syndication.origin_key(a.id, copies) for a, _ in items})
    story = Story(
        story=story_id,
        title=story_title([a for a, _ in items]),
        articles=[
            DossierArticle(id=an.id, outlet=an.outlet, title=a.title, published=a.date, origin=_copied_from(a, copies))
            for a, an in items
        ],
        independent_origins=syndication.independent_origins([a.id for a, _ in items], copies),
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
        quotes=quotes,
        amounts=[DossierAmount(article=an.id, **m.model_dump()) for _, an in items for m in an.amounts],
        facts=check.facts,
        disputes=check.disputes,
        brief=brief.build_brief(check.facts, check.disputes),
        sourcing=sourcing.build_sourcing(items, check.facts, check.disputes),
    )
    story.positions = positions.build_positions(items, story.actors, question)
    story.consensus = consensus.assess(story.positions, items, consensus.load_bodies() if bodies is None else bodies)
    return story


def dossier(
    articles: Iterable[Article],
    processes: int = 1,
    on_done: Callable[[int], None] | None = None,
    question: str | None = None,
    bodies: Sequence[consensus.Body] | None = None,
) -> Dossier:
    """Runs the whole pipeline on ``articles`` (no store): analysis, stories, dossiers."""
    arts = list(articles)
    analyses = list(pipeline.analyze(arts, processes=processes, on_done=on_done))
    assignment = stories.StoryClusterer().cluster(arts)
    grouped: dict[str, list[tuple[Article, Analysis]]] = defaultdict(list)
    for art, an in zip(arts, analyses, strict=True):
        grouped[assignment[art.id]].append((art, an))
    return Dossier(
        stories=[build_story(sid, items, question=question, bodies=bodies) for sid, items in grouped.items()]
    )
