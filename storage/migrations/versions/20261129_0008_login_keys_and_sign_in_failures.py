"""One user per login whatever its case or width; sign-in failures for throttling.

Existing rows get their ``login_key`` (NFKC + casefold) here; two existing logins that are the
same under that rule (``admin`` and ``ADMIN``) stop the upgrade with both named, for an
administrator to rename one first.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(login: str) -> str:
    # A copy of storage.models.login_key as it is today: a migration must not change later.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", login).casefold())


def _fill_login_keys() -> None:
    bind = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("login", sa.String))
    keyed = sa.table("users", sa.column("id", sa.Integer), sa.column("login_key", sa.String))
    seen: dict[str, str] = {}
    rows = bind.execute(sa.select(users.c.id, users.c.login).order_by(users.c.id)).all()
    for user_id, login in rows:
        key = _key(login)
        if key in seen:
            raise RuntimeError(
                f"logins {seen[key]!r} and {login!r} are the same user name once case and "
                "width are ignored: rename one, then upgrade again"
            )
        seen[key] = login
        bind.execute(sa.update(keyed).where(keyed.c.id == user_id).values(login_key=key))


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login_key", sa.String(length=400), nullable=True))
    _fill_login_keys()
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("login_key", existing_type=sa.String(length=400), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_login_key"), ["login_key"])
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login_key", sa.String(length=400), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_failures_address"), ["address"])
        batch_op.create_index(batch_op.f("ix_sign_in_failures_at"), ["at"])
        batch_op.create_index(batch_op.f("ix_sign_in_failures_login_key"), ["login_key"])


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_login_key"), type_="unique")
        batch_op.drop_column("login_key")
