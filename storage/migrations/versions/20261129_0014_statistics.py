"""Record what the monthly statistics (EBPM) read: the channel an invoice came through, when it
was first decided, approved and taken into a payment batch, and index the instants each month is cut by.

Existing invoices keep NULL in the new columns (their channel and decision times were never
recorded); ``juryo stats rebuild`` fills the decision and approval instants from the audit
log and the batching instant from the batches.

Revision ID: 0014
Revises: 0017
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0014"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATISTICS_INDEXES = (
    ("received_at", "department_id", "status", "channel", "format", "profile", "routing_rule"),
    ("first_decided_at", "department_id", "received_at"),
    ("approved_at", "department_id", "received_at"),
    ("batched_at", "department_id", "approved_at"),
    ("paid_on", "department_id", "payment_deadline", "batched_at"),
    ("returned_at", "department_id"),
)
"""As ``storage.models.STATISTICS_INDEXES`` was when this migration was written."""


def upgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("first_decided_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("approved_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("batched_at", UtcDateTime(), nullable=True))
        for columns in STATISTICS_INDEXES:
            batch_op.create_index(f"ix_invoices_{columns[0]}", list(columns), unique=False)
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_approvals_approved_at", ["approved_at", "invoice_id", "user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.drop_index("ix_approvals_approved_at")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        for columns in STATISTICS_INDEXES:
            batch_op.drop_index(f"ix_invoices_{columns[0]}")
        batch_op.drop_column("batched_at")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("first_decided_at")
        batch_op.drop_column("channel")
