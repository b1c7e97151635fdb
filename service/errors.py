"""One error family for the whole service, rendered as JSON for the API and HTML for pages.

AppError                    (status, error code, detail)
├── BadRequest              400
├── Unauthorized            401  no or bad credentials
├── Forbidden               403  signed in, but the role may not do this
├── NotFound                404  also for what exists but the caller may not see
├── Conflict                409
├── PayloadTooLarge         413
├── UnsupportedMediaType    415
├── Unprocessable           422
└── ServiceUnavailable      503  with Retry-After
    └── DatabaseBusy        503  a lock not had in time: retry in a few seconds

Anything else escaping a handler is a bug: ``LastResort`` logs it once, with its request id
and traceback, and answers a plain 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Self

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.i18n import LANGUAGES, sentence, translator
from storage.db import is_busy
from storage.objects import StorageUnavailable

log = logging.getLogger("juryo.errors")


class AppError(Exception):
    """An expected failure with an HTTP status and a stable machine-readable code."""

    status_code = 500
    error = "internal_error"

    def __init__(
        self,
        detail: str,
        *,
        extra: dict[str, Any] | None = None,
        key: str | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}
        self.key = key
        """The catalogue's sentence (``service.i18n``) that pages show in the reader's language."""
        self.params = params or {}
        self.sentences: list[tuple[str, dict[str, object]]] = []
        """Several catalogue sentences (``listing``), when the error has more than one."""

    @classmethod
    def said(cls, key: str, **params: object) -> Self:
        """The error whose sentence is the catalogue's ``key``: its English text is the API's
        ``detail`` (API clients read English), pages show it in the reader's language, and the
        API body carries it in both (``message_ja`` / ``message_en``) for a client to show its
        own user. A ``Phrase`` among ``params`` is put in each language too."""
        extra = {f"message_{lang}": sentence(key, params, lang) for lang in LANGUAGES}
        return cls(extra["message_en"], extra=extra, key=key, params=params)

    @classmethod
    def listing(cls, sentences: list[tuple[str, dict[str, object]]]) -> Self:
        """Several catalogue sentences (key, params) at once, e.g. one per bad line of a file;
        the API's detail joins their English texts with ``; ``."""
        english = translator("en")
        error = cls("; ".join(english(key).format(**params) for key, params in sentences))
        error.sentences = sentences
        return error

    def messages(self, lang: str) -> list[str]:
        """Each of the error's sentences in ``lang`` (one, unless it is a ``listing``)."""
        t = translator(lang)
        if self.sentences:
            return [t(key).format(**params) for key, params in self.sentences]
        return [self.message(lang)]

    def message(self, lang: str) -> str:
        """What a person reads in ``lang``: the catalogue's sentence, or the text the error
        carries in that language (``message_ja`` / ``message_en``), else ``detail``."""
        if self.sentences:
            return " ".join(self.messages(lang))
        if self.key is not None:
            return sentence(self.key, self.params, lang)
        return str(self.extra.get(f"message_{lang}", self.detail))

    def localised(self, lang: str) -> bool:
        """Whether ``message`` has a text written for ``lang`` (not only the English detail)."""
        keyed = self.key is not None or bool(self.sentences)
        return lang == "en" or keyed or f"message_{lang}" in self.extra

    def headers(self) -> dict[str, str]:
        """Extra response headers (e.g. Retry-After)."""
        return {}


class BadRequest(AppError):
    status_code = 400
    error = "bad_request"


class Unauthorized(AppError):
    status_code = 401
    error = "unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="juryo"'}


class Forbidden(AppError):
    status_code = 403
    error = "forbidden"


class NotFound(AppError):
    status_code = 404
    error = "not_found"


class Conflict(AppError):
    status_code = 409
    error = "conflict"


class PayloadTooLarge(AppError):
    status_code = 413
    error = "payload_too_large"


class UnsupportedMediaType(AppError):
    status_code = 415
    error = "unsupported_media_type"


class Unprocessable(AppError):
    status_code = 422
    error = "unprocessable"


class PreconditionRequired(AppError):
    status_code = 428
    error = "precondition_required"


class ServiceUnavailable(AppError):
    status_code = 503
    error = "service_unavailable"
    retry_after_seconds = 30

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class DatabaseBusy(ServiceUnavailable):
    error = "database_busy"
    retry_after_seconds = 5


