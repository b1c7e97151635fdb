"""The clerk's inbox, approvals, delegations and the guarded status change."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select, true, update
from sqlalchemy.orm import Session, aliased, selectinload

from storage.models import (
    Approval,
    Delegation,
    Department,
    InvoiceRecord,
    InvoiceStatus,
    Supplier,
    User,
    utcnow,
)


class InboxSort(enum.StrEnum):
    """What the inbox can be sorted by."""

    DEADLINE = "deadline"
    AMOUNT = "amount"
    SUPPLIER = "supplier"
    RECEIVED = "received"


_SORT_COLUMNS: dict[InboxSort, Any] = {
    InboxSort.DEADLINE: InvoiceRecord.payment_deadline,
    InboxSort.AMOUNT: InvoiceRecord.payable_amount,
    InboxSort.SUPPLIER: Supplier.name,
    InboxSort.RECEIVED: InvoiceRecord.received_at,
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
) -> tuple[list[tuple[InvoiceRecord, list[int]]], int]:
    """Pending invoices of these departments with the clerks who approved their current
    amounts, and the total."""
    base = (
        select(InvoiceRecord)
        .join(Supplier, Supplier.id == InvoiceRecord.supplier_id)
        .where(
            InvoiceRecord.department_id.in_(list(department_ids)),
            InvoiceRecord.status == InvoiceStatus.PENDING,
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
    invoices = list(
        session.execute(
            base.options(
                selectinload(InvoiceRecord.supplier),
                selectinload(InvoiceRecord.department),
                selectinload(InvoiceRecord.original),
                selectinload(InvoiceRecord.findings),
            )
            .order_by(ordered, InvoiceRecord.id)
            .limit(limit)
            .offset(offset)
        ).scalars()
    )
    approvers = current_approvers(session, [invoice.id for invoice in invoices])
    return [(invoice, approvers.get(invoice.id, [])) for invoice in invoices], total


def pending_counts(session: Session) -> dict[int, int]:
    """How many invoices are pending in each department's inbox (departments with none are
    absent)."""
    rows = session.execute(
        select(InvoiceRecord.department_id, func.count(InvoiceRecord.id))
        .where(
            InvoiceRecord.status == InvoiceStatus.PENDING, InvoiceRecord.department_id.is_not(None)
        )
        .group_by(InvoiceRecord.department_id)
    )
    return {department_id: count for department_id, count in rows if department_id}


def _current_revision() -> ColumnElement[bool]:
    """Approvals given on the invoice's current amounts (the others were voided by a change)."""
    return and_(
        Approval.invoice_id == InvoiceRecord.id,
        Approval.amount_revision == InvoiceRecord.amount_revision,
    )


