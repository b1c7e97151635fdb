"""One login rule everywhere: the web forms check what the API checks (login characters,
e-mail syntax), and a login is unique whatever its case or width, down to the database."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import Role
from storage.repositories import users
from tests.support import (
    HTML,
    LiveServer,
    form_token,
    make_supplier,
    make_user,
    registration_number,
    signed_in,
)

CYRILLIC_A = "\u0430"


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _signup(server: LiveServer, *, login: str, email: str = "keiri@example.jp") -> httpx.Response:
    with server.client() as client:
        client.headers.update(HTML)
        csrf = form_token(client.get("/signup").text)
        return client.post(
            "/signup",
            data={
                "csrf_token": csrf,
                "registration_number": registration_number(),
                "company_name": "株式会社ログイン",
                "contact_email": email,
                "login": login,
                "password": "correct horse battery",
            },
        )


@pytest.mark.parametrize(
    "login",
    [f"{CYRILLIC_A}dmin-x1", "has space", "ab", "x" * 121, "名前"],
)
def test_the_web_signup_refuses_the_logins_the_api_refuses(
    live_server: LiveServer, login: str
) -> None:
    response = _signup(live_server, login=login)
    assert response.status_code == 400, response.text
    assert "ログインIDは3〜120文字" in response.text
    with live_server.client() as client:
        api = client.post(
            "/api/v1/signup",
            json={
                "registration_number": registration_number(),
                "company_name": "株式会社ログイン",
                "contact_email": "keiri@example.jp",
                "login": login,
                "password": "correct horse battery",
            },
        )
    assert api.status_code == 422


@pytest.mark.parametrize("email", ["no-at-sign", "a@b", "two@@example.jp", "sp ace@example.jp"])
def test_the_web_signup_refuses_a_malformed_email(live_server: LiveServer, email: str) -> None:
    response = _signup(live_server, login=f"mail-{uuid.uuid4().hex[:8]}", email=email)
    assert response.status_code == 400, response.text
    assert "メールアドレスの形式が正しくありません" in response.text


def test_a_login_in_another_case_is_taken_on_every_way_in(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    taken = f"taken-{uuid.uuid4().hex[:8]}"
    assert _signup(live_server, login=taken).status_code == 201
    web = _signup(live_server, login=taken.upper())
    assert web.status_code == 409, web.text
    assert "このログインIDは使われています" in web.text
    with live_server.client() as client:
        api = client.post(
            "/api/v1/signup",
            json={
                "registration_number": registration_number(),
                "company_name": "株式会社ログイン",
                "contact_email": "keiri@example.jp",
                "login": taken.upper(),
                "password": "correct horse battery",
            },
        )
    assert api.status_code == 409, api.text
    admin = make_user(sessions, Role.ADMIN)
    with live_server.client(admin.token) as client:
        by_admin = client.post(
            "/api/v1/admin/users", json={"login": taken.title(), "role": "auditor"}
        )
    assert by_admin.status_code == 409, by_admin.text


def test_the_add_colleague_form_applies_the_same_rules(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    supplier = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with signed_in(live_server, supplier.login, supplier.password) as client:
        csrf = form_token(client.get("/account").text)

        def add(login: str) -> httpx.Response:
            return client.post(
                "/account/users",
                data={"csrf_token": csrf, "login": login, "password": "another long password"},
            )

        homoglyph = add(f"{CYRILLIC_A}dmin-{uuid.uuid4().hex[:6]}")
        assert homoglyph.status_code == 400, homoglyph.text
        assert "ログインIDは3〜120文字" in homoglyph.text
        same = add(supplier.login.upper())
        assert same.status_code == 409, same.text
        assert "このログインIDは使われています" in same.text
        # Full width is normalised (NFKC) to the ASCII login, which is taken.
        assert add(_full_width(supplier.login)).status_code == 409


def test_the_database_refuses_a_login_that_differs_only_in_case_or_width(
    sessions: sessionmaker[Session],
) -> None:
    login = f"unique-{uuid.uuid4().hex[:8]}"
    with transaction(sessions) as session:
        users.add_user(
            session, login=login, role="auditor", password_hash=None, departments=[], supplier=None
        )
    for other in (login.upper(), _full_width(login)):
        with pytest.raises(IntegrityError), transaction(sessions) as session:
            users.add_user(
                session,
                login=other,
                role="auditor",
                password_hash=None,
                departments=[],
                supplier=None,
            )
