"""The clerk's inbox and decisions, the routing explanation, delegations, overdue invoices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy.orm import Session

from service import clock
from service.deps import MAX_ROW_ID, ApiCaller, DbSession, ReadSession, RowId
from service.errors import NotFound, responses
from service.inbox import delegations
from service.inbox import service as decisions
from service.inbox.auth import AdminCaller, ClerkCaller, DelegationCaller, LedgerCaller
from service.inbox.schemas import (
    ApproveIn,
    DecisionOut,
    DelegationIn,
    DelegationOut,
    ForwardIn,
    InboxCount,
    InboxItem,
    InboxPage,
    ReasonIn,
    RoutingOut,
    WorksIn,
)
from service.invoices.schemas import InvoiceOut
from service.versions import IfMatch, version_of
from storage.repositories import inbox as repo
from storage.repositories import invoices as invoice_repo
from storage.repositories import organisation

router = APIRouter(prefix="/api/v1", tags=["inbox"])
DECISION_ERRORS = responses(400, 401, 403, 404, 409, 422, 428)


@router.get("/inbox", responses=responses(401, 403, 422))
def inbox(
    caller: ClerkCaller,
    session: ReadSession,
    sort: repo.InboxSort = repo.InboxSort.DEADLINE,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    department: Annotated[str | None, Query(max_length=64)] = None,
    supplier: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> InboxPage:
    """Pending invoices of the caller's departments, by days left to pay (default) or other."""
    departments = decisions.inbox_departments(session, caller, department)
    return _page(session, departments, sort, order, supplier, limit, offset)


@router.get("/inboxes", responses=responses(401, 403))
def inboxes(caller: AdminCaller, session: ReadSession) -> list[InboxCount]:
    """Every department's inbox with how many invoices wait there (administrators)."""
    counts = repo.pending_counts(session)
    return [
        InboxCount(department=d.code, name=d.name, pending=counts.get(d.id, 0))
        for d in organisation.list_departments(session)
    ]


