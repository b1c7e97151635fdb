"""Bodies of the web pages' forms: the session is checked first, then at most a limit is read.

FastAPI reads a whole form (python-multipart spools files to disk) before it resolves any
dependency, so a page's own session check came after an anonymous caller had sent 3,000 MiB.
This middleware runs before that: for a POST to a page it answers an anonymous caller at once
(only ``/login`` and ``/signup`` take forms without a session), then reads the body into memory
up to the limit and hands it on; past the limit it answers 413 and closes the connection, so
the rest is never read. The JSON API is left to its own handlers (``/api/``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import service as auth
from service.auth.service import BrowserSession
from service.deps import SAFE_METHODS, SESSION_COOKIE
from service.errors import AppError, PayloadTooLarge
from service.i18n import language, translator
from service.runtime import Runtime

ANONYMOUS_FORMS = frozenset({"/login", "/signup"})
"""Pages whose forms are sent before anyone is signed in: only the small limit applies."""
MULTIPART_OVERHEAD = 64 * 1024
"""Room for boundaries, part headers and the form's other fields around the files."""
BROWSER_STATE = "juryo_browser"
"""Where the session found here waits for ``service.pages.page_session`` (no second lookup)."""


async def read_limited(chunks: AsyncIterator[bytes], limit: int, too_large: AppError) -> bytes:
    """The whole body, or ``too_large`` as soon as it grows past ``limit`` (chunked too)."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise too_large
        parts.append(chunk)
    return b"".join(parts)


async def _body_chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then whatever the connection says next (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _is_page_form(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
        return False
    path: str = scope["path"]
    return not path.startswith(("/api/", "/static/"))


def _limit(request: Request, runtime: Runtime, anonymous: bool) -> int:
    """File forms of signed-in users take an upload's size; every other form a small limit."""
    multipart = request.headers.get("content-type", "").lower().startswith("multipart/form-data")
    if multipart and not anonymous:
        return runtime.settings.max_upload_bytes + MULTIPART_OVERHEAD
    return runtime.settings.form_max_bytes


async def _signed_in(request: Request, runtime: Runtime) -> BrowserSession | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None

    def look_up() -> BrowserSession | None:
        with runtime.read_sessions() as session:
            return auth.resume(session, cookie)

    return await run_in_threadpool(look_up)


class FormBodyGuard:
    """Check the session, then read a page form's body within its limit (see module doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_page_form(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        runtime: Runtime = scope["app"].state.runtime
        anonymous = scope["path"] in ANONYMOUS_FORMS
        if not anonymous:
            browser = await _signed_in(request, runtime)
            if browser is None:
                from service.pages import LoginRequired

                await _refuse(request, LoginRequired("sign in first"), send)
                return
            scope.setdefault("state", {})[BROWSER_STATE] = browser
        limit = _limit(request, runtime, anonymous)
        message = translator(language(request))("form.too_large").format(limit=f"{limit:,}")
        too_large = PayloadTooLarge(message)
        declared = request.headers.get("content-length", "")
        try:
            if declared.isdigit() and int(declared) > limit:
                raise too_large
            body = await read_limited(_body_chunks(receive), limit, too_large)
        except PayloadTooLarge as exc:
            await _refuse(request, exc, send)
            return
        await self.app(scope, _replay(body, receive), send)


async def _refuse(request: Request, exc: AppError, send: Send) -> None:
    """The app's own answer to ``exc`` (HTML or JSON), closing the connection: the rest of
    the body is never read."""
    handler = request.app.exception_handlers[AppError]
    response = await handler(request, exc)
    response.headers["Connection"] = "close"

    async def no_body() -> Message:
        return {"type": "http.disconnect"}

    await response(request.scope, no_body, send)
