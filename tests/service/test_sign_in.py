"""Signing in on the login page: throttling per login and per address, held in the database
(so racing attempts and several workers cannot pass it), an administrator's unlock, audited
failures, and equal time for unknown and known logins.

Each test gets a database of its own: failures from 127.0.0.1 would otherwise lock out every
other test of the run.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from service.cli import app as cli
from service.settings import Settings
from storage.db import create_db_engine, session_factory, transaction
from storage.models import AuditEvent, Role
from tests.conftest import new_database_url
from tests.support import HTML, Account, LiveServer, form_token, make_user, start_live_server

PER_LOGIN = 3
PER_ADDRESS = 6


@dataclass(frozen=True)
class World:
    """A server on a database of its own, with a user that has a password."""

    server: LiveServer
    sessions: sessionmaker[Session]
    database_url: str
    user: Account


def _world(settings: Settings, tmp_path: Path, **limits: int) -> Iterator[World]:
    url = new_database_url(tmp_path)
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    user = make_user(sessions, Role.ACCOUNTING)
    try:
        with start_live_server(settings.model_copy(update={"database_url": url, **limits})) as s:
            yield World(server=s, sessions=sessions, database_url=url, user=user)
    finally:
        engine.dispose()


@pytest.fixture
def world(settings: Settings, tmp_path: Path) -> Iterator[World]:
    """Small limits: 3 failures per login, 6 per address."""
    limits = {"sign_in_failures_per_login": PER_LOGIN, "sign_in_failures_per_address": PER_ADDRESS}
    yield from _world(settings, tmp_path, **limits)


@pytest.fixture
def unthrottled(settings: Settings, tmp_path: Path) -> Iterator[World]:
    """Limits high enough that timing tests are never throttled."""
    limits = {"sign_in_failures_per_login": 1000, "sign_in_failures_per_address": 1000}
    yield from _world(settings, tmp_path, **limits)


def _try(server: LiveServer, login: str, password: str, lang: str = "ja") -> httpx.Response:
    """One sign-in through the form, as a browser does it."""
    with server.client() as client:
        client.headers.update(HTML)
        csrf = form_token(client.get(f"/login?lang={lang}").text)
        return client.post(
            "/login", data={"login": login, "password": password, "csrf_token": csrf}
        )


def test_a_login_is_locked_after_its_failures_even_for_the_right_password(world: World) -> None:
    for _ in range(PER_LOGIN):
        assert _try(world.server, world.user.login, "wrong").status_code == 401
    locked = _try(world.server, world.user.login, world.user.password)
    assert locked.status_code == 429
    assert 0 < int(locked.headers["retry-after"]) <= 900
    assert "ログインの失敗が続いた" in locked.text
    english = _try(world.server, world.user.login.upper(), world.user.password, lang="en")
    assert english.status_code == 429  # the same login in another case is the same lock
    assert "Too many failed sign-ins" in english.text
    other = make_user(world.sessions, Role.AUDITOR)
    assert _try(world.server, other.login, other.password).status_code == 303


def test_an_address_is_throttled_across_logins(world: World) -> None:
    for _ in range(PER_ADDRESS):
        unknown = f"nobody-{uuid.uuid4().hex[:8]}"
        assert _try(world.server, unknown, "wrong").status_code == 401
    refused = _try(world.server, world.user.login, world.user.password)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0


def test_racing_attempts_pass_the_limit_no_more_than_it_allows(world: World) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(lambda _: _try(world.server, world.user.login, "x").status_code, range(12))
        )
    # Attempts still in flight count against each other, so a burst may pass fewer than the
    # limit, never more; whatever passed, the login is then locked.
    assert statuses.count(401) <= PER_LOGIN, statuses
    assert statuses.count(401) + statuses.count(429) == 12, statuses
    for _ in range(PER_LOGIN - statuses.count(401)):
        assert _try(world.server, world.user.login, "x").status_code == 401
    assert _try(world.server, world.user.login, world.user.password).status_code == 429


def test_an_administrator_unlocks_a_login_and_it_is_audited(world: World) -> None:
    for _ in range(PER_LOGIN):
        _try(world.server, world.user.login, "wrong")
    assert _try(world.server, world.user.login, world.user.password).status_code == 429
    env = {"JURYO_DATABASE_URL": world.database_url, "JURYO_STORAGE_URL": "file:/nonexistent"}
    result = CliRunner().invoke(cli, ["user", "unlock", world.user.login], env=env)
    assert result.exit_code == 0, result.output
    assert f"{PER_LOGIN} failed sign-ins forgotten" in result.output
    assert _try(world.server, world.user.login, world.user.password).status_code == 303
    with transaction(world.sessions) as session:
        actions = session.execute(
            select(AuditEvent.action).where(AuditEvent.action == "user.unlock")
        ).scalars()
        assert list(actions) == ["user.unlock"]


def test_an_administrator_unlocks_a_login_over_the_api(world: World) -> None:
    for _ in range(PER_LOGIN):
        _try(world.server, world.user.login, "wrong")
    assert _try(world.server, world.user.login, world.user.password).status_code == 429
    auditor = make_user(world.sessions, Role.AUDITOR)
    admin = make_user(world.sessions, Role.ADMIN)
    path = f"/api/v1/admin/users/{world.user.login}/unlock"
    with world.server.client(auditor.token) as client:
        assert client.post(path).status_code == 403
    assert _try(world.server, world.user.login, world.user.password).status_code == 429
    with world.server.client(admin.token) as client:
        unlocked = client.post(path)
    assert unlocked.status_code == 200, unlocked.text
    assert unlocked.json() == {"login": world.user.login, "failures_forgotten": PER_LOGIN}
    assert _try(world.server, world.user.login, world.user.password).status_code == 303


def test_failures_are_audited_with_login_and_address_but_no_password(world: World) -> None:
    _try(world.server, world.user.login, "my-secret-guess")
    with transaction(world.sessions) as session:
        events = (
            session.execute(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
            .scalars()
            .all()
        )
        assert [e.details for e in events] == [{"login": world.user.login, "address": "127.0.0.1"}]
        assert "my-secret-guess" not in str(events[0].details)


def test_a_success_forgets_earlier_failures(world: World) -> None:
    for _ in range(PER_LOGIN - 1):
        _try(world.server, world.user.login, "wrong")
    assert _try(world.server, world.user.login, world.user.password).status_code == 303
    for _ in range(PER_LOGIN - 1):
        assert _try(world.server, world.user.login, "wrong").status_code == 401
    assert _try(world.server, world.user.login, world.user.password).status_code == 303


def test_the_login_may_be_typed_in_any_case_or_width(unthrottled: World) -> None:
    login = unthrottled.user.login
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in login)
    for typed in (login.upper(), full_width):
        assert _try(unthrottled.server, typed, unthrottled.user.password).status_code == 303


def _median_seconds(server: LiveServer, login: str, tries: int = 5) -> float:
    times = []
    for _ in range(tries):
        with server.client() as client:
            client.headers.update(HTML)
            csrf = form_token(client.get("/login").text)
            data = {"login": login, "password": "wrong-password", "csrf_token": csrf}
            started = time.perf_counter()
            assert client.post("/login", data=data).status_code == 401
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_an_unknown_login_takes_as_long_as_a_wrong_password(unthrottled: World) -> None:
    _median_seconds(unthrottled.server, unthrottled.user.login, tries=1)  # warm up
    known = _median_seconds(unthrottled.server, unthrottled.user.login)
    unknown = _median_seconds(unthrottled.server, f"nobody-{uuid.uuid4().hex[:8]}")
    assert unknown >= 0.5 * known, (unknown, known)
