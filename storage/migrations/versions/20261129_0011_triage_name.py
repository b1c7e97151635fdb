"""The triage department's stored name in Japanese alone; pages translate it.

It was stored as ``振分け（会計課） / Triage``, so an English page showed the Japanese half and a
Japanese page the English half. Pages now name it from the message catalogue (``dept.triage``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_NAME = "振分け（会計課） / Triage"
NEW_NAME = "振分け（会計課）"


def _rename(old: str, new: str) -> None:
    departments = sa.table("departments", sa.column("code", sa.String()), sa.column("name"))
    op.execute(
        departments.update()
        .where(departments.c.code == "triage", departments.c.name == old)
        .values(name=new)
    )


def upgrade() -> None:
    """Drop the English half of the name an administrator has not changed."""
    _rename(OLD_NAME, NEW_NAME)


def downgrade() -> None:
    """Put the bilingual name back."""
    _rename(NEW_NAME, OLD_NAME)
