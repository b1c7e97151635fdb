"""Approvals count only for the amounts they were given on: amount revisions, highest amount.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=18, scale=2)


def upgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("amount_revision", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("highest_amount", MONEY, nullable=True))
        batch_op.add_column(sa.Column("amounts_entered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_invoices_amounts_entered_by_id_users"),
            "users",
            ["amounts_entered_by_id"],
            ["id"],
        )
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("amount_revision", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.drop_constraint("uq_approvals_invoice_user", type_="unique")
        batch_op.create_unique_constraint(
            "uq_approvals_invoice_revision_user", ["invoice_id", "amount_revision", "user_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.drop_constraint("uq_approvals_invoice_revision_user", type_="unique")
        batch_op.create_unique_constraint("uq_approvals_invoice_user", ["invoice_id", "user_id"])
        batch_op.drop_column("amount_revision")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_invoices_amounts_entered_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("amounts_entered_by_id")
        batch_op.drop_column("highest_amount")
        batch_op.drop_column("amount_revision")
