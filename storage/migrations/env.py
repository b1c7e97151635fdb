"""Alembic environment: one set of migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

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
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
                render_item=_render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations()
