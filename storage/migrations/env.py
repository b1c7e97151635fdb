"""Alembic environment: one set of migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from storage.db import create_db_engine
from storage.models import Base

config = context.config


def _render_item(kind: str, item: Any, autogen_context: Any) -> str | Literal[False]:
    """Render our own column types by name (migrations import them from storage.models)."""
    if kind == "type" and type(item).__module__ == "storage.models":
        autogen_context.imports.add(f"from storage.models import {type(item).__name__}")
        return f"{type(item).__name__}()"
    return False


def run_migrations() -> None:
    """Migrate online over our own engine (SQLite pragmas and all)."""
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url is not set")
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                _foreign_keys(connection, enforced=False)
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=sqlite,
                compare_type=True,
                render_item=_render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_foreign_keys(connection)
    finally:
        engine.dispose()


def _foreign_keys(connection: Connection, *, enforced: bool) -> None:
    """Switch SQLite's foreign-key enforcement, outside any transaction (it is ignored inside).

    A batch migration rebuilds a table: it copies it, drops the old one and renames the copy.
    With enforcement on, dropping a table that other rows reference fails, so SQLite's own
    procedure for schema changes turns it off and checks every reference before committing.
    """
    dbapi_connection: Any = connection.connection.dbapi_connection
    dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def _check_foreign_keys(connection: Connection) -> None:
    """Refuse to commit a migration that left a reference dangling."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left dangling references: {broken[:10]}")


run_migrations()
