"""The records storydesk produces, shaped as the contract's JSON (see docs/contract.md).

Spans are ``(start, end)`` character offsets, end exclusive, into the article text as read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]
ActorKind = Literal["person", "organization", "place", "group"]
QuoteKind = Literal["direct", "indirect", "mixed"]
QuoteAct = Literal["speech", "thought"]  # said, wrote / hopes, believes, plans
FactStatus = Literal["corroborated", "single-source", "disputed"]
Stance = Literal["support", "oppose", "mixed", "neutral", "unclear"]
ClaimStance = Literal["agree", "disagree", "discuss", "unrelated"]
DisputeKind = Literal["amount", "date", "actor", "denial"]
CoverageCell = Literal["reports", "omits", "disputes"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Article(Record):
    """An article as read, before analysis. ``id`` is stable: given, or a content hash."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None  # outlet name or domain as given by the input
    date: str | None = None  # ISO 8601 date or datetime as given
    authors: list[str] = Field(default_factory=list)
    # ISO 639 code ("en", "fr") as given or detected when read; None: unknown, read as English.
    language: str | None = None


class Mention(Record):  # words of the article as written (quotes and amounts are mentions too)
    text: str
    span: Span


class Speaker(Record):
    name: str
    anonymous: bool = False
    mention: Mention | None = None
    co_speakers: list[str] = Field(default_factory=list)  # others who said it with them ("X and Y said")


class Quote(Mention):
    kind: QuoteKind
    cue: Mention | None = None
    speaker: Speaker | None = None
    # What the cue reports (:mod:`storydesk.quotes.acts`): speech or writing, or a thought
    # (a belief, hope, fear or intention); analyses stored before it was kept read as speech.
    act: QuoteAct = "speech"


class Entity(Record):
    text: str
    label: str
    span: Span
    actor: str | None = None


class Amount(Mention):
    value: float
    unit: str


class ActorRef(Record):
    """An actor of one article: canonical name, kind and the surface forms used for it."""

    name: str
    kind: ActorKind
    aliases: list[str] = Field(default_factory=list)
    anonymous: bool = False


class Analysis(Record):
    """``storydesk analyze`` output for one article (contract section 1), plus what the
    dossier needs (``actors``, article metadata)."""

    id: str
    outlet: str | None = None
    dateline: str | None = None
    credits: list[str] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    actors: list[ActorRef] = Field(default_factory=list)
    title: str | None = None
    published: str | None = None
    # Char ranges of the dateline prefix and credit lines (``doc._.boilerplate``), so later
    # stages need not find them again; None in analyses stored before it was kept.
    boilerplate: list[Span] | None = None
    # The article's parse (:mod:`storydesk.annotate.parse`), kept from the analysis pass so that
    # building a dossier never parses again. Not part of any JSON: the store keeps it apart.
    parse: bytes | None = Field(default=None, exclude=True, repr=False)
    # The sentence embeddings of the article's statements (:func:`storydesk.crosscheck.clauses.
    # units`: its sentences or their clauses, in their order): float32 rows (:mod:`storydesk.
    # embeddings`), computed in the analysis pass so that cross-checking never encodes. Not part
    # of any JSON either.
    vectors: bytes | None = Field(default=None, exclude=True, repr=False)
    # How many characters of the text were analysed when it was longer than the
    # ``max_analysis_chars`` setting (:mod:`storydesk.settings`); None: all of it.
    analysed_chars: int | None = None
    # The article's language (ISO 639) where it is not English: its text went through none of
    # the English-only stages (no entities, actors, quotes or amounts). None: English or unknown.
    language: str | None = None

    def contract(self) -> dict[str, object]:
        """The exact JSON object of the contract's ``analyze`` line (with ``analysed_chars``
        where the text was cut, ``language`` where it is not English)."""
        fields = {"id", "outlet", "dateline", "credits", "entities", "quotes", "amounts"}
        if self.analysed_chars is not None:
            fields.add("analysed_chars")
        if self.language is not None:
            fields.add("language")
        return self.model_dump(mode="json", include=fields)

    def analysed(self, article: Article) -> Article:
        """``article`` as analysed: its text cut to :attr:`analysed_chars` where it was cut."""
        if self.analysed_chars is None:
            return article
        return article.model_copy(update={"text": article.text[: self.analysed_chars]})


@dataclass(frozen=True)
class ParsedQuestion:
    """A story's question as asked, with its parse (:mod:`storydesk.annotate.parse` bytes),
    parsed once where it is asked, so that building a dossier needs no parser."""

    text: str
    parse: bytes


class DossierArticle(Record):
    id: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    origin: str | None = None  # id of the article this one copies (wire syndication), if any
    language: str | None = None  # ISO 639 code; None: unknown (read as English)


class DossierActor(Record):
    name: str
    kind: ActorKind
    aliases: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    anonymous: bool = False


class DossierQuote(Quote):
    article: str


