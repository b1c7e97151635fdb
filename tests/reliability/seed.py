"""Approved invoices inserted in bulk, for the export benchmark and the interrupted-batch test."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import InvoiceRecord, Original, Supplier, utcnow

CONTENT = {
    "tax_breakdown": [
        {"category": "S", "rate": "10", "taxable_amount": "10000", "tax_amount": "1000"},
        {"category": "AA", "rate": "8", "taxable_amount": "5000", "tax_amount": "400"},
    ]
}


def seed_approved(
    sessions: sessionmaker[Session],
    invoices: int,
    creditors: int,
    *,
    department_id: int | None = None,
) -> None:
    """Insert ``creditors`` suppliers with bank accounts and ``invoices`` approved invoices
    (16,150 JPY each) straight into the database: fast enough for 100,000."""
    now = utcnow()
    run = uuid.uuid4().hex[:6]
    with transaction(sessions) as session:
        session.execute(
            insert(Supplier),
            [
                {
                    "registration_number": f"T{run}{i:07d}"[:14],
                    "name": f"株式会社ベンチ {i}",
                    "approved": True,
                    "bank_code": f"{i % 9000 + 1:04d}",
                    "branch_code": f"{i % 900 + 1:03d}",
                    "account_type": "1",
                    "account_number": f"{i:07d}",
                    "account_holder": f"ｶ)ﾍﾞﾝﾁ{i}",
                    "created_at": now,
                }
                for i in range(creditors)
            ],
        )
        supplier_ids = list(
            session.execute(
                select(Supplier.id).order_by(Supplier.id.desc()).limit(creditors)
            ).scalars()
        )
        session.execute(
            insert(Original),
            [
                {
                    "sha256": f"{run}{i:058d}",
                    "size": 1,
                    "media_type": "application/xml",
                    "object_key": f"bench/{run}/{i}",
                    "received_at": now,
                }
                for i in range(invoices)
            ],
        )
        original_ids = list(
            session.execute(
                select(Original.id).order_by(Original.id.desc()).limit(invoices)
            ).scalars()
        )
        session.execute(
            insert(InvoiceRecord),
            [
                {
                    "supplier_id": supplier_ids[i % creditors],
                    "original_id": original_ids[i],
                    "status": "approved",
                    "version": 1,
                    "format": "ubl-invoice",
                    "profile": "jp-pint",
                    "document_type": "invoice",
                    "invoice_number": f"B-{i}",
                    "issue_date": dt.date(2026, 11, 1),
                    "due_date": dt.date(2026, 12, 31),
                    "currency": "JPY",
                    "payable_amount": Decimal(16_150),
                    "tax_amount": Decimal(1_400),
                    "content": CONTENT,
                    "received_at": now,
                    "needs_data_entry": False,
                    "clock_paused_days": 0,
                    "department_id": department_id,
                }
                for i in range(invoices)
            ],
        )
