"""The canonical invoice: EN 16931's semantic model as frozen data, whatever the syntax.

Readers (``ubl``, ``cii``) fill it tolerantly: anything missing or unreadable is ``None`` and the
validation layer reports it. Amounts are ``Decimal``, never ``float``; collections are tuples so a
read invoice can be shared between threads and hashed. BT/BG ids follow EN 16931-1.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal


class DocumentKind(enum.StrEnum):
    """Invoice or credit note: the root element, independent of the BT-3 type code."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit-note"


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier with its optional scheme (e.g. ``0188`` for a Japanese corporate number)."""

    value: str
    scheme: str | None = None


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """BG-5 / BG-8: a party's postal address."""

    line1: str | None = None
    """BT-35 / BT-50."""
    line2: str | None = None
    """BT-36 / BT-51."""
    line3: str | None = None
    """BT-162 / BT-163."""
    city: str | None = None
    """BT-37 / BT-52."""
    postal_zone: str | None = None
    """BT-38 / BT-53."""
    subdivision: str | None = None
    """BT-39 / BT-54 (都道府県 in Japan)."""
    country_code: str | None = None
    """BT-40 / BT-55, ISO 3166-1 alpha-2."""


@dataclass(frozen=True, slots=True)
class Contact:
    """BG-6 / BG-9: who to call about the invoice."""

    name: str | None = None
    """BT-41 / BT-56."""
    telephone: str | None = None
    """BT-42 / BT-57."""
    email: str | None = None
    """BT-43 / BT-58."""


@dataclass(frozen=True, slots=True)
class Party:
    """BG-4 seller or BG-7 buyer."""

    name: str | None = None
    """BT-27 / BT-44: legal (registration) name."""
    trading_name: str | None = None
    """BT-28 / BT-45."""
    identifiers: tuple[Identifier, ...] = ()
    """BT-29 / BT-46: party identifiers."""
    legal_id: Identifier | None = None
    """BT-30 / BT-47: legal registration identifier (e.g. 法人番号)."""
    vat_id: str | None = None
    """BT-31 / BT-48: VAT (consumption tax) identifier."""
    tax_registration_id: str | None = None
    """BT-32: tax registration identifier other than VAT (seller only)."""
    jp_registration_number: str | None = None
    """The 適格請求書発行事業者登録番号 (``T`` + 13 digits) when one of the tax ids is one."""
    electronic_address: Identifier | None = None
    """BT-34 / BT-49 with scheme BT-34-1 / BT-49-1 (Peppol endpoint)."""
    address: PostalAddress | None = None
    """BG-5 / BG-8."""
    contact: Contact | None = None
    """BG-6 / BG-9."""


@dataclass(frozen=True, slots=True)
class Period:
    """BG-14 invoicing period, or BG-26 line period."""

    start: dt.date | None = None
    """BT-73 / BT-134."""
    end: dt.date | None = None
    """BT-74 / BT-135."""


@dataclass(frozen=True, slots=True)
class PaymentAccount:
    """BG-17 credit transfer: where the money goes."""

    account_id: str | None = None
    """BT-84: IBAN or, in Japan, bank account number."""
    name: str | None = None
    """BT-85: account name (口座名義)."""
    bank_id: str | None = None
    """BT-86: payment service provider (bank / branch code)."""
    bank_name: str | None = None
    """The bank or branch name where the document gives one (JP PINT, CII extended)."""


@dataclass(frozen=True, slots=True)
class PaymentMeans:
    """BG-16 payment instructions."""

    code: str | None = None
    """BT-81: UNCL 4461 payment means code."""
    text: str | None = None
    """BT-82."""
    payment_id: str | None = None
    """BT-83: remittance information."""
    accounts: tuple[PaymentAccount, ...] = ()
    """BG-17."""
    card_number: str | None = None
    """BT-87: primary account number, as given (normally masked)."""
    mandate_id: str | None = None
    """BT-89: direct debit mandate reference."""
    debited_account: str | None = None
    """BT-91: direct debit account."""


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """BG-20 document allowance or BG-21 document charge (also BG-27/28 on lines)."""

    is_charge: bool
    amount: Decimal | None = None
    """BT-92 / BT-99."""
    base_amount: Decimal | None = None
    """BT-93 / BT-100."""
    percent: Decimal | None = None
    """BT-94 / BT-101."""
    tax_category: str | None = None
    """BT-95 / BT-102."""
    tax_rate: Decimal | None = None
    """BT-96 / BT-103."""
    reason: str | None = None
    """BT-97 / BT-104."""
    reason_code: str | None = None
    """BT-98 / BT-105."""


