"""Invoices, their originals and findings. Every query that serves a person takes a ``Scope``.

The scope is the security boundary: a supplier sees its own invoices, a clerk those of its
departments, accounting, auditors and admins all of them. Anything outside the scope is
indistinguishable from something that does not exist.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    false,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    AuditEvent,
    BatchItem,
    Department,
    InvoiceRecord,
    InvoiceStatus,
    Original,
    Supplier,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a caller may see, independent of the web layer."""

    everything: bool = False
    supplier_id: int | None = None
    department_ids: frozenset[int] = frozenset()

    def condition(self) -> ColumnElement[bool]:
        """The WHERE clause that restricts invoices to this scope."""
        if self.everything:
            return true()
        if self.supplier_id is not None:
            return InvoiceRecord.supplier_id == self.supplier_id
        if self.department_ids:
            return InvoiceRecord.department_id.in_(sorted(self.department_ids))
        return false()


@dataclass(frozen=True, slots=True)
class InvoiceFilter:
    """Search criteria (電子帳簿保存法: date, amount, counterparty), combined with AND."""

    status: Sequence[InvoiceStatus] = ()
    issue_date_from: dt.date | None = None
    issue_date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    supplier: str | None = None
    """Registration number, or part of the supplier's name."""
    supplier_number: str | None = None
    """``supplier`` as a registration number in its one form (``parsers.registration``)."""
    department: str | None = None
    """A department code."""
    invoice_number: str | None = None


def _filtered(scope: Scope, criteria: InvoiceFilter) -> Select[InvoiceRecord]:
    query = select(InvoiceRecord).where(scope.condition())
    if criteria.status:
        query = query.where(InvoiceRecord.status.in_(list(criteria.status)))
    if criteria.issue_date_from:
        query = query.where(InvoiceRecord.issue_date >= criteria.issue_date_from)
    if criteria.issue_date_to:
        query = query.where(InvoiceRecord.issue_date <= criteria.issue_date_to)
    if criteria.amount_min is not None:
        query = query.where(InvoiceRecord.payable_amount >= criteria.amount_min)
    if criteria.amount_max is not None:
        query = query.where(InvoiceRecord.payable_amount <= criteria.amount_max)
    if criteria.department:
        query = query.join(Department, Department.id == InvoiceRecord.department_id).where(
            Department.code == criteria.department
        )
    if criteria.invoice_number:
        query = query.where(InvoiceRecord.invoice_number == criteria.invoice_number)
    if criteria.supplier:
        needle = criteria.supplier.strip()
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.join(Supplier, Supplier.id == InvoiceRecord.supplier_id).where(
            or_(
                Supplier.registration_number == (criteria.supplier_number or needle),
                Supplier.name.like(pattern, escape="\\"),
            )
        )
    return query


TOTAL_CAP = 10_000
"""A search counts its hits up to here and then says "10,000 or more": counting every one of a
hundred thousand hits costs more than the page itself (bench/search.py)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page of the search ends: the next page starts after this (received_at, id)."""

    received_at: dt.datetime
    id: int

    def token(self) -> str:
        """The cursor as the opaque text the API and the pages hand out."""
        raw = f"{self.received_at.astimezone(dt.UTC).isoformat()}|{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> Cursor:
        """A cursor from its token; ValueError if it is not one this search handed out."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            moment, row_id = raw.split("|")
            received_at = dt.datetime.fromisoformat(moment)
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise ValueError("not a search cursor") from exc
        if received_at.tzinfo is None or not row_id.isdigit() or len(row_id) > 18:
            raise ValueError("not a search cursor")
        return cls(received_at, int(row_id))


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of a search: its rows, the hits counted up to a cap, and the cursor
    of the next page (None on the last)."""

    rows: list[InvoiceRecord]
    total: int
    total_is_capped: bool
    next_cursor: Cursor | None


def search(
    session: Session,
    scope: Scope,
    criteria: InvoiceFilter,
    *,
    limit: int,
    after: Cursor | None = None,
    offset: int = 0,
    cap: int = TOTAL_CAP,
) -> SearchPage:
    """One page of matching invoices (newest first, after ``after``), and the hits counted."""
    query = _filtered(scope, criteria)
    counted = query.with_only_columns(InvoiceRecord.id).limit(cap + 1).subquery()
    total = session.execute(select(func.count()).select_from(counted)).scalar_one()
    page_keys = _page_keys(query, criteria, after, limit + 1, offset)
    ids: list[int] = [row.id for row in session.execute(page_keys)]
    found = session.execute(
        select(InvoiceRecord).where(InvoiceRecord.id.in_(ids)).options(*SHOWN)
    ).scalars()
    by_id = {invoice.id: invoice for invoice in found}
    rows = [by_id[i] for i in ids]
    last = rows[limit - 1] if len(rows) > limit else None
    return SearchPage(
        rows=rows[:limit],
        total=min(total, cap),
        total_is_capped=total > cap,
        next_cursor=Cursor(last.received_at, last.id) if last else None,
    )


