"""Migration 0006 on a database that already holds the duplicates it forbids from now on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Engine, MetaData, insert, select

from storage.db import create_db_engine
from storage.migrate import alembic_config, upgrade
from tests.conftest import new_database_url

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 1)


def _seed_at_0005(engine: Engine) -> None:
    """Three copies of one number (one returned), an undated pair, and a batch paying two."""
    tables = MetaData()
    tables.reflect(engine)
    invoice = {
        "supplier_id": 1,
        "version": 1,
        "format": "ubl-invoice",
        "profile": "jp-pint",
        "document_type": "invoice",
        "needs_data_entry": False,
        "received_at": NOW,
        "clock_paused_days": 0,
    }
    rows: list[dict[str, Any]] = [
        {"status": "approved", "invoice_number": "A-1", "issue_date": DAY},
        {"status": "returned", "invoice_number": "A-1", "issue_date": DAY},
        {"status": "exported", "invoice_number": "A-1", "issue_date": DAY},
        {"status": "exported", "invoice_number": "A-1", "issue_date": DAY},
        {"status": "pending", "invoice_number": "U-1", "issue_date": None},
        {"status": "pending", "invoice_number": "U-1", "issue_date": None},
    ]
    with engine.begin() as connection:
        connection.execute(
            insert(tables.tables["suppliers"]),
            {"id": 1, "name": "株式会社テスト", "approved": True, "created_at": NOW},
        )
        connection.execute(
            insert(tables.tables["originals"]),
            [
                {
                    "id": i,
                    "sha256": f"{i:064d}",
                    "size": 1,
                    "media_type": "application/xml",
                    "object_key": f"{i:064d}",
                    "filename": f"file-{i}.xml",
                    "received_at": NOW,
                }
                for i in range(1, len(rows) + 1)
            ],
        )
        connection.execute(
            insert(tables.tables["invoices"]),
            [{**invoice, **row, "id": i, "original_id": i} for i, row in enumerate(rows, 1)],
        )
        connection.execute(
            insert(tables.tables["batches"]),
            {
                "id": 1,
                "status": "open",
                "payment_date": DAY,
                "invoice_count": 2,
                "total_amount": 2,
                "created_at": NOW,
            },
        )
        connection.execute(
            insert(tables.tables["batch_items"]),
            [{"batch_id": 1, "invoice_id": i, "supplier_id": 1, "amount": 1} for i in (3, 4)],
        )


def test_existing_duplicates_are_marked_and_the_rule_then_holds(tmp_path: Path) -> None:
    url = new_database_url(tmp_path)  # at head; go back to before the rule
    command.downgrade(alembic_config(url), "0005")
    engine = create_db_engine(url)
    try:
        _seed_at_0005(engine)
        upgrade(url)
        tables = MetaData()
        tables.reflect(engine)
        invoices, items = tables.tables["invoices"], tables.tables["batch_items"]
        with engine.connect() as connection:
            marked = dict(
                connection.execute(
                    select(invoices.c.id, invoices.c.duplicate_of_id).order_by(invoices.c.id)
                ).all()
            )
            names = set(connection.execute(select(invoices.c.filename)).scalars())
            numbered = connection.execute(
                select(items.c.invoice_id, items.c.invoice_number, items.c.issue_date).order_by(
                    items.c.invoice_id
                )
            ).all()
    finally:
        engine.dispose()
    assert marked == {1: None, 2: None, 3: 1, 4: 1, 5: None, 6: 5}
    assert names == {f"file-{i}.xml" for i in range(1, 7)}
    assert numbered == [(3, "A-1", DAY), (4, None, DAY)]  # the repeat no longer holds it
