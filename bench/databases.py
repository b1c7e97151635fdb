"""What the 1M-row benchmarks share: the PostgreSQL databases they keep between runs (so that a
rerun measures in minutes instead of seeding again), and the account each measures as."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.models import Role


def kept_postgres(admin_url: str, name: str) -> tuple[str, bool]:
    """The URL of database ``name`` on the server of ``admin_url``, and whether it was there
    already (else it is made now, empty)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if exists is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return url, exists is not None


@dataclass(frozen=True)
class BenchAccount:
    """A user made for one run: a token for the API, a login and password for the pages."""

    login: str
    password: str
    token: str


def bench_account(url: str, role: Role) -> BenchAccount:
    """A new user of ``role`` (no department) in the database at ``url``."""
    from service.accounts.service import add_user
    from storage.audit import Actor
    from storage.db import session_factory, transaction

    engine = create_engine(url)
    login, password = f"bench{role.value}{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with transaction(session_factory(engine)) as session:
        created = add_user(
            session,
            actor=Actor("bench", "admin"),
            login=login,
            role=role,
            department_codes=[],
            supplier_registration=None,
            password=password,
        )
    engine.dispose()
    assert created.token is not None
    return BenchAccount(login, password, created.token)
