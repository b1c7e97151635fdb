"""Peppol: access points as a role of their own, suppliers' participant ids, and the messages
handed over (keyed by SBDH instance id, the idempotency key).

Revision ID: 0017
Revises: 0018
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0017"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROLES = ("supplier", "clerk", "accounting", "auditor", "admin")


def _roles(roles: Sequence[str]) -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(
            "role", f"role IN ({', '.join(repr(role) for role in roles)})"
        )


def upgrade() -> None:
    _roles((*_ROLES, "access_point"))
    op.create_table(
        "supplier_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_supplier_participants_supplier_id_suppliers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_participants")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_supplier_participants_participant_id")),
    )
    op.create_index(
        op.f("ix_supplier_participants_supplier_id"),
        "supplier_participants",
        ["supplier_id"],
        unique=False,
    )
    op.create_table(
        "peppol_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.String(length=200), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("receiver", sa.String(length=200), nullable=False),
        sa.Column("access_point_id", sa.Integer(), nullable=False),
        sa.Column("original_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=True),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('invalid', 'pending', 'returned', 'rejected', 'approved', 'exported', "
            "'paid')",
            name=op.f("ck_peppol_messages_status"),
        ),
        sa.ForeignKeyConstraint(
            ["access_point_id"],
            ["users.id"],
            name=op.f("fk_peppol_messages_access_point_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_peppol_messages_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["original_id"],
            ["originals.id"],
            name=op.f("fk_peppol_messages_original_id_originals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peppol_messages")),
        sa.UniqueConstraint("instance_id", name=op.f("uq_peppol_messages_instance_id")),
    )
    op.create_index(
        op.f("ix_peppol_messages_invoice_id"), "peppol_messages", ["invoice_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_peppol_messages_invoice_id"), table_name="peppol_messages")
    op.drop_table("peppol_messages")
    op.drop_index(op.f("ix_supplier_participants_supplier_id"), table_name="supplier_participants")
    op.drop_table("supplier_participants")
    op.execute("DELETE FROM users WHERE role = 'access_point'")
    _roles(_ROLES)