@dataclass(frozen=True, slots=True)
class TaxSubtotal:
    """BG-23 tax breakdown for one category and rate."""

    category: str | None = None
    """BT-118: UNCL 5305 code (``S``, ``Z``, ``E``, ``AA`` …)."""
    rate: Decimal | None = None
    """BT-119."""
    taxable_amount: Decimal | None = None
    """BT-116."""
    tax_amount: Decimal | None = None
    """BT-117."""
    exemption_reason: str | None = None
    """BT-120."""
    exemption_reason_code: str | None = None
    """BT-121."""


@dataclass(frozen=True, slots=True)
class Totals:
    """BG-22 document totals."""

    line_total: Decimal | None = None
    """BT-106: sum of line net amounts."""
    allowance_total: Decimal | None = None
    """BT-107."""
    charge_total: Decimal | None = None
    """BT-108."""
    tax_exclusive: Decimal | None = None
    """BT-109."""
    tax_total: Decimal | None = None
    """BT-110: total tax in the document currency."""
    tax_total_in_tax_currency: Decimal | None = None
    """BT-111: total tax in the tax accounting currency (BT-6)."""
    tax_inclusive: Decimal | None = None
    """BT-112."""
    prepaid: Decimal | None = None
    """BT-113."""
    rounding: Decimal | None = None
    """BT-114."""
    payable: Decimal | None = None
    """BT-115: what the city actually owes."""


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """BG-25 invoice line."""

    id: str | None = None
    """BT-126."""
    quantity: Decimal | None = None
    """BT-129."""
    unit: str | None = None
    """BT-130: UN/ECE rec 20 unit code."""
    net_amount: Decimal | None = None
    """BT-131."""
    item_name: str | None = None
    """BT-153."""
    item_description: str | None = None
    """BT-154."""
    price: Decimal | None = None
    """BT-146: item net price."""
    price_base_quantity: Decimal | None = None
    """BT-149."""
    tax_category: str | None = None
    """BT-151."""
    tax_rate: Decimal | None = None
    """BT-152."""
    note: str | None = None
    """BT-127."""
    period: Period | None = None
    """BG-26."""
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    """BG-27 / BG-28."""


