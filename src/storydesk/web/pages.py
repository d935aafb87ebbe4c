"""What the web pages show beyond :mod:`storydesk.render.view`: article texts cut into
highlighted segments (each quote followed by its speaker's name), who quotes whom, the
timeline, the pictures (:mod:`storydesk.web.charts`), an actor's quotes by outlet.

Nothing here builds HTML: a segment is plain text with the marks that cover it, and the
templates (autoescaping on) escape each segment as they wrap it in its mark.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

from storydesk.models import ActorKind, Article, DossierActor, DossierQuote, Fact, FactStatus, Story
from storydesk.render.view import UNATTRIBUTED, ArticleEntry, QuoteGroup, StoryView, plural, story_view
from storydesk.store import ActorQuote, ActorSummary
from storydesk.text import fold
from storydesk.web import charts

QUOTE = "quote"


@dataclass(frozen=True)
class Mark:
    """A highlighted span of an article: a quote (``kind`` "quote") or a fact (its status)."""

    start: int
    end: int
    kind: str
    label: str  # what a tooltip says of it: the speaker, or the fact's status
    anchor: str  # the HTML id of its first segment, for links from the lists
    speaker: str = ""  # a quote's speaker (or "unattributed"), shown where the quote ends


@dataclass
class Segment:
    text: str
    marks: list[Mark] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # marks that start here
    speakers: list[str] = field(default_factory=list)  # speakers of the quotes that end here

    @property
    def classes(self) -> str:
        return " ".join(sorted({f"hl-{m.kind}" for m in self.marks}))

    @property
    def title(self) -> str:
        return "; ".join(m.label for m in self.marks)


@dataclass
class ArticleColumn:
    """One article shown side by side with the others: its metadata and its highlighted text."""

    number: int
    entry_id: str  # the article's id as read
    outlet: str | None
    title: str | None
    published: str | None
    url: str | None
    segments: list[Segment]


@dataclass
class SpeakerRow:
    speaker: str
    anonymous: bool
    attributed: bool
    by_outlet: list[int]  # quotes per outlet, in the order of ``QuotedBy.outlets``
    total: int
    others: list[str] = field(default_factory=list)  # the "other speakers" row: who they are


@dataclass
class OutletSources:
    outlet: str
    named: int
    anonymous: int
    unattributed: int
    other: int = 0  # speakers that are no named person or organisation of the actor table


@dataclass
class QuotedBy:
    """Who is quoted by which outlet, and how many quotes each outlet attributes to named,
    unnamed and no sources."""

    outlets: list[str]
    speakers: list[SpeakerRow]
    sources: list[OutletSources]


@dataclass
class AnchoredQuote:
    quote: DossierQuote
    anchor: str  # the id of its highlight in the article text


@dataclass
class SpeakerQuotes:
    group: QuoteGroup
    quotes: list[AnchoredQuote]


@dataclass
class AnchoredFact:
    fact: Fact
    outlets: list[str]
    anchors: list[str]  # the ids of its highlights, one per supporting span


@dataclass
class StatusFacts:
    status: FactStatus
    facts: list[AnchoredFact]


@dataclass
class StoryPage:
    view: StoryView
    columns: list[ArticleColumn]
    quoted_by: QuotedBy
    timeline: list[ArticleEntry]
    speakers: list[SpeakerQuotes]
    facts: list[StatusFacts]
    coverage_chart: charts.Chart | None = None
    fact_chart: charts.Chart | None = None
    positions_chart: charts.Chart | None = None

    @property
    def summary(self) -> str:
        return " · ".join(self.view.counts)


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """``text`` cut at every mark boundary, each piece with the marks that cover it. Spans
    outside the text or empty are left out; overlapping marks nest freely."""
    usable = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in usable), *(m.end for m in usable)})
    result = []
    for start, end in itertools.pairwise(cuts):
        covering = [m for m in usable if m.start <= start and end <= m.end]
        starting = [m.anchor for m in usable if m.start == start]
        ending = [m.speaker for m in usable if m.end == end and m.kind == QUOTE and m.speaker]
        result.append(Segment(text=text[start:end], marks=covering, anchors=starting, speakers=ending))
    return result


def _outlet(outlet: str | None, article: str) -> str:
    return outlet or f"({article})"


# A named source is a person or an organisation the actor table knows by name: a speaker the
# quote finder took from a phrase no entity covers ("concerns", "her eating avocados") is not.
NAMED_SOURCE_KINDS: frozenset[ActorKind] = frozenset({"person", "organization"})
OTHER_SPEAKERS = "Other speakers"


def named_sources(actors: list[DossierActor]) -> set[str]:
    """The folded names and aliases of the story's named people and organisations, and each
    named person's surname (a later "Bruning said" names the story's "Jon Bruning")."""
    named: set[str] = set()
    for a in actors:
        if a.kind not in NAMED_SOURCE_KINDS or a.anonymous:
            continue
        named.update(fold(name) for name in (a.name, *a.aliases))
        words = a.name.split()
        if a.kind == "person" and len(words) > 1:
            named.add(fold(words[-1]))
    return named


def _source_kind(quote: DossierQuote, named: set[str]) -> str:
    """Whether a quote's speaker is "named", "anonymous", "unattributed" (none) or "other"."""
    if quote.speaker is None:
        return "unattributed"
    if quote.speaker.anonymous:
        return "anonymous"
    return "named" if fold(quote.speaker.name) in named else "other"


