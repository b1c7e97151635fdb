"""Clerks' decisions on invoices: approve (once or twice), return, reject, forward.

Every decision names the version the clerk saw; the change is applied only if the invoice
is still at that version (``change_if_current``), so two clerks acting at once cannot both
succeed. Every decision is an audit event with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from service import clock
from service.auth.principal import Principal
from service.deadlines import payment_deadline
from service.errors import BadRequest, Conflict, NotFound
from service.inbox import auth
from service.invoices.data_entry import entered_differs, highest_shown
from service.routing.service import RoutingRule, explain
from storage import audit
from storage.models import Department, InvoiceRecord, InvoiceStatus, utcnow
from storage.repositories import inbox as repo
from storage.repositories import invoices as invoice_repo
from storage.repositories import organisation


@dataclass(frozen=True, slots=True)
class Outcome:
    """The invoice after a decision, and what happened."""

    invoice: InvoiceRecord
    action: str
    approvals: int
    approvals_needed: int


@dataclass(frozen=True, slots=True)
class ApprovalRule:
    """Who must approve an invoice's current amounts before it is approved."""

    needed: int
    """Different clerks: two from the department's threshold, else one."""
    other_than: int | None
    """A clerk who entered a total the document does not show; another clerk must approve."""
    highest: Decimal | None
    """The highest total the invoice has shown, on which ``needed`` was decided."""

    def needed_given(self, approvers: Sequence[int]) -> int:
        """How many approvals are needed, once these clerks approved: the clerk who entered
        the amounts may approve, but never as the only one."""
        if self.other_than is not None and self.other_than in approvers:
            return max(self.needed, 2)
        return self.needed


def approval_rule(invoice: InvoiceRecord) -> ApprovalRule:
    """The rule for the invoice as it is now (decided on the highest amount it has shown)."""
    highest = highest_shown(invoice)
    needed = 1
    if invoice.department is not None and highest is not None:
        threshold: Decimal = invoice.department.approval_threshold
        needed = 2 if highest >= threshold else 1
    other_than = invoice.amounts_entered_by_id if entered_differs(invoice) else None
    return ApprovalRule(needed=needed, other_than=other_than, highest=highest)


def approvals_needed(invoice: InvoiceRecord, approvers: Sequence[int] = ()) -> int:
    """How many approvals the invoice needs, after those of ``approvers``."""
    return approval_rule(invoice).needed_given(approvers)


def inbox_departments(session: Session, caller: Principal, code: str | None) -> list[int]:
    """The departments whose inbox the clerk asks for: all of theirs, or the one named."""
    if not code:
        return sorted(caller.department_ids)
    return [auth.own_department(session, caller, code).id]


def any_department(session: Session, code: str) -> Department:
    """Any department by its code, for an administrator looking into its inbox."""
    found = organisation.department_by_code(session, code)
    if found is None:
        raise NotFound(f"no department {code}")
    return found


def _pending_in_scope(session: Session, caller: Principal, invoice_id: int) -> InvoiceRecord:
    invoice = invoice_repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    auth.DECIDES.check(caller)
    if invoice.status != InvoiceStatus.PENDING:
        raise Conflict(f"invoice {invoice_id} is {invoice.status}, not pending")
    return invoice


def _stale(invoice: InvoiceRecord, version: int) -> Conflict:
    return Conflict(
        f"invoice {invoice.id} changed meanwhile (version {invoice.version}, you sent {version}); "
        "reload it and decide again",
        extra={"current_version": invoice.version},
    )


def _apply(session: Session, invoice: InvoiceRecord, version: int, **values: Any) -> None:
    if invoice.version != version or not repo.change_if_current(
        session, invoice.id, version, **values
    ):
        raise _stale(invoice, version)


def _event(
    session: Session,
    caller: Principal,
    invoice: InvoiceRecord,
    action: str,
    reason: str | None,
    **details: Any,
) -> None:
    _audit(session, caller, action, ("invoice", invoice.id), reason, details)


def _audit(
    session: Session,
    caller: Principal,
    action: str,
    entity: tuple[str, int],
    reason: str | None,
    details: dict[str, Any] | None,
) -> None:
    """One audit event, in the decision's transaction: it commits or rolls back with it."""
    entity_type, entity_id = entity
    audit.record(
        session,
        actor=caller.actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        reason=reason,
        details=details,
    )


