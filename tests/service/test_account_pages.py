"""Sign-up, the administrator's approval and a supplier's account page, over real HTTP."""

from __future__ import annotations

import re
import uuid

import httpx
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice
from tests.support import (
    HTML,
    LiveServer,
    form_token,
    make_department,
    make_supplier,
    make_user,
    registration_number,
    signed_in,
)


def _signup(client: httpx.Client, number: str, login: str) -> httpx.Response:
    csrf = form_token(client.get("/signup").text)
    return client.post(
        "/signup",
        data={
            "csrf_token": csrf,
            "registration_number": number,
            "company_name": "株式会社サインアップ",
            "contact_email": "keiri@example.jp",
            "login": login,
            "password": "correct horse battery",
        },
    )


def _wrong_check_digit(number: str) -> str:
    digit = int(number[1])
    return f"T{(digit + 1) % 10}{number[2:]}"


def test_signup_with_a_wrong_check_digit_is_a_clear_error(live_server: LiveServer) -> None:
    with live_server.client() as client:
        client.headers.update(HTML)
        response = _signup(client, _wrong_check_digit(registration_number()), "checkdigit")
    assert response.status_code == 400
    assert "検査数字が一致しません。番号をご確認ください" in response.text
    assert "株式会社サインアップ" in response.text  # the form keeps what was typed


def test_signup_without_the_form_token_is_refused(live_server: LiveServer) -> None:
    with live_server.client() as client:
        client.get("/signup")
        response = client.post(
            "/signup",
            data={
                "registration_number": registration_number(),
                "company_name": "x",
                "contact_email": "a@b.jp",
                "login": "x",
                "password": "correct horse battery",
            },
            headers=HTML,
        )
    assert response.status_code == 403


def _approve_form(html: str, number: str) -> str:
    row = html[html.index(number) :]
    match = re.search(r'action="(/admin/suppliers/\d+/approve)"', row)
    assert match is not None
    return match.group(1)


def test_signup_waits_for_approval_then_the_supplier_can_submit(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = registration_number()
    login = f"signup-{uuid.uuid4().hex[:8]}"
    with live_server.client() as visitor:
        visitor.headers.update(HTML)
        done = _signup(visitor, number, login)
    assert done.status_code == 201, done.text
    assert "承認をお待ちください" in done.text

    xml = jp_invoice(seller=number)
    with signed_in(live_server, login, "correct horse battery") as supplier:
        csrf = form_token(supplier.get("/invoices/upload").text)
        files = [("files", ("a.xml", xml, "application/xml"))]
        refused = supplier.post(
            "/invoices/upload", data={"csrf_token": csrf, "mode": "submit"}, files=files
        )
        assert refused.status_code == 403
        assert "承認待ち" in refused.text
        dry = supplier.post(
            "/invoices/upload", data={"csrf_token": csrf, "mode": "validate"}, files=files
        )
        assert dry.status_code == 200
        assert "問題ありません" in dry.text
        assert "承認待ち" in supplier.get("/account").text

        department = make_department(sessions)
        admin = make_user(sessions, Role.ADMIN)
        with signed_in(live_server, admin.login, admin.password) as admin_client:
            page = admin_client.get("/admin/suppliers")
            assert page.status_code == 200
            assert number in page.text
            approved = admin_client.post(
                _approve_form(page.text, number),
                data={
                    "csrf_token": form_token(page.text),
                    "creditor_number": f"C{uuid.uuid4().hex[:8]}",
                    "default_department": department,
                },
            )
            assert approved.status_code == 303
            after = admin_client.get(approved.headers["location"])
            assert "承認しました" in after.text
            assert f"<td>{number}</td>" not in after.text  # no longer pending

        accepted = supplier.post(
            "/invoices/upload", data={"csrf_token": csrf, "mode": "submit"}, files=files
        )
        assert accepted.status_code == 200
        assert "受付けました" in accepted.text


def test_admin_pages_are_for_admins_only(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    clerk = make_user(sessions, Role.CLERK, departments=(make_department(sessions),))
    with signed_in(live_server, clerk.login, clerk.password) as client:
        assert client.get("/admin/suppliers").status_code == 403
        assert client.get("/account").status_code == 403


def test_token_created_on_the_account_page_works_on_the_api(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    supplier = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with signed_in(live_server, supplier.login, supplier.password) as client:
        page = client.get("/account")
        assert page.status_code == 200
        created = client.post(
            "/account/tokens", data={"csrf_token": form_token(page.text), "name": "会計ソフト"}
        )
        assert created.status_code == 201
        match = re.search(r'id="new-token">([^<]+)<', created.text)
        assert match is not None
        token = match.group(1)
        assert "会計ソフト" in created.text
        with live_server.client(token) as api:
            assert api.get("/api/v1/me").json()["login"] == supplier.login

        token_id = re.findall(r'action="/account/tokens/(\d+)/revoke"', created.text)[0]
        revoked = client.post(
            f"/account/tokens/{token_id}/revoke", data={"csrf_token": form_token(page.text)}
        )
        assert revoked.status_code == 303
        with live_server.client(token) as api:
            assert api.get("/api/v1/me").status_code == 401

        colleague = f"colleague-{uuid.uuid4().hex[:8]}"
        added = client.post(
            "/account/users",
            data={
                "csrf_token": form_token(page.text),
                "login": colleague,
                "password": "another long password",
                "display_name": "経理 花子",
            },
        )
        assert added.status_code == 201
        assert colleague in added.text
    with signed_in(live_server, colleague, "another long password") as other:
        assert other.get("/account").status_code == 200


def test_account_forms_need_the_csrf_token(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    supplier = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with signed_in(live_server, supplier.login, supplier.password) as client:
        assert client.post("/account/tokens", data={"name": "x"}).status_code == 403
