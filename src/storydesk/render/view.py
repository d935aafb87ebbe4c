"""What every output format shows of a story, computed once: articles with their copies, quotes
grouped by speaker, facts grouped by status, counts. The renderers only lay these out."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from storydesk.models import (
    Consensus,
    DossierActor,
    DossierAmount,
    DossierArticle,
    DossierQuote,
    Fact,
    FactStatus,
    Position,
    Quote,
    Story,
)

FACT_STATUSES: tuple[FactStatus, ...] = ("corroborated", "single-source", "disputed")
NOT_ANALYSED = "not analysed yet"
UNATTRIBUTED = "Unattributed"

# C0 controls except tab and newline, DEL and C1 controls: article text must not drive the
# reader's terminal (escape sequences can retitle windows, rewrite lines, hide output).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` without terminal control characters."""
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """``text`` cleaned and with every run of whitespace (newlines included) as one space."""
    return " ".join(clean(text).split())


OPENING_MARKS = "\"“‘'«„"
CLOSING_MARKS = "\"”’'»"


def quote_text(quote: Quote) -> str:
    """How a quote is shown: a direct quote in quotation marks (its own, when its text keeps
    them: never doubled); an indirect or mixed one as written, for a paraphrase is nobody's
    words in quotation marks (a mixed quote keeps the marks around its quoted words)."""
    text = quote.text
    if quote.kind != "direct":
        return text
    if text[:1] in OPENING_MARKS and text[-1:] in CLOSING_MARKS and len(text) > 1:
        return text
    return f"“{text}”"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def format_value(value: float) -> str:
    """A number as people read it: thousands separated, no needless decimals."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e18:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:.6g}"


def consensus_line(consensus: Consensus, esc: Callable[[str], str] = one_line) -> str:
    """E.g. ``Council (27, unanimity): not reached — opposed: Malta``; ``esc`` is applied to the
    data (body, rule, opposed members), not to the words around them."""
    head = f"{esc(consensus.body)} ({consensus.members}, {esc(consensus.rule)})"
    if consensus.votes_for is not None:
        return f"{head}: {'reached' if consensus.reached else 'not reached'} — " + _seat_votes(consensus, esc)
    if consensus.reached:
        return f"{head}: reached"
    opposed = ", ".join(esc(o) for o in consensus.opposed)
    return f"{head}: not reached" + (f" — opposed: {opposed}" if opposed else "")


def _seat_votes(consensus: Consensus, esc: Callable[[str], str]) -> str:
    """E.g. ``52 for (Republicans (52)), 48 against (...); cloture (60): blocked``."""
    parts = []
    for count, names in ((consensus.votes_for, consensus.supporting), (consensus.votes_against, consensus.opposed)):
        side = "for" if names is consensus.supporting else "against"
        parts.append(f"{count} {side}" + (f" ({', '.join(esc(n) for n in names)})" if names else ""))
    verdicts = [
        f"{esc(t.name)} ({t.votes}): {'reached' if t.reached else 'blocked' if t.blocked else 'open'}"
        for t in consensus.thresholds[1:]
    ]
    return ", ".join(parts) + "".join(f"; {v}" for v in verdicts)


@dataclass
class ArticleEntry:
    """An article of the story, numbered as listed, with the copies of it (wire syndication)."""

    number: int
    article: DossierArticle
    copies: list[ArticleEntry] = field(default_factory=list)
    # set when the article copies one that is not in this story
    origin_elsewhere: str | None = None


@dataclass
class QuoteGroup:
    speaker: str
    anonymous: bool
    attributed: bool
    quotes: list[DossierQuote]


@dataclass
class FactGroup:
    status: FactStatus
    facts: list[Fact]


@dataclass
class StoryView:
    story: Story
    title: str
    articles: list[ArticleEntry]
    actors: list[DossierActor]
    quote_groups: list[QuoteGroup]
    amounts: list[DossierAmount]
    fact_groups: list[FactGroup]
    stances: list[Position]
    question: str | None
    consensus: str | None
    outlets: dict[str, str | None]  # article id -> outlet
    numbers: dict[str, int]  # article id -> its number in the article list
    coverage_outlets: list[str] = field(default_factory=list)  # columns of the facts-by-outlet matrix

    @property
    def counts(self) -> list[str]:
        """The summary line's parts: articles, outlets, actors, quotes, amounts."""
        story = self.story
        outlets = {o for o in self.outlets.values() if o}
        copies = sum(len(e.copies) + (e.origin_elsewhere is not None) for e in self.articles)
        articles = plural(len(story.articles), "article") + (f" ({plural(copies, 'copy', 'copies')})" if copies else "")
        return [
            articles,
            plural(len(outlets), "outlet"),
            plural(len(story.actors), "actor"),
            plural(len(story.quotes), "quote"),
            plural(len(story.amounts), "amount"),
        ]

    def source(self, article: str) -> str:
        """Where a quote, amount or evidence comes from: ``outlet · article id``."""
        outlet = self.outlets.get(article)
        return f"{outlet} · {article}" if outlet else article

    def fact_label(self, index: int) -> str:
        """How the brief, disputes and coverage matrix name fact number ``index``: ``F1``, ``F2``…"""
        return f"F{index + 1}"

    def fact_text(self, index: int) -> str:
        return self.story.facts[index].text if 0 <= index < len(self.story.facts) else ""

    def fact_outlets(self, fact: Fact) -> list[str]:
        """The outlets (or article ids where the outlet is unknown) supporting ``fact``, once each."""
        seen: dict[str, None] = {}
        for s in fact.support:
            seen[s.outlet or self.outlets.get(s.article) or s.article] = None
        return list(seen)

    def fact_sources(self, fact: Fact) -> str:
        """Who a fact rests on: "2 independent sources: A, B", or for a statement the outlets
        only quote, "according to X, reported by A and B" (they corroborate that X said it)."""
        outlets = self.fact_outlets(fact)
        if fact.according_to:
            reported = ", ".join(outlets[:-1]) + f" and {outlets[-1]}" if len(outlets) > 1 else "".join(outlets)
            return f"according to {fact.according_to}, reported by {reported}"
        sources = plural(fact.independent_sources, "independent source")
        return f"{sources}: {', '.join(outlets)}" if outlets else sources


