"""Writing an invoice for a supplier: a :class:`Draft` in, JP PINT UBL 2.1 out.

The web form and ``POST /api/v1/compose`` fill a draft; :func:`compose` computes every amount
(one tax rounding per rate, as the qualified-invoice rules require) and writes the XML, which
then goes through the same validation and intake as any upload::

    from parsers.compose import compose
    xml = compose(draft)
"""

from parsers.compose.amounts import Amounts, RateTotal, amounts, line_amount
from parsers.compose.draft import (
    Address,
    BankAccount,
    Buyer,
    Draft,
    DraftLine,
    Endpoint,
    LineAllowance,
    PrecedingInvoice,
    Rounding,
    Seller,
    TaxRate,
)
from parsers.compose.ubl import BILLING, NON_REGISTERED, compose
from parsers.compose.units import UNITS, Unit

__all__ = [
    "BILLING",
    "NON_REGISTERED",
    "UNITS",
    "Address",
    "Amounts",
    "BankAccount",
    "Buyer",
    "Draft",
    "DraftLine",
    "Endpoint",
    "LineAllowance",
    "PrecedingInvoice",
    "RateTotal",
    "Rounding",
    "Seller",
    "TaxRate",
    "Unit",
    "amounts",
    "compose",
    "line_amount",
]
