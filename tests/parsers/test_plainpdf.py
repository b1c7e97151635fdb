"""Guessing from a plain PDF's text (Japanese at the function level; PDFs here are ASCII)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from parsers import plainpdf
from parsers.model import DocumentKind, TaxGuess

JAPANESE_INVOICE = """\
請求書
株式会社ジュウリョウ文具
登録番号：Ｔ７１２３－４５６７－８９０１２
請求書番号: JRY-2026-0001
請求日 令和8年11月26日
ご請求金額 ￥16,150-
10%対象 ￥11,000 消費税 ￥1,100
8%対象 ￥3,750 消費税 ￥300
合計 16,150円
"""


def test_japanese_guesses() -> None:
    guesses = plainpdf.guess(JAPANESE_INVOICE)
    assert guesses.registration_number == "T7123456789012"
    assert guesses.invoice_number == "JRY-2026-0001"
    assert guesses.issue_date == dt.date(2026, 11, 26)
    assert guesses.total == Decimal("16150")
    assert guesses.currency == "JPY"
    assert guesses.taxes == (
        TaxGuess(Decimal("8"), Decimal("3750"), Decimal("300")),
        TaxGuess(Decimal("10"), Decimal("11000"), Decimal("1100")),
    )
    assert guesses.text_found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T7123456789012", "T7123456789012"),
        ("登録番号 T-7123-4567-89012", "T7123456789012"),
        ("T 7123456789012", "T7123456789012"),
        ("Ｔ７１２３４５６７８９０１２", "T7123456789012"),
        ("T1111111111111 T7123456789012", "T7123456789012"),  # a valid check digit wins
        ("T1111111111111", "T1111111111111"),
        ("T71234567890123", None),  # 14 digits is not a registration number
        ("no number", None),
    ],
)
def test_registration_number(text: str, expected: str | None) -> None:
    assert plainpdf.guess_registration_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("発行日 2026年11月26日", dt.date(2026, 11, 26)),
        ("令和8年11月26日", dt.date(2026, 11, 26)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("Invoice Date: 2026-11-26", dt.date(2026, 11, 26)),
        ("Due 2026/12/31\nInvoice Date 2026/11/26", dt.date(2026, 11, 26)),
        ("２０２６年１１月２６日", dt.date(2026, 11, 26)),
        ("2026年13月40日", None),
        ("nothing", None),
    ],
)
def test_issue_date(text: str, expected: dt.date | None) -> None:
    assert plainpdf.guess_issue_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ご請求金額 ¥16,150", Decimal("16150")),
        ("小計 10,000円\n合計 11,000円", Decimal("11000")),
        ("合計 10,000円\nご請求金額 9,000円", Decimal("9000")),
        ("Total: 1,234.50", Decimal("1234.50")),
        ("Amount due EUR 99.00", Decimal("99.00")),
        ("no total", None),
    ],
)
def test_total(text: str, expected: Decimal | None) -> None:
    assert plainpdf.guess_total(text) == expected


def test_tax_labels_before_rate() -> None:
    taxes = plainpdf.guess_taxes("消費税(10%) 1,000円\n消費税 8% 80円")
    assert taxes == (
        TaxGuess(Decimal("8"), None, Decimal("80")),
        TaxGuess(Decimal("10"), None, Decimal("1000")),
    )


def test_invoice_number_english() -> None:
    assert plainpdf.guess_invoice_number("Invoice No. INV/2026/7") == "INV/2026/7"
    assert plainpdf.guess_invoice_number("Invoice Number: A-1") == "A-1"


def test_nothing_found() -> None:
    guesses = plainpdf.guess("")
    assert not guesses.text_found
    assert guesses.total is None
    assert guesses.taxes == ()


def test_draft_invoice_is_marked_guessed() -> None:
    draft = plainpdf.guess(JAPANESE_INVOICE).as_invoice()
    assert draft.guessed
    assert draft.kind is DocumentKind.INVOICE
    assert draft.number == "JRY-2026-0001"
    assert draft.seller.jp_registration_number == "T7123456789012"
    assert draft.totals.payable == Decimal("16150")
    assert len(draft.tax_breakdown) == 2
