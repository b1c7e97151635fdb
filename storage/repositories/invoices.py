"""Invoices, their originals and findings. Every query that serves a person takes a ``Scope``.

The scope is the security boundary: a supplier sees its own invoices, a clerk those of its
departments, accounting, auditors and admins all of them. Anything outside the scope is
indistinguishable from something that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    AuditEvent,
    BatchItem,
    Department,
    Invoice,
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
            return Invoice.supplier_id == self.supplier_id
        if self.department_ids:
            return Invoice.department_id.in_(sorted(self.department_ids))
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
    department: str | None = None
    """A department code."""
    invoice_number: str | None = None


def _filtered(scope: Scope, criteria: InvoiceFilter) -> Select[Invoice]:
    query = select(Invoice).where(scope.condition())
    if criteria.status:
        query = query.where(Invoice.status.in_(list(criteria.status)))
    if criteria.issue_date_from:
        query = query.where(Invoice.issue_date >= criteria.issue_date_from)
    if criteria.issue_date_to:
        query = query.where(Invoice.issue_date <= criteria.issue_date_to)
    if criteria.amount_min is not None:
        query = query.where(Invoice.payable_amount >= criteria.amount_min)
    if criteria.amount_max is not None:
        query = query.where(Invoice.payable_amount <= criteria.amount_max)
    if criteria.department:
        query = query.join(Department, Department.id == Invoice.department_id).where(
            Department.code == criteria.department
        )
    if criteria.invoice_number:
        query = query.where(Invoice.invoice_number == criteria.invoice_number)
    if criteria.supplier:
        needle = criteria.supplier.strip()
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.join(Supplier, Supplier.id == Invoice.supplier_id).where(
            or_(
                Supplier.registration_number == needle.upper(),
                Supplier.name.like(pattern, escape="\\"),
            )
        )
    return query


def search(
    session: Session, scope: Scope, criteria: InvoiceFilter, *, limit: int, offset: int
) -> tuple[list[Invoice], int]:
    """One page of matching invoices (newest first) and the total count."""
    query = _filtered(scope, criteria)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.options(
            selectinload(Invoice.supplier),
            selectinload(Invoice.department),
            selectinload(Invoice.original),
            selectinload(Invoice.findings),
        )
        .order_by(Invoice.received_at.desc(), Invoice.id.desc())
        .limit(limit)
        .offset(offset)
    ).scalars()
    return list(rows), total


SHOWN = (
    selectinload(Invoice.findings),
    selectinload(Invoice.original),
    selectinload(Invoice.supplier),
    selectinload(Invoice.department),
)
"""Everything an invoice's answer shows, loaded with it: a lazy load after the request's
transaction would open another one, on SQLite waiting for the write lock."""


def visible(session: Session, scope: Scope, invoice_id: int) -> Invoice | None:
    """The invoice if it exists and is in scope; None otherwise (callers answer 404)."""
    return session.execute(
        select(Invoice).where(Invoice.id == invoice_id, scope.condition()).options(*SHOWN)
    ).scalar_one_or_none()


# Statements of the upload path, built once: building one costs about as much as running it.
_ORIGINAL_BY_SHA256 = select(Original).where(Original.sha256 == bindparam("sha256"))


def _same_number_statement(same_date: ColumnElement[bool]) -> Select[Invoice]:
    return (
        select(Invoice)
        .where(
            Invoice.supplier_id == bindparam("supplier_id"),
            Invoice.invoice_number == bindparam("number"),
            same_date,
            Invoice.status.not_in([InvoiceStatus.INVALID, InvoiceStatus.RETURNED]),
        )
        .options(*SHOWN)
        .order_by(Invoice.duplicate_of_id.is_not(None), Invoice.id)
        .limit(1)
    )


_SAME_NUMBER = _same_number_statement(Invoice.issue_date == bindparam("issue_date"))
_SAME_NUMBER_UNDATED = _same_number_statement(Invoice.issue_date.is_(None))


def original_by_sha256(session: Session, sha256: str) -> Original | None:
    """The recorded original with this content hash."""
    return session.execute(_ORIGINAL_BY_SHA256, {"sha256": sha256}).scalar_one_or_none()


def by_supplier_and_original(
    session: Session, supplier_id: int, original_id: int
) -> Invoice | None:
    """The invoice a supplier made of these exact bytes, if it sent them before."""
    return session.execute(
        select(Invoice)
        .where(Invoice.supplier_id == supplier_id, Invoice.original_id == original_id)
        .options(*SHOWN)
    ).scalar_one_or_none()


def by_idempotency_key(session: Session, supplier_id: int, key: str) -> Invoice | None:
    """The invoice a supplier submitted under this Idempotency-Key."""
    return session.execute(
        select(Invoice)
        .where(Invoice.supplier_id == supplier_id, Invoice.idempotency_key == key)
        .options(*SHOWN)
    ).scalar_one_or_none()


def same_number(
    session: Session, supplier_id: int, number: str, issue_date: dt.date | None
) -> Invoice | None:
    """The live invoice (not invalid, not returned) with the same number and date: the one that
    holds the number (``uq_invoices_live_number_*``) if any, else the oldest accepted beside it."""
    values = {"supplier_id": supplier_id, "number": number}
    if issue_date is None:
        return session.execute(_SAME_NUMBER_UNDATED, values).scalar_one_or_none()
    return session.execute(_SAME_NUMBER, {**values, "issue_date": issue_date}).scalar_one_or_none()


def correction_of(session: Session, returned_id: int) -> Invoice | None:
    """The acceptable invoice that already replaces a returned one, if any."""
    return session.execute(
        select(Invoice)
        .where(
            Invoice.replaces_invoice_id == returned_id,
            Invoice.status != InvoiceStatus.INVALID,
        )
        .limit(1)
    ).scalar_one_or_none()


def live_by_number(session: Session, supplier_id: int, number: str) -> Invoice | None:
    """The newest valid invoice of a supplier with this number (a credit note's BT-25)."""
    return session.execute(
        select(Invoice)
        .where(
            Invoice.supplier_id == supplier_id,
            Invoice.invoice_number == number,
            Invoice.status != InvoiceStatus.INVALID,
        )
        .order_by(Invoice.id.desc())
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