def _page_keys(
    query: Select[InvoiceRecord],
    criteria: InvoiceFilter,
    after: Cursor | None,
    limit: int,
    offset: int,
) -> Select[tuple[int]]:
    """The ids of one page, newest first.

    With a date or amount range, the hits are read through that range's index and sorted,
    fenced off (``OFFSET 0``) from the page's ORDER BY ... LIMIT: otherwise PostgreSQL walks
    the ``received_at`` index back from today, expecting hits evenly spread, and reads 900,000
    rows for a month long past (bench/search.py). The cost is then that of the hits in range.
    """
    keys = query.with_only_columns(InvoiceRecord.id, InvoiceRecord.received_at)
    if after is not None:
        keys = keys.where(
            tuple_(InvoiceRecord.received_at, InvoiceRecord.id) < (after.received_at, after.id)
        )
    ranged = any(
        bound is not None
        for bound in (
            criteria.issue_date_from,
            criteria.issue_date_to,
            criteria.amount_min,
            criteria.amount_max,
        )
    )
    hits = keys.offset(0).subquery() if ranged else keys.subquery()
    return (
        select(hits.c.id)
        .order_by(hits.c.received_at.desc(), hits.c.id.desc())
        .limit(limit)
        .offset(offset)
    )


SHOWN = (
    selectinload(InvoiceRecord.findings),
    selectinload(InvoiceRecord.original),
    selectinload(InvoiceRecord.supplier),
    selectinload(InvoiceRecord.department),
)
"""Everything an invoice's answer shows, loaded with it: a lazy load after the request's
transaction would open another one, on SQLite waiting for the write lock."""


def visible(session: Session, scope: Scope, invoice_id: int) -> InvoiceRecord | None:
    """The invoice if it exists and is in scope; None otherwise (callers answer 404)."""
    return session.execute(
        select(InvoiceRecord)
        .where(InvoiceRecord.id == invoice_id, scope.condition())
        .options(*SHOWN)
    ).scalar_one_or_none()


# Statements of the upload path, built once: building one costs about as much as running it.
_ORIGINAL_BY_SHA256 = select(Original).where(Original.sha256 == bindparam("sha256"))


def _same_number_statement(same_date: ColumnElement[bool]) -> Select[InvoiceRecord]:
    return (
        select(InvoiceRecord)
        .where(
            InvoiceRecord.supplier_id == bindparam("supplier_id"),
            InvoiceRecord.invoice_number == bindparam("number"),
            same_date,
            InvoiceRecord.status.not_in([InvoiceStatus.INVALID, InvoiceStatus.RETURNED]),
        )
        .options(*SHOWN)
        .order_by(InvoiceRecord.duplicate_of_id.is_not(None), InvoiceRecord.id)
        .limit(1)
    )


_SAME_NUMBER = _same_number_statement(InvoiceRecord.issue_date == bindparam("issue_date"))
_SAME_NUMBER_UNDATED = _same_number_statement(InvoiceRecord.issue_date.is_(None))


def original_by_sha256(session: Session, sha256: str) -> Original | None:
    """The recorded original with this content hash."""
    return session.execute(_ORIGINAL_BY_SHA256, {"sha256": sha256}).scalar_one_or_none()


def originals_recorded(session: Session, sha256s: list[str]) -> bool:
    """Whether any of these contents was recorded before (a bulk group's one check)."""
    for start in range(0, len(sha256s), 500):  # stay under SQLite's bound-parameter limit
        chunk = sha256s[start : start + 500]
        if session.execute(select(Original.id).where(Original.sha256.in_(chunk)).limit(1)).first():
            return True
    return False


