"""Test helpers: a live uvicorn server and typed factories for users and organisation."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from parsers.registration import check_digit
from service.accounts.service import add_user
from service.app import create_app
from service.organisation.service import add_department, add_supplier
from service.settings import Settings
from storage.audit import Actor
from storage.db import transaction
from storage.models import Role
from tests.s3server import free_port

TEST_ACTOR = Actor(login="test", role="admin")

HTML = {"Accept": "text/html"}


def form_token(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, html
    return match.group(1)


@contextmanager
def signed_in(live_server: LiveServer, login: str, password: str) -> Iterator[httpx.Client]:
    """A browser-like client signed in through the login form."""
    with live_server.client() as client:
        client.headers.update(HTML)
        csrf = form_token(client.get("/login").text)
        response = client.post(
            "/login", data={"login": login, "password": password, "csrf_token": csrf}
        )
        assert response.status_code == 303, response.text
        yield client


@dataclass(frozen=True)
class LiveServer:
    """A running app: its base URL."""

    base_url: str

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client, with a bearer token when given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)


@contextmanager
def start_live_server(settings: Settings, *, app: FastAPI | None = None) -> Iterator[LiveServer]:
    """Serve ``create_app(settings)`` (or ``app``) with uvicorn in a thread until the block
    ends."""
    port = free_port()
    config = uvicorn.Config(
        app or create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def unique(prefix: str) -> str:
    """A name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def registration_number(seed: int | None = None) -> str:
    """A well-formed registration number with a correct check digit."""
    base = f"{(seed if seed is not None else uuid.uuid4().int) % 10**12:012d}"
    return f"T{check_digit(base)}{base}"


@dataclass(frozen=True)
class Account:
    """A created user: login, password and API token."""

    login: str
    password: str
    token: str
    role: Role


def make_department(
    sessions: sessionmaker[Session], *, threshold: Decimal = Decimal(1_000_000)
) -> str:
    """A new department; returns its code."""
    code = unique("DEPT")
    with transaction(sessions) as session:
        add_department(
            session, actor=TEST_ACTOR, code=code, name=f"部署 {code}", approval_threshold=threshold
        )
    return code


def make_supplier(sessions: sessionmaker[Session], *, department: str | None = None) -> str:
    """A new supplier; returns its registration number."""
    number = registration_number()
    with transaction(sessions) as session:
        add_supplier(
            session,
            actor=TEST_ACTOR,
            registration_number=number,
            name=f"株式会社テスト {number}",
            default_department_code=department,
        )
    return number


def make_user(
    sessions: sessionmaker[Session],
    role: Role,
    *,
    departments: tuple[str, ...] = (),
    supplier: str | None = None,
) -> Account:
    """A new user with a password and an API token."""
    login = unique(role.value)
    password = f"pw-{uuid.uuid4().hex}"
    with transaction(sessions) as session:
        created = add_user(
            session,
            actor=TEST_ACTOR,
            login=login,
            role=role,
            department_codes=list(departments),
            supplier_registration=supplier,
            password=password,
        )
    assert created.token is not None
    return Account(login=login, password=password, token=created.token, role=role)
