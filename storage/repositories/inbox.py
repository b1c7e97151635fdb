"""The clerk's inbox, approvals, delegations and the guarded status change."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    Approval,
    Delegation,
    Invoice,
    InvoiceStatus,
    Supplier,
    User,
)


class InboxSort(enum.StrEnum):
    """What the inbox can be sorted by."""

    DEADLINE = "deadline"
    AMOUNT = "amount"
    SUPPLIER = "supplier"
    RECEIVED = "received"


_SORT_COLUMNS: dict[InboxSort, Any] = {
    InboxSort.DEADLINE: Invoice.payment_deadline,
    InboxSort.AMOUNT: Invoice.payable_amount,
    InboxSort.SUPPLIER: Supplier.name,
    InboxSort.RECEIVED: Invoice.received_at,
}


def inbox(
    session: Session,
    department_ids: Sequence[int],
    *,
    sort: InboxSort,
    descending: bool,
    supplier: str | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Invoice, int]], int]:
    """Pending invoices of these departments with their approval counts, and the total."""
    base = (
        select(Invoice)
        .join(Supplier, Supplier.id == Invoice.supplier_id)
        .where(
            Invoice.department_id.in_(list(department_ids)),
            Invoice.status == InvoiceStatus.PENDING.value,
        )
    )
    if supplier:
        needle = supplier.strip()
        base = base.where(
            or_(Supplier.registration_number == needle.upper(), Supplier.name.contains(needle))
        )
    total = session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    column = _SORT_COLUMNS[sort]
    ordered = column.desc().nulls_last() if descending else column.asc().nulls_last()
    approvals = (
        select(func.count(Approval.id))
        .where(Approval.invoice_id == Invoice.id)
        .correlate(Invoice)
        .scalar_subquery()
    )
    rows = session.execute(
        base.add_columns(approvals)
        .options(
            selectinload(Invoice.supplier),
            selectinload(Invoice.department),
            selectinload(Invoice.original),
            selectinload(Invoice.findings),
        )
        .order_by(ordered, Invoice.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [(invoice, count) for invoice, count in rows], total


def approvals_of(session: Session, invoice_id: int) -> list[Approval]:
    """The approvals given so far, oldest first."""
    return list(
        session.execute(
            select(Approval).where(Approval.invoice_id == invoice_id).order_by(Approval.id)
        ).scalars()
    )


def add_approval(
    session: Session,
    *,
    invoice_id: int,
    user_id: int,
    on_behalf_of_id: int | None,
    comment: str | None,
) -> None:
    """Record one clerk's approval."""
    session.add(
        Approval(
            invoice_id=invoice_id,
            user_id=user_id,
            on_behalf_of_id=on_behalf_of_id,
            comment=comment,
        )
    )
    session.flush()


def clear_approvals(session: Session, invoice_id: int) -> None:
    """Forget approvals (the invoice moved to another department)."""
    session.execute(delete(Approval).where(Approval.invoice_id == invoice_id))


def change_if_current(session: Session, invoice_id: int, version: int, **values: Any) -> bool:
    """Apply ``values`` only if the invoice is still at ``version``; bump the version.

    The WHERE clause makes concurrent decisions safe across workers: of two requests holding
    the same version, exactly one changes the row.
    """
    result = session.execute(
        update(Invoice)
        .where(Invoice.id == invoice_id, Invoice.version == version)
        .values(version=Invoice.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    changed = bool(getattr(result, "rowcount", 0) == 1)
    if changed:
        invoice = session.get(Invoice, invoice_id)
        if invoice is not None:
            session.refresh(invoice)
    return changed


def delegator_for(
    session: Session, *, substitute_id: int, department_id: int, on: dt.date
) -> int | None:
    """The clerk whom ``substitute_id`` stands in for in this department today, if any."""
    return session.execute(
        select(Delegation.clerk_id)
        .where(
            Delegation.substitute_id == substitute_id,
            Delegation.department_id == department_id,
            Delegation.starts_on <= on,
            Delegation.ends_on >= on,
        )
        .order_by(Delegation.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def add_delegation(
    session: Session,
    *,
    clerk_id: int,
    substitute_id: int,
    department_id: int,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Delegation:
    """Record a delegation."""
    delegation = Delegation(
        clerk_id=clerk_id,
        substitute_id=substitute_id,
        department_id=department_id,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(delegation)
    session.flush()
    return delegation


def delegations_of(session: Session, user_id: int) -> list[Delegation]:
    """Delegations the user gave or received, newest first."""
    return list(
        session.execute(
            select(Delegation)
            .where(or_(Delegation.clerk_id == user_id, Delegation.substitute_id == user_id))
            .order_by(Delegation.id.desc())
        ).scalars()
    )


def delete_delegation(session: Session, delegation_id: int, clerk_id: int) -> bool:
    """Withdraw a delegation the clerk gave."""
    result = session.execute(
        delete(Delegation).where(Delegation.id == delegation_id, Delegation.clerk_id == clerk_id)
    )
    return bool(getattr(result, "rowcount", 0))


def clerk_in_department(session: Session, login: str, department_id: int) -> User | None:
    """The active clerk with this login, if a member of the department."""
    user = session.execute(
        select(User).where(User.login == login, User.active).options(selectinload(User.departments))
    ).scalar_one_or_none()
    if user is None or user.role != "clerk":
        return None
    return user if any(d.id == department_id for d in user.departments) else None


def overdue(session: Session, on: dt.date, *, limit: int, offset: int) -> list[Invoice]:
    """Unpaid invoices past their statutory deadline, most overdue first."""
    return list(
        session.execute(
            select(Invoice)
            .where(
                Invoice.payment_deadline < on,
                Invoice.status.in_(
                    [
                        InvoiceStatus.PENDING.value,
                        InvoiceStatus.APPROVED.value,
                        InvoiceStatus.EXPORTED.value,
                    ]
                ),
            )
            .options(
                selectinload(Invoice.supplier),
                selectinload(Invoice.department),
                selectinload(Invoice.original),
                selectinload(Invoice.findings),
            )
            .order_by(Invoice.payment_deadline, Invoice.id)
            .limit(limit)
            .offset(offset)
        ).scalars()
    )