def live_numbers(
    session: Session, numbers: set[tuple[int, str]]
) -> set[tuple[int, str, dt.date | None]]:
    """Of these (supplier, invoice number) pairs, the (supplier, number, issue date) of each
    live invoice that has them (not invalid, not returned: those hold no number)."""
    found: set[tuple[int, str, dt.date | None]] = set()
    pairs = sorted(numbers)
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        rows = session.execute(
            select(
                InvoiceRecord.supplier_id, InvoiceRecord.invoice_number, InvoiceRecord.issue_date
            ).where(
                InvoiceRecord.supplier_id.in_({supplier for supplier, _ in chunk}),
                InvoiceRecord.invoice_number.in_({number for _, number in chunk}),
                InvoiceRecord.status.not_in([InvoiceStatus.INVALID, InvoiceStatus.RETURNED]),
            )
        )
        found.update((r.supplier_id, r.invoice_number or "", r.issue_date) for r in rows)
    return found


def by_supplier_and_original(
    session: Session, supplier_id: int, original_id: int
) -> InvoiceRecord | None:
    """The invoice a supplier made of these exact bytes, if it sent them before."""
    return session.execute(
        select(InvoiceRecord)
        .where(InvoiceRecord.supplier_id == supplier_id, InvoiceRecord.original_id == original_id)
        .options(*SHOWN)
    ).scalar_one_or_none()


def by_idempotency_key(session: Session, supplier_id: int, key: str) -> InvoiceRecord | None:
    """The invoice a supplier submitted under this Idempotency-Key."""
    return session.execute(
        select(InvoiceRecord)
        .where(InvoiceRecord.supplier_id == supplier_id, InvoiceRecord.idempotency_key == key)
        .options(*SHOWN)
    ).scalar_one_or_none()


def same_number(
    session: Session, supplier_id: int, number: str, issue_date: dt.date | None
) -> InvoiceRecord | None:
    """The live invoice (not invalid, not returned) with the same number and date: the one that
    holds the number (``uq_invoices_live_number_*``) if any, else the oldest accepted beside it."""
    values = {"supplier_id": supplier_id, "number": number}
    if issue_date is None:
        return session.execute(_SAME_NUMBER_UNDATED, values).scalar_one_or_none()
    return session.execute(_SAME_NUMBER, {**values, "issue_date": issue_date}).scalar_one_or_none()


def correction_of(session: Session, returned_id: int) -> InvoiceRecord | None:
    """The acceptable invoice that already replaces a returned one, if any."""
    return session.execute(
        select(InvoiceRecord)
        .where(
            InvoiceRecord.replaces_invoice_id == returned_id,
            InvoiceRecord.status != InvoiceStatus.INVALID,
        )
        .limit(1)
    ).scalar_one_or_none()


def replacements(session: Session, scope: Scope, returned_ids: Sequence[int]) -> dict[int, int]:
    """For returned invoices, the corrected invoice that replaces each (acceptable, and in the
    caller's scope: a correction routed elsewhere is not named to a clerk who cannot open it)."""
    if not returned_ids:
        return {}
    rows = session.execute(
        select(InvoiceRecord.replaces_invoice_id, func.min(InvoiceRecord.id))
        .where(
            InvoiceRecord.replaces_invoice_id.in_(sorted(set(returned_ids))),
            InvoiceRecord.status != InvoiceStatus.INVALID,
            scope.condition(),
        )
        .group_by(InvoiceRecord.replaces_invoice_id)
    ).all()
    return {returned: replacement for returned, replacement in rows if returned is not None}


def live_by_number(session: Session, supplier_id: int, number: str) -> InvoiceRecord | None:
    """The newest valid invoice of a supplier with this number (a credit note's BT-25)."""
    return session.execute(
        select(InvoiceRecord)
        .where(
            InvoiceRecord.supplier_id == supplier_id,
            InvoiceRecord.invoice_number == number,
            InvoiceRecord.status != InvoiceStatus.INVALID,
        )
        .order_by(InvoiceRecord.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def history(session: Session, invoice_id: int) -> list[AuditEvent]:
    """Every audit event about one invoice, and about the payment batch it is in, oldest first."""
    batch_id = session.execute(
        select(BatchItem.batch_id).where(BatchItem.invoice_id == invoice_id)
    ).scalar_one_or_none()
    about_batch = (
        and_(AuditEvent.entity_type == "batch", AuditEvent.entity_id == str(batch_id))
        if batch_id is not None
        else false()
    )
    return list(
        session.execute(
            select(AuditEvent)
            .where(
                or_(
                    and_(
                        AuditEvent.entity_type == "invoice",
                        AuditEvent.entity_id == str(invoice_id),
                    ),
                    about_batch,
                )
            )
            .order_by(AuditEvent.id)
        ).scalars()
    )


def referenced_object_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these object keys a recorded original points to."""
    if not keys:
        return set()
    return set(
        session.execute(select(Original.object_key).where(Original.object_key.in_(list(keys))))
        .scalars()
        .all()
    )
