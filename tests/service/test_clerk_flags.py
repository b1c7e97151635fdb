"""juryo's own rules never refuse an officially valid invoice: they flag it for the clerk.

Over real HTTP: a JPY invoice at 8 % under category S (valid for JP PINT, but no Japanese rate
is 8 % standard: ``JP-JURYO-03``) is accepted, and its clerk sees it flagged in the inbox API,
the invoice API, the inbox page (a badge with screen-reader text) and the decision page (the
findings named). An invoice without such a finding is not flagged, and the clerk of another
department sees neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.invoices.schemas import clerk_flags
from storage.models import FindingRecord, Role
from tests.documents import jp_invoice
from tests.support import Account, LiveServer, make_department, make_supplier, make_user, signed_in

XML = {"Content-Type": "application/xml"}
FLAG = "JP-JURYO-03"


@dataclass(frozen=True)
class Office:
    """A supplier routed to a department with a clerk, and a clerk of another department."""

    supplier_number: str
    supplier: Account
    clerk: Account
    other_clerk: Account


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    department, other = make_department(sessions), make_department(sessions)
    number = make_supplier(sessions, department=department)
    return Office(
        supplier_number=number,
        supplier=make_user(sessions, Role.SUPPLIER, supplier=number),
        clerk=make_user(sessions, Role.CLERK, departments=(department,)),
        other_clerk=make_user(sessions, Role.CLERK, departments=(other,)),
    )


def submit(live_server: LiveServer, office: Office, *, flagged: bool) -> dict[str, Any]:
    """Send a JP PINT invoice; ``flagged`` moves its 8 % lines from category AA to S."""
    document = jp_invoice(seller=office.supplier_number)
    if flagged:
        document = document.replace(b"<cbc:ID>AA</cbc:ID>", b"<cbc:ID>S</cbc:ID>")
    with live_server.client(office.supplier.token) as client:
        response = client.post("/api/v1/invoices", content=document, headers=XML)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def inbox_items(live_server: LiveServer, clerk: Account) -> dict[int, dict[str, Any]]:
    with live_server.client(clerk.token) as client:
        response = client.get("/api/v1/inbox", params={"limit": 200})
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()["items"]}


def row_of(html: str, invoice_id: int) -> str:
    match = re.search(rf'<tr [^>]*data-invoice="{invoice_id}".*?</tr>', html, re.DOTALL)
    assert match is not None, html
    return match.group(0)


def test_an_official_valid_invoice_with_a_juryo_warning_is_accepted_and_flagged(
    live_server: LiveServer, office: Office
) -> None:
    flagged = submit(live_server, office, flagged=True)
    assert flagged["status"] == "pending"
    assert {(f["rule_id"], f["severity"]) for f in flagged["findings"]} == {(FLAG, "warning")}
    assert flagged["flags"] == [FLAG]
    items = inbox_items(live_server, office.clerk)
    assert items[flagged["id"]]["flags"] == [FLAG]
    with live_server.client(office.clerk.token) as client:
        detail = client.get(f"/api/v1/invoices/{flagged['id']}").json()
    assert detail["flags"] == [FLAG]


def test_an_invoice_without_a_juryo_finding_is_not_flagged(
    live_server: LiveServer, office: Office
) -> None:
    plain = submit(live_server, office, flagged=False)
    assert plain["findings"] == []
    assert inbox_items(live_server, office.clerk)[plain["id"]]["flags"] == []


def test_the_clerk_of_another_department_sees_no_flagged_invoice(
    live_server: LiveServer, office: Office
) -> None:
    flagged = submit(live_server, office, flagged=True)
    assert flagged["id"] not in inbox_items(live_server, office.other_clerk)
    with live_server.client(office.other_clerk.token) as client:
        assert client.get(f"/api/v1/invoices/{flagged['id']}").status_code == 404
    with signed_in(live_server, office.other_clerk.login, office.other_clerk.password) as browser:
        assert f'data-invoice="{flagged["id"]}"' not in browser.get("/inbox").text
        assert browser.get(f"/inbox/{flagged['id']}").status_code == 404


def test_the_inbox_page_badges_the_flagged_invoice_and_the_decision_page_names_the_finding(
    live_server: LiveServer, office: Office
) -> None:
    flagged = submit(live_server, office, flagged=True)
    plain = submit(live_server, office, flagged=False)
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        inbox = browser.get("/inbox").text
        decision = browser.get(f"/inbox/{flagged['id']}").text
        english = browser.get(f"/inbox/{flagged['id']}", params={"lang": "en"}).text
    badge = row_of(inbox, flagged["id"])
    assert 'class="badge clerk-flag"' in badge
    assert "要確認" in badge
    hint = "受領独自の確認で指摘あり（公式ルールでは受付可）"
    assert f'<span class="sr-only">: {hint}: {FLAG}</span>' in badge
    assert "clerk-flag" not in row_of(inbox, plain["id"])
    notice = decision.split('<div class="notice clerk-flag"', 1)[1].split("</div>", 1)[0]
    japanese = next(f["message_ja"] for f in flagged["findings"] if f["rule_id"] == FLAG)
    assert f"<code>{FLAG}</code> {japanese}" in notice
    assert "juryo&#39;s own checks point at the following" in english


def test_juryo_intake_findings_flag_too_and_official_or_reading_ones_do_not() -> None:
    rules = ("JURYO-INTAKE-DUPLICATE", "BR-CO-15", FLAG, FLAG, "JURYO-INPUT-EMPTY", "ibr-cl-01")
    findings = [
        FindingRecord(rule_id=rule, severity="warning", message_en="-", message_ja="-")
        for rule in rules
    ]
    assert clerk_flags(findings) == [FLAG, "JURYO-INTAKE-DUPLICATE"]
