"""Payment batches: approved invoices taken exactly once, released, paid.

Exactly once is the database's job, not the code's: ``batch_items.invoice_id`` is unique, so
is its supplier + invoice number + issue date (two copies of one invoice, accepted under
JURYO_DUPLICATE_NUMBERS=warn, are never both in open or paid batches), and invoices move with
one guarded ``UPDATE … WHERE status = 'approved' … RETURNING``. On
PostgreSQL the rows are locked in id order first, so concurrent requests queue instead of
deadlocking, and a request that waited re-checks the status and simply skips what the other
took. On SQLite every writing transaction holds the database lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, literal, not_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    BANK_ACCOUNT_FIELDS,
    BankAccount,
    Batch,
    BatchItem,
    InvoiceRecord,
    InvoiceStatus,
    Supplier,
    bank_account,
    utcnow,
)

BANK_ACCOUNT_COLUMNS = tuple(getattr(Supplier, name) for name in BANK_ACCOUNT_FIELDS)
CREDITOR_COLUMNS = (
    Supplier.registration_number,
    Supplier.name,
    Supplier.creditor_number,
    *BANK_ACCOUNT_COLUMNS,
)
"""Who a creditor is and where it is paid, in ``CreditorTotal``'s order."""
APPROVED, EXPORTED, PAID = InvoiceStatus.APPROVED, InvoiceStatus.EXPORTED, InvoiceStatus.PAID


@dataclass(frozen=True, slots=True)
class Selection:
    """Which approved invoices a new batch takes."""

    department_id: int | None = None
    due_before: dt.date | None = None
    """Due (or, without a due date, statutorily payable) on or before this day."""
    invoice_ids: tuple[int, ...] | None = None
    """Only these invoices (chosen by hand): they narrow the selection, and the same guarded
    statements and unique keys take them exactly once."""

    def conditions(self) -> list[ColumnElement[bool]]:
        """WHERE clauses on ``invoices`` for this selection."""
        found: list[ColumnElement[bool]] = [InvoiceRecord.status == APPROVED]
        if self.invoice_ids is not None:
            found.append(InvoiceRecord.id.in_(self.invoice_ids))
        if self.department_id is not None:
            found.append(InvoiceRecord.department_id == self.department_id)
        if self.due_before is not None:
            found.append(
                func.coalesce(InvoiceRecord.due_date, InvoiceRecord.payment_deadline)
                <= self.due_before
            )
        return found


def payable() -> ColumnElement[bool]:
    """An invoice a bank transfer can pay: JPY, positive, and the creditor has an account."""
    return and_(
        InvoiceRecord.document_type == "invoice",
        InvoiceRecord.currency == "JPY",
        InvoiceRecord.payable_amount > 0,
        *(column.is_not(None) for column in BANK_ACCOUNT_COLUMNS),
    )


def by_id(session: Session, batch_id: int) -> Batch | None:
    """The batch with this id."""
    return session.execute(
        select(Batch).where(Batch.id == batch_id).options(selectinload(Batch.department))
    ).scalar_one_or_none()


def by_id_for_update(session: Session, batch_id: int) -> Batch | None:
    """The batch, locked until the transaction ends (status changes serialise on it)."""
    return session.execute(
        select(Batch).where(Batch.id == batch_id).with_for_update()
    ).scalar_one_or_none()


def by_idempotency_key(session: Session, key: str) -> Batch | None:
    """The batch created under this Idempotency-Key."""
    return session.execute(select(Batch).where(Batch.idempotency_key == key)).scalar_one_or_none()


def list_batches(session: Session, *, limit: int, offset: int) -> tuple[list[Batch], int]:
    """Newest first, with the total count."""
    total = session.execute(select(func.count()).select_from(Batch)).scalar_one()
    rows = session.execute(
        select(Batch)
        .options(selectinload(Batch.department))
        .order_by(Batch.id.desc())
        .limit(limit)
        .offset(offset)
    ).scalars()
    return list(rows), total


