"""Clerk pages over real HTTP: the inbox, the decision page and its forms, and the supplier's
view of a returned invoice with the corrected upload."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import InvoiceRecord, Role
from tests.documents import jp_invoice, plain_pdf
from tests.support import (
    Account,
    LiveServer,
    form_token,
    make_department,
    make_supplier,
    make_user,
    signed_in,
)


@dataclass(frozen=True)
class World:
    """Two departments, a supplier routed to the first, a clerk of each."""

    department: str
    other_department: str
    supplier_number: str
    supplier: Account
    clerk: Account
    other_clerk: Account


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    department, other = make_department(sessions), make_department(sessions)
    number = make_supplier(sessions, department=department)
    return World(
        department=department,
        other_department=other,
        supplier_number=number,
        supplier=make_user(sessions, Role.SUPPLIER, supplier=number),
        clerk=make_user(sessions, Role.CLERK, departments=(department,)),
        other_clerk=make_user(sessions, Role.CLERK, departments=(other,)),
    )


def submit(live_server: LiveServer, token: str, document: bytes, media_type: str) -> int:
    """Submit over the API as the supplier; returns the invoice id."""
    with live_server.client(token) as client:
        response = client.post(
            "/api/v1/invoices", content=document, headers={"Content-Type": media_type}
        )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def submit_xml(live_server: LiveServer, world: World, department: str, number: str) -> int:
    document = jp_invoice(seller=world.supplier_number, number=number, buyer_reference=department)
    return submit(live_server, world.supplier.token, document, "application/xml")


def version_of(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match is not None, html
    return match.group(1)


def status_of(sessions: sessionmaker[Session], invoice_id: int) -> str:
    with transaction(sessions) as session:
        return session.get_one(InvoiceRecord, invoice_id).status


def test_inbox_shows_only_own_departments_and_sorts_by_amount(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    mine = submit_xml(live_server, world, world.department, "INBOX-MINE")
    small = submit(
        live_server,
        world.supplier.token,
        plain_pdf(registration_number=world.supplier_number, number="INBOX-S", total="5,000"),
        "application/pdf",
    )
    large = submit(
        live_server,
        world.supplier.token,
        plain_pdf(registration_number=world.supplier_number, number="INBOX-L", total="90,000"),
        "application/pdf",
    )
    theirs = submit_xml(live_server, world, world.other_department, "INBOX-THEIRS")
    with signed_in(live_server, world.clerk.login, world.clerk.password) as client:
        page = client.get("/inbox")
        assert page.status_code == 200
        assert "受付箱" in page.text
        assert "INBOX-MINE" in page.text
        assert "INBOX-THEIRS" not in page.text
        assert "¥16,150" in page.text
        assert "要入力" in page.text  # the plain PDFs need data entry
        assert "urgency-ok" in page.text
        assert client.get(f"/inbox/{theirs}").status_code == 404

        ascending = client.get("/inbox", params={"sort": "amount", "order": "asc"}).text
        rows = [int(i) for i in re.findall(r'data-invoice="(\d+)"', ascending)]
        assert [r for r in rows if r in (small, mine, large)] == [small, mine, large]
        descending = client.get("/inbox", params={"sort": "amount", "order": "desc"}).text
        rows = [int(i) for i in re.findall(r'data-invoice="(\d+)"', descending)]
        assert [r for r in rows if r in (small, mine, large)] == [large, mine, small]

        by_supplier = client.get("/inbox", params={"supplier": "no such supplier"}).text
        assert "INBOX-MINE" not in by_supplier
        english = client.get("/inbox", params={"lang": "en"}).text
        assert "needs data entry" in english

        decision = client.get(f"/inbox/{small}").text
        assert f'href="/invoices/{small}/data-entry"' in decision

    with signed_in(live_server, world.other_clerk.login, world.other_clerk.password) as client:
        assert "INBOX-THEIRS" in client.get("/inbox").text
        assert client.get(f"/inbox/{mine}").status_code == 404


def test_approve_through_the_form(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    invoice_id = submit_xml(live_server, world, world.department, "FORM-APPROVE")
    with signed_in(live_server, world.clerk.login, world.clerk.password) as client:
        page = client.get(f"/inbox/{invoice_id}")
        assert page.status_code == 200
        html = page.text
        for expected in ("請求元（売手）", "税率ごとの消費税", "検査数字OK", "配付の理由", "履歴"):
            assert expected in html
        assert world.department in html
        response = client.post(
            f"/inbox/{invoice_id}/approve",
            data={"csrf_token": form_token(html), "version": version_of(html), "comment": "OK"},
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/inbox/{invoice_id}?done=approved"
        after = client.get(response.headers["location"]).text
        assert "承認しました" in after
        assert "FORM-APPROVE" not in client.get("/inbox").text
    assert status_of(sessions, invoice_id) == "approved"


def test_return_shows_reason_to_supplier_who_sends_a_correction(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    invoice_id = submit_xml(live_server, world, world.department, "FORM-RETURN")
    reason = "注文番号が記載されていません。"
    with signed_in(live_server, world.clerk.login, world.clerk.password) as client:
        html = client.get(f"/inbox/{invoice_id}").text
        token, version = form_token(html), version_of(html)
        missing = client.post(
            f"/inbox/{invoice_id}/return",
            data={"csrf_token": token, "version": version, "reason": "  "},
        )
        assert missing.status_code == 400
        assert "理由を入力してください" in missing.text
        response = client.post(
            f"/inbox/{invoice_id}/return",
            data={"csrf_token": token, "version": version, "reason": reason},
        )
        assert response.status_code == 303
        assert "差し戻しました" in client.get(response.headers["location"]).text
    assert status_of(sessions, invoice_id) == "returned"

    with signed_in(live_server, world.supplier.login, world.supplier.password) as client:
        detail = client.get(f"/invoices/{invoice_id}").text
        assert "この請求書は差し戻されました" in detail
        assert reason in detail
        corrected = jp_invoice(
            seller=world.supplier_number, number="FORM-RETURN-2", buyer_reference=world.department
        )
        response = client.post(
            f"/invoices/{invoice_id}/correct",
            data={"csrf_token": form_token(detail)},
            files={"file": ("corrected.xml", corrected, "application/xml")},
        )
        assert response.status_code == 303, response.text
        new_id = int(re.search(r"/invoices/(\d+)", response.headers["location"]).group(1))  # type: ignore[union-attr]
        shown = client.get(response.headers["location"]).text
        assert "訂正した請求書を受け付けました" in shown
        assert f'href="/invoices/{invoice_id}"' in shown
        again = client.post(
            f"/invoices/{new_id}/correct",
            data={"csrf_token": form_token(detail)},
            files={"file": ("c.xml", corrected, "application/xml")},
        )
        assert again.status_code == 409  # only a returned invoice is replaced
    with transaction(sessions) as session:
        assert session.get_one(InvoiceRecord, new_id).replaces_invoice_id == invoice_id


def test_reject_and_forward(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    rejected = submit_xml(live_server, world, world.department, "FORM-REJECT")
    forwarded = submit_xml(live_server, world, world.department, "FORM-FORWARD")
    with signed_in(live_server, world.clerk.login, world.clerk.password) as client:
        html = client.get(f"/inbox/{rejected}").text
        assert "data-confirm=" in html  # asked by /static/confirm.js
        response = client.post(
            f"/inbox/{rejected}/reject",
            data={"csrf_token": form_token(html), "version": version_of(html), "reason": "重複"},
        )
        assert response.status_code == 303
        html = client.get(f"/inbox/{forwarded}").text
        response = client.post(
            f"/inbox/{forwarded}/forward",
            data={
                "csrf_token": form_token(html),
                "version": version_of(html),
                "department": world.other_department,
                "comment": "担当違い",
            },
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/inbox?done=forwarded"
        assert client.get(f"/inbox/{forwarded}").status_code == 404
    assert status_of(sessions, rejected) == "rejected"
    with signed_in(live_server, world.other_clerk.login, world.other_clerk.password) as client:
        assert "FORM-FORWARD" in client.get("/inbox").text


def test_works_override_changes_the_deadline(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    invoice_id = submit_xml(live_server, world, world.department, "FORM-WORKS")
    with transaction(sessions) as session:
        before = session.get_one(InvoiceRecord, invoice_id).payment_deadline
    with signed_in(live_server, world.clerk.login, world.clerk.password) as client:
        html = client.get(f"/inbox/{invoice_id}").text
        response = client.post(
            f"/inbox/{invoice_id}/works",
            data={"csrf_token": form_token(html), "version": version_of(html), "works": "yes"},
        )
        assert response.status_code == 303
        assert "工事契約の設定を変更しました" in client.get(response.headers["location"]).text
    with transaction(sessions) as session:
        after = session.get_one(InvoiceRecord, invoice_id).payment_deadline
    assert before is not None
    assert after is not None
    assert (after - before).days == 10


def test_stale_version_and_missing_csrf_are_refused(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    invoice_id = submit_xml(live_server, world, world.department, "FORM-STALE")
    with signed_in(live_server, world.clerk.login, world.clerk.password) as client:
        html = client.get(f"/inbox/{invoice_id}").text
        no_csrf = client.post(f"/inbox/{invoice_id}/approve", data={"version": version_of(html)})
        assert no_csrf.status_code == 403
        # someone else changed the invoice meanwhile (here: its works setting)
        changed = client.post(
            f"/inbox/{invoice_id}/works",
            data={"csrf_token": form_token(html), "version": version_of(html), "works": "no"},
        )
        assert changed.status_code == 303
        stale = client.post(
            f"/inbox/{invoice_id}/approve",
            data={"csrf_token": form_token(html), "version": version_of(html)},
        )
        assert stale.status_code == 409
        assert "他の操作で変更されました" in stale.text
        assert 'name="version" value="2"' in stale.text
    assert status_of(sessions, invoice_id) == "pending"


def test_only_clerks_have_an_inbox(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    invoice_id = submit_xml(live_server, world, world.department, "FORM-ROLE")
    with signed_in(live_server, world.supplier.login, world.supplier.password) as client:
        assert client.get("/inbox").status_code == 403
        assert client.get(f"/inbox/{invoice_id}").status_code == 403
    admin = make_user(sessions, Role.ADMIN)
    with signed_in(live_server, admin.login, admin.password) as client:
        assert client.get("/inbox").status_code == 403


def test_anonymous_visitor_is_sent_to_login(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/inbox", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert isinstance(response, httpx.Response)
