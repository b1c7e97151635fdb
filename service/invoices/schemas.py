"""API shapes for invoices: what a supplier, clerk or accountant sees of one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from parsers import Result
from service import deadlines
from service.amounts import money
from service.invoices.history import HistoryEntry
from storage.models import FindingRecord, InvoiceRecord, InvoiceStatus


class FindingOut(BaseModel):
    """One problem, with its official rule id and messages in Japanese and English."""

    model_config = ConfigDict(from_attributes=True)
    """Read from a parser finding or a recorded one."""

    rule_id: str
    severity: str
    message_en: str
    message_ja: str
    location: str | None = None
    business_term: str | None = None


CLERK_FLAG_RULES = ("JP-JURYO-", "JURYO-INTAKE-")
"""juryo's own rules, beyond the official artefacts: they never refuse an invoice the official
rules accept; a finding of one flags the invoice for the clerk instead."""


def clerk_flags(findings: Iterable[FindingRecord]) -> list[str]:
    """The ids of juryo's own rules an invoice's findings name, once each: what the clerk checks."""
    return sorted({f.rule_id for f in findings if f.rule_id.startswith(CLERK_FLAG_RULES)})


PAYMENT_DEADLINE = (
    "支払期限: the statutory last day for the city to pay (支払遅延防止法), counted from receipt "
    "(30 days, 40 for works), without the days spent returned; not the invoice's own due date "
    "(`due_date`, BT-9)"
)
"""How the API describes ``payment_deadline`` wherever it shows it."""


class SupplierRef(BaseModel):
    """The sending supplier."""

    registration_number: str | None
    name: str


class InvoiceOut(BaseModel):
    """An invoice as listed and as acknowledged on upload."""

    id: int
    status: InvoiceStatus
    format: str
    profile: str
    document_type: str
    invoice_number: str | None
    issue_date: dt.date | None
    due_date: dt.date | None = Field(
        description="支払期日: the due date the invoice itself states (BT-9), if any; not the "
        "statutory payment deadline (see `payment_deadline` on one invoice)"
    )
    payable_amount: Decimal | None
    tax_amount: Decimal | None
    currency: str | None
    department: str | None
    supplier: SupplierRef
    sha256: str
    received_at: dt.datetime
    needs_data_entry: bool
    preceding_invoice_id: int | None = Field(
        description="the invoice a credit note corrects (its BT-25), when juryo received it"
    )
    replaces_invoice_id: int | None = Field(
        description="the returned invoice this one was sent to correct"
    )
    replaced_by_id: int | None = Field(
        default=None,
        description="the corrected invoice that replaces this returned one (one you may see)",
    )
    paid_on: dt.date | None
    findings: list[FindingOut]
    flags: list[str]
    """juryo's own rules (``CLERK_FLAG_RULES``) among the findings: flagged for the clerk."""

    @classmethod
    def of(cls, invoice: InvoiceRecord, replaced_by: int | None = None) -> InvoiceOut:
        """Render a recorded invoice (``replaced_by``: its correction, for a returned one)."""
        return cls(**_common(invoice), replaced_by_id=replaced_by)


class HistoryEventOut(BaseModel):
    """One step in an invoice's life."""

    at: dt.datetime
    action: str
    actor_role: str
    reason: str | None
    """Return and reject reasons for everyone; other comments for city staff only."""
    internal: bool = False
    """The reason is a comment for city staff only (suppliers never receive one)."""