def add_batch(session: Session, batch: Batch) -> Batch | None:
    """Insert the batch; None when its Idempotency-Key is taken (by a concurrent request)."""
    try:
        with session.begin_nested():
            session.add(batch)
            session.flush()
    except IntegrityError:
        return None
    return batch


@dataclass(frozen=True, slots=True)
class Taken:
    """An invoice a batch took."""

    invoice_id: int
    supplier_id: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Taking:
    """What a new batch took, and the approved invoices it held out because the same supplier
    + number + issue date is already paid, in an open batch, or taken just now."""

    taken: list[Taken]
    held: list[int]


def take(session: Session, batch_id: int, selection: Selection) -> Taking:
    """Move every payable approved invoice of the selection into the batch (status exported),
    but never two with one supplier + number + issue date (the oldest goes first)."""
    eligible = (
        select(InvoiceRecord.id)
        .join(Supplier, Supplier.id == InvoiceRecord.supplier_id)
        .where(*selection.conditions(), payable())
    )
    session.execute(
        eligible.order_by(InvoiceRecord.id).with_for_update(of=InvoiceRecord)
    ).all()  # queue
    added = _add_items(session, batch_id, selection)
    moved = session.execute(
        update(InvoiceRecord)
        .where(_in_batch(batch_id), InvoiceRecord.status == APPROVED)
        .values(status=EXPORTED, batched_at=utcnow(), version=InvoiceRecord.version + 1)
        .returning(InvoiceRecord.id, InvoiceRecord.supplier_id, InvoiceRecord.payable_amount),
        execution_options={"synchronize_session": False},
    ).all()
    if len(moved) < added:  # one changed under us after all: the batch must not pay it
        _drop_stray_items(session, batch_id)
    held = session.execute(
        eligible.where(_number_in_a_batch()).order_by(InvoiceRecord.id)
    ).scalars()
    return Taking(
        taken=sorted(
            (Taken(row[0], row[1], row[2] or Decimal(0)) for row in moved),
            key=lambda t: t.invoice_id,
        ),
        held=list(held),
    )


def _add_items(session: Session, batch_id: int, selection: Selection) -> int:
    """Insert the batch items straight from ``invoices``, in invoice order; how many.

    The unique invoice id and supplier + number + issue date of ``batch_items`` decide: a row
    that would repeat one (in another open or paid batch, or earlier in this one) is skipped
    by ``ON CONFLICT DO NOTHING``, on PostgreSQL after the transaction holding it commits.
    """
    dialect = session.get_bind().dialect.name
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(BatchItem)
    rows = (
        select(
            literal(batch_id),
            InvoiceRecord.id,
            InvoiceRecord.supplier_id,
            func.coalesce(InvoiceRecord.payable_amount, 0),
            InvoiceRecord.invoice_number,
            InvoiceRecord.issue_date,
        )
        .join(Supplier, Supplier.id == InvoiceRecord.supplier_id)
        .where(*selection.conditions(), payable())
        .order_by(InvoiceRecord.id)
    )
    columns = ["batch_id", "invoice_id", "supplier_id", "amount", "invoice_number", "issue_date"]
    result = session.execute(statement.from_select(columns, rows).on_conflict_do_nothing())
    return int(getattr(result, "rowcount", 0) or 0)


def _drop_stray_items(session: Session, batch_id: int) -> None:
    """Items whose invoice did not move to exported (it changed meanwhile) leave the batch."""
    session.execute(
        delete(BatchItem).where(
            BatchItem.batch_id == batch_id,
            ~select(InvoiceRecord.id)
            .where(InvoiceRecord.id == BatchItem.invoice_id, InvoiceRecord.status == EXPORTED)
            .exists(),
        )
    )


