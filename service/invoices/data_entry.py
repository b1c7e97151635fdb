"""Typing in an invoice whose document holds no complete data (a plain PDF, Factur-X MINIMUM or
BASIC WL): values a person confirms, kept beside the untouched original."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.orm import Session

from parsers import registration
from service.auth.principal import Principal
from service.deps import MAX_ROW_ID
from service.errors import BadRequest, Conflict, NotFound
from service.invoices import auth
from service.invoices.content import ContentKind, GuessedContent, content_of, kind_of
from storage import audit
from storage.models import InvoiceRecord, InvoiceStatus, Role
from storage.repositories import inbox as inbox_repo
from storage.repositories import invoices as repo

EDITABLE = frozenset({InvoiceStatus.PENDING, InvoiceStatus.RETURNED})


def takes_data_entry(invoice: InvoiceRecord) -> bool:
    """The document holds no complete invoice (a plain PDF, Factur-X MINIMUM or BASIC WL): its
    content is the parser's guesses, and its figures are what a person types in."""
    return kind_of(invoice.format, invoice.profile) is ContentKind.GUESSES


class TaxEntry(BaseModel):
    """Consumption tax for one rate, as printed on the invoice."""

    rate: Decimal = Field(ge=0, le=100)
    taxable_amount: Decimal | None = Field(default=None, ge=0)
    tax_amount: Decimal | None = Field(default=None, ge=0)


class DataEntry(BaseModel):
    """What a person read off a plain PDF (the parser's guesses, confirmed or corrected)."""

    version: int | None = Field(
        default=None, ge=1, le=MAX_ROW_ID, description="the invoice version the entry was made on"
    )
    registration_number: str | None = None
    invoice_number: str = Field(min_length=1, max_length=200)
    issue_date: dt.date
    total: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    taxes: list[TaxEntry] = Field(default_factory=list, max_length=10)

    @field_validator("registration_number")
    @classmethod
    def _registration(cls, value: str | None) -> str | None:
        if not value:
            return None
        normalized = registration.normalize(value)
        if not registration.is_well_formed(normalized):
            raise ValueError("must be T followed by 13 digits")
        return normalized


class DataConfirmation(BaseModel):
    """A clerk's confirmation of the data entered, unchanged, on the version the clerk saw."""

    version: int | None = Field(
        default=None, ge=1, le=MAX_ROW_ID, description="the invoice version the clerk confirmed"
    )


class RecordedEntry(DataEntry):
    """A data entry as the invoice keeps it: what was entered, and by which role."""

    entered_by_role: Role | None = None


def recorded_entry(invoice: InvoiceRecord) -> RecordedEntry | None:
    """The data entry stored on the invoice, typed (None when nobody entered any)."""
    return RecordedEntry.model_validate(invoice.data_entry) if invoice.data_entry else None


def document_total(invoice: InvoiceRecord) -> Decimal | None:
    """The total the document itself shows: a structured invoice's payable amount, or what
    the parser guessed for one that takes data entry (None when it found none)."""
    if not takes_data_entry(invoice):
        return invoice.payable_amount
    content = content_of(invoice)
    return content.guesses.total if isinstance(content, GuessedContent) else None


def highest_shown(invoice: InvoiceRecord) -> Decimal | None:
    """The highest total the invoice has shown anyone: its document, the supplier's and the
    clerks' entries. Whether two approvals are needed is decided on this, so entering a
    lower amount cannot take an invoice under the threshold."""
    shown = [
        amount
        for amount in (invoice.highest_amount, invoice.payable_amount, document_total(invoice))
        if amount is not None
    ]
    return max(shown, default=None)


def entered_differs(invoice: InvoiceRecord) -> bool:
    """A clerk entered a total other than the one the document shows (or the document shows
    none): that clerk alone has vouched for the amount."""
    if invoice.amounts_entered_by_id is None:
        return False
    document = document_total(invoice)
    return document is None or document != invoice.payable_amount


def _stale(invoice: InvoiceRecord, version: int) -> Conflict:
    return Conflict(
        f"invoice {invoice.id} changed meanwhile (version {invoice.version}, you sent {version}); "
        "reload it and enter the data again",
        extra={"current_version": invoice.version},
    )


