"""What is waiting for a person: the counts a home page shows, one SQL aggregate per role.

Every invoice count is filtered by the caller's ``Scope`` (the security boundary), so a clerk
counts only its departments' invoices and a supplier only its own. Each role's query reads only
the statuses it counts, through an index (``ix_invoices_inbox`` for a department,
``ix_invoices_status_deadline`` for everything, ``ix_invoices_replaces`` for corrections).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from storage.models import InvoiceRecord, InvoiceStatus, Supplier
from storage.repositories.invoices import Scope

UNPAID = (InvoiceStatus.PENDING, InvoiceStatus.APPROVED, InvoiceStatus.EXPORTED)
"""The statutory clock still runs for these: the city has not paid them yet."""


@dataclass(frozen=True, slots=True)
class ClerkCounts:
    """Pending invoices, those due within the days asked for, and the unpaid overdue."""

    pending: int
    due_soon: int
    overdue: int


@dataclass(frozen=True, slots=True)
class SupplierCounts:
    """Returned invoices not yet replaced by a correction, and PDFs waiting for data entry."""

    returned: int
    awaiting_entry: int


@dataclass(frozen=True, slots=True)
class AccountingCounts:
    """Approved invoices in no batch yet, and the unpaid overdue."""

    approved: int
    overdue: int


def _counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _overdue(today: dt.date) -> ColumnElement[bool]:
    return and_(InvoiceRecord.status.in_(UNPAID), InvoiceRecord.payment_deadline < today)


def clerk_counts(
    session: Session, scope: Scope, *, today: dt.date, soon_until: dt.date
) -> ClerkCounts:
    """``today`` is Tokyo's date (the law's clock); due soon is today up to ``soon_until``."""
    pending = InvoiceRecord.status == InvoiceStatus.PENDING
    deadline = InvoiceRecord.payment_deadline
    row = session.execute(
        select(
            _counted(pending),
            _counted(and_(pending, deadline >= today, deadline <= soon_until)),
            _counted(_overdue(today)),
        ).where(scope.condition(), InvoiceRecord.status.in_(UNPAID))
    ).one()
    return ClerkCounts(*(int(value) for value in row))


def _uncorrected() -> ColumnElement[bool]:
    """No live invoice replaces this one (read through ``ix_invoices_replaces``)."""
    correction = InvoiceRecord.__table__.alias("correction")
    return ~(
        select(correction.c.id)
        .where(
            correction.c.replaces_invoice_id == InvoiceRecord.id,
            correction.c.status != InvoiceStatus.INVALID,
        )
        .exists()
    )


def supplier_counts(session: Session, scope: Scope) -> SupplierCounts:
    """The supplier's own invoices that wait for it."""
    returned = InvoiceRecord.status == InvoiceStatus.RETURNED
    pending = InvoiceRecord.status == InvoiceStatus.PENDING
    row = session.execute(
        select(
            # CASE keeps the order: the correction is looked up for returned invoices only
            func.coalesce(func.sum(case((returned, case((_uncorrected(), 1), else_=0)))), 0),
            _counted(and_(pending, InvoiceRecord.needs_data_entry.is_(True))),
        ).where(
            scope.condition(),
            InvoiceRecord.status.in_([InvoiceStatus.RETURNED, InvoiceStatus.PENDING]),
        )
    ).one()
    return SupplierCounts(*(int(value) for value in row))


def accounting_counts(session: Session, scope: Scope, *, today: dt.date) -> AccountingCounts:
    """Invoices waiting for a batch, and the unpaid overdue, in the scope."""
    row = session.execute(
        select(
            _counted(InvoiceRecord.status == InvoiceStatus.APPROVED), _counted(_overdue(today))
        ).where(scope.condition(), InvoiceRecord.status.in_(UNPAID))
    ).one()
    return AccountingCounts(*(int(value) for value in row))


def pending_signups(session: Session) -> int:
    """Suppliers waiting for an administrator's approval."""
    return session.execute(
        select(func.count()).select_from(Supplier).where(Supplier.approved.is_(False))
    ).scalar_one()
