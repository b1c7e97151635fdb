"""The invoice the form and ``POST /api/v1/compose`` take, named by EN 16931 business terms.

Only what a person decides is here; every amount (BT-131, BG-23, BG-22) is computed by
``parsers.compose``, so a submitted invoice can never state a total its lines contradict. The
same model checks the API's JSON and the form's fields, so the two cannot accept differently.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from parsers.compose import UNITS, Rounding, TaxRate
from parsers.model import Invoice

UNIT_CODES = tuple(u.code for u in UNITS)
MAX_LINES = 100
_UNWRITABLE = frozenset({"Cc", "Cs", "Co", "Cn"})


def _plain(value: str) -> str:
    """Text as an invoice carries it: no control or unassigned characters (XML cannot hold
    them), white space collapsed as a reader would see it; never empty."""
    if any(unicodedata.category(c) in _UNWRITABLE for c in value):
        raise ValueError("contains characters an invoice cannot carry")
    collapsed = " ".join(value.split())
    if not collapsed:
        raise ValueError("is empty")
    return collapsed


Text = Annotated[str, StringConstraints(max_length=200), AfterValidator(_plain)]
LongText = Annotated[str, StringConstraints(max_length=1000), AfterValidator(_plain)]
Text16 = Annotated[str, StringConstraints(max_length=16), AfterValidator(_plain)]
Text40 = Annotated[str, StringConstraints(max_length=40), AfterValidator(_plain)]
Text320 = Annotated[str, StringConstraints(max_length=320), AfterValidator(_plain)]
Digits = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]+$")]
Yen = Annotated[Decimal, Field(ge=0, le=Decimal(10) ** 12, decimal_places=2)]


class Strict(BaseModel):
    """Unknown fields are refused: a misspelt business term must not vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AllowanceIn(Strict):
    """A discount on one line (BG-27)."""

    amount: Annotated[
        Decimal, Field(gt=0, le=Decimal(10) ** 12, decimal_places=0, description="BT-136, yen")
    ]
    reason: Text = Field(default="値引", description="BT-139 allowance reason")


class LineIn(Strict):
    """One invoice line (BG-25); its amount (BT-131) is computed."""

    description: Text = Field(description="BT-153 item name")
    quantity: Annotated[
        Decimal,
        Field(gt=0, le=Decimal(10) ** 7, decimal_places=4, description="BT-129 quantity"),
    ]
    unit: str = Field(
        default="H87",
        description="BT-130 unit of measure, UN/ECE Rec 20: " + ", ".join(UNIT_CODES),
        json_schema_extra={"enum": list(UNIT_CODES)},
    )
    unit_price: Yen = Field(description="BT-146 item net price, yen")
    tax: TaxRate = Field(
        default=TaxRate.STANDARD,
        description="BT-151/BT-152: standard 10 % (S), reduced 8 % (AA), exempt (E), "
        "out_of_scope (O)",
    )
    allowances: list[AllowanceIn] = Field(default=[], max_length=3, description="BG-27")

    @model_validator(mode="after")
    def _known_unit(self) -> LineIn:
        if self.unit not in UNIT_CODES:
            raise ValueError(f"unit must be one of {', '.join(UNIT_CODES)}")
        return self


class PayeeAccountIn(Strict):
    """Where the city pays (BG-17, BT-84 as bank:branch:type:number)."""

    bank_code: Annotated[Digits, StringConstraints(min_length=4, max_length=4)] = Field(
        description="BT-84, first part: the bank's 4-digit code"
    )
    branch_code: Annotated[Digits, StringConstraints(min_length=3, max_length=3)] = Field(
        description="BT-84, second part: the branch's 3-digit code"
    )
    account_type: Annotated[str, Field(pattern=r"^[1249]$")] = Field(
        description="BT-84, third part: 1 普通, 2 当座, 4 貯蓄, 9 その他"
    )
    account_number: Annotated[Digits, StringConstraints(min_length=7, max_length=7)] = Field(
        description="BT-84, last part: the 7-digit account number"
    )
    account_holder: Annotated[str, StringConstraints(max_length=30), AfterValidator(_plain)] = (
        Field(description="BT-85 payment account name, half-width katakana")
    )


