"""One set of migrations for SQLite and PostgreSQL, matching the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from storage.db import create_db_engine
from storage.migrate import alembic_config, current, upgrade
from tests.conftest import new_database_url

TABLES = {
    "departments",
    "department_aliases",
    "suppliers",
    "users",
    "user_departments",
    "api_tokens",
    "web_sessions",
    "originals",
    "invoices",
    "findings",
    "batches",
    "audit_events",
    "audit_head",
}


def test_upgrade_creates_every_table_and_models_match(tmp_path: Path) -> None:
    url = new_database_url(tmp_path)
    engine = create_db_engine(url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    command.check(alembic_config(url))  # raises when models and migrations differ


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    url = new_database_url(tmp_path)
    head = current(url)
    command.downgrade(alembic_config(url), "base")
    assert current(url) is None
    upgrade(url)
    assert current(url) == head
