"""Routing, the clerk's inbox and decisions, the payment clock, over real HTTP."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.db import transaction
from storage.models import Approval, InvoiceRecord, Role, User
from tests.documents import jp_invoice, plain_pdf
from tests.support import (
    Account,
    LiveServer,
    make_department,
    make_supplier,
    make_user,
    signed_in,
    unique,
)

pytestmark = pytest.mark.clock

XML = {"Content-Type": "application/xml"}
PAYABLE = Decimal(16150)  # what tests.documents.jp_invoice asks for


@dataclass(frozen=True)
class Office:
    """A department with two clerks, and a supplier whose default it is."""

    department: str
    clerk: Account
    clerk2: Account
    supplier: Account
    registration_number: str


def make_office(
    sessions: sessionmaker[Session], *, threshold: Decimal = Decimal(1_000_000)
) -> Office:
    department = make_department(sessions, threshold=threshold)
    number = make_supplier(sessions, department=department)
    return Office(
        department=department,
        clerk=make_user(sessions, Role.CLERK, departments=(department,)),
        clerk2=make_user(sessions, Role.CLERK, departments=(department,)),
        supplier=make_user(sessions, Role.SUPPLIER, supplier=number),
        registration_number=number,
    )


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    return make_office(sessions)


def submit(
    live_server: LiveServer, office: Office, document: bytes | None = None, **params: Any
) -> dict[str, Any]:
    with live_server.client(office.supplier.token) as client:
        response = client.post(
            "/api/v1/invoices",
            content=document or jp_invoice(seller=office.registration_number),
            headers=XML
            if document is None or document.startswith(b"<")
            else {"Content-Type": "application/pdf"},
            params=params,
        )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def decide(
    live_server: LiveServer, account: Account, invoice_id: int, action: str, **body: Any
) -> httpx.Response:
    with live_server.client(account.token) as client:
        if "version" not in body:
            detail = client.get(f"/api/v1/invoices/{invoice_id}")
            if detail.status_code == 200:
                body["version"] = detail.json()["version"]
        return client.post(f"/api/v1/invoices/{invoice_id}/{action}", json=body)


def test_inbox_lists_pending_invoices_of_own_departments_with_the_clock(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent = submit(live_server, office)
    other = make_office(sessions)
    elsewhere = submit(live_server, other)
    with live_server.client(office.clerk.token) as client:
        page = client.get("/api/v1/inbox").json()
    ids = [item["id"] for item in page["items"]]
    assert sent["id"] in ids
    assert elsewhere["id"] not in ids
    item = next(i for i in page["items"] if i["id"] == sent["id"])
    received = dt.datetime.fromisoformat(item["received_at"])
    assert (
        item["payment_deadline"] == (clock.local_date(received) + dt.timedelta(days=30)).isoformat()
    )
    assert item["days_left"] in (29, 30)
    assert item["urgency"] == "ok"
    assert (item["approvals"], item["approvals_needed"]) == (0, 1)


def test_inbox_sorts_by_days_left_and_amount(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    first = submit(live_server, office)
    second = submit(live_server, office)
    with transaction(sessions) as session:
        session.execute(
            update(InvoiceRecord)
            .where(InvoiceRecord.id == second["id"])
            .values(payment_deadline=clock.today() - dt.timedelta(days=2), payable_amount=5)
        )
    with live_server.client(office.clerk.token) as client:
        by_deadline = client.get("/api/v1/inbox").json()["items"]
        by_amount = client.get("/api/v1/inbox", params={"sort": "amount", "order": "desc"}).json()[
            "items"
        ]
    assert [i["id"] for i in by_deadline][:2] == [second["id"], first["id"]]
    assert by_deadline[0]["urgency"] == "overdue"
    assert [i["id"] for i in by_amount][-1] == second["id"]


def test_approval_below_threshold_needs_one_clerk(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office)
    response = decide(live_server, office.clerk, sent["id"], "approve", comment="確認済み")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"
    with live_server.client(office.supplier.token) as client:
        detail = client.get(f"/api/v1/invoices/{sent['id']}").json()
    assert detail["status"] == "approved"
    assert detail["history"][-1]["action"] == "invoice.approve"


def test_threshold_needs_two_different_clerks(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    office = make_office(sessions, threshold=PAYABLE)  # at the threshold: two approvals
    sent = submit(live_server, office)
    first = decide(live_server, office.clerk, sent["id"], "approve")
    assert first.json()["status"] == "pending"
    assert (first.json()["approvals"], first.json()["approvals_needed"]) == (1, 2)
    again = decide(live_server, office.clerk, sent["id"], "approve")
    assert again.status_code == 409
    assert "second clerk" in again.json()["detail"]
    second = decide(live_server, office.clerk2, sent["id"], "approve")
    assert second.json()["status"] == "approved"


def test_stale_or_missing_version_is_refused(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office)
    missing = decide(live_server, office.clerk, sent["id"], "return", reason="x", version=None)
    assert missing.status_code == 428
    stale = decide(live_server, office.clerk, sent["id"], "approve", version=6)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 1
    with live_server.client(office.clerk.token) as client:
        by_header = client.post(
            f"/api/v1/invoices/{sent['id']}/approve", json={}, headers={"If-Match": '"1"'}
        )
    assert by_header.status_code == 200


def test_reasons_are_required(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office)
    for action in ("return", "reject"):
        response = decide(live_server, office.clerk, sent["id"], action, reason="")
        assert response.status_code == 422


def test_two_approvals_racing_exactly_one_succeeds(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office)
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def approve(account: Account) -> None:
        with live_server.client(account.token) as client:
            barrier.wait()
            response = client.post(f"/api/v1/invoices/{sent['id']}/approve", json={"version": 1})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=approve, args=(a,)) for a in (office.clerk, office.clerk2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]


def test_plain_pdf_needs_a_clerk_to_confirm_the_data_first(
    live_server: LiveServer, office: Office
) -> None:
    sent = submit(live_server, office, plain_pdf(registration_number=office.registration_number))
    refused = decide(live_server, office.clerk, sent["id"], "approve")
    assert refused.status_code == 409
    assert "entered data" in refused.json()["detail"]
    entry = {"invoice_number": "A-100", "issue_date": "2026-11-20", "total": "11000", "taxes": []}
    with live_server.client(office.clerk.token) as client:
        confirmed = client.put(
            f"/api/v1/invoices/{sent['id']}/data-entry", json={**entry, "version": 1}
        )
    assert confirmed.status_code == 200
    approved = decide(live_server, office.clerk, sent["id"], "approve")
    assert approved.json()["status"] == "approved"


def test_return_pauses_the_clock_until_the_corrected_invoice(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent = submit(live_server, office, jp_invoice(seller=office.registration_number, number="R-1"))
    returned = decide(
        live_server, office.clerk, sent["id"], "return", reason="単価が契約と違います"
    )
    assert returned.json()["status"] == "returned"
    ten_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    with transaction(sessions) as session:
        session.execute(
            update(InvoiceRecord)
            .where(InvoiceRecord.id == sent["id"])
            .values(returned_at=ten_days_ago)
        )
    with live_server.client(office.supplier.token) as client:
        detail = client.get(f"/api/v1/invoices/{sent['id']}").json()
    assert detail["history"][-1]["reason"] == "単価が契約と違います"
    assert detail["history"][-1]["actor_role"] == "clerk"
    corrected = submit(
        live_server,
        office,
        jp_invoice(seller=office.registration_number, number="R-1", note="訂正"),
        replaces=sent["id"],
    )
    with live_server.client(office.clerk.token) as client:
        item = next(
            i for i in client.get("/api/v1/inbox").json()["items"] if i["id"] == corrected["id"]
        )
        detail = client.get(f"/api/v1/invoices/{corrected['id']}").json()
    original_deadline = dt.date.fromisoformat(sent_deadline(sessions, sent["id"]))
    assert dt.date.fromisoformat(item["payment_deadline"]) == original_deadline + dt.timedelta(
        days=10
    )
    assert detail["status"] == "pending"


def sent_deadline(sessions: sessionmaker[Session], invoice_id: int) -> str:
    with sessions() as session:
        invoice = session.get_one(InvoiceRecord, invoice_id)
        assert invoice.payment_deadline is not None
        return invoice.payment_deadline.isoformat()


def test_only_a_returned_invoice_of_ones_own_can_be_replaced(
    live_server: LiveServer, office: Office
) -> None:
    sent = submit(live_server, office)
    with live_server.client(office.supplier.token) as client:
        response = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=office.registration_number),
            headers=XML,
            params={"replaces": sent["id"]},
        )
    assert response.status_code == 409


def test_reject_is_final(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office)
    rejected = decide(live_server, office.clerk, sent["id"], "reject", reason="二重請求")
    assert rejected.json()["status"] == "rejected"
    again = decide(live_server, office.clerk, sent["id"], "approve", version=2)
    assert again.status_code == 409


def test_forward_moves_the_invoice_and_its_access(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    other = make_office(sessions)
    sent = submit(live_server, office)
    moved = decide(live_server, office.clerk, sent["id"], "forward", department=other.department)
    assert moved.status_code == 200
    assert moved.json()["department"] == other.department
    with live_server.client(office.clerk.token) as client:
        assert client.get(f"/api/v1/invoices/{sent['id']}").status_code == 404
    with live_server.client(other.clerk.token) as client:
        routing = client.get(f"/api/v1/invoices/{sent['id']}/routing").json()
    assert routing["rule"] == "forwarded"
    assert other.department in routing["explanation_en"]


def test_routing_rules_in_order(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    alias_target = make_office(sessions)
    po_target = make_office(sessions)
    admin = make_user(sessions, Role.ADMIN)
    alias = unique("ALIAS")
    po_number = unique("PO")
    with live_server.client(admin.token) as client:
        added = client.post(
            f"/api/v1/admin/departments/{alias_target.department}/aliases", json={"alias": alias}
        )
        assert added.status_code == 204
        imported = client.post(
            "/api/v1/admin/purchase-orders",
            content=f"po_number,department_code\n{po_number},{po_target.department}\n",
            headers={"Content-Type": "text/csv"},
        )
        assert imported.json() == {"imported": 1}
        bad = client.post(
            "/api/v1/admin/purchase-orders",
            content="PO-X,NO-SUCH\n",
            headers={"Content-Type": "text/csv"},
        )
        assert bad.status_code == 400
        assert "no department NO-SUCH" in bad.json()["detail"]

    def routed(**kwargs: str) -> dict[str, Any]:
        sent = submit(live_server, office, jp_invoice(seller=office.registration_number, **kwargs))
        with live_server.client(admin.token) as client:
            body: dict[str, Any] = client.get(f"/api/v1/invoices/{sent['id']}/routing").json()
        return body

    by_code = routed(buyer_reference=alias_target.department)
    by_alias = routed(buyer_reference=alias)
    by_po = routed(buyer_reference="UNKNOWN", order_reference=po_number)
    by_both = routed(buyer_reference=alias, order_reference=po_number)
    by_default = routed(buyer_reference="UNKNOWN")
    assert (by_code["rule"], by_code["department"]) == ("buyer_reference", alias_target.department)
    assert (by_alias["rule"], by_alias["department"]) == (
        "buyer_reference",
        alias_target.department,
    )
    assert (by_po["rule"], by_po["department"]) == ("purchase_order", po_target.department)
    assert (by_both["rule"], by_both["department"]) == (
        "buyer_reference",
        alias_target.department,
    )
    assert (by_default["rule"], by_default["department"]) == ("supplier_default", office.department)
    assert po_number in by_po["explanation_ja"]


def test_works_override_gives_forty_days(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office)
    with live_server.client(office.clerk.token) as client:
        response = client.post(
            f"/api/v1/invoices/{sent['id']}/works", json={"works": True, "version": 1}
        )
    assert response.status_code == 200, response.text
    received = dt.datetime.fromisoformat(sent["received_at"])
    expected = clock.local_date(received) + dt.timedelta(days=40)
    assert response.json()["payment_deadline"] == expected.isoformat()


def test_delegated_approval_is_recorded_on_behalf(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    today = clock.today().isoformat()
    with live_server.client(office.clerk.token) as client:
        created = client.post(
            "/api/v1/delegations",
            json={
                "substitute": office.clerk2.login,
                "department": office.department,
                "starts_on": today,
                "ends_on": today,
            },
        )
        assert created.status_code == 201, created.text
        outsider = client.post(
            "/api/v1/delegations",
            json={
                "substitute": "nobody",
                "department": office.department,
                "starts_on": today,
                "ends_on": today,
            },
        )
        assert outsider.status_code == 400
    sent = submit(live_server, office)
    approved = decide(live_server, office.clerk2, sent["id"], "approve")
    assert approved.json()["status"] == "approved"
    with sessions() as session:
        approval = session.execute(
            select(Approval).where(Approval.invoice_id == sent["id"])
        ).scalar_one()
        delegator = session.execute(select(User.id).where(User.login == office.clerk.login))
        assert approval.on_behalf_of_id == delegator.scalar_one()


def test_overdue_list_is_for_accounting(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent = submit(live_server, office)
    with transaction(sessions) as session:
        session.execute(
            update(InvoiceRecord)
            .where(InvoiceRecord.id == sent["id"])
            .values(payment_deadline=clock.today() - dt.timedelta(days=1))
        )
    accounting = make_user(sessions, Role.ACCOUNTING)
    with live_server.client(accounting.token) as client:
        overdue = client.get("/api/v1/overdue").json()
    assert sent["id"] in [i["id"] for i in overdue]
    with signed_in(live_server, accounting.login, accounting.password) as browser:
        page = browser.get("/accounting").text
    overdue_section = page.split("支払期限超過", 1)[1].split("<h2>", 1)[0]
    assert f'href="/invoices/{sent["id"]}"' in overdue_section
    with live_server.client(office.clerk.token) as client:
        assert client.get("/api/v1/overdue").status_code == 403


ACTIONS: list[tuple[str, dict[str, Any]]] = [
    ("approve", {}),
    ("return", {"reason": "r"}),
    ("reject", {"reason": "r"}),
    ("forward", {"department": "triage"}),
]


@pytest.mark.parametrize(("action", "body"), ACTIONS, ids=[a for a, _ in ACTIONS])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own_clerk", 200),
        ("other_clerk", 404),
        ("supplier", 403),
        ("accounting", 403),
        ("auditor", 403),
        ("admin", 403),
    ],
)
def test_decision_authorization_matrix(
    live_server: LiveServer,
    office: Office,
    sessions: sessionmaker[Session],
    action: str,
    body: dict[str, Any],
    who: str,
    expected: int,
) -> None:
    sent = submit(live_server, office)
    accounts = {
        "own_clerk": office.clerk,
        "other_clerk": make_office(sessions).clerk,
        "supplier": office.supplier,
        "accounting": make_user(sessions, Role.ACCOUNTING),
        "auditor": make_user(sessions, Role.AUDITOR),
        "admin": make_user(sessions, Role.ADMIN),
    }
    response = decide(live_server, accounts[who], sent["id"], action, version=1, **body)
    assert response.status_code == expected, response.text
    with live_server.client(office.clerk.token) as client:
        status = client.get(f"/api/v1/invoices/{sent['id']}")
    if expected != 200:
        assert status.json()["status"] == "pending"
        assert status.json()["version"] == 1


@pytest.mark.parametrize(
    ("who", "expected"),
    [("own_clerk", 200), ("supplier", 403), ("accounting", 403), ("auditor", 403), ("admin", 403)],
)
def test_inbox_authorization(
    live_server: LiveServer,
    office: Office,
    sessions: sessionmaker[Session],
    who: str,
    expected: int,
) -> None:
    accounts = {
        "own_clerk": office.clerk,
        "supplier": office.supplier,
        "accounting": make_user(sessions, Role.ACCOUNTING),
        "auditor": make_user(sessions, Role.AUDITOR),
        "admin": make_user(sessions, Role.ADMIN),
    }
    with live_server.client(accounts[who].token) as client:
        assert client.get("/api/v1/inbox").status_code == expected


def test_supplier_changing_confirmed_data_needs_a_clerk_again(
    live_server: LiveServer, office: Office
) -> None:
    sent = submit(live_server, office, plain_pdf(registration_number=office.registration_number))
    entry = {"invoice_number": "A-100", "issue_date": "2026-11-20", "total": "11000", "taxes": []}
    url = f"/api/v1/invoices/{sent['id']}/data-entry"
    with live_server.client(office.clerk.token) as client:
        assert client.put(url, json={**entry, "version": 1}).is_success
    with live_server.client(office.supplier.token) as client:
        changed = client.put(url, json={**entry, "total": "1000000", "version": 2}).json()
    assert changed["needs_data_entry"] is True
    refused = decide(live_server, office.clerk, sent["id"], "approve")
    assert refused.status_code == 409


def test_a_returned_invoice_is_replaced_once(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office, jp_invoice(seller=office.registration_number, number="T-1"))
    decide(live_server, office.clerk, sent["id"], "return", reason="宛名違い")
    first = submit(
        live_server,
        office,
        jp_invoice(seller=office.registration_number, number="T-1", note="訂正1"),
        replaces=sent["id"],
    )
    with live_server.client(office.supplier.token) as client:
        second = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=office.registration_number, number="T-1", note="訂正2"),
            headers=XML,
            params={"replaces": sent["id"]},
        )
    assert second.status_code == 409
    assert second.json()["existing_id"] == first["id"]


def test_works_setting_is_frozen_once_decided(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office)
    decide(live_server, office.clerk, sent["id"], "reject", reason="不要")
    with live_server.client(office.clerk.token) as client:
        response = client.post(
            f"/api/v1/invoices/{sent['id']}/works", json={"works": True, "version": 2}
        )
    assert response.status_code == 409


def test_purchase_order_listed_twice_takes_the_last_row(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    first, second = make_department(sessions), make_department(sessions)
    admin = make_user(sessions, Role.ADMIN)
    number = unique("PO")
    with live_server.client(admin.token) as client:
        imported = client.post(
            "/api/v1/admin/purchase-orders",
            content=f"{number},{first}\n{number},{second}\n",
            headers={"Content-Type": "text/csv"},
        )
        assert imported.status_code == 200, imported.text
        register = client.get("/api/v1/admin/purchase-orders", params={"limit": 1000}).json()
    assert {"po_number": number, "department": second} in register
