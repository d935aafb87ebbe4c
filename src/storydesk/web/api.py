"""The JSON API: the same data as the pages. A story is the dossier's contract shape
(:class:`storydesk.models.Story`); writes take the token as ``Authorization: Bearer TOKEN``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, ClassVar, Self

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from storydesk.models import Article, Quote, Story
from storydesk.store import SearchHit, StoryFilter
from storydesk.web import ingesting
from storydesk.web.pages import ActorPage, actor_page
from storydesk.web.security import check_write
from storydesk.web.state import WebState

MAX_PAGE = 200
ACTOR_PAGE = 50
# Past any store's size, and within the 64-bit integers the database binds: a bigger offset is a
# request error (422), never an overflow (500).
MAX_OFFSET = 2**40

router = APIRouter(prefix="/api", tags=["api"])


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(web_state)]


class View(BaseModel):
    """The API's shape of a record the library returns: each field is read from the record's
    attribute of the same name, or of the name ``renamed`` gives it (the API names a few fields
    for its readers, not as the library does)."""

    renamed: ClassVar[dict[str, str]] = {}

    @classmethod
    def of(cls, record: object) -> Self:
        return cls(**{name: getattr(record, cls.renamed.get(name, name)) for name in cls.model_fields})


class StoryItem(View):  # a story of the list (models.StorySummary)
    id: str
    title: str | None
    outlets: list[str]
    independent_origins: int  # the story's articles, each group of wire copies counted once
    articles: int
    first: str | None
    last: str | None
    updated: datetime

    renamed: ClassVar[dict[str, str]] = {"independent_origins": "origins"}


class StoryList(BaseModel):
    total: int
    offset: int
    limit: int
    stories: list[StoryItem]


class ActorStatement(View):  # a quote of an actor and where it stands (store.ActorQuote)
    story: str
    story_title: str | None
    article: str
    outlet: str | None
    published: str | None
    quote: Quote

    renamed: ClassVar[dict[str, str]] = {"story": "story_id"}


class ActorOutletCount(View):  # how often an outlet quotes an actor (store.ActorOutlet)
    outlet: str | None
    quotes: int
    first: str | None  # publication dates of its first and last quote of the actor
    last: str | None


class ActorQuotes(BaseModel):
    name: str
    total: int  # quotes of the actor (of ``outlet`` when given), on every page
    stories: int
    outlets: list[ActorOutletCount]  # every outlet quoting the actor, the most quoting first
    outlet: str | None
    offset: int
    limit: int
    quotes: list[ActorStatement]  # this page, by date (undated last)


class ActorQuery(BaseModel):
    """The actor page's and the API's query parameters."""

    name: str = Field(min_length=1, max_length=200, description="a name or alias (case-insensitive)")
    outlet: str | None = Field(default=None, max_length=200, description="only this outlet's quotes")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: int = Field(default=ACTOR_PAGE, ge=1, le=MAX_PAGE)

    @field_validator("outlet", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


def actor_quotes(state: WebState, query: ActorQuery) -> ActorPage:
    """One page of what the actor is quoted saying, with the counts over every page."""
    summary = state.store.actor_summary(query.name)
    quotes = state.store.actor_quotes(query.name, query.limit, query.offset, query.outlet)
    return actor_page(query.name, summary, quotes, query.outlet)


class IngestResult(BaseModel):
    added: int
    duplicates: int
    failed: list[str]
    stories: list[str]


class StoryQuery(BaseModel):
    """The stories list's filters, as the page's and the API's query parameters."""

    q: str | None = Field(
        default=None, max_length=500, description='a search: words (any inflection), "phrases", OR, NOT or -word'
    )
    outlet: str | None = Field(default=None, max_length=200)
    actor: str | None = Field(default=None, max_length=200, description="an actor's name or alias")
    since: date | None = Field(default=None, description="an article published on or after")
    until: date | None = Field(default=None, description="an article published on or before")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)

    @field_validator("q", "outlet", "actor", "since", "until", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        # The filter form sends every field, the empty ones as ""
        return None if isinstance(value, str) and not value.strip() else value

    def store_filter(self) -> StoryFilter:
        return StoryFilter(
            query=self.q or None,
            outlet=self.outlet or None,
            actor=self.actor or None,
            since=self.since.isoformat() if self.since else None,
            until=self.until.isoformat() if self.until else None,
            limit=self.limit,
            offset=self.offset,
        )


class ArticleSearch(BaseModel):
    """The search page's and the API's query parameters."""

    q: str = Field(
        default="",
        max_length=500,
        description='words (all must occur, in any inflection), "exact phrases", OR between two terms, '
        "NOT term or -term, word* for a prefix",
    )
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)


