"""How invoices read on a page: parties and the data-entry form's values.

Kept apart from the routes so templates get plain, already-formatted values; yen, Tokyo time
and rates are formatted by ``service.formatting``, as on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parsers import registration
from service import forms
from service.formatting import decimal
from service.invoices.data_entry import DataEntry, TaxEntry
from storage.models import Invoice

RATES = (Decimal(10), Decimal(8))
"""The consumption tax rates a Japanese invoice shows: standard and reduced (軽減税率)."""


@dataclass(frozen=True, slots=True)
class PartyView:
    """A seller or buyer as shown: name, registration number and whether it checks out."""

    name: str | None
    registration_number: str | None
    registration_valid: bool
    address: str
    contact: str


def _joined(values: list[Any], separator: str = " ") -> str:
    return separator.join(str(v) for v in values if v)


def party(data: dict[str, Any] | None) -> PartyView | None:
    """A party of the canonical model (as stored JSON) in display form."""
    if not data:
        return None
    number = data.get("jp_registration_number")
    address = data.get("address") or {}
    contact = data.get("contact") or {}
    return PartyView(
        name=data.get("name") or data.get("trading_name"),
        registration_number=number,
        registration_valid=isinstance(number, str) and registration.is_valid(number),
        address=_joined(
            [
                address.get("postal_zone") and f"〒{address['postal_zone']}",
                address.get("subdivision"),
                address.get("city"),
                address.get("line1"),
                address.get("line2"),
                address.get("line3"),
                address.get("country_code"),
            ]
        ),
        contact=_joined([contact.get("name"), contact.get("telephone"), contact.get("email")]),
    )


@dataclass(frozen=True, slots=True)
class EntryForm:
    """The data-entry form's field values, as strings a person can correct."""

    registration_number: str = ""
    invoice_number: str = ""
    issue_date: str = ""
    total: str = ""
    taxable_10: str = ""
    tax_10: str = ""
    taxable_8: str = ""
    tax_8: str = ""
    version: str = ""
    """The invoice version the form was filled in on: saving it over a newer one is refused."""


def _plain(value: Any) -> str:
    """A stored amount without trailing ``.00`` (people type yen as whole numbers)."""
    amount = decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    return f"{amount:f}" if amount != amount.to_integral() else f"{amount.to_integral():f}"


def entry_form(invoice: Invoice) -> EntryForm:
    """Prefill: what was entered before, else what the parser guessed from the PDF."""
    source = invoice.data_entry or invoice.content or {}
    taxes = {decimal(t.get("rate")): t for t in source.get("taxes") or []}
    ten, eight = taxes.get(Decimal(10)) or {}, taxes.get(Decimal(8)) or {}
    return EntryForm(
        registration_number=source.get("registration_number")
        or invoice.seller_registration_number
        or invoice.supplier.registration_number
        or "",
        invoice_number=source.get("invoice_number") or "",
        issue_date=source.get("issue_date") or "",
        total=_plain(source.get("total")),
        taxable_10=_plain(ten.get("taxable_amount")),
        tax_10=_plain(ten.get("tax_amount")),
        taxable_8=_plain(eight.get("taxable_amount")),
        tax_8=_plain(eight.get("tax_amount")),
        version=str(invoice.version),
    )


def to_entry(form: EntryForm) -> DataEntry:
    """The form as the service's ``DataEntry``; raises pydantic's ValidationError when wrong."""
    taxes = []
    for rate, taxable, tax in (
        (RATES[0], form.taxable_10, form.tax_10),
        (RATES[1], form.taxable_8, form.tax_8),
    ):
        taxable_text, tax_text = forms.amount_text(taxable), forms.amount_text(tax)
        if taxable_text or tax_text:
            taxes.append(
                TaxEntry.model_validate(
                    {"rate": rate, "taxable_amount": taxable_text, "tax_amount": tax_text}
                )
            )
    return DataEntry.model_validate(
        {
            "registration_number": form.registration_number.strip() or None,
            "invoice_number": form.invoice_number.strip(),
            "issue_date": form.issue_date.strip(),
            "total": forms.amount_text(form.total),
            "taxes": taxes,
        }
    )
