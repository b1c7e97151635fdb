"""Two approvals mean two people saw the amount that is paid, over real HTTP.

A change of the amounts takes the version it was made on and voids the approvals given
before it; the need for two approvals is decided on the highest amount the invoice has shown;
a clerk who entered a total the document does not show cannot approve alone. Races are run
with parallel requests against the live server (SQLite, or PostgreSQL on the second leg).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Approval, InvoiceRecord, Role
from tests.documents import plain_pdf
from tests.service.test_inbox_api import Office, decide, make_office, submit
from tests.support import Account, LiveServer, form_token, make_user, signed_in, unique

THRESHOLD = Decimal(1_000_000)


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    return make_office(sessions, threshold=THRESHOLD)


def pdf(live_server: LiveServer, office: Office, total: str) -> dict[str, Any]:
    """Send a plain PDF whose text says ``total`` yen."""
    document = plain_pdf(
        registration_number=office.registration_number, number=unique("A"), total=total
    )
    return submit(live_server, office, document)


def current_version(live_server: LiveServer, account: Account, invoice_id: int) -> int:
    with live_server.client(account.token) as client:
        version: int = client.get(f"/api/v1/invoices/{invoice_id}").json()["version"]
    return version


def enter(
    live_server: LiveServer,
    account: Account,
    invoice_id: int,
    total: str,
    *,
    version: int | None = None,
) -> httpx.Response:
    """Data entry as ``account`` on the version it saw (the current one unless given)."""
    if version is None:
        version = current_version(live_server, account, invoice_id)
    entry = {
        "invoice_number": unique("A"),
        "issue_date": "2026-11-20",
        "total": total,
        "taxes": [],
        "version": version,
    }
    with live_server.client(account.token) as client:
        return client.put(f"/api/v1/invoices/{invoice_id}/data-entry", json=entry)


def inbox_item(live_server: LiveServer, account: Account, invoice_id: int) -> dict[str, Any]:
    with live_server.client(account.token) as client:
        items = client.get("/api/v1/inbox", params={"limit": 200}).json()["items"]
    item: dict[str, Any] = next(i for i in items if i["id"] == invoice_id)
    return item


def approved_by_two_on_the_paid_amount(sessions: sessionmaker[Session], invoice_id: int) -> bool:
    """The database's view: approved, with two different clerks' approvals of its amounts."""
    with sessions() as session:
        invoice = session.get_one(InvoiceRecord, invoice_id)
        approvers = session.execute(
            select(func.count(func.distinct(Approval.user_id))).where(
                Approval.invoice_id == invoice_id,
                Approval.amount_revision == invoice.amount_revision,
            )
        ).scalar_one()
        return invoice.status == "approved" and approvers >= 2


def first_of_two_approvals(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> tuple[dict[str, Any], Account]:
    """A PDF of 2,000,000 yen that a third clerk entered and the first clerk approved: pending,
    one of the two approvals it needs; and that third clerk."""
    sent = pdf(live_server, office, "2,000,000")
    third = make_user(sessions, Role.CLERK, departments=(office.department,))
    assert enter(live_server, third, sent["id"], "2000000").status_code == 200
    first = decide(live_server, office.clerk, sent["id"], "approve")
    assert (first.json()["status"], first.json()["approvals"]) == ("pending", 1)
    return sent, third


# --- amount changes void approvals and need the current version -------------------------------


def test_amount_changed_after_the_first_approval_needs_two_approvals_again(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent, third = first_of_two_approvals(live_server, office, sessions)

    changed = enter(live_server, third, sent["id"], "9999999")
    assert changed.status_code == 200, changed.text
    second = decide(live_server, office.clerk2, sent["id"], "approve")
    assert second.status_code == 200, second.text
    # the first clerk never saw 9,999,999: its approval no longer counts
    assert second.json()["status"] == "pending"
    assert (second.json()["approvals"], second.json()["approvals_needed"]) == (1, 2)

    again = decide(live_server, office.clerk, sent["id"], "approve")  # sees the new amount
    assert again.json()["status"] == "approved", again.text
    assert approved_by_two_on_the_paid_amount(sessions, sent["id"])
    with live_server.client(office.clerk.token) as client:
        history = client.get(f"/api/v1/invoices/{sent['id']}").json()["history"]
    assert [e["action"] for e in history].count("invoice.data_entry") == 2  # kept in the log


def test_a_supplier_changing_the_amount_voids_approvals_too(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent = pdf(live_server, office, "2,000,000")
    assert enter(live_server, office.clerk, sent["id"], "2000000").status_code == 200
    assert decide(live_server, office.clerk, sent["id"], "approve").json()["approvals"] == 1
    assert enter(live_server, office.supplier, sent["id"], "2500000").status_code == 200
    assert enter(live_server, office.clerk2, sent["id"], "2500000").status_code == 200
    item = inbox_item(live_server, office.clerk, sent["id"])
    assert (item["approvals"], item["approvals_needed"]) == (0, 2)


def test_data_entry_on_a_stale_or_missing_version_is_refused(
    live_server: LiveServer, office: Office
) -> None:
    sent = pdf(live_server, office, "11,000")
    assert enter(live_server, office.clerk, sent["id"], "11000", version=1).status_code == 200
    stale = enter(live_server, office.clerk2, sent["id"], "12000", version=1)
    assert stale.status_code == 409, stale.text
    assert stale.json()["current_version"] == 2
    with live_server.client(office.clerk.token) as client:
        missing = client.put(
            f"/api/v1/invoices/{sent['id']}/data-entry",
            json={"invoice_number": "A-1", "issue_date": "2026-11-20", "total": "1", "taxes": []},
        )
        by_header = client.put(
            f"/api/v1/invoices/{sent['id']}/data-entry",
            json={"invoice_number": "A-1", "issue_date": "2026-11-20", "total": "11000"},
            headers={"If-Match": '"2"'},
        )
        detail = client.get(f"/api/v1/invoices/{sent['id']}").json()
    assert missing.status_code == 428
    assert by_header.status_code == 200, by_header.text
    assert (detail["version"], detail["payable_amount"]) == (3, "11000")


# --- the highest amount shown decides ----------------------------------------------------------


def test_two_approvals_are_decided_on_the_highest_amount_the_document_showed(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent = pdf(live_server, office, "5,000,000")
    assert enter(live_server, office.clerk, sent["id"], "999999").status_code == 200
    alone = decide(live_server, office.clerk2, sent["id"], "approve")
    assert alone.json()["status"] == "pending", alone.text
    assert alone.json()["approvals_needed"] == 2
    item = inbox_item(live_server, office.clerk, sent["id"])
    assert (item["payable_amount"], item["highest_amount"]) == ("999999", "5000000")
    second = decide(live_server, office.clerk, sent["id"], "approve")
    assert second.json()["status"] == "approved"
    assert approved_by_two_on_the_paid_amount(sessions, sent["id"])


def test_an_amount_the_supplier_entered_counts_as_shown(
    live_server: LiveServer, office: Office
) -> None:
    sent = pdf(live_server, office, "500,000")
    assert enter(live_server, office.supplier, sent["id"], "3000000").status_code == 200
    assert enter(live_server, office.clerk, sent["id"], "500000").status_code == 200
    alone = decide(live_server, office.clerk2, sent["id"], "approve")
    assert alone.json()["status"] == "pending", alone.text
    assert alone.json()["approvals_needed"] == 2


# --- the clerk who entered a different total is never the only approver -----------------------


def test_clerk_who_entered_a_total_the_document_does_not_show_cannot_approve_alone(
    live_server: LiveServer, office: Office
) -> None:
    sent = pdf(live_server, office, "11,000")
    assert enter(live_server, office.clerk, sent["id"], "12000").status_code == 200
    own = decide(live_server, office.clerk, sent["id"], "approve")
    assert own.json()["status"] == "pending", own.text
    assert (own.json()["approvals"], own.json()["approvals_needed"]) == (1, 2)
    assert inbox_item(live_server, office.clerk, sent["id"])["other_clerk_needed"] is True
    other = decide(live_server, office.clerk2, sent["id"], "approve")
    assert other.json()["status"] == "approved"


def test_another_clerk_may_approve_a_corrected_total_alone_under_the_threshold(
    live_server: LiveServer, office: Office
) -> None:
    sent = pdf(live_server, office, "11,000")
    assert enter(live_server, office.clerk, sent["id"], "12000").status_code == 200
    other = decide(live_server, office.clerk2, sent["id"], "approve")
    assert other.json()["status"] == "approved", other.text


def test_clerk_confirming_the_documents_total_may_approve_alone(
    live_server: LiveServer, office: Office
) -> None:
    sent = pdf(live_server, office, "11,000")
    assert enter(live_server, office.clerk, sent["id"], "11000").status_code == 200
    assert inbox_item(live_server, office.clerk, sent["id"])["other_clerk_needed"] is False
    own = decide(live_server, office.clerk, sent["id"], "approve")
    assert own.json()["status"] == "approved", own.text


# --- races, with parallel requests ----------------------------------------------------------------

TRIALS = int(os.environ.get("JURYO_APPROVAL_RACE_TRIALS", "6"))
"""Trials per race test; raise it to measure (the README's figures: ``-s`` prints them)."""


def race(*requests: Callable[[], httpx.Response]) -> list[int]:
    """Send the requests at once (one thread each, released together); their status codes."""
    barrier = threading.Barrier(len(requests))
    codes: list[int] = [0] * len(requests)

    def run(index: int) -> None:
        barrier.wait(timeout=30)
        codes[index] = requests[index]().status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


def approve_at(
    live_server: LiveServer, account: Account, invoice_id: int, version: int
) -> Callable[[], httpx.Response]:
    def send() -> httpx.Response:
        with live_server.client(account.token) as client:
            return client.post(f"/api/v1/invoices/{invoice_id}/approve", json={"version": version})

    return send


def test_two_clerks_approving_a_changed_amount_at_once_never_approve_with_one_approval(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    for _ in range(TRIALS):
        sent = pdf(live_server, office, "2,000,000")
        assert enter(live_server, office.clerk2, sent["id"], "2000000").status_code == 200
        assert decide(live_server, office.clerk, sent["id"], "approve").json()["approvals"] == 1
        third = make_user(sessions, Role.CLERK, departments=(office.department,))
        assert enter(live_server, third, sent["id"], "9999999").status_code == 200
        version = current_version(live_server, office.clerk, sent["id"])
        codes = race(
            approve_at(live_server, office.clerk, sent["id"], version),
            approve_at(live_server, office.clerk2, sent["id"], version),
        )
        assert sorted(codes) == [200, 409], codes
        item = inbox_item(live_server, office.clerk, sent["id"])  # still pending
        assert (item["approvals"], item["approvals_needed"]) == (1, 2)
        assert item["version"] == version + 1
    print(f"two clerks approving a changed amount at once: {TRIALS} trials, all still pending")


def test_an_amount_change_racing_the_second_approval_leaves_one_consistent_outcome(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    third = make_user(sessions, Role.CLERK, departments=(office.department,))
    won: dict[str, int] = {"approval": 0, "amount change": 0}
    for _ in range(TRIALS):
        sent = pdf(live_server, office, "2,000,000")
        assert enter(live_server, third, sent["id"], "2000000").status_code == 200
        assert decide(live_server, office.clerk, sent["id"], "approve").json()["approvals"] == 1
        version = current_version(live_server, office.clerk, sent["id"])
        approve_code, entry_code = race(
            approve_at(live_server, office.clerk2, sent["id"], version),
            lambda sent=sent, version=version: enter(
                live_server, third, sent["id"], "9999999", version=version
            ),
        )
        assert sorted((approve_code, entry_code)) == [200, 409]
        with sessions() as session:
            invoice = session.get_one(InvoiceRecord, sent["id"])
            status, amount = invoice.status, invoice.payable_amount
        if approve_code == 200:  # both clerks saw 2,000,000, and that is what is paid
            assert (status, amount) == ("approved", Decimal(2_000_000))
            assert approved_by_two_on_the_paid_amount(sessions, sent["id"])
        else:  # the new amount voided the first approval
            assert (status, amount) == ("pending", Decimal(9_999_999))
            assert inbox_item(live_server, office.clerk, sent["id"])["approvals"] == 0
        won["approval" if approve_code == 200 else "amount change"] += 1
    print(f"amount change racing the second approval, {TRIALS} trials: won by {won}")


# --- pages ------------------------------------------------------------------------------------


def test_decision_page_shows_voided_approvals_and_the_highest_amount(
    live_server: LiveServer, office: Office
) -> None:
    sent = pdf(live_server, office, "5,000,000")
    assert enter(live_server, office.clerk2, sent["id"], "5000000").status_code == 200
    assert decide(live_server, office.clerk, sent["id"], "approve").json()["approvals"] == 1
    assert enter(live_server, office.clerk2, sent["id"], "999999").status_code == 200
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        ja = browser.get(f"/inbox/{sent['id']}").text
        en = browser.get(f"/inbox/{sent['id']}", params={"lang": "en"}).text
    assert re.search(r'class="approval-count">0 / 2 ', ja)
    assert '<li class="voided">' in ja
    assert "金額等の変更により無効" in ja
    assert "voided by a change of the amounts" in en
    highest = re.search(r'<dd class="highest">([^<]*)<', ja)
    assert highest is not None
    assert highest.group(1).strip() == "¥5,000,000"
    assert "別の職員の承認が必要です" in ja
    assert f"Entered by {office.clerk2.login}" in en


def test_data_entry_page_refuses_a_stale_version(live_server: LiveServer, office: Office) -> None:
    sent = pdf(live_server, office, "11,000")
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        form = browser.get(f"/invoices/{sent['id']}/data-entry").text
        assert 'name="version" value="1"' in form
        assert "それまでに行われた承認は無効になります" in form
        assert enter(live_server, office.clerk2, sent["id"], "12000").status_code == 200
        late = browser.post(
            f"/invoices/{sent['id']}/data-entry",
            data={
                "csrf_token": form_token(form),
                "version": "1",
                "invoice_number": "A-100",
                "issue_date": "2026-11-20",
                "total": "99000",
            },
        )
    assert late.status_code == 409, late.text
    assert "ほかの操作と重なったため実行できませんでした" in late.text  # the reader's language
    with live_server.client(office.clerk.token) as client:
        detail = client.get(f"/api/v1/invoices/{sent['id']}").json()
    assert (detail["version"], detail["payable_amount"]) == (2, "12000")


def test_a_new_payee_account_voids_the_approvals_given_before(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent, _ = first_of_two_approvals(live_server, office, sessions)

    admin = make_user(sessions, Role.ADMIN)
    account = {
        "bank_code": "0005",
        "branch_code": "123",
        "account_type": "1",
        "account_number": "4242",
        "account_holder": "カ）ベツノコウザ",
    }
    with live_server.client(admin.token) as client:
        changed = client.put(
            f"/api/v1/creditors/{office.registration_number}/bank-account", json=account
        )
    assert changed.status_code == 200, changed.text
    second = decide(live_server, office.clerk2, sent["id"], "approve")
    assert second.status_code == 200, second.text
    # the first clerk approved paying another account: its approval no longer counts
    assert (second.json()["status"], second.json()["approvals"]) == ("pending", 1)
    assert not approved_by_two_on_the_paid_amount(sessions, sent["id"])


def test_an_entered_number_another_invoice_holds_is_refused_naming_it(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    first, second = pdf(live_server, office, "5,000"), pdf(live_server, office, "6,000")
    clerk = office.clerk
    entry = {"invoice_number": unique("N"), "issue_date": "2026-11-20", "total": "5000"}
    with live_server.client(clerk.token) as client:
        version = current_version(live_server, clerk, first["id"])
        held = client.put(
            f"/api/v1/invoices/{first['id']}/data-entry",
            json={**entry, "taxes": [], "version": version},
        )
        assert held.status_code == 200, held.text
        version = current_version(live_server, clerk, second["id"])
        refused = client.put(
            f"/api/v1/invoices/{second['id']}/data-entry",
            json={**entry, "taxes": [], "version": version},
        )
    assert refused.status_code == 409, refused.text
    assert refused.json()["existing_id"] == first["id"]
