"""One set of migrations for SQLite and PostgreSQL, matching the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import create_db_engine
from storage.migrate import alembic_config, current, upgrade
from storage.models import utcnow
from tests.conftest import new_database_url

LOGIN_KEYS = "0008"

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
    "sign_in_failures",
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


def _before_login_keys(tmp_path: Path, logins: list[str]) -> str:
    """A database one step before the login-key migration, with these users in it."""
    url = new_database_url(tmp_path)
    config = alembic_config(url)
    parent = ScriptDirectory.from_config(config).get_revision(LOGIN_KEYS).down_revision
    assert isinstance(parent, str)
    command.downgrade(config, parent)
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            for login in logins:
                connection.execute(
                    text(
                        "INSERT INTO users (login, role, active, created_at) "
                        "VALUES (:login, 'auditor', :active, :now)"
                    ),
                    {"login": login, "active": True, "now": utcnow()},
                )
    finally:
        engine.dispose()
    return url


def test_the_login_key_migration_fills_existing_users(tmp_path: Path) -> None:
    url = _before_login_keys(tmp_path, ["Admin", "\uff22\uff4f\uff42"])
    upgrade(url)
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT login_key FROM users ORDER BY id")).scalars()
            assert list(keys) == ["admin", "bob"]
    finally:
        engine.dispose()


def test_the_login_key_migration_stops_on_logins_that_are_one(tmp_path: Path) -> None:
    url = _before_login_keys(tmp_path, ["admin", "ADMIN"])
    with pytest.raises(RuntimeError, match="'admin' and 'ADMIN'"):
        upgrade(url)


SIGN_UP_REVIEW = "0009"


def _before_sign_up_review(tmp_path: Path, numbers: list[str]) -> str:
    """A database one step before the sign-up review migration, with these suppliers in it."""
    url = new_database_url(tmp_path)
    config = alembic_config(url)
    parent = ScriptDirectory.from_config(config).get_revision(SIGN_UP_REVIEW).down_revision
    assert isinstance(parent, str)
    command.downgrade(config, parent)
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            for n, number in enumerate(numbers):
                connection.execute(
                    text(
                        "INSERT INTO suppliers (registration_number, name, approved, created_at) "
                        "VALUES (:number, :name, :approved, :now)"
                    ),
                    {"number": number, "name": f"s{n}", "approved": False, "now": utcnow()},
                )
    finally:
        engine.dispose()
    return url


def test_the_sign_up_review_migration_writes_numbers_in_one_form(tmp_path: Path) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in "T8010001008843")
    url = _before_sign_up_review(tmp_path, [wide, "t7000012050002"])
    upgrade(url)
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            numbers = connection.execute(
                text("SELECT registration_number FROM suppliers ORDER BY id")
            ).scalars()
            assert list(numbers) == ["T8010001008843", "T7000012050002"]
    finally:
        engine.dispose()


def test_the_sign_up_review_migration_stops_on_numbers_that_are_one(tmp_path: Path) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) for c in "T8010001008843")
    url = _before_sign_up_review(tmp_path, ["T8010001008843", wide])
    with pytest.raises(RuntimeError, match="one registration number"):
        upgrade(url)
