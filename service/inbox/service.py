"""Clerks' decisions on invoices: approve (once or twice), return, reject, forward.

Every decision names the version the clerk saw; the change is applied only if the invoice
is still at that version (``change_if_current``), so two clerks acting at once cannot both
succeed. Every decision is an audit event with its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from service import clock
from service.auth.principal import Principal
from service.errors import BadRequest, Conflict, Forbidden, NotFound
from service.inbox import deadlines
from service.routing.service import RoutingRule
from storage import audit
from storage.models import Department, Invoice, InvoiceStatus, Role, utcnow
from storage.repositories import inbox as repo
from storage.repositories import invoices as invoice_repo
from storage.repositories import organisation


@dataclass(frozen=True, slots=True)
class Outcome:
    """The invoice after a decision, and what happened."""

    invoice: Invoice
    action: str
    approvals: int
    approvals_needed: int


def approvals_needed(invoice: Invoice) -> int:
    """Two approvals at or above the department's threshold, else one."""
    if invoice.department is None or invoice.payable_amount is None:
        return 1
    threshold: Decimal = invoice.department.approval_threshold
    return 2 if invoice.payable_amount >= threshold else 1


def effective_works(invoice: Invoice) -> bool:
    """Construction works (40 days): the invoice's override, else its department's setting."""
    if invoice.works_contract is not None:
        return invoice.works_contract
    return bool(invoice.department and invoice.department.works_contracts)


def payment_deadline(invoice: Invoice, *, works: bool | None = None) -> dt.date:
    """The statutory deadline from the clock's start, works setting and paused days."""
    started = invoice.clock_started_at or invoice.received_at
    return deadlines.deadline(
        started,
        works=effective_works(invoice) if works is None else works,
        paused_days=invoice.clock_paused_days,
    )


def inbox_departments(session: Session, caller: Principal, code: str | None) -> list[int]:
    """The departments whose inbox the clerk asks for: all of theirs, or the one named."""
    if not code:
        return sorted(caller.department_ids)
    found = organisation.department_by_code(session, code)
    if found is None or found.id not in caller.department_ids:
        raise NotFound(f"no department {code} among yours")
    return [found.id]


def _pending_in_scope(session: Session, caller: Principal, invoice_id: int) -> Invoice:
    invoice = invoice_repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    if caller.role is not Role.CLERK:
        raise Forbidden("only clerks of the invoice's department decide on it")
    if invoice.status != InvoiceStatus.PENDING.value:
        raise Conflict(f"invoice {invoice_id} is {invoice.status}, not pending")
    return invoice


def _stale(invoice: Invoice, version: int) -> Conflict:
    return Conflict(
        f"invoice {invoice.id} changed meanwhile (version {invoice.version}, you sent {version}); "
        "reload it and decide again",
        extra={"current_version": invoice.version},
    )


def _apply(session: Session, invoice: Invoice, version: int, **values: Any) -> None:
    if invoice.version != version or not repo.change_if_current(
        session, invoice.id, version, **values
    ):
        raise _stale(invoice, version)


def _event(
    session: Session,
    caller: Principal,
    invoice: Invoice,
    action: str,
    reason: str | None,
    **details: Any,
) -> None:
    audit.record(
        session,
        actor=caller.actor,
        action=action,
        entity_type="invoice",
        entity_id=invoice.id,
        reason=reason,
        details=details,
    )


def approve(
    session: Session, *, caller: Principal, invoice_id: int, version: int, comment: str | None
) -> Outcome:
    """Approve; at or above the threshold the first approval leaves it pending for a second
    clerk, and one person cannot give both."""
    invoice = _pending_in_scope(session, caller, invoice_id)
    if invoice.needs_data_entry:
        raise Conflict("a clerk must confirm or correct the entered data before approval")
    given = repo.approvals_of(session, invoice.id)
    if any(a.user_id == caller.user_id for a in given):
        raise Conflict("you have approved this invoice already; a second clerk must approve")
    needed = approvals_needed(invoice)
    assert invoice.department_id is not None
    on_behalf_of = repo.delegator_for(
        session,
        substitute_id=caller.user_id,
        department_id=invoice.department_id,
        on=clock.today(),
    )
    if on_behalf_of is not None and any(a.user_id == on_behalf_of for a in given):
        on_behalf_of = None  # the absent clerk approved already: this is the caller's own
    repo.add_approval(
        session,
        invoice_id=invoice.id,
        user_id=caller.user_id,
        on_behalf_of_id=on_behalf_of,
        comment=comment,
    )
    count = len(given) + 1
    done = count >= needed
    _apply(
        session,
        invoice,
        version,
        status=(InvoiceStatus.APPROVED if done else InvoiceStatus.PENDING).value,
    )
    _event(
        session,
        caller,
        invoice,
        "invoice.approve" if done else "invoice.approve.first",
        comment,
        approvals=count,
        needed=needed,
        on_behalf_of=on_behalf_of,
    )
    return Outcome(invoice, "approved" if done else "first approval", count, needed)