def _number_in_a_batch() -> ColumnElement[bool]:
    """The invoice's supplier + number + issue date is in an open or paid batch, under another
    invoice."""
    return (
        select(BatchItem.id)
        .where(
            BatchItem.supplier_id == InvoiceRecord.supplier_id,
            BatchItem.invoice_number == InvoiceRecord.invoice_number,
            BatchItem.issue_date.is_not_distinct_from(InvoiceRecord.issue_date),
            BatchItem.invoice_id != InvoiceRecord.id,
        )
        .exists()
    )


def number_taken(session: Session, invoice_ids: Sequence[int]) -> set[int]:
    """Which of these invoices a batch would hold out: their supplier + number + issue date is
    in an open or paid batch under another invoice."""
    if not invoice_ids:
        return set()
    return set(
        session.execute(
            select(InvoiceRecord.id).where(
                InvoiceRecord.id.in_(list(invoice_ids)), _number_in_a_batch()
            )
        ).scalars()
    )


def with_suppliers(session: Session, invoice_ids: Sequence[int]) -> list[InvoiceRecord]:
    """These invoices with their suppliers, by id."""
    if not invoice_ids:
        return []
    return list(
        session.execute(
            select(InvoiceRecord)
            .where(InvoiceRecord.id.in_(list(invoice_ids)))
            .options(selectinload(InvoiceRecord.supplier))
            .order_by(InvoiceRecord.id)
        ).scalars()
    )


def blocked(session: Session, selection: Selection, *, limit: int = 1000) -> list[InvoiceRecord]:
    """Approved invoices of the selection that a transfer cannot pay (reported, not skipped)."""
    return list(
        session.execute(
            select(InvoiceRecord)
            .join(Supplier, Supplier.id == InvoiceRecord.supplier_id)
            .where(*selection.conditions(), not_(payable()))
            .options(selectinload(InvoiceRecord.supplier))
            .order_by(InvoiceRecord.id)
            .limit(limit)
        ).scalars()
    )


def approved_queue(
    session: Session, selection: Selection, *, limit: int, offset: int
) -> tuple[list[InvoiceRecord], int]:
    """Approved invoices waiting for a batch, oldest first, with the total count."""
    query = select(InvoiceRecord).where(*selection.conditions())
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.options(selectinload(InvoiceRecord.supplier), selectinload(InvoiceRecord.department))
        .order_by(InvoiceRecord.id)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return list(rows), total


def invoice_ids(session: Session, batch_id: int) -> list[int]:
    """The invoices in the batch, by id."""
    return list(
        session.execute(
            select(BatchItem.invoice_id)
            .where(BatchItem.batch_id == batch_id)
            .order_by(BatchItem.invoice_id)
        ).scalars()
    )


def _in_batch(batch_id: int) -> ColumnElement[bool]:
    return InvoiceRecord.id.in_(
        select(BatchItem.invoice_id).where(BatchItem.batch_id == batch_id).scalar_subquery()
    )


def release(session: Session, batch_id: int) -> list[int]:
    """Cancel: the batch's invoices go back to approved and leave the batch; returns their ids."""
    released = session.execute(
        update(InvoiceRecord)
        .where(_in_batch(batch_id), InvoiceRecord.status == EXPORTED)
        .values(status=APPROVED, batched_at=None, version=InvoiceRecord.version + 1)
        .returning(InvoiceRecord.id),
        execution_options={"synchronize_session": False},
    ).scalars()
    ids = sorted(released)
    session.execute(delete(BatchItem).where(BatchItem.batch_id == batch_id))
    return ids


