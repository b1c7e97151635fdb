"""Sign-up review: an administrator may reject a sign-up with a reason; registration numbers in
one form.

Existing registration numbers are rewritten to the one form (NFKC, no spaces or hyphens, upper
case) that the unique index then guards; two rows that are one number under that rule stop the
upgrade with both named, for an administrator to merge them first.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff70]")


def _normal(number: str) -> str:
    # A copy of parsers.registration.normalize as it is today: a migration must not change later.
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", number)).upper()


def _normalise_registration_numbers() -> None:
    bind = op.get_bind()
    suppliers = sa.table(
        "suppliers", sa.column("id", sa.Integer), sa.column("registration_number", sa.String)
    )
    rows = bind.execute(
        sa.select(suppliers.c.id, suppliers.c.registration_number)
        .where(suppliers.c.registration_number.is_not(None))
        .order_by(suppliers.c.id)
    ).all()
    seen: dict[str, str] = {}
    for _, number in rows:
        key = _normal(number)
        if key in seen:
            raise RuntimeError(
                f"suppliers {seen[key]!r} and {number!r} are one registration number once width, "
                "spaces and hyphens are ignored: merge them, then upgrade again"
            )
        seen[key] = number
    for supplier_id, number in rows:
        if _normal(number) != number:
            bind.execute(
                sa.update(suppliers)
                .where(suppliers.c.id == supplier_id)
                .values(registration_number=_normal(number))
            )


def upgrade() -> None:
    _normalise_registration_numbers()
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rejected_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("rejection_reason", sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_suppliers_approved_or_rejected"),
            "NOT (approved AND rejected_at IS NOT NULL)",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_suppliers_rejected_with_reason"),
            "(rejected_at IS NULL) = (rejection_reason IS NULL)",
        )


def downgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_suppliers_rejected_with_reason"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_suppliers_approved_or_rejected"), type_="check")
        batch_op.drop_column("rejection_reason")
        batch_op.drop_column("rejected_at")
