"""Administrators manage users over the API, over real HTTP: the list with status and
filters, deactivation (sessions and tokens refused at once), reactivation, role and
departments by the rules of a new user, one-time password reset codes; every change audited,
and nobody else may."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import AuditEvent, PasswordReset, Role, User, utcnow
from tests.support import (
    LiveServer,
    form_token,
    make_department,
    make_supplier,
    make_user,
    registration_number,
    signed_in,
    unique,
)

NEW_PASSWORD = "a-brand-new-password"


@pytest.fixture(scope="module")
def admin_token(sessions: sessionmaker[Session]) -> str:
    return make_user(sessions, Role.ADMIN).token


def _admin(live_server: LiveServer, token: str) -> httpx.Client:
    return live_server.client(token)


def _actions(sessions: sessionmaker[Session], login: str) -> list[str]:
    """The audited changes to the user ``login``, oldest first (not failed sign-ins)."""
    with sessions() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.details)
            .where(AuditEvent.entity_type == "user")
            .order_by(AuditEvent.id)
        ).all()
    return [
        action
        for action, details in rows
        if action.startswith("user.") and (details or {}).get("login") == login
    ]


def test_the_list_shows_status_and_filters_by_role_status_and_text(
    live_server: LiveServer, sessions: sessionmaker[Session], admin_token: str
) -> None:
    department = make_department(sessions)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    with _admin(live_server, admin_token) as admin:
        found = admin.get("/api/v1/admin/users", params={"q": clerk.login.upper()}).json()
        assert [(u["login"], u["status"], u["departments"]) for u in found] == [
            (clerk.login, "active", [department])
        ]
        clerks = admin.get("/api/v1/admin/users", params={"role": "clerk"}).json()
        assert clerk.login in {u["login"] for u in clerks}
        assert {u["role"] for u in clerks} == {"clerk"}
        assert admin.post(f"/api/v1/admin/users/{clerk.login}/deactivate").status_code == 200
        off = admin.get("/api/v1/admin/users", params={"status": "deactivated"}).json()
        assert clerk.login in {u["login"] for u in off}
        assert {u["status"] for u in off} == {"deactivated"}
        on = admin.get("/api/v1/admin/users", params={"status": "active"}).json()
        assert clerk.login not in {u["login"] for u in on}
        assert admin.get("/api/v1/admin/users", params={"status": "nope"}).status_code == 422


def test_a_pending_sign_up_is_listed_as_pending(
    live_server: LiveServer, sessions: sessionmaker[Session], admin_token: str
) -> None:
    login = unique("applicant")
    with live_server.client() as anonymous:
        signed_up = anonymous.post(
            "/api/v1/signup",
            json={
                "registration_number": registration_number(),
                "company_name": "株式会社まだ",
                "contact_email": "keiri@example.jp",
                "login": login,
                "password": "long-enough-password",
            },
        )
        assert signed_up.status_code == 201, signed_up.text
    with _admin(live_server, admin_token) as admin:
        pending = admin.get("/api/v1/admin/users", params={"status": "pending"}).json()
    assert login in {u["login"] for u in pending}


def test_a_deactivated_users_session_and_token_stop_at_once_and_return_on_reactivation(
    live_server: LiveServer, sessions: sessionmaker[Session], admin_token: str
) -> None:
    accountant = make_user(sessions, Role.ACCOUNTING)
    with signed_in(live_server, accountant.login, accountant.password) as browser:
        assert browser.get("/accounting").status_code == 200
        with (
            live_server.client(accountant.token) as program,
            _admin(live_server, admin_token) as admin,
        ):
            assert program.get("/api/v1/batches").status_code == 200
            off = admin.post(f"/api/v1/admin/users/{accountant.login}/deactivate")
            assert off.status_code == 200, off.text
            assert (off.json()["active"], off.json()["status"]) == (False, "deactivated")
            assert program.get("/api/v1/batches").status_code == 401
            page = browser.get("/accounting")
            assert page.status_code == 303
            assert page.headers["location"].startswith("/login")
            with live_server.client() as again:
                assert _sign_in_status(again, accountant.login, accountant.password) != 303
            on = admin.post(f"/api/v1/admin/users/{accountant.login}/reactivate")
            assert on.status_code == 200
            assert on.json()["status"] == "active"
            assert program.get("/api/v1/batches").status_code == 200
    with signed_in(live_server, accountant.login, accountant.password) as browser:
        assert browser.get("/accounting").status_code == 200
    assert _actions(sessions, accountant.login)[-2:] == ["user.deactivate", "user.reactivate"]


def _sign_in_status(client: httpx.Client, login: str, password: str) -> int:
    client.headers["Accept"] = "text/html"
    csrf = form_token(client.get("/login").text)
    response = client.post(
        "/login", data={"login": login, "password": password, "csrf_token": csrf}
    )
    return response.status_code


def test_an_admin_may_not_deactivate_themself_or_change_their_own_role(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    me = make_user(sessions, Role.ADMIN)
    with _admin(live_server, me.token) as admin:
        refused = admin.post(f"/api/v1/admin/users/{me.login}/deactivate")
        assert refused.status_code == 409
        assert "自分自身" in refused.json()["message_ja"]
        demoted = admin.patch(f"/api/v1/admin/users/{me.login}", json={"role": "auditor"})
        assert demoted.status_code == 409
        mine = admin.get("/api/v1/admin/users", params={"q": me.login}).json()
    assert (mine[0]["role"], mine[0]["active"]) == ("admin", True)


def test_role_and_departments_change_by_the_rules_of_a_new_user(
    live_server: LiveServer, sessions: sessionmaker[Session], admin_token: str
) -> None:
    first, second = make_department(sessions), make_department(sessions)
    clerk = make_user(sessions, Role.CLERK, departments=(first,))
    supplier = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    path = f"/api/v1/admin/users/{clerk.login}"
    with _admin(live_server, admin_token) as admin:
        moved = admin.patch(path, json={"departments": [first, second]})
        assert moved.status_code == 200, moved.text
        assert moved.json()["departments"] == sorted([first, second])
        assert admin.patch(path, json={"departments": []}).status_code == 400
        assert admin.patch(path, json={"departments": ["NOPE-99"]}).status_code == 404
        promoted = admin.patch(path, json={"role": "accounting"})
        assert promoted.status_code == 200, promoted.text
        assert (promoted.json()["role"], promoted.json()["departments"]) == ("accounting", [])
        assert admin.patch(path, json={"departments": [first]}).status_code == 400
        assert admin.patch(path, json={"role": "clerk"}).status_code == 400
        back = admin.patch(path, json={"role": "clerk", "departments": [second]})
        assert back.json()["departments"] == [second]
        assert admin.patch(path, json={"role": "supplier"}).status_code == 400
        staff = admin.patch(f"/api/v1/admin/users/{supplier.login}", json={"role": "clerk"})
        assert staff.status_code == 400
        assert "supplier" in staff.json()["message_en"]
        assert admin.patch("/api/v1/admin/users/nobody-here", json={}).status_code == 404
    with live_server.client(clerk.token) as program:
        assert program.get("/api/v1/inbox").status_code == 200
    assert _actions(sessions, clerk.login).count("user.change") == 3


def test_a_reset_code_sets_a_new_password_once_and_the_old_one_stops(
    live_server: LiveServer, sessions: sessionmaker[Session], admin_token: str
) -> None:
    auditor = make_user(sessions, Role.AUDITOR)
    with signed_in(live_server, auditor.login, auditor.password) as browser:
        with _admin(live_server, admin_token) as admin:
            issued = admin.post(f"/api/v1/admin/users/{auditor.login}/password-reset")
        assert issued.status_code == 201, issued.text
        code = issued.json()["code"]
        assert issued.json()["path"] == f"/password-reset?code={code}"
        with sessions() as session:
            stored = session.execute(select(PasswordReset.code_hash)).scalars().all()
        assert code not in stored
        with live_server.client() as anonymous:
            short = anonymous.post("/api/v1/password-reset", json={"code": code, "password": "x"})
            assert short.status_code == 422
            done = anonymous.post(
                "/api/v1/password-reset", json={"code": code, "password": NEW_PASSWORD}
            )
            assert done.status_code == 204, done.text
            again = anonymous.post(
                "/api/v1/password-reset", json={"code": code, "password": NEW_PASSWORD + "2"}
            )
            assert again.status_code == 400
            assert "使用済み" in again.json()["message_ja"]
        assert browser.get("/admin/audit").status_code == 303  # the old session ended
    with live_server.client() as client:
        assert _sign_in_status(client, auditor.login, auditor.password) != 303
    with live_server.client() as client:
        assert _sign_in_status(client, auditor.login, NEW_PASSWORD) == 303
    assert _actions(sessions, auditor.login)[-2:] == ["user.password_reset", "user.password_set"]


def test_an_expired_a_superseded_or_a_deactivated_users_code_is_refused(
    live_server: LiveServer, sessions: sessionmaker[Session], admin_token: str
) -> None:
    auditor = make_user(sessions, Role.AUDITOR)
    path = f"/api/v1/admin/users/{auditor.login}"
    with _admin(live_server, admin_token) as admin, live_server.client() as anonymous:

        def redeem(code: str) -> int:
            body = {"code": code, "password": NEW_PASSWORD}
            return anonymous.post("/api/v1/password-reset", json=body).status_code

        expired = admin.post(f"{path}/password-reset").json()["code"]
        with transaction(sessions) as session:
            session.execute(
                update(PasswordReset)
                .where(
                    PasswordReset.user_id.in_(select(User.id).where(User.login == auditor.login))
                )
                .values(expires_at=utcnow() - dt.timedelta(seconds=1))
            )
        assert redeem(expired) == 400
        superseded = admin.post(f"{path}/password-reset").json()["code"]
        newest = admin.post(f"{path}/password-reset").json()["code"]
        assert redeem(superseded) == 400
        assert admin.post(f"{path}/deactivate").status_code == 200
        assert redeem(newest) == 400
        assert admin.post(f"{path}/reactivate").status_code == 200
        assert redeem(newest) == 400  # deactivation spent it for good
        assert admin.post(f"{path}/deactivate").status_code == 200
        assert admin.post(f"{path}/password-reset").status_code == 409
        assert redeem("no-such-code") == 400
    with live_server.client() as client:
        assert _sign_in_status(client, auditor.login, NEW_PASSWORD) != 303


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPPLIER, Role.ACCOUNTING, Role.AUDITOR])
def test_nobody_but_an_admin_manages_users(
    live_server: LiveServer, sessions: sessionmaker[Session], role: Role
) -> None:
    department = make_department(sessions)
    target = make_user(sessions, Role.CLERK, departments=(department,))
    caller = make_user(
        sessions,
        role,
        departments=(department,) if role is Role.CLERK else (),
        supplier=make_supplier(sessions) if role is Role.SUPPLIER else None,
    )
    base = f"/api/v1/admin/users/{target.login}"
    with live_server.client(caller.token) as client:
        assert client.get("/api/v1/admin/users").status_code == 403
        assert client.patch(base, json={"role": "accounting"}).status_code == 403
        assert client.post(f"{base}/deactivate").status_code == 403
        assert client.post(f"{base}/reactivate").status_code == 403
        assert client.post(f"{base}/password-reset").status_code == 403
    with live_server.client(target.token) as program:
        assert program.get("/api/v1/inbox").status_code == 200
    assert _actions(sessions, target.login) == ["user.add"]
