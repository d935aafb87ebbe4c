"""The HTML pages: server-rendered with Jinja2 (autoescaping on, no data ever marked safe)."""

from __future__ import annotations

import functools
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment

from storydesk import __version__
from storydesk.render.html import environment
from storydesk.render.view import FACT_STATUSES, NOT_ANALYSED
from storydesk.web import charts, ingesting
from storydesk.web.api import (
    ActorQuery,
    ArticleSearch,
    State,
    StoryItem,
    StoryQuery,
    actor_quotes,
    run_search,
)
from storydesk.web.security import CSRF_COOKIE, CSRF_FIELD, check_csrf, check_write, new_csrf_token
from storydesk.web.state import LoadedStory

router = APIRouter(include_in_schema=False)


@functools.cache
def templates() -> Environment:
    env = environment("storydesk.web")
    env.globals.update(version=__version__, not_analysed=NOT_ANALYSED, fact_statuses=FACT_STATUSES)
    env.filters["px"] = charts.px
    return env


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates().get_template(name).render(**context), status_code=status)


def _query_string(query: StoryQuery | ActorQuery, **changes: object) -> str:
    params = {**query.model_dump(exclude_defaults=True, mode="json"), **changes}
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _paging(query: StoryQuery | ActorQuery, shown: int, total: int) -> dict[str, Any]:
    """Where this page starts and ends, and the query strings of the pages before and after."""
    shown_to = query.offset + shown
    return {
        "first_shown": query.offset + 1 if shown else 0,
        "last_shown": shown_to,
        "previous": _query_string(query, offset=max(query.offset - query.limit, 0)) if query.offset else None,
        "following": _query_string(query, offset=shown_to) if shown_to < total else None,
    }


@router.get("/", response_class=HTMLResponse)
def stories_page(state: State, query: Annotated[StoryQuery, Query()]) -> HTMLResponse:
    result = state.store.find_stories(query.store_filter())
    return page(
        "stories.html",
        query=query,
        stories=[StoryItem.of(s) for s in result.stories],
        total=result.total,
        **_paging(query, len(result.stories), result.total),
        outlets=state.outlets.get(),
        filtered=bool(query.model_dump(exclude_defaults=True, exclude={"offset", "limit"})),
    )


def _render_story(loaded: LoadedStory) -> str:
    return templates().get_template("story.html").render(p=loaded.page, view=loaded.page.view, story=loaded.story)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(state: State, story_id: str) -> Response:
    # A kept page is served at once; building or rendering one runs on a worker thread.
    loaded = state.stories.current(story_id)
    html = loaded.html if loaded is not None else None
    if html is None:
        if loaded is None:
            loaded = await run_in_threadpool(state.stories.load, story_id)
        html = await run_in_threadpool(loaded.rendered, _render_story)
    return Response(html, media_type="text/html; charset=utf-8")


@router.get("/search", response_class=HTMLResponse)
def search_page(state: State, query: Annotated[ArticleSearch, Query()]) -> HTMLResponse:
    found = run_search(state, query)
    # The chart counts every match, not only the page of hits listed.
    every = ((outlet, day) for outlet, day, n in found.coverage for _ in range(n))
    chart = charts.coverage_chart("search-chart", f"“{query.q}”", every)
    return page("search.html", query=query, hits=found.hits, found=found.total, chart=chart)


@router.get("/actor", response_class=HTMLResponse)
def actor(state: State, query: Annotated[ActorQuery, Query()]) -> HTMLResponse:
    said = actor_quotes(state, query)
    return page(
        "actor.html",
        a=said,
        query=query,
        **_paging(query, len(said.quotes), said.total),
    )


def _ingest_form(state: State, status: int = 200, **context: Any) -> HTMLResponse:
    csrf = new_csrf_token()
    response = page(
        "ingest.html",
        status=status,
        writable=state.token is not None,
        csrf=csrf,
        csrf_field=CSRF_FIELD,
        max_files=ingesting.MAX_FILES,
        max_mib=ingesting.MAX_FILE_BYTES // (1024 * 1024),
        accepted=", ".join(ingesting.ACCEPTED_SUFFIXES),
        **{"outcome": None, "error": None, **context},
    )
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/ingest")
    return response


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(state: State) -> HTMLResponse:
    return _ingest_form(state)


@router.post("/ingest", response_class=HTMLResponse)
async def ingest_submit(
    request: Request,
    state: State,
    token: Annotated[str, Form(max_length=500)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
    feed_url: Annotated[str, Form(max_length=2000)] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> HTMLResponse:
    check_csrf(request.cookies.get(CSRF_COOKIE), csrf)
    check_write(state.token, token)
    # Browsers send an empty part when no file is chosen.
    uploads = [ingesting.Upload(f.filename or "upload", await f.read()) for f in files or [] if f.filename]
    if not uploads and not feed_url.strip():
        return _ingest_form(state, status=400, error="choose files or give a feed URL")
    outcome = await run_in_threadpool(ingesting.ingest, state, uploads, feed_url.strip() or None)
    return _ingest_form(state, outcome=outcome)
