"""The monthly statistics' pre-aggregated tables (``monthly_counts``, ``lead_times``), the
triggers on ``invoices`` that keep them current, and an index for the month's refusals.

The tables are filled here, set-based, from the invoices already stored
(``storage.monthly_statistics.refill``; ``juryo stats rebuild`` does it again).

Revision ID: 0021
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.monthly_statistics import create_triggers, drop_triggers, refill

revision: str = "0021"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monthly_counts",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("figure", sa.String(length=24), nullable=False),
        sa.Column("department_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month", "figure", "department_id", "key", name=op.f("pk_monthly_counts")
        ),
    )
    op.create_table(
        "lead_times",
        sa.Column("invoice_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("measure", sa.String(length=24), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("invoice_id", "measure", name=op.f("pk_lead_times")),
    )
    op.create_index("ix_lead_times_measure", "lead_times", ["measure", "month", "value"])
    op.create_index(
        "ix_lead_times_department", "lead_times", ["measure", "month", "department_id", "value"]
    )
    op.create_index("ix_invoices_status_received", "invoices", ["status", "received_at"])
    connection = op.get_bind()
    create_triggers(connection)
    refill(connection)


def downgrade() -> None:
    drop_triggers(op.get_bind())
    op.drop_index("ix_invoices_status_received", table_name="invoices")
    op.drop_index("ix_lead_times_department", table_name="lead_times")
    op.drop_index("ix_lead_times_measure", table_name="lead_times")
    op.drop_table("lead_times")
    op.drop_table("monthly_counts")
