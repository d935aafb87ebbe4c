"""The web app's defences: the write token, the CSRF double-submit cookie of its forms, and the
security headers of every response (a Content-Security-Policy allowing only the app's own
scripts and styles, so injected markup could not run even if it got through the escaping)."""

from __future__ import annotations

import hmac
import logging
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storydesk.errors import InputError

TOKEN_ENV = "STORYDESK_TOKEN"
MIN_TOKEN_LENGTH = 16
CSRF_COOKIE = "storydesk_csrf"
CSRF_FIELD = "csrf"

HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


class WriteRefused(Exception):
    """A write request without the right to write: ``status`` is 403 (or 401 with no token)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_configured_token(token: str | None) -> str | None:
    """``token`` if strong enough to guard writes (None stays None: writes refused)."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise InputError(TOKEN_ENV, f"the write token must have at least {MIN_TOKEN_LENGTH} characters")
    return token


def check_write(configured: str | None, given: str | None) -> None:
    """Raises :class:`WriteRefused` unless writes are enabled and ``given`` is the token."""
    if configured is None:
        raise WriteRefused(403, f"this server is read-only: start it with a write token ({TOKEN_ENV})")
    if not given:
        raise WriteRefused(401, "a write token is needed")
    if not hmac.compare_digest(given.encode(), configured.encode()):
        raise WriteRefused(403, "wrong write token")


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def check_csrf(cookie: str | None, field: str | None) -> None:
    """The form's hidden field must repeat the cookie set with the form (double submit): a page
    of another site can post the form but can neither read nor set that cookie."""
    if not cookie or not field or not hmac.compare_digest(cookie.encode(), field.encode()):
        raise WriteRefused(403, "the form has expired or was not sent from this site: reload it and try again")


_PLAIN = [(b"content-type", b"text/plain; charset=utf-8")]
log = logging.getLogger(__name__)


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(k.encode(), v.encode()) for k, v in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *self.raw]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette's own 500 page is sent outside this middleware, without the headers:
            # an unexpected error is logged and answered here instead.
            log.exception("unexpected error serving %s", scope.get("path", ""))
            if started:
                raise
            await send_with_headers({"type": "http.response.start", "status": 500, "headers": _PLAIN})
            await send({"type": "http.response.body", "body": b"Internal server error"})
