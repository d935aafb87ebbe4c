"""The web app: :func:`create_app` builds it over a store, :func:`serve` runs it with uvicorn."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from storydesk import __version__
from storydesk.errors import InputError, NotFoundError, StoreError
from storydesk.settings import load_settings
from storydesk.store import open_store
from storydesk.web import api, views
from storydesk.web.ingesting import MAX_FILE_BYTES, MAX_FILES
from storydesk.web.security import TOKEN_ENV, SecurityHeaders, WriteRefused, check_configured_token
from storydesk.web.state import StoryCache, WebState

STATIC = Path(__file__).resolve().parent / "static"
# Every upload at its largest, plus room for the form's other fields and multipart framing.
MAX_BODY_BYTES = MAX_FILES * MAX_FILE_BYTES + 64 * 1024


def create_app(store_url: str, token: str | None, *, http_client: httpx.Client | None = None) -> FastAPI:
    """The app over the store at ``store_url``. Writes (ingest) need ``token``; with None every
    write is refused. ``http_client`` fetches feeds (tests pass one with a mock transport)."""
    app = FastAPI(
        title="storydesk",
        version=__version__,
        description="Stories from many outlets, cross-checked: sources side by side, quotes, facts, actors.",
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN: /docs is a local page
        redoc_url=None,
        max_body_size=MAX_BODY_BYTES,
        form_limits={"max_files": MAX_FILES, "max_fields": 10, "max_part_size": 64 * 1024},
    )
    store = open_store(store_url)
    app.state.web = WebState(
        store=store,
        token=check_configured_token(token),
        stories=StoryCache(store),
        http_client=http_client,
        ingest_lock=threading.Lock(),
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(views.router)
    app.include_router(api.router)
    _add_docs(app)
    _add_error_pages(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return views.page("error.html", status=status, status_code=status, message=message)


def _add_error_pages(app: FastAPI) -> None:
    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(request, 404, str(exc))

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WriteRefused)
        return _error(request, exc.status, exc.reason)

    async def bad_input(request: Request, exc: Exception) -> Response:
        return _error(request, 400, str(exc))

    async def store_failed(request: Request, exc: Exception) -> Response:
        return _error(request, 503, "the store cannot be read or written right now")

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if _wants_json(request):
            detail = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
            return JSONResponse({"detail": detail}, status_code=422)
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return _error(request, 422, problems)

    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(WriteRefused, refused)
    app.add_exception_handler(InputError, bad_input)
    app.add_exception_handler(StoreError, store_failed)
    app.add_exception_handler(RequestValidationError, invalid)


def _operations(schema: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI schema's operations, flattened for the docs page."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "type": p.get("schema", {}).get("type") or "string",
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {})
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": params,
                    "body": ", ".join(body),
                    "responses": sorted(op.get("responses", {})),
                }
            )
    return found


def _add_docs(app: FastAPI) -> None:
    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        schema = app.openapi()
        return views.page(
            "docs.html",
            operations=_operations(schema),
            schemas=sorted(schema.get("components", {}).get("schemas", {})),
        )


def env_token(environ: Mapping[str, str] | None = None) -> str | None:
    """The write token of ``STORYDESK_TOKEN`` (None when unset or empty)."""
    env = os.environ if environ is None else environ
    return env.get(TOKEN_ENV) or None


def app_from_env() -> FastAPI:
    """The app for ``STORYDESK_DB`` and ``STORYDESK_TOKEN``: what each server worker builds."""
    return create_app(load_settings().db_url, env_token())


def serve(store_url: str, host: str, port: int, token: str | None, workers: int = 1) -> None:
    """Runs the app with uvicorn until interrupted. ``token`` enables writes (None: read-only).
    With ``workers`` > 1, that many processes serve (each builds the app from the environment)."""
    import uvicorn  # the server is only needed here, not to build the app (tests, ASGI hosts)

    # No access log (a line per request costs more than serving a kept page; errors are still
    # logged) and no response compression (pages go to nearby clients, or a proxy compresses).
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "proxy_headers": False,
        "server_header": False,
        "access_log": False,
        "timeout_keep_alive": 30,  # clients of the JSON API reuse their connections
    }
    if workers <= 1:
        uvicorn.run(create_app(store_url, token), **options)
        return
    create_app(store_url, token)  # fail here, once, on a bad token or store
    os.environ["STORYDESK_DB"] = store_url  # read by load_settings() in each worker
    if token:
        os.environ[TOKEN_ENV] = token
    uvicorn.run("storydesk.web.app:app_from_env", factory=True, workers=workers, **options)
