"""API shapes for the clerk's inbox and decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service import deadlines
from service.amounts import money
from service.deps import MAX_ROW_ID
from service.inbox.service import Outcome, approval_rule
from service.invoices.schemas import PAYMENT_DEADLINE, InvoiceOut
from storage.models import InvoiceRecord, InvoiceStatus

Urgency = Literal["overdue", "due-soon", "ok", "unknown"]
DUE_SOON_DAYS = 7


def urgency(days_left: int | None) -> Urgency:
    """How the inbox colours a row."""
    if days_left is None:
        return "unknown"
    if days_left < 0:
        return "overdue"
    return "due-soon" if days_left <= DUE_SOON_DAYS else "ok"


class InboxItem(InvoiceOut):
    """A pending invoice with its payment clock and approval state."""

    version: int
    payment_deadline: dt.date | None = Field(description=PAYMENT_DEADLINE)
    days_left: int | None
    urgency: Urgency
    approvals: int
    """Approvals of the current amounts (those given before the amounts changed are void)."""
    approvals_needed: int
    highest_amount: Decimal | None
    """The highest total the invoice has shown (document, supplier's and clerks' entries):
    two approvals are needed when it reaches the department's threshold."""
    other_clerk_needed: bool
    """The next approval must come from a clerk who has not approved the current amounts yet:
    one clerk approved and a second is needed, or a clerk entered a total the document does
    not show (that clerk may never be the only approver)."""
    amount_revision: int

    @classmethod
    def with_state(cls, invoice: InvoiceRecord, approvers: Sequence[int]) -> InboxItem:
        """Render an inbox row, given the clerks who approved the current amounts."""
        left = deadlines.days_left(invoice.payment_deadline)
        rule = approval_rule(invoice)
        needed = rule.needed_given(approvers)
        return cls(
            **InvoiceOut.of(invoice).model_dump(),
            version=invoice.version,
            payment_deadline=invoice.payment_deadline,
            days_left=left,
            urgency=urgency(left),
            approvals=len(approvers),
            approvals_needed=needed,
            highest_amount=money(rule.highest, invoice.currency),
            other_clerk_needed=rule.other_than is not None or 0 < len(approvers) < needed,
            amount_revision=invoice.amount_revision,
        )


class InboxPage(BaseModel):
    """One page of the inbox."""

    items: list[InboxItem]
    total: int
    limit: int
    offset: int


class InboxCount(BaseModel):
    """One department's inbox as an administrator sees it: how many invoices wait there."""

    department: str
    name: str
    pending: int


class Versioned(BaseModel):
    """Every decision names the version it was taken on (or sends it as If-Match)."""

    version: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)


class ApproveIn(Versioned):
    """Approve, with an optional comment."""

    comment: str | None = Field(default=None, max_length=2000)


class ReasonIn(Versioned):
    """Return or reject: the reason is required and shown to the supplier."""

    reason: str = Field(min_length=1, max_length=2000)


class ForwardIn(Versioned):
    """Forward to another department."""

    department: str = Field(min_length=1, max_length=64)
    comment: str | None = Field(default=None, max_length=2000)


class WorksIn(Versioned):
    """Override the works setting (40 days) for one invoice; null inherits the department's."""

    works: bool | None


class DecisionOut(BaseModel):
    """The invoice's state after a decision."""

    id: int
    status: InvoiceStatus
    version: int
    action: str
    approvals: int
    approvals_needed: int
    department: str | None
    payment_deadline: dt.date | None = Field(description=PAYMENT_DEADLINE)

    @classmethod
    def of(cls, outcome: Outcome) -> DecisionOut:
        """Render an outcome."""
        invoice = outcome.invoice
        return cls(
            id=invoice.id,
            status=invoice.status,
            version=invoice.version,
            action=outcome.action,
            approvals=outcome.approvals,
            approvals_needed=outcome.approvals_needed,
            department=invoice.department.code if invoice.department else None,
            payment_deadline=invoice.payment_deadline,
        )


class RoutingOut(BaseModel):
    """Why an invoice is in the inbox it is in."""

    rule: str | None
    department: str | None
    buyer_reference: str | None
    order_reference: str | None
    explanation_ja: str | None
    explanation_en: str | None


class DelegationIn(BaseModel):
    """Name a substitute in the same department for a date range."""

    substitute: str = Field(min_length=1, max_length=120)
    department: str = Field(min_length=1, max_length=64)
    starts_on: dt.date
    ends_on: dt.date
    clerk: str | None = Field(
        default=None,
        max_length=120,
        description="The delegating clerk: an administrator names one; a clerk only themself.",
    )


class DelegationOut(BaseModel):
    """A delegation."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    clerk_id: int
    substitute_id: int
    department_id: int
    starts_on: dt.date
    ends_on: dt.date