def _values(caller: Principal, invoice: InvoiceRecord, entry: DataEntry) -> dict[str, Any]:
    """The columns a data entry sets; it starts a new amount revision, which voids approvals
    given before it."""
    clerk = auth.CONFIRMS_DATA.admits(caller)
    highest = highest_shown(invoice)
    return {
        "data_entry": RecordedEntry(
            **entry.model_dump(exclude={"version"}), entered_by_role=caller.role
        ).model_dump(mode="json", exclude={"version"}),
        "invoice_number": entry.invoice_number,
        "issue_date": entry.issue_date,
        "payable_amount": entry.total,
        "tax_amount": sum((t.tax_amount or Decimal(0) for t in entry.taxes), Decimal(0)),
        "currency": invoice.currency or "JPY",
        "seller_registration_number": entry.registration_number,
        # the supplier changed the figures: a clerk must confirm them before any approval
        "needs_data_entry": not clerk,
        "amounts_entered_by_id": caller.user_id if clerk else None,
        "highest_amount": entry.total if highest is None else max(highest, entry.total),
        "amount_revision": InvoiceRecord.amount_revision + 1,
    }


def enter_data(
    session: Session, *, caller: Principal, invoice_id: int, version: int, entry: DataEntry
) -> InvoiceRecord:
    """Record data entry for an invoice that takes it, if the caller may see it; audited,
    original untouched.

    Suppliers enter their own (before a clerk looks); clerks confirm or correct, which clears
    ``needs_data_entry`` so the invoice can be approved. Either way it is a change of the
    amounts: made only on the version the person saw, and approvals given before it lapse.
    """
    auth.ENTERS_DATA.check(caller)
    invoice = repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    if not takes_data_entry(invoice):
        raise BadRequest(
            "only plain PDF and Factur-X MINIMUM / BASIC WL invoices take data entry; "
            "structured ones carry data"
        )
    if invoice.status not in EDITABLE:
        raise Conflict(f"invoice {invoice_id} is {invoice.status} and can no longer be changed")
    if (
        auth.SUBMITS.admits(caller)
        and entry.registration_number
        and entry.registration_number != invoice.supplier.registration_number
    ):
        if not registration.is_valid(entry.registration_number):  # a typo, most likely
            raise BadRequest.said("reg.check_digit_own", number=entry.registration_number)
        raise BadRequest.said(
            "entry.not_own_number", number=invoice.supplier.registration_number or ""
        )
    _refuse_a_number_held_elsewhere(session, invoice, entry)
    before, revision = invoice.data_entry, invoice.amount_revision
    if invoice.version != version or not inbox_repo.change_if_current(
        session, invoice.id, version, statuses=sorted(EDITABLE), **_values(caller, invoice, entry)
    ):
        raise _stale(invoice, version)
    voided = inbox_repo.count_approvals(session, invoice.id, revision)
    audit.record(
        session,
        actor=caller.actor,
        action="invoice.data_entry",
        entity_type="invoice",
        entity_id=invoice.id,
        details={"before": before, "after": invoice.data_entry, "voided_approvals": voided},
    )
    return invoice


def confirm_data(
    session: Session, *, caller: Principal, invoice_id: int, version: int
) -> InvoiceRecord:
    """A clerk confirms the figures the supplier entered, as they are: the invoice no longer
    needs data entry and may be approved. Audited; only on the version the clerk saw.

    The clerk vouches for the amounts as if having typed them (``amounts_entered_by_id``), so
    the rule for a total the document does not show still asks for another clerk's approval.
    The amounts do not change, so approvals stand (none can exist while data entry is due).
    """
    auth.CONFIRMS_DATA.check(caller)
    invoice = repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    if invoice.status != InvoiceStatus.PENDING or not invoice.needs_data_entry:
        raise Conflict.said("entry.nothing_to_confirm", invoice_id=invoice_id)
    if invoice.data_entry is None:
        raise Conflict.said("entry.nothing_entered")
    if invoice.version != version or not inbox_repo.change_if_current(
        session,
        invoice.id,
        version,
        statuses=[InvoiceStatus.PENDING],
        needs_data_entry=False,
        amounts_entered_by_id=caller.user_id,
    ):
        raise _stale(invoice, version)
    audit.record(
        session,
        actor=caller.actor,
        action="invoice.data_confirm",
        entity_type="invoice",
        entity_id=invoice.id,
        details={"confirmed": invoice.data_entry, "version": version},
    )
    return invoice


def _refuse_a_number_held_elsewhere(
    session: Session, invoice: InvoiceRecord, entry: DataEntry
) -> None:
    """One live invoice per supplier, number and issue date: a typed number that another of the
    supplier's invoices holds is named (the database's unique index refuses it anyway)."""
    if not entry.invoice_number:
        return
    holder = repo.same_number(session, invoice.supplier_id, entry.invoice_number, entry.issue_date)
    if holder is not None and holder.id != invoice.id:
        raise Conflict(
            f"invoice {entry.invoice_number} of {entry.issue_date} was already received "
            f"as invoice {holder.id}",
            extra={"existing_id": holder.id},
        )
