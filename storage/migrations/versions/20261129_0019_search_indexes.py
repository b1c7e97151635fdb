"""Index the 電帳法 search in its list order: issue date, amount and supplier each with
(received_at, id), and (received_at, id) alone for the unfiltered list; on PostgreSQL the date
and amount indexes carry the other filters' columns (bench/search.py).

Replaces the single-column issue-date, amount and supplier indexes, which the new ones begin
with.

Revision ID: 0019
Revises: 0020
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INCLUDED = ["supplier_id", "department_id", "status"]


def upgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index("ix_invoices_issue_date")
        batch_op.drop_index("ix_invoices_payable_amount")
        batch_op.drop_index("ix_invoices_supplier_id")
        batch_op.create_index(
            "ix_invoices_search_issue_date",
            ["issue_date", "received_at", "id"],
            unique=False,
            postgresql_include=["payable_amount", *INCLUDED],
        )
        batch_op.create_index(
            "ix_invoices_search_amount",
            ["payable_amount", "received_at", "id"],
            unique=False,
            postgresql_include=["issue_date", *INCLUDED],
        )
        batch_op.create_index(
            "ix_invoices_search_supplier", ["supplier_id", "received_at", "id"], unique=False
        )
        batch_op.create_index("ix_invoices_received", ["received_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index("ix_invoices_received")
        batch_op.drop_index("ix_invoices_search_supplier")
        batch_op.drop_index("ix_invoices_search_amount")
        batch_op.drop_index("ix_invoices_search_issue_date")
        batch_op.create_index("ix_invoices_supplier_id", ["supplier_id"], unique=False)
        batch_op.create_index("ix_invoices_payable_amount", ["payable_amount"], unique=False)
        batch_op.create_index("ix_invoices_issue_date", ["issue_date"], unique=False)