@dataclass(frozen=True, slots=True)
class PrecedingInvoice:
    """BG-3 reference to an earlier invoice (credit notes, corrections)."""

    number: str | None = None
    """BT-25."""
    issue_date: dt.date | None = None
    """BT-26."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """BG-24 supporting document: described, never carried (bytes stay in the original)."""

    id: str | None = None
    """BT-122."""
    description: str | None = None
    """BT-123."""
    uri: str | None = None
    """BT-124: external location."""
    filename: str | None = None
    """BT-125-2."""
    mime_type: str | None = None
    """BT-125-1."""
    size: int | None = None
    """Decoded size in bytes of the embedded object, if any."""


@dataclass(frozen=True, slots=True)
class Invoice:
    """One invoice or credit note as EN 16931 sees it."""

    kind: DocumentKind
    number: str | None = None
    """BT-1."""
    type_code: str | None = None
    """BT-3: UNCL 1001 (``380`` invoice, ``381`` credit note …)."""
    issue_date: dt.date | None = None
    """BT-2."""
    due_date: dt.date | None = None
    """BT-9."""
    tax_point_date: dt.date | None = None
    """BT-7."""
    currency: str | None = None
    """BT-5."""
    tax_currency: str | None = None
    """BT-6."""
    customization_id: str | None = None
    """BT-24: specification identifier."""
    business_process: str | None = None
    """BT-23."""
    notes: tuple[str, ...] = ()
    """BT-22."""
    buyer_reference: str | None = None
    """BT-10 (Leitweg-ID in Germany; the city's department code here)."""
    order_reference: str | None = None
    """BT-13: purchase order reference."""
    contract_reference: str | None = None
    """BT-12."""
    project_reference: str | None = None
    """BT-11."""
    seller: Party = field(default_factory=Party)
    """BG-4."""
    buyer: Party = field(default_factory=Party)
    """BG-7."""
    period: Period | None = None
    """BG-14."""
    payment_means: tuple[PaymentMeans, ...] = ()
    """BG-16."""
    payment_terms: str | None = None
    """BT-20."""
    lines: tuple[InvoiceLine, ...] = ()
    """BG-25."""
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    """BG-20 / BG-21."""
    tax_breakdown: tuple[TaxSubtotal, ...] = ()
    """BG-23, in the document currency."""
    totals: Totals = field(default_factory=Totals)
    """BG-22."""
    preceding_invoices: tuple[PrecedingInvoice, ...] = ()
    """BG-3."""
    attachments: tuple[Attachment, ...] = ()
    """BG-24."""
    guessed: bool = False
    """True when the values were guessed from a plain PDF and a person must confirm them."""

    @property
    def allowances(self) -> tuple[AllowanceCharge, ...]:
        """BG-20 document-level allowances."""
        return tuple(ac for ac in self.allowances_charges if not ac.is_charge)

    @property
    def charges(self) -> tuple[AllowanceCharge, ...]:
        """BG-21 document-level charges."""
        return tuple(ac for ac in self.allowances_charges if ac.is_charge)


@dataclass(frozen=True, slots=True)
class TaxGuess:
    """Taxable amount and tax for one rate, as read from a plain PDF's text."""

    rate: Decimal
    taxable_amount: Decimal | None = None
    tax_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Guesses:
    """What could be read from a plain PDF's text (or an incomplete invoice's XML); every value
    needs a person's confirmation."""

    registration_number: str | None = None
    """Seller's ``T`` + 13 digit number, normalised."""
    invoice_number: str | None = None
    issue_date: dt.date | None = None
    total: Decimal | None = None
    """Amount due including tax."""
    currency: str | None = None
    taxes: tuple[TaxGuess, ...] = ()
    text_found: bool = False
    """False when the PDF has no extractable text (a scan): nothing could be guessed."""

    @classmethod
    def of(cls, invoice: Invoice) -> Guesses:
        """What an incomplete invoice (Factur-X MINIMUM, BASIC WL) says, to prefill data entry.

        Its header is structured but it is not a full invoice, so a person confirms it as they
        would the text of a plain PDF.
        """
        seller = invoice.seller
        return cls(
            registration_number=seller.jp_registration_number
            or seller.vat_id
            or seller.tax_registration_id,
            invoice_number=invoice.number,
            issue_date=invoice.issue_date,
            total=invoice.totals.payable,
            currency=invoice.currency,
            taxes=tuple(
                TaxGuess(rate=t.rate, taxable_amount=t.taxable_amount, tax_amount=t.tax_amount)
                for t in invoice.tax_breakdown
                if t.rate is not None
            ),
            text_found=True,
        )

    def as_invoice(self) -> Invoice:
        """A draft ``Invoice`` (``guessed=True``) to prefill a data-entry form."""
        return Invoice(
            kind=DocumentKind.INVOICE,
            number=self.invoice_number,
            issue_date=self.issue_date,
            currency=self.currency,
            seller=Party(
                vat_id=self.registration_number,
                jp_registration_number=self.registration_number,
            ),
            tax_breakdown=tuple(
                TaxSubtotal(rate=t.rate, taxable_amount=t.taxable_amount, tax_amount=t.tax_amount)
                for t in self.taxes
            ),
            totals=Totals(payable=self.total, tax_inclusive=self.total),
            guessed=True,
        )
