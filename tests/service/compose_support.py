"""Shared by the invoice-form tests: a supplier with its account filled in, and a body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.db import transaction
from storage.models import Role, Supplier
from tests.support import Account, make_department, make_supplier, make_user


@dataclass(frozen=True)
class Composer:
    """A registered supplier with address and bank account, one user, and a department."""

    registration_number: str
    user: Account
    department: str


def make_composer(sessions: sessionmaker[Session]) -> Composer:
    department = make_department(sessions)
    number = make_supplier(sessions)
    with transaction(sessions) as session:
        supplier = session.execute(
            select(Supplier).where(Supplier.registration_number == number)
        ).scalar_one()
        supplier.approved = True
        supplier.postal_zone, supplier.prefecture, supplier.city = "1600044", "東京都", "新宿区"
        supplier.street, supplier.telephone = "四谷4-29-1", "03-1234-5678"
        supplier.bank_code, supplier.branch_code, supplier.account_type = "0001", "001", "1"
        supplier.account_number, supplier.account_holder = "1234567", "ﾔﾏﾀﾞｾﾂﾋﾞ(ｶ"
    return Composer(number, make_user(sessions, Role.SUPPLIER, supplier=number), department)


def body(department: str, number: str = "INV-0001", **changes: Any) -> dict[str, Any]:
    """A 3-line invoice with two rates, as the API takes it."""
    return {
        "invoice_number": number,
        "issue_date": clock.today().isoformat(),
        "due_date": "2026-12-31",
        "buyer_reference": department,
        "delivery_date": "2026-11-20",
        "payment_terms": "月末締め翌月末払い",
        "lines": [
            {
                "description": "配管修理",
                "quantity": "1.5",
                "unit": "HUR",
                "unit_price": "3333",
                "allowances": [{"amount": "100"}],
            },
            {"description": "弁当", "quantity": "3", "unit_price": "540", "tax": "reduced"},
            {"description": "部品", "quantity": "2", "unit_price": "1250.5"},
        ],
        **changes,
    }
