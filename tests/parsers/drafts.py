"""A sample supplier's draft (a plumber invoicing the city), shared by the composer tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from parsers.compose import (
    Address,
    BankAccount,
    Buyer,
    Draft,
    DraftLine,
    Endpoint,
    LineAllowance,
    Seller,
    TaxRate,
)

SELLER = Seller(
    name="山田設備株式会社",
    endpoint=Endpoint("0188", "8010001008843"),
    registration_number="T8010001008843",
    address=Address("1600044", "東京都", "新宿区", "四谷4-29-1"),
    contact_name="山田 太郎",
    telephone="03-1234-5678",
    email="yamada@example.jp",
    bank_account=BankAccount("0001", "001", "1", "1234567", "ﾔﾏﾀﾞｾﾂﾋﾞ(ｶ"),
)
BUYER = Buyer(
    name="受領市",
    endpoint=Endpoint("0188", "1000020130001"),
    department_reference="EDU-01",
    purchase_order="PO-2026-0042",
    address=Address("1000001", "東京都", "千代田区", "1-1"),
)
LINES = (
    DraftLine(
        "配管修理", Decimal("1.5"), "HUR", Decimal(3333), TaxRate.STANDARD,
        (LineAllowance(Decimal(100), "値引"),),
    ),
    DraftLine("弁当", Decimal(3), "H87", Decimal(540), TaxRate.REDUCED),
    DraftLine("部品", Decimal(2), "H87", Decimal("1250.5"), TaxRate.STANDARD),
)  # fmt: skip
DRAFT = Draft(
    number="A-0001",
    issue_date=dt.date(2026, 11, 30),
    seller=SELLER,
    buyer=BUYER,
    lines=LINES,
    due_date=dt.date(2026, 12, 31),
    delivery_date=dt.date(2026, 11, 20),
    payment_terms="月末締め翌月末払い",
    note="よろしくお願いいたします",
)