class SearchHitItem(View):  # an article matching a search (store.SearchHit)
    article_key: str
    story: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str  # plain text around the best match
    highlights: list[tuple[int, int]]  # the matched words' [start, end) offsets in ``snippet``
    rank: float  # relevance (BM25), higher is better

    renamed: ClassVar[dict[str, str]] = {"story": "story_id"}


class SearchResult(BaseModel):
    query: str
    total: int  # articles matching, on every page
    limit: int
    hits: list[SearchHitItem]  # the best matches first


@dataclass(frozen=True)
class SearchOutcome:
    hits: list[SearchHit]  # the best ``limit`` matches
    coverage: list[tuple[str | None, str | None, int]]  # every match, counted by outlet and day

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.coverage)


def run_search(state: WebState, query: ArticleSearch) -> SearchOutcome:
    """The best matches of the search and the count of all (none for a query with no word)."""
    return SearchOutcome(state.store.search_articles(query.q, query.limit), state.store.search_coverage(query.q))


@router.get("/search", response_model=SearchResult, summary="Articles matching a search, best first, with snippets")
def search(state: State, query: Annotated[ArticleSearch, Query()]) -> SearchResult:
    found = run_search(state, query)
    return SearchResult(
        query=query.q, total=found.total, limit=query.limit, hits=[SearchHitItem.of(h) for h in found.hits]
    )


@router.get("/stories", response_model=StoryList, summary="Stories, most recently updated first, filtered")
def list_stories(state: State, query: Annotated[StoryQuery, Query()]) -> StoryList:
    page = state.store.find_stories(query.store_filter())
    return StoryList(
        total=page.total, offset=query.offset, limit=query.limit, stories=[StoryItem.of(s) for s in page.stories]
    )


@router.get("/stories/{story_id}", response_model=Story, summary="A story's dossier (the contract's shape)")
async def get_story(state: State, story_id: str) -> Response:
    # A kept dossier is served at once; building one (seconds) runs on a worker thread.
    loaded = state.stories.current(story_id)
    if loaded is None:
        loaded = await run_in_threadpool(state.stories.load, story_id)
    return Response(loaded.json, media_type="application/json")


@router.get("/stories/{story_id}/articles", response_model=list[Article], summary="A story's articles with text")
def get_story_articles(state: State, story_id: str) -> list[Article]:
    return state.stories.load(story_id).articles


@router.get("/actor", response_model=ActorQuotes, summary="What an actor is quoted saying, across stories")
def get_actor(state: State, query: Annotated[ActorQuery, Query()]) -> ActorQuotes:
    said = actor_quotes(state, query)
    return ActorQuotes(
        name=query.name,
        total=said.total,
        stories=said.summary_of.stories,
        outlets=[ActorOutletCount.of(o) for o in said.summary_of.outlets],
        outlet=query.outlet,
        offset=query.offset,
        limit=query.limit,
        quotes=[ActorStatement.of(q) for q in said.quotes],
    )


@router.post("/ingest", response_model=IngestResult, summary="Store uploaded files and a feed (needs the token)")
async def post_ingest(
    state: State,
    files: Annotated[list[UploadFile] | None, File(description="article files: .txt .html .jsonl or feeds")] = None,
    feed_url: Annotated[str | None, Form(max_length=2000)] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> IngestResult:
    scheme, _, token = (authorization or "").partition(" ")
    check_write(state.token, token.strip() if scheme.lower() == "bearer" else None)
    uploads = [ingesting.Upload(f.filename or "upload", await f.read()) for f in files or []]
    outcome = await run_in_threadpool(ingesting.ingest, state, uploads, feed_url or None)
    return IngestResult(
        added=outcome.added, duplicates=outcome.duplicates, failed=outcome.failed, stories=outcome.stories
    )