class DossierAmount(Amount):
    article: str


class Support(Record):
    article: str
    outlet: str | None = None
    span: Span
    text: str


class Fact(Record):
    text: str
    status: FactStatus
    support: list[Support] = Field(default_factory=list)
    independent_sources: int = 0
    # The speaker every statement of the fact quotes, when they all do: the outlets corroborate
    # that it was said, what it asserts rests on the speaker ("according to X, reported by A and B").
    according_to: str | None = None


class DisputeSide(Record):
    """One side of a dispute: what it reports (a figure, a date, a name or the statement) and who."""

    value: str
    outlets: list[str] = Field(default_factory=list)
    support: list[Support] = Field(default_factory=list)


class Dispute(Record):
    """Why fact number ``fact`` (an index into ``Story.facts``) is disputed, side by side."""

    fact: int
    about: DisputeKind
    sides: list[DisputeSide] = Field(default_factory=list)


class BriefItem(Record):
    """One fact of the story brief, told by a sentence taken from an article."""

    fact: int  # index into Story.facts
    text: str
    article: str
    outlet: str | None = None
    span: Span
    status: FactStatus
    outlets: list[str] = Field(default_factory=list)


class SourceProfile(Record):
    """Who an article, or all articles of an outlet, quote: named and unnamed sources."""

    quotes: int = 0
    named: int = 0  # quotes from named speakers
    anonymous: int = 0  # quotes from unnamed sources
    unattributed: int = 0  # quotes with no speaker found
    named_sources: list[str] = Field(default_factory=list)
    anonymous_sources: list[str] = Field(default_factory=list)


class ArticleSourcing(SourceProfile):
    article: str
    outlet: str | None = None


class OutletSourcing(SourceProfile):
    outlet: str
    articles: list[str] = Field(default_factory=list)
    exclusive_sources: list[str] = Field(default_factory=list)  # named speakers no other outlet quotes


class CoverageRow(Record):
    """How each outlet covers fact number ``fact``: reports it, omits it, or disputes it."""

    fact: int
    outlets: dict[str, CoverageCell] = Field(default_factory=dict)


class Sourcing(Record):
    articles: list[ArticleSourcing] = Field(default_factory=list)
    outlets: list[OutletSourcing] = Field(default_factory=list)
    coverage: list[CoverageRow] = Field(default_factory=list)


class Evidence(Record):
    article: str
    span: Span
    text: str


class Position(Record):
    actor: str
    stance: Stance
    evidence: list[Evidence] = Field(default_factory=list)
    affiliation: str | None = None  # the state an official speaks for, where the text says so


class Positions(Record):
    question: str | None = None
    stances: list[Position] = Field(default_factory=list)
    # Where the question was proposed: the others the story could be asked, best first.
    alternatives: list[str] = Field(default_factory=list)


class Threshold(Record):
    """One vote threshold of a body that decides by seats, against the reported stances."""

    name: str  # "simple majority", "cloture (to end a filibuster)" ...
    votes: int  # needed to carry it
    reached: bool  # the reported supporters hold that many seats
    blocked: bool  # the reported opponents hold enough seats to defeat it


class Consensus(Record):
    """Whether a decision body's rule can be met now, from its members' known stances."""

    body: str
    members: int
    rule: str
    reached: bool
    opposed: list[str] = Field(default_factory=list)
    supporting: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)  # members with no known stance
    blocking: list[str] = Field(default_factory=list)  # members whose opposition alone defeats the rule
    # Bodies that decide by seats (legislatures, courts): the seats reported for and against
    # (a bloc's with its members), and each threshold; None and empty for other rules.
    votes_for: int | None = None
    votes_against: int | None = None
    thresholds: list[Threshold] = Field(default_factory=list)


class Story(Record):
    story: str
    title: str | None = None
    independent_origins: int = 0  # articles, each group of wire copies counted once
    articles: list[DossierArticle] = Field(default_factory=list)
    actors: list[DossierActor] = Field(default_factory=list)
    quotes: list[DossierQuote] = Field(default_factory=list)  # speech acts only
    thoughts: list[DossierQuote] = Field(default_factory=list)  # beliefs, hopes, plans: not quotes
    amounts: list[DossierAmount] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    positions: Positions = Field(default_factory=Positions)
    consensus: Consensus | None = None
    disputes: list[Dispute] = Field(default_factory=list)
    brief: list[BriefItem] = Field(default_factory=list)
    sourcing: Sourcing = Field(default_factory=Sourcing)


class Dossier(Record):
    stories: list[Story] = Field(default_factory=list)


@dataclass(frozen=True)
class StorySummary:
    """One line of the story list."""

    id: str
    title: str | None
    outlets: list[str]  # distinct, sorted
    articles: int
    origins: int  # independent origins: its articles, each group of wire copies counted once
    first: str | None  # earliest and latest publication date of its articles, as stored
    last: str | None
    updated: datetime  # when it last gained an article (UTC)
