"""The NTA registry of qualified-invoice issuers (its imported files and every row, kept as
history) and the malware scan's result on each original.

Revision ID: 0015
Revises: 0019
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0015"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nta_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("file_date", sa.Date(), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("signature_verified", sa.Boolean(), nullable=False),
        sa.Column("imported_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('full', 'diff')", name=op.f("ck_nta_imports_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nta_imports")),
        sa.UniqueConstraint("sha256", name=op.f("uq_nta_imports_sha256")),
    )
    op.create_table(
        "nta_registrations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("sequence_number", sa.BigInteger(), nullable=False),
        sa.Column("registration_number", sa.String(length=14), nullable=False),
        sa.Column("process", sa.String(length=2), nullable=False),
        sa.Column("correct", sa.String(length=1), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("country", sa.String(length=1), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.Column("registration_date", sa.Date(), nullable=True),
        sa.Column("update_date", sa.Date(), nullable=True),
        sa.Column("disposal_date", sa.Date(), nullable=True),
        sa.Column("expire_date", sa.Date(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("trade_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["nta_imports.id"],
            name=op.f("fk_nta_registrations_import_id_nta_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nta_registrations")),
    )
    op.create_index(
        "ix_nta_registrations_number",
        "nta_registrations",
        ["registration_number", "id"],
        unique=False,
    )
    with op.batch_alter_table("originals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scan_result", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("scan_detail", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("originals", schema=None) as batch_op:
        batch_op.drop_column("scan_detail")
        batch_op.drop_column("scan_result")
    op.drop_index("ix_nta_registrations_number", table_name="nta_registrations")
    op.drop_table("nta_registrations")
    op.drop_table("nta_imports")
