"""Typed amounts and dates, as people write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from service import forms


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1,000,000", Decimal(1_000_000)),
        ("¥16,150", Decimal(16_150)),
        ("１６，１５０円", Decimal(16_150)),
        (" 2_000 ", Decimal(2_000)),
        ("12.50", Decimal("12.50")),
        ("", None),
        (None, None),
    ],
)
def test_amounts(typed: str | None, value: Decimal | None) -> None:
    assert forms.amount(typed) == value


@pytest.mark.parametrize("typed", ["abc", "1e999x", "NaN", "Infinity", "--1"])
def test_not_amounts(typed: str) -> None:
    with pytest.raises(forms.FormValueError, match="is not an amount"):
        forms.amount(typed)


def test_dates() -> None:
    assert forms.date("2026-11-26") == dt.date(2026, 11, 26)
    assert forms.date("２０２６-１１-２６") == dt.date(2026, 11, 26)
    assert forms.date("  ") is None
    with pytest.raises(forms.FormValueError, match="YYYY-MM-DD"):
        forms.date("26/11/2026")
