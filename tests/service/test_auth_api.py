"""Bearer tokens and cookie sessions, including what a caller may not do."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from service.auth.secrets import token_hash
from storage.db import transaction
from storage.models import Role, WebSession
from tests.support import LiveServer, make_department, make_supplier, make_user


def test_me_returns_the_caller_of_a_token(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    department = make_department(sessions)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    with live_server.client(clerk.token) as client:
        response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "login": clerk.login,
        "role": "clerk",
        "display_name": None,
        "supplier_id": None,
        "departments": [department],
    }


def test_supplier_token_is_bound_to_its_supplier(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    supplier = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with live_server.client(supplier.token) as client:
        body = client.get("/api/v1/me").json()
    assert body["role"] == "supplier"
    assert isinstance(body["supplier_id"], int)
    assert body["departments"] == []


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "send an API token"),
        ({"Authorization": "Bearer jy_not-a-real-token"}, "unknown or revoked"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "send an API token"),
    ],
)
def test_missing_or_wrong_token_is_a_clear_401(
    live_server: LiveServer, headers: dict[str, str], detail: str
) -> None:
    with live_server.client() as client:
        response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "unauthorized"
    assert detail in body["detail"]
    assert "Traceback" not in response.text


def _login_csrf(client: httpx.Client) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match is not None
    return match.group(1)


def test_browser_signs_in_and_the_session_cookie_identifies_it(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    auditor = make_user(sessions, Role.AUDITOR)
    with live_server.client() as client:
        csrf = _login_csrf(client)
        response = client.post(
            "/login",
            data={"login": auditor.login, "password": auditor.password, "csrf_token": csrf},
        )
        assert response.status_code == 303
        assert "juryo_session" in client.cookies
        assert client.get("/api/v1/me").json()["login"] == auditor.login
        home = client.get("/")
        assert home.status_code == 200
        assert auditor.login in home.text


def test_login_without_the_form_token_is_refused(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    user = make_user(sessions, Role.AUDITOR)
    with live_server.client() as client:
        _login_csrf(client)
        response = client.post(
            "/login",
            data={"login": user.login, "password": user.password, "csrf_token": "forged"},
        )
    assert response.status_code == 403
    assert "juryo_session" not in response.cookies


def test_wrong_password_shows_the_form_again(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    user = make_user(sessions, Role.AUDITOR)
    with live_server.client() as client:
        csrf = _login_csrf(client)
        response = client.post(
            "/login", data={"login": user.login, "password": "wrong", "csrf_token": csrf}
        )
    assert response.status_code == 401
    assert "ログインIDまたはパスワードが正しくありません" in response.text
    assert "juryo_session" not in response.cookies


def test_expired_session_is_refused_and_pages_redirect_to_login(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    user = make_user(sessions, Role.AUDITOR)
    with live_server.client() as client:
        csrf = _login_csrf(client)
        client.post(
            "/login", data={"login": user.login, "password": user.password, "csrf_token": csrf}
        )
        cookie = client.cookies["juryo_session"]
        with transaction(sessions) as session:
            session.execute(
                update(WebSession)
                .where(WebSession.session_hash == token_hash(cookie))
                .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
            )
        api = client.get("/api/v1/me")
        assert api.status_code == 401
        assert "expired" in api.json()["detail"]
        page = client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login?next=")


def test_logout_needs_the_csrf_token_and_ends_the_session(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    user = make_user(sessions, Role.AUDITOR)
    with live_server.client() as client:
        csrf = _login_csrf(client)
        client.post(
            "/login", data={"login": user.login, "password": user.password, "csrf_token": csrf}
        )
        home = client.get("/")
        match = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
        assert match is not None
        assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
        assert client.get("/api/v1/me").status_code == 200
        assert client.post("/logout", data={"csrf_token": match.group(1)}).status_code == 303
        assert client.get("/api/v1/me").status_code == 401


def test_tokens_are_stored_only_as_hashes(sessions: sessionmaker[Session]) -> None:
    from sqlalchemy import select

    from storage.models import ApiToken

    account = make_user(sessions, Role.ACCOUNTING)
    with sessions() as session:
        stored = list(session.execute(select(ApiToken.token_hash)).scalars())
    assert account.token not in stored
    assert token_hash(account.token) in stored
