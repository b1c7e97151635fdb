"""What is waiting for a person: the counts a home page shows, each one SQL aggregate.

Every invoice count is filtered by the caller's ``Scope`` (the security boundary), so a clerk
counts only its departments' invoices and a supplier only its own.
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
class InvoiceCounts:
    """Invoices in one scope by what they wait for."""

    pending: int
    """Waiting for a clerk's decision."""
    due_soon: int
    """Pending, and the payment deadline is today or within the next days asked for."""
    overdue: int
    """Unpaid past the statutory payment deadline."""
    returned: int
    """Returned to the supplier and not yet replaced by a correction."""
    awaiting_entry: int
    """Pending PDFs whose data nobody has entered yet."""
    approved: int
    """Approved and in no payment batch yet."""


def _counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _uncorrected() -> ColumnElement[bool]:
    """No live invoice replaces this returned one."""
    correction = InvoiceRecord.__table__.alias("correction")
    return ~(
        select(correction.c.id)
        .where(
            correction.c.replaces_invoice_id == InvoiceRecord.id,
            correction.c.status != InvoiceStatus.INVALID,
        )
        .exists()
    )


def invoice_counts(
    session: Session, scope: Scope, *, today: dt.date, soon_until: dt.date
) -> InvoiceCounts:
    """One pass over the scope's invoices; ``today`` is Tokyo's date (the law's clock)."""
    status = InvoiceRecord.status
    deadline = InvoiceRecord.payment_deadline
    pending = status == InvoiceStatus.PENDING
    row = session.execute(
        select(
            _counted(pending),
            _counted(and_(pending, deadline >= today, deadline <= soon_until)),
            _counted(and_(status.in_(UNPAID), deadline < today)),
            _counted(and_(status == InvoiceStatus.RETURNED, _uncorrected())),
            _counted(and_(pending, InvoiceRecord.needs_data_entry.is_(True))),
            _counted(status == InvoiceStatus.APPROVED),
        ).where(scope.condition(), status.in_([*UNPAID, InvoiceStatus.RETURNED]))
    ).one()
    return InvoiceCounts(*(int(value) for value in row))


def pending_signups(session: Session) -> int:
    """Suppliers waiting for an administrator's approval."""
    return session.execute(
        select(func.count()).select_from(Supplier).where(Supplier.approved.is_(False))
    ).scalar_one()
