# ruff: noqa: RUF002  (the docstrings write yen arithmetic with the multiplication sign)
"""The amounts a draft implies: line net amounts, tax per rate, and the document totals.

The qualified-invoice rules (インボイス制度) allow one rounding of consumption tax per rate per
invoice: tax is computed on the sum of the lines of each rate, never summed from per-line tax.
Line amounts are whole yen, rounded the supplier's way from quantity × unit price less the
line's allowances. Everything is exact decimal arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from parsers.compose.draft import Draft, DraftLine, Rounding, TaxRate

__all__ = ["Amounts", "RateTotal", "amounts", "line_amount", "round_yen"]

_MODES = {Rounding.DOWN: ROUND_FLOOR, Rounding.HALF_UP: ROUND_HALF_UP, Rounding.UP: ROUND_CEILING}
_HUNDRED = Decimal(100)


def round_yen(value: Decimal, rounding: Rounding) -> Decimal:
    """``value`` to whole yen the supplier's way (floor / half up / ceiling, as in 端数処理)."""
    return value.quantize(Decimal(1), rounding=_MODES[rounding])


def line_amount(line: DraftLine, rounding: Rounding) -> Decimal:
    """BT-131: quantity × unit price, rounded to yen, less the line's allowances."""
    gross = round_yen(line.quantity * line.unit_price, rounding)
    return gross - sum((a.amount for a in line.allowances), Decimal(0))


@dataclass(frozen=True, slots=True)
class RateTotal:
    """One tax breakdown row (BG-23): the lines of one rate and their tax, rounded once."""

    tax: TaxRate
    taxable: Decimal
    tax_amount: Decimal


@dataclass(frozen=True, slots=True)
class Amounts:
    """Everything derived from a draft's lines."""

    lines: tuple[Decimal, ...]
    """BT-131 per line, in the draft's order."""
    rates: tuple[RateTotal, ...]
    """BG-23, in the order of :class:`TaxRate`."""
    line_total: Decimal
    tax_total: Decimal
    payable: Decimal


def _rate_totals(
    draft: Draft, line_amounts: Iterable[Decimal], *, registered: bool
) -> tuple[RateTotal, ...]:
    taxable: dict[TaxRate, Decimal] = {}
    for line, amount in zip(draft.lines, line_amounts, strict=True):
        taxable[line.tax] = taxable.get(line.tax, Decimal(0)) + amount
    rows = []
    for rate in TaxRate:
        if rate not in taxable:
            continue
        percent = rate.percent or Decimal(0)
        tax = round_yen(taxable[rate] * percent / _HUNDRED, draft.rounding) if registered else 0
        rows.append(RateTotal(rate, taxable[rate], Decimal(tax)))
    return tuple(rows)


def amounts(draft: Draft) -> Amounts:
    """The draft's amounts. A seller not registered for the qualified invoice charges no
    consumption tax of its own on the invoice, so its tax amounts are zero."""
    line_amounts = tuple(line_amount(line, draft.rounding) for line in draft.lines)
    registered = draft.seller.registration_number is not None
    rates = _rate_totals(draft, line_amounts, registered=registered)
    line_total = sum(line_amounts, Decimal(0))
    tax_total = sum((r.tax_amount for r in rates), Decimal(0))
    return Amounts(line_amounts, rates, line_total, tax_total, line_total + tax_total)
