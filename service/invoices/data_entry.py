"""Typing in a plain-PDF invoice: values a person confirms, kept beside the untouched original."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.orm import Session

from parsers import registration
from service.auth.principal import Principal
from service.errors import BadRequest, Conflict, Forbidden, NotFound
from storage import audit
from storage.models import Invoice, InvoiceStatus, Role
from storage.repositories import invoices as repo
from storage.repositories.inbox import clear_approvals

EDITABLE = frozenset({InvoiceStatus.PENDING.value, InvoiceStatus.RETURNED.value})


class TaxEntry(BaseModel):
    """Consumption tax for one rate, as printed on the invoice."""

    rate: Decimal = Field(ge=0, le=100)
    taxable_amount: Decimal | None = Field(default=None, ge=0)
    tax_amount: Decimal | None = Field(default=None, ge=0)


class DataEntry(BaseModel):
    """What a person read off a plain PDF (the parser's guesses, confirmed or corrected)."""

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


def enter_data(
    session: Session, *, caller: Principal, invoice_id: int, entry: DataEntry
) -> Invoice:
    """Record data entry for a plain-PDF invoice the caller may see; audited, original untouched.

    Suppliers enter their own (before a clerk looks); clerks confirm or correct, which clears
    ``needs_data_entry`` so the invoice can be approved.
    """
    if caller.role not in (Role.SUPPLIER, Role.CLERK):
        raise Forbidden("only the supplier or a clerk of the department enters data")
    invoice = repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    if invoice.format != "pdf":
        raise BadRequest("only plain PDF invoices take data entry; structured ones carry data")
    if invoice.status not in EDITABLE:
        raise Conflict(f"invoice {invoice_id} is {invoice.status} and can no longer be changed")
    if (
        caller.role is Role.SUPPLIER
        and entry.registration_number
        and entry.registration_number != invoice.supplier.registration_number
    ):
        raise BadRequest("the registration number must be your own")
    before = invoice.data_entry
    invoice.data_entry = {
        **entry.model_dump(mode="json"),
        "entered_by_role": caller.role.value,
    }
    invoice.invoice_number = entry.invoice_number
    invoice.issue_date = entry.issue_date
    invoice.payable_amount = entry.total
    invoice.tax_amount = sum((t.tax_amount or Decimal(0) for t in entry.taxes), Decimal(0))
    invoice.currency = invoice.currency or "JPY"
    invoice.seller_registration_number = entry.registration_number
    if caller.role is Role.CLERK:
        invoice.needs_data_entry = False
    else:  # the supplier changed the figures: a clerk must look again, earlier approvals lapse
        invoice.needs_data_entry = True
        clear_approvals(session, invoice.id)
    invoice.version += 1
    audit.record(
        session,
        actor=caller.actor,
        action="invoice.data_entry",
        entity_type="invoice",
        entity_id=invoice.id,
        details={"before": before, "after": invoice.data_entry},
    )
    session.flush()
    return invoice
