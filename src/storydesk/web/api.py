"""The JSON API: the same data as the pages. A story is the dossier's contract shape
(:class:`storydesk.models.Story`); writes take the token as ``Authorization: Bearer TOKEN``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator

from storydesk.models import Article, Quote, Story
from storydesk.store import ActorQuote, StoryFilter, StorySummary
from storydesk.web import ingesting
from storydesk.web.security import check_write
from storydesk.web.state import WebState

MAX_PAGE = 200

router = APIRouter(prefix="/api", tags=["api"])


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(web_state)]


class StoryItem(BaseModel):
    id: str
    title: str | None
    outlets: list[str]
    independent_origins: int  # the story's articles, each group of wire copies counted once
    articles: int
    first: str | None
    last: str | None
    updated: datetime

    @classmethod
    def of(cls, s: StorySummary) -> StoryItem:
        return cls(
            id=s.id,
            title=s.title,
            outlets=s.outlets,
            independent_origins=s.origins,
            articles=s.articles,
            first=s.first,
            last=s.last,
            updated=s.updated,
        )


class StoryList(BaseModel):
    total: int
    offset: int
    limit: int
    stories: list[StoryItem]


class ActorStatement(BaseModel):
    story: str
    story_title: str | None
    article: str
    outlet: str | None
    published: str | None
    quote: Quote

    @classmethod
    def of(cls, q: ActorQuote) -> ActorStatement:
        return cls(
            story=q.story_id,
            story_title=q.story_title,
            article=q.article,
            outlet=q.outlet,
            published=q.published,
            quote=q.quote,
        )


class ActorQuotes(BaseModel):
    name: str
    quotes: list[ActorStatement]


class IngestResult(BaseModel):
    added: int
    duplicates: int
    failed: list[str]
    stories: list[str]


class StoryQuery(BaseModel):
    """The stories list's filters, as the page's and the API's query parameters."""

    q: str | None = Field(default=None, max_length=500, description="words that must all occur (full text)")
    outlet: str | None = Field(default=None, max_length=200)
    actor: str | None = Field(default=None, max_length=200, description="an actor's name or alias")
    since: date | None = Field(default=None, description="an article published on or after")
    until: date | None = Field(default=None, description="an article published on or before")
    offset: int = Field(default=0, ge=0)
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


@router.get("/stories", response_model=StoryList, summary="Stories, most recently updated first, filtered")
def list_stories(state: State, query: Annotated[StoryQuery, Query()]) -> StoryList:
    page = state.store.find_stories(query.store_filter())
    return StoryList(
        total=page.total, offset=query.offset, limit=query.limit, stories=[StoryItem.of(s) for s in page.stories]
    )


@router.get("/stories/{story_id}", response_model=Story, summary="A story's dossier (the contract's shape)")
def get_story(state: State, story_id: str) -> Response:
    return Response(state.stories.load(story_id).json, media_type="application/json")


@router.get("/stories/{story_id}/articles", response_model=list[Article], summary="A story's articles with text")
def get_story_articles(state: State, story_id: str) -> list[Article]:
    return state.stories.load(story_id).articles


@router.get("/actor", response_model=ActorQuotes, summary="What an actor is quoted saying, across stories")
def get_actor(state: State, name: Annotated[str, Query(min_length=1, max_length=200)]) -> ActorQuotes:
    return ActorQuotes(name=name, quotes=[ActorStatement.of(q) for q in state.store.actor_quotes(name)])


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
