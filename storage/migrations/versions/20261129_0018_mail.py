"""E-mail intake: the addresses suppliers send from, received mails (raw original, body,
outcome, receipt text) and their attachments.

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supplier_mail_senders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_supplier_mail_senders_supplier_id_suppliers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_mail_senders")),
        sa.UniqueConstraint("address", name=op.f("uq_supplier_mail_senders_address")),
    )
    with op.batch_alter_table("supplier_mail_senders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplier_mail_senders_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("original_id", sa.Integer(), nullable=True),
        sa.Column("envelope_from", sa.String(length=320), nullable=True),
        sa.Column("from_address", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("refusal", sa.String(length=60), nullable=True),
        sa.Column("receipt_ja", sa.Text(), nullable=True),
        sa.Column("receipt_en", sa.Text(), nullable=True),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('receiving', 'accepted', 'quarantined', 'assigned', 'refused')",
            name=op.f("ck_mails_status"),
        ),
        sa.ForeignKeyConstraint(
            ["original_id"], ["originals.id"], name=op.f("fk_mails_original_id_originals")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_mails_reviewed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_mails_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mails")),
        sa.UniqueConstraint("message_id", "sha256", name="uq_mails_message_id"),
    )
    with op.batch_alter_table("mails", schema=None) as batch_op:
        batch_op.create_index("ix_mails_status_received", ["status", "received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_mails_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "mail_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mail_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("refusal", sa.String(length=60), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_mail_attachments_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["mail_id"],
            ["mails.id"],
            name=op.f("fk_mail_attachments_mail_id_mails"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_attachments")),
        sa.UniqueConstraint("mail_id", "position", name="uq_mail_attachments_mail_id"),
    )
    with op.batch_alter_table("mail_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mail_attachments_invoice_id"), ["invoice_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_attachments_invoice_id"))

    op.drop_table("mail_attachments")
    with op.batch_alter_table("mails", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mails_supplier_id"))
        batch_op.drop_index("ix_mails_status_received")

    op.drop_table("mails")
    with op.batch_alter_table("supplier_mail_senders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_mail_senders_supplier_id"))

    op.drop_table("supplier_mail_senders")