class ErrorOut(BaseModel):
    """Every API error: a stable code and a sentence for people; most also carry that sentence
    in both languages, for a client to show its own user (some add fields of their own)."""

    error: str
    detail: str
    message_ja: str | None = Field(default=None, description="The sentence in Japanese.")
    message_en: str | None = Field(default=None, description="The sentence in English.")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting the error body for these statuses."""
    return {status: {"model": ErrorOut} for status in statuses}


def document_validation_errors(app: FastAPI) -> None:
    """Document 422 as the ``ErrorOut`` body ``on_validation`` sends, not FastAPI's own shape."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        ours = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                body = operation.get("responses", {}).get("422", {}).get("content", {})
                json_body = body.get("application/json", {})
                if json_body.get("schema") == {"$ref": "#/components/schemas/HTTPValidationError"}:
                    json_body["schema"] = ours
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def error_response(exc: AppError) -> JSONResponse:
    """The JSON body and headers for an ``AppError``."""
    return JSONResponse(
        {"error": exc.error, "detail": exc.detail, **exc.extra},
        status_code=exc.status_code,
        headers=exc.headers(),
    )


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/healthz", "/readyz", "/metrics")) and (
        "text/html" in request.headers.get("accept", "")
    )


ErrorPage = Callable[[Request, AppError], Response]
"""How a browser is shown an ``AppError``: given by the pages (``service.pages``), which sit
above this module, so errors never import them."""


async def render_error(request: Request, exc: AppError, error_page: ErrorPage | None) -> Response:
    """An ``AppError`` as JSON for the API, as a page for browsers; its headers on both."""
    if error_page is None or not _wants_html(request):
        return error_response(exc)
    response = await run_in_threadpool(error_page, request, exc)  # reads the template file
    for name, value in exc.headers().items():  # Retry-After means as much to a browser
        response.headers.setdefault(name, value)
    return response


def _database_error(request: Request, exc: Exception) -> AppError:
    """503 either way; a busy database (a lock not had in time) is retried in seconds."""
    if not is_busy(exc):
        log.error("database unavailable: %s", type(exc).__name__)
        return ServiceUnavailable("the database is unavailable")
    log.warning("database busy: %s", type(getattr(exc, "orig", None) or exc).__name__)
    if _wants_html(request):
        return DatabaseBusy.said("error.database_busy")
    return DatabaseBusy("the database is busy; try again in a few seconds")


class LastResort:
    """Answers 500 for an exception no handler knows, inside the request's context.

    Starlette hands such an exception to its outermost middleware, where the request id is
    gone, and then re-raises it for the server to log: two tracebacks, neither with the id.
    Installed inside ``RequestContextMiddleware`` (``install_error_handlers`` runs before
    the app adds that), this logs it once with the id and ends the request itself.
    """

    def __init__(self, app: ASGIApp, error_page: ErrorPage | None = None) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error")
            if not started:  # else the server closes the connection of the half-sent answer
                response = await render_error(
                    Request(scope), AppError("an unexpected error occurred"), self.error_page
                )
                await response(scope, receive, send)


def install_error_handlers(app: FastAPI, error_page: ErrorPage | None = None) -> None:
    """Map every failure to a clear response; never leak a stack trace. Without an
    ``error_page`` every answer is JSON."""

    async def on_app_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AppError)
        return await render_error(request, exc, error_page)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        return await on_app_error(request, Unprocessable(problems or "invalid request"))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        mapped: AppError
        if exc.status_code == 404:
            mapped = NotFound.said("error.not_found")
        elif exc.status_code == 405:
            mapped = AppError("method not allowed")
            mapped.status_code, mapped.error = 405, "method_not_allowed"
        else:
            mapped = AppError(str(exc.detail))
            mapped.status_code, mapped.error = exc.status_code, "http_error"
        return await on_app_error(request, mapped)

    async def on_database(request: Request, exc: Exception) -> Response:
        return await on_app_error(request, _database_error(request, exc))

    async def on_unstorable(request: Request, exc: Exception) -> Response:
        # PostgreSQL refuses what SQLite takes (a NUL character in text, a number beyond its
        # column); the transaction is rolled back, so nothing half-written remains.
        log.warning("value refused by the database: %s", type(exc.__cause__ or exc).__name__)
        return await on_app_error(
            request,
            Unprocessable(
                "a value in the request cannot be stored (for example a NUL character or a "
                "number too large for its field)"
            ),
        )

    async def on_conflicting_write(request: Request, exc: Exception) -> Response:
        # Two requests raced past a check (same login, same number…): the database's unique
        # constraint stopped the second; its transaction was rolled back.
        log.info("write refused by a unique constraint: %s", type(exc.__cause__ or exc).__name__)
        return await on_app_error(
            request, Conflict("a record with these values was saved at the same moment; reload")
        )

    async def on_storage(request: Request, exc: Exception) -> Response:
        log.error("object store unavailable: %s", exc)
        return await on_app_error(request, ServiceUnavailable("the object store is unavailable"))

    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(DataError, on_unstorable)
    app.add_exception_handler(IntegrityError, on_conflicting_write)
    app.add_exception_handler(OperationalError, on_database)
    app.add_exception_handler(InterfaceError, on_database)
    app.add_exception_handler(PoolTimeout, on_database)
    app.add_exception_handler(StorageUnavailable, on_storage)
    app.add_middleware(LastResort, error_page=error_page)