@router.get("/inboxes/{department}", responses=responses(401, 403, 404, 422))
def department_inbox(
    department: Annotated[str, Path(max_length=64)],
    caller: AdminCaller,
    session: ReadSession,
    sort: repo.InboxSort = repo.InboxSort.DEADLINE,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> InboxPage:
    """What waits in any department's inbox, e.g. ``triage`` (administrators)."""
    departments = [decisions.any_department(session, department).id]
    return _page(session, departments, sort, order, None, limit, offset)


def _page(
    session: Session,
    departments: list[int],
    sort: repo.InboxSort,
    order: str,
    supplier: str | None,
    limit: int,
    offset: int,
) -> InboxPage:
    """One page of the pending invoices of ``departments``, as both inbox answers give it."""
    rows, total = repo.inbox(
        session,
        departments,
        sort=sort,
        descending=order == "desc",
        supplier=supplier,
        limit=limit,
        offset=offset,
    )
    return InboxPage(
        items=[InboxItem.with_state(invoice, approvers) for invoice, approvers in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.post("/invoices/{invoice_id}/reassign", responses=DECISION_ERRORS)
def reassign(
    invoice_id: RowId,
    body: ForwardIn,
    caller: AdminCaller,
    session: DbSession,
    if_match: IfMatch = None,
) -> DecisionOut:
    """Move a pending invoice from any inbox to a department (administrators; audited)."""
    outcome = decisions.reassign(
        session,
        caller=caller,
        invoice_id=invoice_id,
        version=version_of(body, if_match),
        department_code=body.department,
        comment=body.comment,
    )
    return DecisionOut.of(outcome)


@router.post("/invoices/{invoice_id}/approve", responses=DECISION_ERRORS)
def approve(
    invoice_id: RowId,
    body: ApproveIn,
    caller: ClerkCaller,
    session: DbSession,
    if_match: IfMatch = None,
) -> DecisionOut:
    """Approve; from the department's threshold a second, different clerk must approve too."""
    outcome = decisions.approve(
        session,
        caller=caller,
        invoice_id=invoice_id,
        version=version_of(body, if_match),
        comment=body.comment,
    )
    return DecisionOut.of(outcome)


@router.post("/invoices/{invoice_id}/return", responses=DECISION_ERRORS)
def return_invoice(
    invoice_id: RowId,
    body: ReasonIn,
    caller: ClerkCaller,
    session: DbSession,
    if_match: IfMatch = None,
) -> DecisionOut:
    """Send back to the supplier for correction (the reason is shown to the supplier)."""
    outcome = decisions.return_to_supplier(
        session,
        caller=caller,
        invoice_id=invoice_id,
        version=version_of(body, if_match),
        reason=body.reason,
    )
    return DecisionOut.of(outcome)


@router.post("/invoices/{invoice_id}/reject", responses=DECISION_ERRORS)
def reject(
    invoice_id: RowId,
    body: ReasonIn,
    caller: ClerkCaller,
    session: DbSession,
    if_match: IfMatch = None,
) -> DecisionOut:
    """Refuse the invoice for good."""
    outcome = decisions.reject(
        session,
        caller=caller,
        invoice_id=invoice_id,
        version=version_of(body, if_match),
        reason=body.reason,
    )
    return DecisionOut.of(outcome)


@router.post("/invoices/{invoice_id}/forward", responses=DECISION_ERRORS)
def forward(
    invoice_id: RowId,
    body: ForwardIn,
    caller: ClerkCaller,
    session: DbSession,
    if_match: IfMatch = None,
) -> DecisionOut:
    """Hand the invoice to another department."""
    outcome = decisions.forward(
        session,
        caller=caller,
        invoice_id=invoice_id,
        version=version_of(body, if_match),
        department_code=body.department,
        comment=body.comment,
    )
    return DecisionOut.of(outcome)


@router.post("/invoices/{invoice_id}/works", responses=DECISION_ERRORS)
def set_works(
    invoice_id: RowId,
    body: WorksIn,
    caller: ApiCaller,
    session: DbSession,
    if_match: IfMatch = None,
) -> InboxItem:
    """Override whether the invoice is for construction works (40 days to pay)."""
    invoice = decisions.set_works(
        session,
        caller=caller,
        invoice_id=invoice_id,
        version=version_of(body, if_match),
        works=body.works,
    )
    return InboxItem.with_state(
        invoice, repo.current_approvers(session, [invoice.id]).get(invoice.id, [])
    )


@router.get("/invoices/{invoice_id}/routing", responses=responses(401, 404))
def routing(invoice_id: RowId, caller: ApiCaller, session: ReadSession) -> RoutingOut:
    """Which rule placed the invoice in its department, and why."""
    invoice = invoice_repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    routing = decisions.routing_of(invoice)
    return RoutingOut(
        rule=routing.rule,
        department=routing.department,
        buyer_reference=invoice.buyer_reference,
        order_reference=invoice.order_reference,
        explanation_ja=routing.explanation_ja,
        explanation_en=routing.explanation_en,
    )


@router.get("/overdue", responses=responses(401, 403))
def overdue(
    caller: LedgerCaller,
    session: ReadSession,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> list[InvoiceOut]:
    """Unpaid invoices past the statutory payment deadline, most overdue first."""
    rows = repo.overdue(session, clock.today(), limit=limit, offset=offset)
    return [InvoiceOut.of(invoice) for invoice in rows]


@router.post("/delegations", status_code=201, responses=responses(400, 401, 403, 404))
def add_delegation(
    body: DelegationIn, caller: DelegationCaller, session: DbSession
) -> DelegationOut:
    """Name a substitute in one of your departments for a date range (an administrator names
    the delegating `clerk` too)."""
    delegation = delegations.add_delegation(
        session,
        caller=caller,
        substitute=body.substitute,
        department_code=body.department,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        clerk=body.clerk,
    )
    return DelegationOut.model_validate(delegation)


@router.get("/delegations", responses=responses(401, 403))
def list_delegations(caller: DelegationCaller, session: ReadSession) -> list[DelegationOut]:
    """Delegations you gave or received (an administrator: every one, newest 500)."""
    rows = delegations.visible_delegations(session, caller)
    return [DelegationOut.model_validate(d) for d in rows]


@router.delete("/delegations/{delegation_id}", status_code=204, responses=responses(401, 403, 404))
def delete_delegation(
    delegation_id: RowId, caller: DelegationCaller, session: DbSession
) -> Response:
    """Withdraw a delegation you gave (an administrator: any)."""
    delegations.withdraw_delegation(session, caller=caller, delegation_id=delegation_id)
    return Response(status_code=204)