def article_tree(articles: list[DossierArticle]) -> list[ArticleEntry]:
    """Articles in story order, each copy listed under its origin when the origin is in the story."""
    entries = [ArticleEntry(number=i, article=a) for i, a in enumerate(articles, start=1)]
    by_id = {e.article.id: e for e in entries}
    top: list[ArticleEntry] = []
    for e in entries:
        origin = e.article.origin
        if origin is None or origin == e.article.id:
            top.append(e)
        elif origin in by_id and by_id[origin].article.origin in (None, origin):
            by_id[origin].copies.append(e)
        else:  # origin outside the story, or a copy of a copy: keep it visible at the top level
            e.origin_elsewhere = origin
            top.append(e)
    return top


def quote_groups(quotes: list[DossierQuote]) -> list[QuoteGroup]:
    """Quotes by speaker, most quoted first; quotes without a speaker last."""
    groups: dict[tuple[str, bool], list[DossierQuote]] = {}
    unattributed: list[DossierQuote] = []
    for q in quotes:
        if q.speaker is None:
            unattributed.append(q)
        else:
            groups.setdefault((q.speaker.name, q.speaker.anonymous), []).append(q)
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0][0].casefold()))
    result = [QuoteGroup(speaker=name, anonymous=anon, attributed=True, quotes=qs) for (name, anon), qs in ranked]
    if unattributed:
        result.append(QuoteGroup(speaker=UNATTRIBUTED, anonymous=False, attributed=False, quotes=unattributed))
    return result


def fact_groups(facts: list[Fact]) -> list[FactGroup]:
    """Facts by status, in the order corroborated, single-source, disputed; empty groups left out."""
    by_status = {s: [f for f in facts if f.status == s] for s in FACT_STATUSES}
    return [FactGroup(status=s, facts=fs) for s, fs in by_status.items() if fs]


def ranked_actors(actors: list[DossierActor]) -> list[DossierActor]:
    """Actors in the most articles first, then by name."""
    return sorted(actors, key=lambda a: (-len(a.articles), a.name.casefold()))


def story_view(story: Story) -> StoryView:
    outlets = {a.id: a.outlet for a in story.articles}
    return StoryView(
        story=story,
        title=story.title or f"Story {story.story}",
        articles=article_tree(story.articles),
        actors=ranked_actors(story.actors),
        quote_groups=quote_groups(story.quotes),
        amounts=story.amounts,
        fact_groups=fact_groups(story.facts),
        stances=story.positions.stances,
        question=story.positions.question,
        consensus=consensus_line(story.consensus) if story.consensus else None,
        outlets=outlets,
        numbers={a.id: i for i, a in enumerate(story.articles, start=1)},
        coverage_outlets=[o.outlet for o in story.sourcing.outlets],
    )


def outlet_count(stories: list[Story]) -> int:
    return len({a.outlet for s in stories for a in s.articles if a.outlet})
