"""How invoices read on a page: parties and the data-entry form's values.

Kept apart from the routes so templates get plain, already-formatted values; yen, Tokyo time
and rates are formatted by ``service.formatting``, as on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parsers import registration
from parsers.model import Contact, Guesses, Party, PostalAddress, TaxGuess
from service import forms
from service.errors import BadRequest
from service.invoices.content import GuessedContent, content_of
from service.invoices.data_entry import DataEntry, RecordedEntry, TaxEntry, recorded_entry
from storage.models import InvoiceRecord

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


def _address(address: PostalAddress | None) -> str:
    if address is None:
        return ""
    postal = address.postal_zone and f"〒{address.postal_zone}"
    return _joined(
        [
            postal,
            address.subdivision,
            address.city,
            address.line1,
            address.line2,
            address.line3,
            address.country_code,
        ]
    )


def _contact(contact: Contact | None) -> str:
    return "" if contact is None else _joined([contact.name, contact.telephone, contact.email])


def party(data: Party | None) -> PartyView | None:
    """A party of the canonical model in display form."""
    if data is None:
        return None
    number = data.jp_registration_number
    return PartyView(
        name=data.name or data.trading_name,
        registration_number=number,
        registration_valid=number is not None and registration.is_valid(number),
        address=_address(data.address),
        contact=_contact(data.contact),
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


def _plain(amount: Decimal | None) -> str:
    """A stored amount without trailing ``.00`` (people type yen as whole numbers)."""
    if amount is None:
        return ""
    return f"{amount:f}" if amount != amount.to_integral() else f"{amount.to_integral():f}"


def _prefill(invoice: InvoiceRecord) -> RecordedEntry | Guesses:
    """What was entered before, else what the parser guessed (empty when it guessed nothing)."""
    entered = recorded_entry(invoice)
    if entered is not None:
        return entered
    content = content_of(invoice)
    return content.guesses if isinstance(content, GuessedContent) else Guesses()


def entry_form(invoice: InvoiceRecord) -> EntryForm:
    """Prefill: what was entered before, else what the parser guessed from the PDF."""
    source = _prefill(invoice)
    taxes: dict[Decimal, TaxEntry | TaxGuess] = {t.rate: t for t in source.taxes}
    ten, eight = taxes.get(RATES[0]), taxes.get(RATES[1])
    return EntryForm(
        registration_number=source.registration_number
        or invoice.seller_registration_number
        or invoice.supplier.registration_number
        or "",
        invoice_number=source.invoice_number or "",
        issue_date=source.issue_date.isoformat() if source.issue_date else "",
        total=_plain(source.total),
        taxable_10=_plain(ten.taxable_amount if ten else None),
        tax_10=_plain(ten.tax_amount if ten else None),
        taxable_8=_plain(eight.taxable_amount if eight else None),
        tax_8=_plain(eight.tax_amount if eight else None),
        version=str(invoice.version),
    )


def to_entry(form: EntryForm) -> DataEntry:
    """The form as the service's ``DataEntry``; an amount that is none is refused in the
    reader's words (``BadRequest``), any other mistake by pydantic's ValidationError."""
    for typed in (form.total, form.taxable_10, form.tax_10, form.taxable_8, form.tax_8):
        try:
            forms.amount(typed)
        except forms.FormValueError as exc:
            raise BadRequest.said(exc.key, value=exc.value) from None
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