def return_to_supplier(
    session: Session, *, caller: Principal, invoice_id: int, version: int, reason: str
) -> Outcome:
    """Send back for correction; the payment clock pauses until the corrected invoice comes."""
    invoice = _pending_in_scope(session, caller, invoice_id)
    _apply(
        session,
        invoice,
        version,
        status=InvoiceStatus.RETURNED.value,
        returned_at=utcnow(),
    )
    _event(session, caller, invoice, "invoice.return", reason)
    return Outcome(invoice, "returned", 0, approvals_needed(invoice))


def reject(
    session: Session, *, caller: Principal, invoice_id: int, version: int, reason: str
) -> Outcome:
    """Refuse for good."""
    invoice = _pending_in_scope(session, caller, invoice_id)
    _apply(session, invoice, version, status=InvoiceStatus.REJECTED.value)
    _event(session, caller, invoice, "invoice.reject", reason)
    return Outcome(invoice, "rejected", 0, approvals_needed(invoice))


def forward(
    session: Session,
    *,
    caller: Principal,
    invoice_id: int,
    version: int,
    department_code: str,
    comment: str | None,
) -> Outcome:
    """Hand the invoice to another department; approvals given here do not travel with it."""
    invoice = _pending_in_scope(session, caller, invoice_id)
    target = organisation.department_by_code(session, department_code)
    if target is None:
        raise NotFound(f"no department {department_code}")
    if target.id == invoice.department_id:
        raise BadRequest(f"the invoice is in {department_code} already")
    source = invoice.department.code if invoice.department else None
    repo.clear_approvals(session, invoice.id)
    works = invoice.works_contract if invoice.works_contract is not None else target.works_contracts
    _apply(
        session,
        invoice,
        version,
        department_id=target.id,
        routing_rule=RoutingRule.FORWARDED.value,
        payment_deadline=payment_deadline(invoice, works=works),
    )
    _event(session, caller, invoice, "invoice.forward", comment, source=source, target=target.code)
    return Outcome(invoice, "forwarded", 0, approvals_needed(invoice))


def set_works(
    session: Session, *, caller: Principal, invoice_id: int, version: int, works: bool | None
) -> Invoice:
    """Override (or with None, inherit) the 40-day works setting for one invoice."""
    invoice = invoice_repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    if caller.role not in (Role.CLERK, Role.ADMIN):
        raise Forbidden("only the department's clerks or an administrator change this")
    if invoice.status not in (InvoiceStatus.PENDING.value, InvoiceStatus.APPROVED.value):
        raise Conflict(f"invoice {invoice_id} is {invoice.status}: its payment clock is over")
    department_works = bool(invoice.department and invoice.department.works_contracts)
    deadline = payment_deadline(invoice, works=department_works if works is None else works)
    _apply(session, invoice, version, works_contract=works, payment_deadline=deadline)
    _event(session, caller, invoice, "invoice.works", None, works=works)
    return invoice


def start_clock(invoice: Invoice, department: Department, replaced: Invoice | None) -> None:
    """Set the deadline of a newly received invoice; a corrected one continues the clock of
    the returned invoice it replaces, without the days it spent returned (art. 7)."""
    if replaced is not None and replaced.returned_at is not None:
        invoice.clock_started_at = replaced.clock_started_at or replaced.received_at
        invoice.clock_paused_days = replaced.clock_paused_days + deadlines.paused_days(
            replaced.returned_at, invoice.received_at
        )
        invoice.works_contract = replaced.works_contract
    else:
        invoice.clock_started_at = invoice.received_at
        invoice.clock_paused_days = 0
    invoice.department = department
    invoice.payment_deadline = payment_deadline(invoice)
