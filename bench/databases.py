"""The PostgreSQL databases the 1M-row benchmarks keep between runs, so that a rerun measures in
minutes instead of seeding again."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


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
