"""How values read for people, on every page: yen, Tokyo time, tax rates.

Shared by every domain's pages (invoices, inbox, accounting, accounts), so the formatting rules
(JPY without decimals, times in Asia/Tokyo) live in one place and no domain borrows another's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from parsers.compose.units import unit
from service.clock import TOKYO


def decimal(value: Decimal | str | int | None) -> Decimal | None:
    """A number as written in a document or a form, or None when it is not one."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money(value: Decimal | str | int | None, currency: str | None = "JPY") -> str:
    """``16,150`` for yen (no decimals), ``1,234.50 EUR`` for other currencies."""
    amount = decimal(value)
    if amount is None:
        return ""
    if currency in (None, "JPY") and amount == amount.to_integral():
        return f"¥{amount:,.0f}"
    return f"{amount:,.2f} {currency or ''}".strip()


def tokyo(when: dt.datetime | None) -> str:
    """A timestamp as people in the city hall read it."""
    return when.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M") if when else ""


def percent(value: Decimal | str | None) -> str:
    """``10%`` rather than ``10.00``."""
    rate = decimal(value)
    return "" if rate is None else f"{rate.normalize():f}%"


def unit_name(code: str | None, lang: str) -> str:
    """A quantity's unit as people say it (``H87`` → 個 / piece); a code juryo does not name
    is shown as sent."""
    known = unit(code or "")
    if known is None:
        return code or ""
    return known.ja if lang == "ja" else known.en
