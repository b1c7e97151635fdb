"""Accounting: batches of approved invoices (taken exactly once), cancelled or paid; creditors'
bank accounts. Services flush; the caller's transaction commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from parsers import registration
from service import clock
from service.errors import Conflict, NotFound, Unprocessable
from service.zengin import ACCOUNT_TYPES, ZenginError, is_digits, to_zengin_text
from storage import audit
from storage.audit import Actor
from storage.models import (
    BANK_ACCOUNT_FIELDS,
    BankAccount,
    Batch,
    BatchStatus,
    InvoiceRecord,
    Supplier,
    utcnow,
)
from storage.repositories import batches as repo
from storage.repositories import organisation


@dataclass(frozen=True, slots=True)
class Excluded:
    """An approved invoice the batch could not take, and why."""

    invoice_id: int
    registration_number: str | None
    supplier: str
    reason: str


@dataclass(frozen=True, slots=True)
class CreatedBatch:
    """A new batch (or the earlier one, replayed by its Idempotency-Key)."""

    batch: Batch
    invoice_ids: list[int]
    created: bool
    excluded: list[Excluded] = field(default_factory=list)


DUPLICATE_NUMBER = "duplicate_number"
"""The exclusion reason of a second invoice with one supplier + number + issue date: the first is
paid, in an open batch, or taken by this one (a bank must not pay one invoice twice)."""


NOT_WAITING = "not_waiting"
"""The exclusion reason of a chosen invoice that was not waiting for a batch: not approved, in a
batch already (perhaps taken by a concurrent one), or outside the filters given with it."""


def _excluded(invoice: InvoiceRecord, reason: str) -> Excluded:
    return Excluded(invoice.id, invoice.supplier.registration_number, invoice.supplier.name, reason)


def exclusion_reason(invoice: InvoiceRecord) -> str:
    """Why a bank transfer cannot pay this approved invoice."""
    supplier = invoice.supplier
    if invoice.document_type != "invoice":
        return "credit_note"
    if invoice.currency != "JPY":
        return "not_jpy"
    if invoice.payable_amount is None or invoice.payable_amount <= 0:
        return "no_amount"
    if supplier.bank_account is None:
        return "no_bank_account"
    return "unknown"


def waiting_reasons(
    session: Session, invoices: list[InvoiceRecord]
) -> list[tuple[InvoiceRecord, str]]:
    """Approved invoices with what would keep each out of a batch (``unknown``: nothing)."""
    taken = repo.number_taken(session, [i.id for i in invoices])
    return [(i, DUPLICATE_NUMBER if i.id in taken else exclusion_reason(i)) for i in invoices]


def _department_id(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    department = organisation.department_by_code(session, code)
    if department is None:
        raise Unprocessable(f"no department {code}")
    return department.id


def _replay(
    session: Session, batch: Batch, payment_date: dt.date, selection: repo.Selection
) -> CreatedBatch:
    """The batch made earlier under the same Idempotency-Key, if asked for alike: the same
    day and filters, and (for chosen invoices) nothing in it that was not chosen."""
    held = repo.invoice_ids(session, batch.id)
    chosen = selection.invoice_ids
    if (batch.payment_date, batch.department_id, batch.due_before) != (
        payment_date,
        selection.department_id,
        selection.due_before,
    ) or (chosen is not None and not set(held) <= set(chosen)):
        raise Conflict("this Idempotency-Key was used for a batch with other parameters")
    return CreatedBatch(batch, held, created=False)


def _chosen(session: Session, invoice_ids: list[int] | None) -> tuple[int, ...] | None:
    """The invoices chosen by hand, each once; 422 naming any that does not exist."""
    if invoice_ids is None:
        return None
    chosen = tuple(sorted(set(invoice_ids)))
    missing = set(chosen) - {i.id for i in repo.with_suppliers(session, chosen)}
    if missing:
        raise Unprocessable(f"no invoice {', '.join(map(str, sorted(missing)))}")
    return chosen


def _not_waiting(session: Session, selection: repo.Selection, taking: repo.Taking) -> list[int]:
    """Chosen invoices the batch neither took nor held out for a reason of their own."""
    if selection.invoice_ids is None:
        return []
    accounted = {t.invoice_id for t in taking.taken} | set(taking.held)
    accounted |= {i.id for i in repo.blocked(session, selection)}
    return [i for i in selection.invoice_ids if i not in accounted]


def create_batch(
    session: Session,
    *,
    actor: Actor,
    payment_date: dt.date,
    department: str | None = None,
    due_before: dt.date | None = None,
    idempotency_key: str | None = None,
    invoice_ids: list[int] | None = None,
) -> CreatedBatch:
    """Take every payable approved invoice (of the department, due by the day, and of those
    chosen when ``invoice_ids`` is given) into a batch."""
    selection = repo.Selection(
        department_id=_department_id(session, department),
        due_before=due_before,
        invoice_ids=_chosen(session, invoice_ids),
    )
    if idempotency_key:
        existing = repo.by_idempotency_key(session, idempotency_key)
        if existing is not None:
            return _replay(session, existing, payment_date, selection)
    if payment_date < clock.today():
        raise Unprocessable(f"the payment date {payment_date} is in the past")
    batch = Batch(
        status=BatchStatus.OPEN,
        payment_date=payment_date,
        department_id=selection.department_id,
        due_before=due_before,
        idempotency_key=idempotency_key,
        created_by_id=actor.user_id,
        invoice_count=0,
        total_amount=Decimal(0),
    )
    if repo.add_batch(session, batch) is None:  # a concurrent request with the same key won
        assert idempotency_key is not None
        winner = repo.by_idempotency_key(session, idempotency_key)
        if winner is None:  # pragma: no cover - the unique key exists by definition
            raise Conflict("the batch could not be created; try again")
        return _replay(session, winner, payment_date, selection)
    taking = repo.take(session, batch.id, selection)
    excluded = _exclusions(session, selection, taking)
    if not taking.taken:
        detail = "no approved invoice is waiting for payment"
        if excluded:
            detail += f"; {len(excluded)} invoice(s) cannot be paid by transfer"
        raise Conflict(
            detail, extra={"excluded": [asdict(e) for e in excluded]} if excluded else None
        )
    batch.invoice_count = len(taking.taken)
    batch.total_amount = sum((t.amount for t in taking.taken), Decimal(0))
    ids = [t.invoice_id for t in taking.taken]
    audit.record(
        session,
        actor=actor,
        action="batch.create",
        entity_type="batch",
        entity_id=batch.id,
        details={
            "payment_date": payment_date.isoformat(),
            "department": department,
            "due_before": due_before.isoformat() if due_before else None,
            "chosen": list(selection.invoice_ids) if selection.invoice_ids is not None else None,
            "invoice_count": len(ids),
            "total_amount": str(batch.total_amount),
            "invoice_ids": ids,
            "excluded": [e.invoice_id for e in excluded],
        },
    )
    return CreatedBatch(batch, ids, created=True, excluded=excluded)


def _exclusions(session: Session, selection: repo.Selection, taking: repo.Taking) -> list[Excluded]:
    """What the batch could not take: approved invoices a transfer cannot pay, second copies of
    one number, and chosen invoices that were not waiting."""
    return [
        *(_excluded(i, exclusion_reason(i)) for i in repo.blocked(session, selection)),
        *(_excluded(i, DUPLICATE_NUMBER) for i in repo.with_suppliers(session, taking.held)),
        *(
            _excluded(i, NOT_WAITING)
            for i in repo.with_suppliers(session, _not_waiting(session, selection, taking))
        ),
    ]


def _locked(session: Session, batch_id: int) -> Batch:
    batch = repo.by_id_for_update(session, batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    return batch


def cancel_batch(session: Session, *, actor: Actor, batch_id: int) -> Batch:
    """Before payment: the invoices go back to approved and may join another batch."""
    batch = _locked(session, batch_id)
    if batch.status != BatchStatus.OPEN:
        raise Conflict(f"batch {batch_id} is {batch.status} and cannot be cancelled")
    released = repo.release(session, batch_id)
    batch.status = BatchStatus.CANCELLED
    batch.cancelled_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="batch.cancel",
        entity_type="batch",
        entity_id=batch.id,
        details={"invoice_ids": released},
    )
    return batch


def _not_before_batch(batch: Batch, paid_on: dt.date) -> None:
    """A bank cannot have paid a batch before it was made (the day in Tokyo): 1900-01-01 is a
    typing slip that would put the payment in the wrong books."""
    made_on = clock.local_date(batch.created_at)
    if paid_on >= made_on:
        return
    raise Unprocessable.said(
        "acct.paid_before_batch", paid_on=paid_on.isoformat(), made_on=made_on.isoformat()
    )


def mark_paid(session: Session, *, actor: Actor, batch_id: int, paid_on: dt.date) -> Batch:
    """The bank paid the batch: its invoices become paid on that day (suppliers see it)."""
    batch = _locked(session, batch_id)
    if batch.status != BatchStatus.OPEN:
        raise Conflict(f"batch {batch_id} is {batch.status}; only an open batch can be paid")
    if paid_on > clock.today():
        raise Unprocessable(f"the payment day {paid_on} is in the future")
    _not_before_batch(batch, paid_on)
    count = repo.mark_paid(session, batch_id, paid_on)
    batch.status = BatchStatus.PAID
    batch.paid_on = paid_on
    audit.record(
        session,
        actor=actor,
        action="batch.paid",
        entity_type="batch",
        entity_id=batch.id,
        details={"paid_on": paid_on.isoformat(), "invoice_count": count},
    )
    return batch


# --- creditors' bank accounts -----------------------------------------------------------------


def checked_bank_account(given: BankAccount) -> BankAccount:
    """Normalise and check an account as typed; every problem is named in one 422."""
    problems: list[str] = []
    bank_code, branch_code = given.bank_code.strip(), given.branch_code.strip()
    account_type, number = given.account_type.strip(), given.account_number.strip()
    if not is_digits(bank_code, 4):
        problems.append("bank code must be 4 digits")
    if not is_digits(branch_code, 3):
        problems.append("branch code must be 3 digits")
    if account_type not in ACCOUNT_TYPES:
        problems.append("account type must be 1 (普通), 2 (当座), 4 (貯蓄) or 9 (その他)")
    if is_digits(number, len(number)) and 0 < len(number) <= 7:
        number = number.rjust(7, "0")
    else:
        problems.append("account number must be 1 to 7 digits")
    name = ""
    try:
        name = to_zengin_text(given.account_holder)
    except ZenginError as exc:
        problems.append(f"account holder {exc}")
    else:
        if not name or len(name) > 30:
            problems.append("account holder must be 1 to 30 half-width characters")
    if problems:
        raise Unprocessable("; ".join(problems))
    return BankAccount(bank_code, branch_code, account_type, number, name)


def set_bank_account(
    session: Session, *, actor: Actor, registration_number: str, account: BankAccount
) -> Supplier:
    """Record the account a creditor is paid into (admins only; audited)."""
    supplier = repo.supplier_for_update(session, registration.normalize(registration_number))
    if supplier is None:
        raise NotFound(f"no supplier {registration_number}")
    before = _account_of(supplier)
    supplier.bank_account = account
    after = _account_of(supplier)
    # Approvals were given for paying the account shown then: a new payee voids them.
    voided = repo.void_pending_approvals(session, supplier.id) if after != before else []
    audit.record(
        session,
        actor=actor,
        action="supplier.bank_account",
        entity_type="supplier",
        entity_id=supplier.id,
        details={"before": before, "after": after, "approvals_voided_on": voided},
    )
    session.flush()
    return supplier


def _account_of(supplier: Supplier) -> dict[str, str | None]:
    return {name: getattr(supplier, name) for name in BANK_ACCOUNT_FIELDS}
