"""Engines and sessions: one place that knows the difference between SQLite and PostgreSQL.

Two rules hold for every engine made here. Database work never runs on the thread of an
event loop that serves requests (``serve_requests_on``): one blocking call there stalls every
request, so it raises ``BlockingCallOnEventLoop`` instead. And a lock not had within the
engine's ``lock_timeout`` fails fast as an ``OperationalError`` that ``is_busy`` recognises,
so that the web layer answers 503 with Retry-After instead of queueing requests for minutes.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

PATIENT_LOCK_TIMEOUT_SECONDS = 30.0
"""How long the command line and migrations wait for a lock (the server takes a setting)."""


def create_db_engine(url: str, *, lock_timeout: float | None = None, **kwargs: Any) -> Engine:
    """An engine tuned for its backend.

    SQLite: WAL, foreign keys, a busy timeout, and ``BEGIN IMMEDIATE`` so that concurrent
    writers queue instead of failing on a read-to-write upgrade. PostgreSQL: pre-ping and a
    bounded connection wait so that a database outage surfaces as an error, not a hang.
    ``lock_timeout`` (seconds) bounds every wait for a lock; unset, SQLite waits 30 s and
    PostgreSQL as long as it takes.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        wait = PATIENT_LOCK_TIMEOUT_SECONDS if lock_timeout is None else lock_timeout
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": wait}, **kwargs
        )
        _tune_sqlite(engine, wait)
    else:
        if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        connect_args: dict[str, Any] = {"connect_timeout": 5}
        if lock_timeout is not None:
            connect_args["options"] = f"-c lock_timeout={max(1, round(lock_timeout * 1000))}"
        engine = create_engine(
            url, pool_pre_ping=True, pool_timeout=10, connect_args=connect_args, **kwargs
        )
    _refuse_on_serving_loops(engine)
    return engine


# --- no database work on an event loop's thread ------------------------------------------


class BlockingCallOnEventLoop(RuntimeError):
    """Database work was started on the thread of an event loop that serves requests."""


_SERVING_LOOPS: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def serve_requests_on(loop: asyncio.AbstractEventLoop) -> None:
    """Mark ``loop`` as serving requests: from now on, database work on its thread raises.

    Only such loops: a test driving a browser through Playwright's sync API also has a
    running loop on its thread, and may well create users meanwhile.
    """
    _SERVING_LOOPS.add(loop)


def _refuse_on_serving_loop(*_args: Any, **_kwargs: Any) -> None:
    """Runs for every connection checkout and statement, so it must cost next to nothing: in
    a worker thread, where the work belongs, it is one C call that finds no loop."""
    loop = asyncio._get_running_loop()
    if loop is not None and loop in _SERVING_LOOPS:
        raise BlockingCallOnEventLoop(
            "database work on the event loop's thread would stall every request: run it in a "
            "worker thread (a plain def endpoint or run_in_threadpool), and load what the "
            "response needs there (a lazy-loaded attribute counts)"
        )


def _refuse_on_serving_loops(engine: Engine) -> None:
    event.listen(engine.pool, "checkout", _refuse_on_serving_loop)
    event.listen(engine, "before_cursor_execute", _refuse_on_serving_loop)


# --- locks: wait briefly, then fail recognisably --------------------------------------------


_BUSY_SQLSTATES = frozenset(
    {
        "55P03",  # lock_not_available: lock_timeout passed
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
    }
)


def is_busy(error: BaseException) -> bool:
    """The database answered but could not serve in time: a lock or a pooled connection was
    not had before the deadline, or a transaction lost a serialization race. Retrying later
    helps; unlike an unreachable database, it is a matter of seconds."""
    if isinstance(error, exc.TimeoutError):  # no pooled connection within pool_timeout
        return True
    orig = getattr(error, "orig", None)
    if isinstance(orig, sqlite3.OperationalError):
        return "locked" in str(orig) or "busy" in str(orig)
    return getattr(orig, "sqlstate", None) in _BUSY_SQLSTATES


SQLITE_BEGIN = "juryo_sqlite_begin"


def _begin_immediate(dbapi_connection: sqlite3.Connection, timeout: float) -> None:
    """Take SQLite's write lock, retrying every fraction of a millisecond for ``timeout`` s.

    SQLite's own busy handler sleeps in steps of up to 100 ms, which turns a few concurrent
    writers into long queues; the write lock is only ever held for a few milliseconds here.
    This sleeps on the calling thread, which is why no database work may run on the event
    loop's. Past the deadline it raises SQLAlchemy's ``OperationalError`` (an event handler's
    own exception would escape SQLAlchemy's wrapping and look like a bug, a 500).
    """
    deadline = time.monotonic() + timeout
    pause = 0.0002
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise exc.OperationalError("BEGIN IMMEDIATE", None, error) from error
                time.sleep(pause)
                pause = min(pause * 1.5, 0.005)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")


def read_only(engine: Engine) -> Engine:
    """The same engine for transactions that only read: on SQLite they need no write lock."""
    return engine.execution_options(**{SQLITE_BEGIN: "DEFERRED"})


def _tune_sqlite(engine: Engine, lock_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" below decide
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE")
        if mode == "IMMEDIATE":
            _begin_immediate(connection.connection.dbapi_connection, lock_timeout)
        else:
            connection.exec_driver_sql(f"BEGIN {mode}")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (responses are built after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session