def approve(
    session: Session, *, caller: Principal, invoice_id: int, version: int, comment: str | None
) -> Outcome:
    """Approve the amounts shown at ``version``; from the threshold (on the highest amount
    shown) the first approval leaves it pending for a second clerk, and one person cannot
    give both. Approvals given before the amounts last changed do not count."""
    invoice = _pending_in_scope(session, caller, invoice_id)
    if invoice.version != version:
        raise _stale(invoice, version)
    if invoice.needs_data_entry:
        raise Conflict("a clerk must confirm or correct the entered data before approval")
    given = repo.current_approvers(session, [invoice.id]).get(invoice.id, [])
    if caller.user_id in given:
        raise Conflict("you have approved this invoice already; a second clerk must approve")
    rule = approval_rule(invoice)
    revision = invoice.amount_revision
    # claims the version (a concurrent change now fails) and dates the first decision
    _apply(session, invoice, version, first_decided_at=repo.first_decision())
    on_behalf_of = _on_behalf_of(session, caller, invoice, given)
    repo.add_approval(
        session,
        invoice_id=invoice.id,
        amount_revision=revision,
        user_id=caller.user_id,
        on_behalf_of_id=on_behalf_of,
        comment=comment,
    )
    approvers = [*given, caller.user_id]
    done = repo.approve_if_enough(
        session, invoice.id, invoice.version, needed=rule.needed, other_than=rule.other_than
    )
    needed = rule.needed_given(approvers)
    _event(
        session,
        caller,
        invoice,
        "invoice.approve" if done else "invoice.approve.first",
        comment,
        approvals=len(approvers),
        needed=needed,
        on_behalf_of=on_behalf_of,
        amount_revision=revision,
        highest_amount=str(rule.highest) if rule.highest is not None else None,
    )
    return Outcome(invoice, "approved" if done else "first approval", len(approvers), needed)


def _on_behalf_of(
    session: Session, caller: Principal, invoice: InvoiceRecord, given: Sequence[int]
) -> int | None:
    """The absent clerk the caller stands in for today, unless that clerk approved already
    (then this approval is the caller's own)."""
    assert invoice.department_id is not None
    on_behalf_of = repo.delegator_for(
        session,
        substitute_id=caller.user_id,
        department_id=invoice.department_id,
        on=clock.today(),
    )
    return None if on_behalf_of in given else on_behalf_of


def return_to_supplier(
    session: Session, *, caller: Principal, invoice_id: int, version: int, reason: str
) -> Outcome:
    """Send back for correction; the payment clock pauses until the corrected invoice comes."""
    invoice = _pending_in_scope(session, caller, invoice_id)
    _apply(
        session,
        invoice,
        version,
        status=InvoiceStatus.RETURNED,
        returned_at=utcnow(),
        first_decided_at=repo.first_decision(),
    )
    _event(session, caller, invoice, "invoice.return", reason)
    return Outcome(invoice, "returned", 0, approvals_needed(invoice))


def reject(
    session: Session, *, caller: Principal, invoice_id: int, version: int, reason: str
) -> Outcome:
    """Refuse for good."""
    invoice = _pending_in_scope(session, caller, invoice_id)
    _apply(
        session,
        invoice,
        version,
        status=InvoiceStatus.REJECTED,
        first_decided_at=repo.first_decision(),
    )
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
    return _move(session, caller, invoice, version, department_code, comment, "invoice.forward")


def reassign(
    session: Session,
    *,
    caller: Principal,
    invoice_id: int,
    version: int,
    department_code: str,
    comment: str | None,
) -> Outcome:
    """An administrator moves a pending invoice from any inbox (triage above all, when no clerk
    works it) to a department; as a forward, but audited as the administrator's own act."""
    auth.REASSIGNS.check(caller)
    invoice = invoice_repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    if invoice.status != InvoiceStatus.PENDING:
        raise Conflict(f"invoice {invoice_id} is {invoice.status}, not pending")
    return _move(session, caller, invoice, version, department_code, comment, "invoice.reassign")


def _move(
    session: Session,
    caller: Principal,
    invoice: InvoiceRecord,
    version: int,
    department_code: str,
    comment: str | None,
    action: str,
) -> Outcome:
    """Put a pending invoice in another department's inbox at ``version``: approvals given in
    the old one are cleared, the payment deadline follows the new department's works setting."""
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
    _event(session, caller, invoice, action, comment, source=source, target=target.code)
    return Outcome(invoice, "forwarded", 0, approvals_needed(invoice))


def set_works(
    session: Session, *, caller: Principal, invoice_id: int, version: int, works: bool | None
) -> InvoiceRecord:
    """Override (or with None, inherit) the 40-day works setting for one invoice."""
    invoice = invoice_repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    auth.SETS_WORKS.check(caller)
    if invoice.status not in (InvoiceStatus.PENDING, InvoiceStatus.APPROVED):
        raise Conflict(f"invoice {invoice_id} is {invoice.status}: its payment clock is over")
    department_works = bool(invoice.department and invoice.department.works_contracts)
    deadline = payment_deadline(invoice, works=department_works if works is None else works)
    _apply(session, invoice, version, works_contract=works, payment_deadline=deadline)
    _event(session, caller, invoice, "invoice.works", None, works=works)
    return invoice


# --- the routing explanation ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Routing:
    """Which rule placed an invoice in its department, and why, in Japanese and English."""

    rule: str | None
    """None: the invoice was not acceptable, so it was never routed."""
    department: str | None
    explanation_ja: str
    explanation_en: str


def routing_of(invoice: InvoiceRecord) -> Routing:
    """Why the invoice is in its department (the API and the decision page show this)."""
    department = invoice.department.code if invoice.department else None
    if invoice.routing_rule is None or department is None:
        return Routing(
            rule=None,
            department=None,
            explanation_ja="受付不可のため配付していません。",
            explanation_en="Not routed: the invoice was not acceptable.",
        )
    ja, en = explain(
        RoutingRule(invoice.routing_rule),
        department=department,
        buyer_reference=invoice.buyer_reference,
        order_reference=invoice.order_reference,
    )
    return Routing(invoice.routing_rule, department, ja, en)
