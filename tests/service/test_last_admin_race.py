"""The last active administrator stays, even when two administrators deactivate, or demote,
each other at the same instant: real parallel requests against a live server, on a database
of its own (the shared one has administrators enough to hide the race)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.db import create_db_engine, session_factory
from storage.models import Role, User
from tests.conftest import new_database_url
from tests.support import Account, LiveServer, make_user, start_live_server

ROUNDS = 12


@pytest.fixture
def two_admins(
    tmp_path: Path, storage_url: tuple[str, str | None]
) -> Iterator[tuple[LiveServer, sessionmaker[Session], Account, Account]]:
    url = new_database_url(tmp_path)
    objects, endpoint = storage_url
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    first, second = make_user(sessions, Role.ADMIN), make_user(sessions, Role.ADMIN)
    settings = Settings(
        database_url=url, storage_url=objects, s3_endpoint_url=endpoint, log_json=False
    )
    try:
        with start_live_server(settings) as server:
            yield server, sessions, first, second
    finally:
        engine.dispose()


def _active_admins(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return (
            session.scalar(
                select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
            )
            or 0
        )


def _at_once(
    server: LiveServer, first: Account, second: Account, send: Callable[[httpx.Client, str], int]
) -> list[int]:
    """Each administrator acts on the other, both requests released by one barrier."""
    barrier = threading.Barrier(2, timeout=30)

    def act(caller: Account, target: Account) -> int:
        with server.client(caller.token) as client:
            barrier.wait()
            return send(client, target.login)

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(act, first, second), pool.submit(act, second, first)]
        return sorted(future.result() for future in futures)


def _survivor(sessions: sessionmaker[Session], first: Account, second: Account) -> Account:
    with sessions() as session:
        active = session.scalars(
            select(User.login).where(User.role == Role.ADMIN, User.active)
        ).all()
    assert len(active) == 1
    return first if active[0] == first.login else second


def test_two_admins_deactivating_each_other_leave_one_active(
    two_admins: tuple[LiveServer, sessionmaker[Session], Account, Account],
) -> None:
    server, sessions, first, second = two_admins
    for _ in range(ROUNDS):
        statuses = _at_once(
            server,
            first,
            second,
            lambda client, login: (
                client.post(f"/api/v1/admin/users/{login}/deactivate").status_code
            ),
        )
        assert statuses[0] == 200, statuses
        assert statuses[1] in (401, 409), statuses
        assert _active_admins(sessions) == 1
        survivor = _survivor(sessions, first, second)
        other = second if survivor is first else first
        with server.client(survivor.token) as client:
            assert client.post(f"/api/v1/admin/users/{other.login}/reactivate").status_code == 200
        assert _active_admins(sessions) == 2


def test_two_admins_demoting_each_other_leave_one_admin(
    two_admins: tuple[LiveServer, sessionmaker[Session], Account, Account],
) -> None:
    server, sessions, first, second = two_admins
    for _ in range(ROUNDS):
        statuses = _at_once(
            server,
            first,
            second,
            lambda client, login: (
                client.patch(f"/api/v1/admin/users/{login}", json={"role": "auditor"}).status_code
            ),
        )
        assert statuses[0] == 200, statuses
        assert statuses[1] in (403, 409), statuses
        assert _active_admins(sessions) == 1
        survivor = _survivor(sessions, first, second)
        other = second if survivor is first else first
        with server.client(survivor.token) as client:
            back = client.patch(f"/api/v1/admin/users/{other.login}", json={"role": "admin"})
            assert back.status_code == 200
        assert _active_admins(sessions) == 2
