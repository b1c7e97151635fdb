"""Supplier sign-up, approval, own tokens and colleagues; and plain-PDF data entry."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice, plain_pdf
from tests.support import (
    LiveServer,
    make_department,
    make_supplier,
    make_user,
    registration_number,
    unique,
)

XML = {"Content-Type": "application/xml"}


def _sign_up(live_server: LiveServer, number: str) -> tuple[str, str]:
    login, password = unique("new"), "a-long-password-1"
    with live_server.client() as client:
        response = client.post(
            "/api/v1/signup",
            json={
                "registration_number": number,
                "company_name": "株式会社あたらしい",
                "contact_email": "keiri@example.jp",
                "login": login,
                "password": password,
            },
        )
    assert response.status_code == 201, response.text
    return login, password


def _token_for(live_server: LiveServer, login: str, password: str) -> str:
    """Sign in through the login page and read a token over the session (as a browser would)."""
    import re

    with live_server.client() as client:
        page = client.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match is not None
        client.post(
            "/login", data={"login": login, "password": password, "csrf_token": match.group(1)}
        )
        home = client.get("/")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
        assert csrf is not None
        response = client.post(
            "/api/v1/account/tokens",
            json={"name": "erp"},
            headers={"X-CSRF-Token": csrf.group(1)},
        )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def test_sign_up_refuses_a_wrong_check_digit(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.post(
            "/api/v1/signup",
            json={
                "registration_number": "T1234567890123",
                "company_name": "x",
                "contact_email": "a@b.jp",
                "login": unique("x"),
                "password": "a-long-password-1",
            },
        )
    assert response.status_code == 400
    assert "check digit" in response.json()["detail"]


def test_signed_up_supplier_dry_runs_until_approved_then_submits(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = registration_number()
    login, password = _sign_up(live_server, number)
    with live_server.client() as client:
        client.post("/api/v1/signup", json={})  # malformed: 422, nothing created
    admin = make_user(sessions, Role.ADMIN)
    department = make_department(sessions)
    with live_server.client(admin.token) as client:
        pending = client.get("/api/v1/admin/suppliers").json()
        mine = next(s for s in pending if s["registration_number"] == number)
        assert mine["approved"] is False
    # Before approval the supplier cannot make tokens; sign in and try the session route.
    colleague_login = unique("colleague")
    with live_server.client(admin.token) as client:
        approved = client.post(
            f"/api/v1/admin/suppliers/{mine['id']}/approve",
            json={"creditor_number": unique("C"), "default_department": department},
        )
        assert approved.status_code == 200
        assert approved.json()["default_department"] == department
        again = client.post(f"/api/v1/admin/suppliers/{mine['id']}/approve", json={})
        assert again.status_code == 409
    token = _token_for(live_server, login, password)
    with live_server.client(token) as client:
        sent = client.post("/api/v1/invoices", content=jp_invoice(seller=number), headers=XML)
        assert sent.status_code == 201, sent.text
        assert sent.json()["department"] == department
        added = client.post(
            "/api/v1/account/users",
            json={"login": colleague_login, "password": "another-long-pw", "display_name": "経理"},
        )
        assert added.status_code == 201
        assert added.json()["role"] == "supplier"
        listed = client.get("/api/v1/account/tokens").json()
        assert [t["name"] for t in listed][:1] == ["erp"]
        token_id = listed[0]["id"]
        assert client.post(f"/api/v1/account/tokens/{token_id}/revoke").status_code == 204
        assert client.get("/api/v1/me").status_code == 401


def test_unapproved_supplier_cannot_make_tokens(live_server: LiveServer) -> None:
    login, password = _sign_up(live_server, registration_number())
    import re

    with live_server.client() as client:
        page = client.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match is not None
        client.post(
            "/login", data={"login": login, "password": password, "csrf_token": match.group(1)}
        )
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
        assert csrf is not None
        without_csrf = client.post("/api/v1/account/tokens", json={"name": "x"})
        refused = client.post(
            "/api/v1/account/tokens", json={"name": "x"}, headers={"X-CSRF-Token": csrf.group(1)}
        )
    assert without_csrf.status_code == 403
    assert "X-CSRF-Token" in without_csrf.json()["detail"]
    assert refused.status_code == 403
    assert "not approved" in refused.json()["detail"]


@pytest.mark.parametrize("role", [Role.CLERK, Role.ACCOUNTING, Role.AUDITOR, Role.SUPPLIER])
def test_only_admins_approve(
    live_server: LiveServer, sessions: sessionmaker[Session], role: Role
) -> None:
    department = make_department(sessions)
    kwargs: dict[str, object] = {}
    if role is Role.CLERK:
        kwargs["departments"] = (department,)
    if role is Role.SUPPLIER:
        kwargs["supplier"] = make_supplier(sessions)
    user = make_user(sessions, role, **kwargs)  # type: ignore[arg-type]
    with live_server.client(user.token) as client:
        assert client.get("/api/v1/admin/suppliers").status_code == 403
        assert client.post("/api/v1/admin/suppliers/1/approve", json={}).status_code == 403


def test_plain_pdf_data_entry_is_stored_beside_the_original(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    document = plain_pdf(registration_number=number)
    with live_server.client(supplier.token) as client:
        sent = client.post(
            "/api/v1/invoices", content=document, headers={"Content-Type": "application/pdf"}
        ).json()
        entry = {
            "registration_number": number,
            "invoice_number": "A-100",
            "issue_date": "2026-11-20",
            "total": "11000",
            "taxes": [{"rate": "10", "taxable_amount": "10000", "tax_amount": "1000"}],
        }
        entered = client.put(
            f"/api/v1/invoices/{sent['id']}/data-entry", json={**entry, "version": 1}
        )
        assert entered.status_code == 200, entered.text
        body = entered.json()
        assert body["data_entry"]["total"] == "11000"
        assert body["needs_data_entry"] is True  # a clerk still has to confirm
        assert body["history"][-1]["action"] == "invoice.data_entry"
        assert client.get(f"/api/v1/invoices/{sent['id']}/original").content == document
        wrong = client.put(
            f"/api/v1/invoices/{sent['id']}/data-entry",
            json={**entry, "registration_number": "T7123456789012", "version": 2},
        )
        assert wrong.status_code == 400
        xml = client.post("/api/v1/invoices", content=jp_invoice(seller=number), headers=XML).json()
        assert (
            client.put(
                f"/api/v1/invoices/{xml['id']}/data-entry", json={**entry, "version": 1}
            ).status_code
            == 400
        )
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    with live_server.client(clerk.token) as client:
        confirmed = client.put(
            f"/api/v1/invoices/{sent['id']}/data-entry", json={**entry, "version": 2}
        ).json()
    assert confirmed["needs_data_entry"] is False
    assert confirmed["payable_amount"] == "11000"