def quoted_by(view: StoryView) -> QuotedBy:
    story = view.story
    named = named_sources(story.actors)
    outlets_of = {a.id: _outlet(a.outlet, a.id) for a in story.articles}
    outlets = list(dict.fromkeys(outlets_of.values()))
    speakers = []
    others: list[QuoteGroup] = []
    for g in view.quote_groups:
        if g.attributed and not g.anonymous and fold(g.speaker) not in named:
            others.append(g)
            continue
        counts = Counter(outlets_of.get(q.article, q.article) for q in g.quotes)
        speakers.append(
            SpeakerRow(g.speaker, g.anonymous, g.attributed, [counts.get(o, 0) for o in outlets], len(g.quotes))
        )
    if others:
        counts = Counter(outlets_of.get(q.article, q.article) for g in others for q in g.quotes)
        row = SpeakerRow(OTHER_SPEAKERS, False, False, [counts.get(o, 0) for o in outlets], counts.total())
        row.others = [g.speaker for g in others]
        # before the unattributed row, which stays last
        speakers.insert(len(speakers) - (bool(speakers) and speakers[-1].speaker == UNATTRIBUTED), row)
    sources = []
    for outlet in outlets:
        kinds = Counter(_source_kind(q, named) for q in story.quotes if outlets_of.get(q.article) == outlet)
        sources.append(OutletSources(outlet, kinds["named"], kinds["anonymous"], kinds["unattributed"], kinds["other"]))
    return QuotedBy(outlets=outlets, speakers=speakers, sources=sources)


def _marks(story: Story, number: dict[str, int]) -> tuple[dict[str, list[Mark]], dict[int, str], dict[int, list[str]]]:
    """Every quote and fact span of the story, by article id, with the anchors the lists link to."""
    marks: dict[str, list[Mark]] = {}
    quote_anchors: dict[int, str] = {}
    for i, q in enumerate(story.quotes):
        anchor = f"a{number.get(q.article, 0)}-q{i}"
        label = q.speaker.name if q.speaker else "unattributed"
        mark = Mark(q.span[0], q.span[1], QUOTE, f"{q.kind} quote: {label}", anchor, label)
        marks.setdefault(q.article, []).append(mark)
        quote_anchors[i] = anchor
    fact_anchors: dict[int, list[str]] = {}
    for i, fact in enumerate(story.facts):
        status: FactStatus = fact.status
        for j, s in enumerate(fact.support):
            anchor = f"a{number.get(s.article, 0)}-f{i}-{j}"
            marks.setdefault(s.article, []).append(Mark(s.span[0], s.span[1], status, f"{status} fact", anchor))
            fact_anchors.setdefault(i, []).append(anchor)
    return marks, quote_anchors, fact_anchors


def story_page(story: Story, articles: list[Article]) -> StoryPage:
    """The story page of ``story``; ``articles`` are its stored articles (for their texts)."""
    view = story_view(story)
    texts = {a.id: a for a in articles}
    marks, quote_anchors, fact_anchors = _marks(story, view.numbers)
    columns = []
    for n, a in enumerate(story.articles, start=1):
        stored = texts.get(a.id)
        text = stored.text if stored else ""
        columns.append(
            ArticleColumn(
                number=n,
                entry_id=a.id,
                outlet=a.outlet,
                title=a.title,
                published=a.published,
                url=stored.url if stored else None,
                segments=segments(text, marks.get(a.id, [])),
            )
        )
    entries = [ArticleEntry(number=n, article=a) for n, a in enumerate(story.articles, start=1)]
    timeline = sorted(entries, key=lambda e: (e.article.published is None, e.article.published or "", e.number))
    # The view's groups hold the story's own quote and fact objects: their indexes name the anchors.
    quote_index = {id(q): i for i, q in enumerate(story.quotes)}
    speakers = [
        SpeakerQuotes(g, [AnchoredQuote(q, quote_anchors[quote_index[id(q)]]) for q in g.quotes])
        for g in view.quote_groups
    ]
    fact_index = {id(f): i for i, f in enumerate(story.facts)}
    facts = [
        StatusFacts(
            g.status,
            [AnchoredFact(f, view.fact_outlets(f), fact_anchors.get(fact_index[id(f)], [])) for f in g.facts],
        )
        for g in view.fact_groups
    ]
    return StoryPage(
        view,
        columns,
        quoted_by(view),
        timeline,
        speakers,
        facts,
        coverage_chart=charts.story_coverage_chart(story),
        fact_chart=charts.fact_matrix_chart(story),
        positions_chart=charts.positions_chart(story.positions.question, story.positions.stances),
    )


@dataclass
class ActorPage:
    name: str
    summary_of: ActorSummary  # every quote of the actor, by outlet
    outlet: str | None  # the outlet whose quotes are listed (None: every outlet)
    quotes: list[ActorQuote]  # the page listed, by date
    total: int  # quotes listed on every page

    @property
    def summary(self) -> str:
        return " · ".join(
            [
                plural(self.summary_of.quotes, "quote"),
                plural(self.summary_of.stories, "story", "stories"),
                plural(len(self.summary_of.outlets), "outlet"),
            ]
        )


def actor_page(name: str, summary: ActorSummary, quotes: list[ActorQuote], outlet: str | None = None) -> ActorPage:
    listed = sum(o.quotes for o in summary.outlets if outlet is None or o.outlet == outlet)
    return ActorPage(name=name, summary_of=summary, outlet=outlet, quotes=quotes, total=listed)
