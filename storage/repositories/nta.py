"""SQL for the NTA registry: the files imported and the rows they held (kept as history)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select, true
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


_CURRENT = (
    select(
        NtaRegistration.process,
        NtaRegistration.registration_date,
        NtaRegistration.disposal_date,
        NtaRegistration.expire_date,
        NtaRegistration.name,
    )
    .where(NtaRegistration.registration_number == bindparam("number"))
    .order_by(NtaRegistration.latest.desc(), NtaRegistration.id.desc())
    .limit(1)
    .subquery()
)
_NEWEST = select(func.max(NtaImport.file_date).label("as_of")).subquery()
_LOOKUP = select(_NEWEST.c.as_of, *_CURRENT.c).select_from(_NEWEST.outerjoin(_CURRENT, true()))
"""One row always: the registry's date, and the number's current row or NULLs."""


def lookup(session: Session, number: str) -> tuple[dt.date | None, Entry | None]:
    """The registry's date and a number's current entry, in one statement through
    ``ix_nta_registrations_number`` on the session's connection (columns, not ORM objects:
    intake runs it for every invoice, so it must cost well under a millisecond)."""
    as_of, *found = session.connection().execute(_LOOKUP, {"number": number}).one()
    return as_of, None if found[0] is None else Entry(*found)


def history(session: Session, number: str) -> Sequence[NtaRegistration]:
    """Every row ever imported for a number, oldest first (the admin page's lookup)."""
    return session.scalars(
        select(NtaRegistration)
        .where(NtaRegistration.registration_number == number)
        .order_by(NtaRegistration.id)
    ).all()