class SellerIn(Strict):
    """The seller (BG-4) as stated on this invoice; omitted fields come from the account.

    The registration number (BT-31) is always the account's, never typed.
    """

    name: Text | None = Field(default=None, description="BT-27 seller name")
    corporate_number: Annotated[str | None, Field(pattern=r"^[0-9]{13}$")] = Field(
        default=None,
        description="BT-34 electronic address (scheme 0188, 法人番号) of a seller without a "
        "registration number",
    )
    postal_zone: Text16 | None = Field(default=None, description="BT-38")
    prefecture: Text40 | None = Field(default=None, description="BT-39")
    city: Text | None = Field(default=None, description="BT-37")
    street: Text | None = Field(default=None, description="BT-35")
    building: Text | None = Field(default=None, description="BT-36")
    contact_name: Text | None = Field(default=None, description="BT-41")
    telephone: Text40 | None = Field(default=None, description="BT-42")
    email: Text320 | None = Field(default=None, description="BT-43")
    bank_account: PayeeAccountIn | None = Field(default=None, description="BG-17")


class ComposeIn(Strict):
    """An invoice (380/480) or credit note (381) as the supplier states it."""

    invoice_number: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")
    ] = Field(description="BT-1 invoice number")
    issue_date: dt.date = Field(description="BT-2 issue date")
    credit_note: bool = Field(default=False, description="BT-3: 381 credit note, else invoice")
    due_date: dt.date | None = Field(default=None, description="BT-9 payment due date")
    buyer_reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = (
        Field(default="", description="BT-10 buyer reference: the city department's code")
    )
    purchase_order: Text | None = Field(default=None, description="BT-13 purchase order reference")
    delivery_date: dt.date | None = Field(default=None, description="BT-72 delivery date")
    period_start: dt.date | None = Field(default=None, description="BT-73 period start")
    period_end: dt.date | None = Field(default=None, description="BT-74 period end")
    payment_terms: LongText | None = Field(default=None, description="BT-20 payment terms")
    note: LongText | None = Field(default=None, description="BT-22 invoice note")
    preceding_invoice: Text | None = Field(
        default=None, description="BT-25 preceding invoice reference"
    )
    preceding_issue_date: dt.date | None = Field(
        default=None, description="BT-26 preceding invoice issue date"
    )
    rounding: Rounding | None = Field(
        default=None,
        description="端数処理 of the tax per rate: down (切り捨て), half_up, up; "
        "default: the supplier's setting",
    )
    seller: SellerIn = Field(default=SellerIn(), description="BG-4; omitted: the account's")
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES, description="BG-25")

    @model_validator(mode="after")
    def _consistent(self) -> ComposeIn:
        start = self.period_start or self.delivery_date  # as the period is written (BG-14)
        if start and self.period_end and self.period_end < start:
            raise ValueError("the period's end (BT-74) is before its start (BT-73 or BT-72)")
        if self.credit_note and not self.preceding_invoice:
            raise ValueError("a credit note names the invoice it corrects (BT-25)")
        if not (self.delivery_date or self.period_start or self.period_end):
            raise ValueError("state the delivery date (BT-72) or the period (BT-73, BT-74)")
        for line in self.lines:
            gross = line.quantity * line.unit_price
            if sum(a.amount for a in line.allowances) > gross:
                raise ValueError("a line's allowances exceed its amount")
        return self


def from_invoice(invoice: Invoice) -> dict[str, Any]:
    """The form fields an earlier invoice fills: buyer, lines, terms (not number or dates)."""
    return {
        "buyer_reference": invoice.buyer_reference or "",
        "purchase_order": invoice.order_reference,
        "payment_terms": invoice.payment_terms,
        "note": invoice.notes[0] if invoice.notes else None,
        "lines": [
            {
                "description": line.item_name or "",
                "quantity": line.quantity or Decimal(1),
                "unit": line.unit if line.unit in UNIT_CODES else "H87",
                "unit_price": line.price or Decimal(0),
                "tax": _tax_of(line.tax_category, line.tax_rate),
                "allowances": [
                    {"amount": a.amount, "reason": a.reason or "値引"}
                    for a in line.allowances_charges
                    if not a.is_charge and a.amount
                ],
            }
            for line in invoice.lines
        ],
    }


def _tax_of(category: str | None, rate: Decimal | None) -> TaxRate:
    for tax in TaxRate:
        if tax.category == category and (tax.percent is None or tax.percent == (rate or 0)):
            return tax
    return TaxRate.STANDARD
