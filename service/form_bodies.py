"""Bodies of the web pages' forms: the session is checked first, then at most a limit is read.

FastAPI reads a whole form (python-multipart spools files to disk) before it resolves any
dependency, so a page's own session check came after an anonymous caller had sent 3,000 MiB.
This middleware runs before that: for a POST to a page it answers an anonymous caller at once
(only ``/login``, ``/signup`` and ``/password-reset`` take forms without a session), then reads
the body into memory up to the limit and hands it on; past the limit it answers 413 and closes
the connection, so the rest is never read. The JSON API is left to its own handlers (``/api/``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import service as auth
from service.auth.service import BrowserSession
from service.deps import SAFE_METHODS, SESSION_COOKIE
from service.errors import PayloadTooLarge
from service.i18n import language, translator
from service.pages import BROWSER_STATE, LoginRequired
from service.runtime import Runtime

ANONYMOUS_FORMS = frozenset({"/login", "/signup", "/password-reset"})
"""Pages whose forms are sent before anyone is signed in: only the small limit applies."""
MULTIPART_OVERHEAD = 64 * 1024
"""Room for boundaries, part headers and the form's other fields around the files."""


async def read_limited(
    chunks: AsyncIterator[bytes], limit: int, too_large: PayloadTooLarge
) -> bytes:
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


async def _check_session(request: Request, runtime: Runtime) -> None:
    """Anonymous callers are refused before their body is read; the session is kept for the
    page (``page_session``), so it is looked up once."""
    if request.scope["path"] in ANONYMOUS_FORMS:
        return
    cookie = request.cookies.get(SESSION_COOKIE)

    def look_up() -> BrowserSession | None:
        with runtime.read_sessions() as session:
            return auth.resume(session, cookie) if cookie else None

    browser = await run_in_threadpool(look_up)
    if browser is None:
        raise LoginRequired("sign in first")
    request.scope.setdefault("state", {})[BROWSER_STATE] = browser


async def _read_body(request: Request, runtime: Runtime, receive: Receive) -> bytes:
    """The body, or ``PayloadTooLarge`` as soon as it (or its declared length) is too long."""
    limit = _limit(request, runtime, request.scope["path"] in ANONYMOUS_FORMS)
    message = translator(language(request))("form.too_large").format(limit=f"{limit:,}")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(message)
    return await read_limited(_body_chunks(receive), limit, PayloadTooLarge(message))


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
        try:
            await _check_session(request, runtime)
            body = await _read_body(request, runtime, receive)
        except Exception as exc:
            handler = _handler_for(request, exc)
            if handler is None:
                raise
            await _refuse(request, await handler(request, exc), send)
            return
        await self.app(scope, _replay(body, receive), send)


def _handler_for(request: Request, exc: Exception) -> Callable[..., Awaitable[Response]] | None:
    """The app's own handler for ``exc`` (a locked database is a 503 here too, not a 500)."""
    for kind in type(exc).__mro__:
        if kind is not Exception and kind in request.app.exception_handlers:
            handler: Callable[..., Awaitable[Response]] = request.app.exception_handlers[kind]
            return handler
    return None


async def _refuse(request: Request, response: Response, send: Send) -> None:
    """Send the answer and close the connection: the rest of the body is never read."""
    response.headers["Connection"] = "close"

    async def no_body() -> Message:
        return {"type": "http.disconnect"}

    await response(request.scope, no_body, send)