def current_approvers(session: Session, invoice_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each invoice, the clerks whose approval of its current amounts counts."""
    if not invoice_ids:
        return {}
    found: dict[int, list[int]] = {}
    rows = session.execute(
        select(Approval.invoice_id, Approval.user_id)
        .join(InvoiceRecord, _current_revision())
        .where(Approval.invoice_id.in_(list(invoice_ids)))
        .order_by(Approval.id)
    )
    for invoice_id, user_id in rows:
        found.setdefault(invoice_id, []).append(user_id)
    return found


def approvals_of(session: Session, invoice_id: int) -> list[Approval]:
    """Every approval given, oldest first, voided ones (earlier revisions) included."""
    return list(
        session.execute(
            select(Approval).where(Approval.invoice_id == invoice_id).order_by(Approval.id)
        ).scalars()
    )


def count_approvals(session: Session, invoice_id: int, amount_revision: int) -> int:
    """How many approvals were given on one revision of the amounts."""
    return session.execute(
        select(func.count(Approval.id)).where(
            Approval.invoice_id == invoice_id, Approval.amount_revision == amount_revision
        )
    ).scalar_one()


def add_approval(
    session: Session,
    *,
    invoice_id: int,
    amount_revision: int,
    user_id: int,
    on_behalf_of_id: int | None,
    comment: str | None,
) -> None:
    """Record one clerk's approval of the amounts of ``amount_revision``."""
    session.add(
        Approval(
            invoice_id=invoice_id,
            amount_revision=amount_revision,
            user_id=user_id,
            on_behalf_of_id=on_behalf_of_id,
            comment=comment,
        )
    )
    session.flush()


def clear_approvals(session: Session, invoice_id: int) -> None:
    """Forget approvals (the invoice moved to another department)."""
    session.execute(delete(Approval).where(Approval.invoice_id == invoice_id))


def approve_if_enough(
    session: Session, invoice_id: int, version: int, *, needed: int, other_than: int | None
) -> bool:
    """Set the invoice approved if, at ``version`` and still pending, at least ``needed``
    different clerks approved its current amounts, one of them not ``other_than``.

    The count is taken by the database in the same guarded statement, so an approval of
    earlier amounts, or one that a concurrent change voided, can never complete it.
    """
    approvers = (
        select(func.count(func.distinct(Approval.user_id)))
        .where(_current_revision())
        .correlate(InvoiceRecord)
        .scalar_subquery()
    )
    someone_else = (
        exists().where(_current_revision(), Approval.user_id != other_than).correlate(InvoiceRecord)
        if other_than is not None
        else true()
    )
    result = session.execute(
        update(InvoiceRecord)
        .where(
            InvoiceRecord.id == invoice_id,
            InvoiceRecord.version == version,
            InvoiceRecord.status == InvoiceStatus.PENDING,
            approvers >= needed,
            someone_else,
        )
        .values(status=InvoiceStatus.APPROVED, approved_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    done = bool(getattr(result, "rowcount", 0) == 1)
    if done:
        _refresh(session, invoice_id)
    return done


def first_decision() -> ColumnElement[dt.datetime]:
    """``first_decided_at`` for a deciding UPDATE: now, unless an earlier decision set it."""
    return func.coalesce(InvoiceRecord.first_decided_at, utcnow())


def change_if_current(
    session: Session,
    invoice_id: int,
    version: int,
    *,
    statuses: Sequence[str] = (),
    **values: Any,
) -> bool:
    """Apply ``values`` only if the invoice is still at ``version`` (and, if given, in one of
    ``statuses``); bump the version.

    The WHERE clause makes concurrent decisions safe across workers: of two requests holding
    the same version, exactly one changes the row.
    """
    query = update(InvoiceRecord).where(
        InvoiceRecord.id == invoice_id, InvoiceRecord.version == version
    )
    if statuses:
        query = query.where(InvoiceRecord.status.in_(list(statuses)))
    result = session.execute(
        query.values(version=InvoiceRecord.version + 1, **values).execution_options(
            synchronize_session=False
        )
    )
    changed = bool(getattr(result, "rowcount", 0) == 1)
    if changed:
        _refresh(session, invoice_id)
    return changed


def _refresh(session: Session, invoice_id: int) -> None:
    invoice = session.get(InvoiceRecord, invoice_id)
    if invoice is not None:
        session.refresh(invoice)


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


DELEGATIONS_SHOWN = 500
"""An administrator's list of every delegation stops here (newest first)."""


def _delegations_statement(user_id: int | None) -> Select[Delegation]:
    statement = select(Delegation).order_by(Delegation.id.desc()).limit(DELEGATIONS_SHOWN)
    if user_id is None:
        return statement
    return statement.where(or_(Delegation.clerk_id == user_id, Delegation.substitute_id == user_id))


def delegations_of(session: Session, user_id: int | None) -> list[Delegation]:
    """Delegations the user gave or received (every one when None), newest first."""
    return list(session.execute(_delegations_statement(user_id)).scalars())


def delegations_named(
    session: Session, user_id: int | None
) -> list[tuple[Delegation, str, str, str]]:
    """``delegations_of`` with the clerk's and substitute's logins and the department's code."""
    clerk, substitute = aliased(User), aliased(User)
    inner = _delegations_statement(user_id).subquery()
    row = aliased(Delegation, inner)
    statement = (
        select(row, clerk.login, substitute.login, Department.code)
        .join(clerk, clerk.id == row.clerk_id)
        .join(substitute, substitute.id == row.substitute_id)
        .join(Department, Department.id == row.department_id)
        .order_by(row.id.desc())
    )
    return [(d, c, s, code) for d, c, s, code in session.execute(statement).all()]


def delete_delegation(session: Session, delegation_id: int, clerk_id: int | None) -> bool:
    """Withdraw a delegation the clerk gave (any, when None)."""
    statement = delete(Delegation).where(Delegation.id == delegation_id)
    if clerk_id is not None:
        statement = statement.where(Delegation.clerk_id == clerk_id)
    return bool(getattr(session.execute(statement), "rowcount", 0))


def clerk_in_department(session: Session, login: str, department_id: int) -> User | None:
    """The active clerk with this login, if a member of the department."""
    user = session.execute(
        select(User).where(User.login == login, User.active).options(selectinload(User.departments))
    ).scalar_one_or_none()
    if user is None or user.role != "clerk":
        return None
    return user if any(d.id == department_id for d in user.departments) else None


def overdue(session: Session, on: dt.date, *, limit: int, offset: int) -> list[InvoiceRecord]:
    """Unpaid invoices past their statutory deadline, most overdue first."""
    return list(
        session.execute(
            select(InvoiceRecord)
            .where(
                InvoiceRecord.payment_deadline < on,
                InvoiceRecord.status.in_(
                    [
                        InvoiceStatus.PENDING,
                        InvoiceStatus.APPROVED,
                        InvoiceStatus.EXPORTED,
                    ]
                ),
            )
            .options(
                selectinload(InvoiceRecord.supplier),
                selectinload(InvoiceRecord.department),
                selectinload(InvoiceRecord.original),
                selectinload(InvoiceRecord.findings),
            )
            .order_by(InvoiceRecord.payment_deadline, InvoiceRecord.id)
            .limit(limit)
            .offset(offset)
        ).scalars()
    )
