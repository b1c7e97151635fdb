"""Amounts as the API and the exports give them: to their currency's usual decimals.

Shared by every domain that hands an amount on (API shapes of invoices, the inbox and batches;
the CSV and JSON downloads), so no domain borrows another's rounding.
"""

from __future__ import annotations

from decimal import Decimal

ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "ISK", "CLP", "VND", "HUF"})


def money(amount: Decimal | None, currency: str | None) -> Decimal | None:
    """An amount with its currency's usual decimals (JPY none), the same on every database."""
    if amount is None:
        return None
    places = 0 if currency in ZERO_DECIMAL_CURRENCIES and amount == amount.to_integral() else 2
    return amount.quantize(Decimal(1).scaleb(-places))