def mark_paid(session: Session, batch_id: int, paid_on: dt.date) -> int:
    """The batch's invoices become paid on ``paid_on``; returns how many."""
    result = session.execute(
        update(InvoiceRecord)
        .where(_in_batch(batch_id), InvoiceRecord.status == EXPORTED)
        .values(status=PAID, paid_on=paid_on, version=InvoiceRecord.version + 1),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class CreditorTotal:
    """What one creditor gets from a batch: its account and the sum of its invoices."""

    supplier_id: int
    registration_number: str | None
    name: str
    creditor_number: str | None
    account: BankAccount | None
    amount: Decimal
    invoice_count: int


def creditor_totals(session: Session, batch_id: int) -> list[CreditorTotal]:
    """One row per creditor of the batch (by supplier id), amounts summed."""
    rows = session.execute(
        select(Supplier.id, *CREDITOR_COLUMNS, func.sum(BatchItem.amount), func.count(BatchItem.id))
        .join(Supplier, Supplier.id == BatchItem.supplier_id)
        .where(BatchItem.batch_id == batch_id)
        .group_by(Supplier.id)
        .order_by(Supplier.id)
    ).all()
    return [
        CreditorTotal(
            supplier_id=row[0],
            registration_number=row[1],
            name=row[2],
            creditor_number=row[3],
            account=bank_account(row[4:-2]),
            amount=row[-2],
            invoice_count=row[-1],
        )
        for row in rows
    ]


EXPORT_COLUMNS: Sequence[Any] = (
    InvoiceRecord.id,
    InvoiceRecord.invoice_number,
    InvoiceRecord.document_type,
    InvoiceRecord.issue_date,
    InvoiceRecord.due_date,
    InvoiceRecord.currency,
    InvoiceRecord.payable_amount,
    InvoiceRecord.tax_amount,
    InvoiceRecord.format,
    InvoiceRecord.profile,
    InvoiceRecord.content,
    InvoiceRecord.data_entry,
    BatchItem.amount,
    Supplier.id,
    *CREDITOR_COLUMNS,
)


def export_rows(session: Session, batch_id: int) -> Iterator[Any]:
    """The batch's invoices with their creditors, by creditor then invoice, fetched in chunks."""
    result = session.execute(
        select(*EXPORT_COLUMNS)
        .select_from(BatchItem)
        .join(InvoiceRecord, InvoiceRecord.id == BatchItem.invoice_id)
        .join(Supplier, Supplier.id == BatchItem.supplier_id)
        .where(BatchItem.batch_id == batch_id)
        .order_by(Supplier.id, InvoiceRecord.id)
        .execution_options(yield_per=2000)
    )
    yield from result


def void_pending_approvals(session: Session, supplier_id: int) -> list[int]:
    """Start a new amount revision on the creditor's pending invoices: the payee changed, so
    approvals given before no longer count; their version moves on, so a decision taken on
    what was shown before is stale. Returns the invoices' ids."""
    result = session.execute(
        update(InvoiceRecord)
        .where(
            InvoiceRecord.supplier_id == supplier_id,
            InvoiceRecord.status == InvoiceStatus.PENDING,
        )
        .values(
            amount_revision=InvoiceRecord.amount_revision + 1,
            version=InvoiceRecord.version + 1,
        )
        .returning(InvoiceRecord.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(result.scalars())


def supplier_for_update(session: Session, registration_number: str) -> Supplier | None:
    """The supplier with this registration number, locked for a change."""
    return session.execute(
        select(Supplier)
        .where(Supplier.registration_number == registration_number)
        .with_for_update()
    ).scalar_one_or_none()


def creditors(session: Session, *, limit: int, offset: int) -> tuple[list[Supplier], int]:
    """Suppliers by name, with their bank accounts."""
    total = session.execute(select(func.count()).select_from(Supplier)).scalar_one()
    rows = session.execute(
        select(Supplier).order_by(Supplier.name, Supplier.id).limit(limit).offset(offset)
    ).scalars()
    return list(rows), total


def invoices_of(session: Session, batch_id: int, *, limit: int) -> list[InvoiceRecord]:
    """The first invoices of a batch (by id), with their suppliers, for display."""
    return list(
        session.execute(
            select(InvoiceRecord)
            .join(BatchItem, BatchItem.invoice_id == InvoiceRecord.id)
            .where(BatchItem.batch_id == batch_id)
            .options(selectinload(InvoiceRecord.supplier))
            .order_by(InvoiceRecord.id)
            .limit(limit)
        ).scalars()
    )
