"""FastAPI dependencies: the request's database session and who is calling."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from service.auth import service as auth
from service.auth.principal import Principal
from service.errors import Forbidden, Unauthorized
from service.runtime import Runtime
from service.settings import Settings
from storage.objects import ObjectStore

SESSION_COOKIE = "juryo_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ROW_ID = 2**31 - 1
"""Row ids are 32-bit on PostgreSQL; a larger number can name nothing."""

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
"""A row id in the path: out of range is a 422, never a database error."""


async def get_runtime(request: Request) -> Runtime:
    """The process's runtime, built by ``create_app``.

    Dependencies that do no I/O are ``async``: FastAPI runs plain functions in a thread each.
    """
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    """The settings the app was built with."""
    return runtime.settings


async def get_store(runtime: RuntimeDep) -> ObjectStore:
    """The object store for originals."""
    return runtime.store


async def db_session(runtime: RuntimeDep) -> AsyncIterator[Session]:
    """One transaction per request, committed before the response is sent.

    Async, so that it costs no thread hop of its own: a session touches the database only
    when first used, and only an open transaction needs a worker thread to end it.
    """
    session = runtime.sessions()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        if session.in_transaction():  # the commit or rollback above failed
            await run_in_threadpool(session.close)
        else:
            session.close()


def read_session(runtime: RuntimeDep) -> Iterator[Session]:
    """A transaction for handlers that only read."""
    with runtime.read_sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]
ReadSession = Annotated[Session, Depends(read_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[ObjectStore, Depends(get_store)]

_bearer = HTTPBearer(auto_error=False, description="An API token from `juryo user add`.")


def api_caller(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller of an API endpoint: a bearer token, or a web session plus CSRF header.

    Looked up in a short transaction of its own, so that the request's transaction begins
    only when the handler first needs it (on SQLite, a write transaction holds the lock).
    """
    with runtime.read_sessions() as session:
        return _authenticate(request, session, credentials)


def _authenticate(
    request: Request, session: Session, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    if credentials is not None:
        principal = auth.principal_for_token(session, credentials.credentials)
        if principal is None:
            raise Unauthorized("the bearer token is unknown or revoked")
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        browser = auth.resume(session, cookie)
        if browser is None:
            raise Unauthorized("the session has expired; sign in again")
        if request.method not in SAFE_METHODS and (
            request.headers.get(CSRF_HEADER) != browser.csrf_token
        ):
            raise Forbidden(f"missing or wrong {CSRF_HEADER} header")
        return browser.principal
    raise Unauthorized("send an API token as 'Authorization: Bearer <token>'")


ApiCaller = Annotated[Principal, Depends(api_caller)]
