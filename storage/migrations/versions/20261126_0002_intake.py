"""Intake: data entry beside plain PDFs, routing rule, idempotency constraints.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_entry", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("routing_rule", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(
            "uq_invoices_supplier_idempotency", ["supplier_id", "idempotency_key"]
        )
        batch_op.create_unique_constraint(
            "uq_invoices_supplier_original", ["supplier_id", "original_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_constraint("uq_invoices_supplier_original", type_="unique")
        batch_op.drop_constraint("uq_invoices_supplier_idempotency", type_="unique")
        batch_op.drop_column("routing_rule")
        batch_op.drop_column("data_entry")
