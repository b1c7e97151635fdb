"""What a supplier states on the web form, as frozen data: the input of :func:`compose`.

Only what a person decides is here. Everything the invoice can derive (line amounts, tax per
rate, totals, the JP PINT variant, the type code) is computed by
:mod:`parsers.compose.amounts` and written by :mod:`parsers.compose.ubl`, so that a draft can
never state a total that disagrees with its lines. Money is :class:`~decimal.Decimal` in yen.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Address",
    "BankAccount",
    "Buyer",
    "Draft",
    "DraftLine",
    "Endpoint",
    "LineAllowance",
    "PrecedingInvoice",
    "Rounding",
    "Seller",
    "TaxRate",
]


class TaxRate(enum.StrEnum):
    """The consumption-tax treatments a line can have, with their UNCL 5305 category."""

    STANDARD = "standard"
    """10 % (category S)."""
    REDUCED = "reduced"
    """8 %, food and newspapers (category AA)."""
    EXEMPT = "exempt"
    """非課税 (category E, 0 %)."""
    OUT_OF_SCOPE = "out_of_scope"
    """不課税 (category O): no tax rate at all."""

    @property
    def category(self) -> str:
        return _CATEGORY[self]

    @property
    def percent(self) -> Decimal | None:
        """The rate in per cent; ``None`` for out of scope, which states none."""
        return _PERCENT[self]


_CATEGORY = {
    TaxRate.STANDARD: "S",
    TaxRate.REDUCED: "AA",
    TaxRate.EXEMPT: "E",
    TaxRate.OUT_OF_SCOPE: "O",
}
_PERCENT = {
    TaxRate.STANDARD: Decimal(10),
    TaxRate.REDUCED: Decimal(8),
    TaxRate.EXEMPT: Decimal(0),
    TaxRate.OUT_OF_SCOPE: None,
}


class Rounding(enum.StrEnum):
    """How the supplier rounds yen fractions: once per tax rate, and per line amount."""

    DOWN = "down"
    """切り捨て, the usual choice and the default."""
    HALF_UP = "half_up"
    """四捨五入."""
    UP = "up"
    """切り上げ."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A Peppol electronic address (BT-34 / BT-49): scheme (EAS code) and identifier."""

    scheme: str
    value: str


@dataclass(frozen=True, slots=True)
class Address:
    """A Japanese postal address (BG-5 / BG-8); the country is always JP."""

    postal_zone: str | None = None
    prefecture: str | None = None
    city: str | None = None
    street: str | None = None
    building: str | None = None


@dataclass(frozen=True, slots=True)
class BankAccount:
    """Where the city pays (BG-17): a Japanese bank account, as Zengin names it."""

    bank_code: str
    """4 digits."""
    branch_code: str
    """3 digits."""
    account_type: str
    """1 普通, 2 当座, 4 貯蓄."""
    account_number: str
    """7 digits."""
    holder: str
    """口座名義, in half-width katakana as the bank holds it."""


@dataclass(frozen=True, slots=True)
class Seller:
    """The supplier (BG-4), pre-filled from its account."""

    name: str
    endpoint: Endpoint
    registration_number: str | None
    """``T`` + 13 digits; ``None`` for a business not registered for the qualified invoice
    (免税事業者), which gets the JP PINT variant for non-registered sellers."""
    address: Address = Address()
    contact_name: str | None = None
    telephone: str | None = None
    email: str | None = None
    bank_account: BankAccount | None = None


@dataclass(frozen=True, slots=True)
class Buyer:
    """The city (BG-7): its name and address, and the department the invoice is for."""

    name: str
    endpoint: Endpoint
    department_reference: str
    """BT-10 buyer reference: the department code, so routing needs no guess."""
    purchase_order: str | None = None
    """BT-13, when the work was ordered with one."""
    address: Address = Address()


@dataclass(frozen=True, slots=True)
class LineAllowance:
    """A discount on one line (BG-27), in yen."""

    amount: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class DraftLine:
    """One invoice line (BG-25) as the supplier types it."""

    description: str
    quantity: Decimal
    unit_code: str
    """UN/ECE Rec 20 code, chosen by its Japanese name (see :mod:`parsers.compose.units`)."""
    unit_price: Decimal
    """Net price per unit in yen (BT-146); may have a fraction, the line amount has none."""
    tax: TaxRate
    allowances: tuple[LineAllowance, ...] = ()


@dataclass(frozen=True, slots=True)
class PrecedingInvoice:
    """BG-3: the invoice a credit note or a corrected invoice refers to."""

    number: str
    issue_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """A whole invoice or credit note, as the supplier states it."""

    number: str
    issue_date: dt.date
    seller: Seller
    buyer: Buyer
    lines: tuple[DraftLine, ...]
    credit_note: bool = False
    rounding: Rounding = Rounding.DOWN
    due_date: dt.date | None = None
    delivery_date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    payment_terms: str | None = None
    note: str | None = None
    preceding: PrecedingInvoice | None = None
