"""SQL for the NTA registry: the files imported and the rows they held (kept as history)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
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


def current(session: Session, number: str) -> NtaRegistration | None:
    """A number's state: its newest row marked latest (最新履歴), else its newest row; one
    index range scan on (registration_number, id)."""
    return session.scalars(
        select(NtaRegistration)
        .where(NtaRegistration.registration_number == number)
        .order_by(NtaRegistration.latest.desc(), NtaRegistration.id.desc())
        .limit(1)
    ).first()


def history(session: Session, number: str) -> Sequence[NtaRegistration]:
    """Every row ever imported for a number, oldest first (the admin page's lookup)."""
    return session.scalars(
        select(NtaRegistration)
        .where(NtaRegistration.registration_number == number)
        .order_by(NtaRegistration.id)
    ).all()


def row_count(session: Session) -> int:
    """All rows held, over every import."""
    return session.scalar(select(func.count()).select_from(NtaRegistration)) or 0