class InvoiceDetail(InvoiceOut):
    """One invoice with its content, data entry and history."""

    version: int
    payment_deadline: dt.date | None = Field(description=PAYMENT_DEADLINE)
    days_left: int | None = Field(
        description="days from today in Tokyo to `payment_deadline` (negative: overdue); null "
        "when the city owes no payment now (not pending, approved or sent for payment)"
    )
    routing_rule: str | None
    content: dict[str, Any] | None
    data_entry: dict[str, Any] | None
    history: list[HistoryEventOut]

    @classmethod
    def with_history(
        cls,
        invoice: InvoiceRecord,
        events: Sequence[HistoryEntry],
        replaced_by: int | None = None,
    ) -> InvoiceDetail:
        """Render an invoice and its audit trail (roles only: people stay anonymous)."""
        return cls(
            **_common(invoice),
            replaced_by_id=replaced_by,
            version=invoice.version,
            payment_deadline=invoice.payment_deadline,
            days_left=days_left(invoice),
            routing_rule=invoice.routing_rule,
            content=invoice.content,
            data_entry=invoice.data_entry,
            history=[
                HistoryEventOut(
                    at=e.occurred_at,
                    action=e.action,
                    actor_role=e.actor_role,
                    reason=e.reason,
                    internal=e.internal,
                )
                for e in events
            ],
        )


OWED = frozenset({InvoiceStatus.PENDING, InvoiceStatus.APPROVED, InvoiceStatus.EXPORTED})
"""The statuses in which the city still owes the payment, so the statutory clock runs."""


def days_left(invoice: InvoiceRecord) -> int | None:
    """Days to the statutory deadline on Tokyo's today, for an invoice the city still owes."""
    if invoice.status not in OWED:
        return None
    return deadlines.days_left(invoice.payment_deadline)


def _common(invoice: InvoiceRecord) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "status": invoice.status,
        "format": invoice.format,
        "profile": invoice.profile,
        "document_type": invoice.document_type,
        "invoice_number": invoice.invoice_number,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "payable_amount": money(invoice.payable_amount, invoice.currency),
        "tax_amount": money(invoice.tax_amount, invoice.currency),
        "currency": invoice.currency,
        "department": invoice.department.code if invoice.department else None,
        "supplier": SupplierRef(
            registration_number=invoice.supplier.registration_number, name=invoice.supplier.name
        ),
        "sha256": invoice.original.sha256,
        "received_at": invoice.received_at,
        "needs_data_entry": invoice.needs_data_entry,
        "preceding_invoice_id": invoice.preceding_invoice_id,
        "replaces_invoice_id": invoice.replaces_invoice_id,
        "paid_on": invoice.paid_on,
        "findings": [FindingOut.model_validate(f) for f in invoice.findings],
        "flags": clerk_flags(invoice.findings),
    }


class InvoicePage(BaseModel):
    """One page of a search."""

    items: list[InvoiceOut]
    total: int = Field(description="hits, counted up to 10,000")
    total_is_capped: bool = Field(
        description="true when there are more than 10,000 hits (`total` is then 10,000)"
    )
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null on the last page"
    )
    limit: int
    offset: int


class RuleSetOut(BaseModel):
    """A rule set that judged the document, at the release juryo runs."""

    name: str = Field(examples=["en16931"])
    version: str = Field(examples=["1.3.16"])


class ValidationOut(BaseModel):
    """A dry run's verdict: nothing was stored."""

    valid: bool
    format: str
    profile: str
    invoice_number: str | None
    payable_amount: Decimal | None
    currency: str | None
    findings: list[FindingOut]
    rule_sets: list[RuleSetOut]
    """The rule sets that ran, in order (none for a plain PDF or unreadable XML)."""

    @classmethod
    def of(cls, result: Result) -> ValidationOut:
        """Render a parser result."""
        invoice = result.invoice
        return cls(
            valid=result.acceptable,
            format=result.format.value,
            profile=result.profile.value,
            invoice_number=invoice.number if invoice else None,
            payable_amount=invoice.totals.payable if invoice else None,
            currency=invoice.currency if invoice else None,
            findings=[FindingOut.model_validate(f) for f in result.findings],
            rule_sets=[RuleSetOut(name=r.name, version=r.version) for r in result.rule_sets],
        )


class ConflictOut(BaseModel):
    """409: the same invoice number was received with other content."""

    error: str
    detail: str
    existing_id: int
