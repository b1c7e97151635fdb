"""The invoice form (service.compose): the seller's address, contact and tax rounding on the
supplier, and the supplier's saved drafts and templates.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SELLER_COLUMNS = (
    ("corporate_number", 13),
    ("postal_zone", 16),
    ("prefecture", 40),
    ("city", 200),
    ("street", 200),
    ("building", 200),
    ("contact_name", 200),
    ("telephone", 40),
)


def upgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        for name, length in SELLER_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        batch_op.add_column(
            sa.Column("rounding", sa.String(length=8), server_default="down", nullable=False)
        )
        batch_op.create_check_constraint("rounding_method", "rounding IN ('down', 'half_up', 'up')")
    op.create_table(
        "compose_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_compose_drafts_supplier_id_suppliers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compose_drafts")),
    )
    with op.batch_alter_table("compose_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_compose_drafts_supplier_id"), ["supplier_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("compose_drafts")
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_constraint("rounding_method", type_="check")
        batch_op.drop_column("rounding")
        for name, _ in reversed(SELLER_COLUMNS):
            batch_op.drop_column(name)
