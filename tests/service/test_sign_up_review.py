"""Sign-up review over real HTTP: one form of a registration number, one account per number,
an administrator's rejection with a reason, and what a pending or rejected applicant sees."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parsers import registration
from storage.models import AuditEvent, Role, Supplier
from storage.repositories import organisation
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
    unique,
)

XML = {"Content-Type": "application/xml"}
PASSWORD = "a-long-password-1"


def _full_width(text: str) -> str:
    """The number as a Japanese input method in full-width mode types it."""
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def _sign_up(
    client: httpx.Client, number: str, company: str = "株式会社ぜんかく"
) -> httpx.Response:
    return client.post(
        "/api/v1/signup",
        json={
            "registration_number": number,
            "company_name": company,
            "contact_email": "keiri@example.jp",
            "login": unique("applicant"),
            "password": PASSWORD,
        },
    )


def _pending_id(live_server: LiveServer, admin_token: str, number: str) -> int:
    with live_server.client(admin_token) as client:
        pending = client.get("/api/v1/admin/suppliers").json()
    return int(next(s["id"] for s in pending if s["registration_number"] == number))


def test_the_issues_number_in_full_width_is_one_form() -> None:
    assert registration.normalize("Ｔ８０１０００１００８８４３") == "T8010001008843"
    assert registration.normalize("t 8010-0010ー08843") == "T8010001008843"
    assert not registration.is_well_formed("T８０１０００１００８８４３")


def test_a_full_width_sign_up_is_stored_in_one_form_and_submits_its_invoices(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = registration_number()
    login = unique("zenkaku")
    with live_server.client() as client:
        signed_up = client.post(
            "/api/v1/signup",
            json={
                "registration_number": _full_width(number),
                "company_name": "株式会社ぜんかく",
                "contact_email": "keiri@example.jp",
                "login": login,
                "password": PASSWORD,
            },
        )
    assert signed_up.status_code == 201, signed_up.text
    admin = make_user(sessions, Role.ADMIN)
    supplier_id = _pending_id(live_server, admin.token, number)
    with live_server.client(admin.token) as client:
        approved = client.post(f"/api/v1/admin/suppliers/{supplier_id}/approve", json={})
    assert approved.status_code == 200, approved.text
    with signed_in(live_server, login, PASSWORD) as browser:
        csrf = form_token(browser.get("/invoices/upload").text)
        sent = browser.post(
            "/invoices/upload",
            data={"csrf_token": csrf, "mode": "submit"},
            files={"files": ("own.xml", jp_invoice(seller=number), "application/xml")},
        )
    assert sent.status_code == 200, sent.text
    assert "/invoices/" in sent.text
    with sessions() as session:
        stored = session.execute(
            select(Supplier.registration_number).where(Supplier.id == supplier_id)
        ).scalar_one()
    assert stored == number


def test_a_second_sign_up_with_the_same_number_names_the_account(live_server: LiveServer) -> None:
    number = registration_number()
    spaced = f"{number[0].lower()} {number[1:5]}-{number[5:]}"
    with live_server.client() as client:
        assert _sign_up(client, number, "株式会社さいしょ").status_code == 201
        second = _sign_up(client, spaced, "株式会社にばんめ")
    assert second.status_code == 409
    body = second.json()
    assert "株式会社さいしょ" in body["message_ja"]
    assert "承認待ち" in body["message_ja"]
    assert "株式会社さいしょ" in body["message_en"]
    assert "pending approval" in body["message_en"]


def test_the_sign_up_page_refuses_a_second_number_in_the_readers_language(
    live_server: LiveServer,
) -> None:
    number = registration_number()
    with live_server.client() as client:
        assert _sign_up(client, number, "株式会社ページ").status_code == 201
        client.headers.update(HTML)
        for lang, words in (("ja", "既にアカウント"), ("en", "already has an account")):
            csrf = form_token(client.get(f"/signup?lang={lang}").text)
            page = client.post(
                f"/signup?lang={lang}",
                data={
                    "csrf_token": csrf,
                    "registration_number": _full_width(number),
                    "company_name": "株式会社にばんめ",
                    "contact_email": "keiri@example.jp",
                    "login": unique("second"),
                    "password": PASSWORD,
                },
            )
            assert page.status_code == 409
            assert words in page.text
            assert "株式会社ページ" in page.text


def test_an_admin_rejects_a_sign_up_and_the_applicant_reads_why(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = registration_number()
    login = unique("rejected")
    with live_server.client() as client:
        response = client.post(
            "/api/v1/signup",
            json={
                "registration_number": number,
                "company_name": "株式会社きゃっか",
                "contact_email": "keiri@example.jp",
                "login": login,
                "password": PASSWORD,
            },
        )
        assert response.status_code == 201
    admin = make_user(sessions, Role.ADMIN)
    supplier_id = _pending_id(live_server, admin.token, number)
    with live_server.client(admin.token) as client:
        empty = client.post(f"/api/v1/admin/suppliers/{supplier_id}/reject", json={"reason": " "})
        rejected = client.post(
            f"/api/v1/admin/suppliers/{supplier_id}/reject",
            json={"reason": "登録番号が公表サイトにありません"},
        )
        again = client.post(
            f"/api/v1/admin/suppliers/{supplier_id}/reject", json={"reason": "again"}
        )
        pending = client.get("/api/v1/admin/suppliers").json()
    assert empty.status_code == 400
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["rejection_reason"] == "登録番号が公表サイトにありません"
    assert rejected.json()["approved"] is False
    assert again.status_code == 409
    assert "却下" in again.json()["message_ja"]
    assert supplier_id not in [s["id"] for s in pending]
    with sessions() as session:
        event = session.execute(
            select(AuditEvent).where(
                AuditEvent.action == "supplier.reject", AuditEvent.entity_id == str(supplier_id)
            )
        ).scalar_one()
    assert event.actor_login == admin.login
    assert event.reason == "登録番号が公表サイトにありません"
    with signed_in(live_server, login, PASSWORD) as browser:
        for lang, words in (("ja", "却下されたため"), ("en", "was rejected, so")):
            home = browser.get(f"/?lang={lang}").text
            assert 'id="signup-rejected"' in home
            assert words in home
        for lang, words in (("ja", "却下されました"), ("en", "was rejected")):
            page = browser.get(f"/account?lang={lang}")
            assert words in page.text
            assert "登録番号が公表サイトにありません" in page.text
        csrf = form_token(browser.get("/invoices/upload").text)
        refused = browser.post(
            "/invoices/upload",
            data={"csrf_token": csrf, "mode": "submit"},
            files={"files": ("mine.xml", jp_invoice(seller=number), "application/xml")},
        )
    assert refused.status_code == 403


def test_the_admin_page_rejects_a_sign_up_with_a_reason(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = registration_number()
    with live_server.client() as client:
        assert _sign_up(client, number, "株式会社がめん").status_code == 201
    admin = make_user(sessions, Role.ADMIN)
    supplier_id = _pending_id(live_server, admin.token, number)
    with signed_in(live_server, admin.login, admin.password) as browser:
        page = browser.get("/admin/suppliers")
        assert f'action="/admin/suppliers/{supplier_id}/reject"' in page.text
        done = browser.post(
            f"/admin/suppliers/{supplier_id}/reject",
            data={"csrf_token": form_token(page.text), "reason": "重複した申請です"},
        )
        assert done.status_code == 303
        assert f'id="supplier-{supplier_id}"' not in browser.get(done.headers["location"]).text
    with sessions() as session:
        supplier = session.get(Supplier, supplier_id)
        assert supplier is not None
        assert supplier.rejection_reason == "重複した申請です"


@pytest.mark.parametrize("role", [Role.CLERK, Role.ACCOUNTING, Role.AUDITOR, Role.SUPPLIER])
def test_only_admins_reject(
    live_server: LiveServer, sessions: sessionmaker[Session], role: Role
) -> None:
    number = registration_number()
    with live_server.client() as client:
        assert _sign_up(client, number).status_code == 201
    admin = make_user(sessions, Role.ADMIN)
    supplier_id = _pending_id(live_server, admin.token, number)
    kwargs: dict[str, object] = {}
    if role is Role.CLERK:
        kwargs["departments"] = (make_department(sessions),)
    if role is Role.SUPPLIER:
        kwargs["supplier"] = make_supplier(sessions)
    user = make_user(sessions, role, **kwargs)  # type: ignore[arg-type]
    with live_server.client(user.token) as client:
        refused = client.post(
            f"/api/v1/admin/suppliers/{supplier_id}/reject", json={"reason": "no"}
        )
    assert refused.status_code == 403
    assert supplier_id in [
        s["id"] for s in live_server.client(admin.token).get("/api/v1/admin/suppliers").json()
    ]


def test_a_pending_supplier_shows_as_pending_and_has_no_submit_button(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = registration_number()
    login = unique("pending")
    with live_server.client() as client:
        response = client.post(
            "/api/v1/signup",
            json={
                "registration_number": number,
                "company_name": "株式会社まちます",
                "contact_email": "keiri@example.jp",
                "login": login,
                "password": PASSWORD,
            },
        )
        assert response.status_code == 201
    admin = make_user(sessions, Role.ADMIN)
    with signed_in(live_server, admin.login, admin.password) as browser:
        users = browser.get("/admin/users").text
    row = next(line for line in users.splitlines() if f">{login}</a></td>" in line)
    row_end = users[users.index(row) :].split("</tr>")[0]
    assert "承認待ち" in row_end
    assert "✓" not in row_end
    with signed_in(live_server, login, PASSWORD) as browser:
        for lang, words in (("ja", "承認されてから"), ("en", "once your account is approved")):
            upload = browser.get(f"/invoices/upload?lang={lang}").text
            assert 'value="submit"' not in upload
            assert words in upload
        refused = browser.post(
            "/invoices/upload",
            data={"csrf_token": form_token(upload), "mode": "submit"},
            files={"files": ("mine.xml", jp_invoice(seller=number), "application/xml")},
        )
    assert refused.status_code == 403


def test_a_full_width_login_and_number_search_find_the_ascii_ones(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = make_supplier(sessions)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=_full_width(number))
    with live_server.client(supplier.token) as client:
        sent = client.post("/api/v1/invoices", content=jp_invoice(seller=number), headers=XML)
        assert sent.status_code == 201, sent.text
    login = unique("wide")
    with live_server.client() as client:
        response = client.post(
            "/api/v1/signup",
            json={
                "registration_number": registration_number(),
                "company_name": "株式会社ひろい",
                "contact_email": "keiri@example.jp",
                "login": _full_width(login),
                "password": PASSWORD,
            },
        )
    assert response.status_code == 201, response.text
    assert response.json()["login"] == login
    admin = make_user(sessions, Role.ADMIN)
    with live_server.client(admin.token) as client:
        found = client.get("/api/v1/invoices", params={"supplier": f" {_full_width(number)} "})
    assert found.status_code == 200
    assert [i["id"] for i in found.json()["items"]] == [sent.json()["id"]]


def test_a_purchase_order_csv_typed_in_full_width_names_the_ascii_codes(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    code = make_department(sessions)
    order = unique("PO")
    admin = make_user(sessions, Role.ADMIN)
    csv_text = f"{_full_width(order)},{_full_width(code)}\n"
    with signed_in(live_server, admin.login, admin.password) as browser:
        imported = browser.post(
            "/admin/routing/purchase-orders",
            data={"csrf_token": form_token(browser.get("/admin/routing").text)},
            files={"file": ("orders.csv", csv_text.encode(), "text/csv")},
        )
    assert imported.status_code == 200, imported.text
    with sessions() as session:
        found = organisation.routing_department(
            session, code=None, po_number=order, fallback_code="triage"
        )
    assert found is not None
    assert found[0].code == code
