"""SQL for the NTA registry: the files imported and the rows they held (kept as history)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect, insert, select, text
from sqlalchemy.orm import Session

from storage.models import NtaImport, NtaRegistration


def by_sha256(session: Session, sha256: str) -> NtaImport | None:
    """The import of exactly these bytes, if there was one."""
    return session.scalars(select(NtaImport).where(NtaImport.sha256 == sha256)).first()


def newest_import(session: Session) -> NtaImport | None:
    """The import with the newest file date (the registry is as of that date)."""
    return session.scalars(
        select(NtaImport).order_by(NtaImport.file_date.desc(), NtaImport.id.desc()).limit(1)
    ).first()


def recent_imports(session: Session, limit: int = 20) -> Sequence[NtaImport]:
    """The newest imports first, for the admin page."""
    return session.scalars(
        select(NtaImport).order_by(NtaImport.file_date.desc(), NtaImport.id.desc()).limit(limit)
    ).all()


def add_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """One batch of rows in one executemany; no ORM objects, so memory stays flat."""
    if rows:
        session.execute(insert(NtaRegistration), rows)


@dataclass(frozen=True, slots=True)
class Entry:
    """What intake needs of a number's current row."""

    process: str
    registration_date: dt.date | None
    disposal_date: dt.date | None
    expire_date: dt.date | None
    name: str


LOOKUP = text(
    "SELECT (SELECT max(file_date) FROM nta_imports) AS as_of, current.process, "
    "current.registration_date, current.disposal_date, current.expire_date, current.name "
    "FROM (SELECT 1 AS one) AS one LEFT OUTER JOIN ("
    "SELECT process, registration_date, disposal_date, expire_date, name "
    "FROM nta_registrations WHERE registration_number = :number "
    "ORDER BY latest DESC, id DESC LIMIT 1"
    ") AS current ON 1 = 1"
)
"""One row always: the registry's date, and the number's current row or NULLs. Both halves are
index seeks (``ix_nta_imports_file_date``; ``ix_nta_registrations_lookup``, which covers every
column read, so no table row is visited at any registry size)."""

_COMPILED: dict[str, str] = {}


def _compiled(dialect: Dialect) -> str:
    """``LOOKUP`` in the driver's own parameter style, compiled once per backend."""
    sql = _COMPILED.get(dialect.name)
    if sql is None:
        sql = _COMPILED[dialect.name] = LOOKUP.compile(dialect=dialect).string
    return sql


def _day(value: dt.date | str | None) -> dt.date | None:
    """psycopg returns dates; sqlite3 the ISO text SQLAlchemy's ``Date`` stored."""
    return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(value)


def lookup(session: Session, number: str) -> tuple[dt.date | None, Entry | None]:
    """The registry's date and a number's current entry.

    Intake runs this for every invoice, so it is the leanest path there is: the precompiled
    statement as driver SQL on the session's own connection (same transaction), skipping
    SQLAlchemy's per-execute compilation, cache key and ORM machinery while keeping its
    connection events (the guard against database work on the event loop) and its error
    translation (a busy database is a 503, not a 500); psycopg prepares it on the server after
    its fifth execution on a connection. ``bench/nta.py`` measures it."""
    connection = session.connection()
    sql = _compiled(connection.dialect)
    qmark = connection.dialect.paramstyle == "qmark"
    row = connection.exec_driver_sql(sql, (number,) if qmark else {"number": number}).one()
    as_of, process, registered, disposed, expired, name = row
    if process is None:
        return _day(as_of), None
    entry = Entry(process, _day(registered), _day(disposed), _day(expired), name)
    return _day(as_of), entry


def lookup_plan(session: Session, number: str) -> list[str]:
    """How the database runs ``lookup`` for ``number`` (``EXPLAIN QUERY PLAN`` on SQLite,
    ``EXPLAIN ANALYZE`` on PostgreSQL), for the benchmark and the test of the index."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        explain = "EXPLAIN QUERY PLAN " + _compiled(connection.dialect)
        return [str(row[-1]) for row in connection.exec_driver_sql(explain, (number,))]
    explain = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) " + _compiled(connection.dialect)
    return [str(row[0]) for row in connection.exec_driver_sql(explain, {"number": number})]


def history(session: Session, number: str) -> Sequence[NtaRegistration]:
    """Every row ever imported for a number, oldest first (the admin page's lookup)."""
    return session.scalars(
        select(NtaRegistration)
        .where(NtaRegistration.registration_number == number)
        .order_by(NtaRegistration.id)
    ).all()
