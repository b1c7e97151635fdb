"""What happens after a decision, over real HTTP (API and pages, ja and en): a returned invoice
names the correction that replaced it, a clerk who approved first waits for a second clerk, the
statutory payment deadline and the invoice's own due date are told apart, and a clerk confirms
a supplier's data entry without re-typing it, returning to the decision page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.db import transaction
from storage.models import InvoiceRecord
from storage.repositories import invoices as repo
from tests.documents import jp_invoice, plain_pdf
from tests.service.test_inbox_api import Office, decide, make_office, submit
from tests.support import Account, LiveServer, form_token, signed_in, unique

DUE_DATE = "2026-12-20"  # the BT-9 due date of tests.documents.jp_invoice


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    return make_office(sessions)


def detail(live_server: LiveServer, account: Account, invoice_id: int) -> dict[str, Any]:
    with live_server.client(account.token) as client:
        response = client.get(f"/api/v1/invoices/{invoice_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def returned_and_corrected(live_server: LiveServer, office: Office) -> tuple[int, int]:
    """An invoice the clerk returned, and the correction the supplier sent for it."""
    number = unique("C")
    sent = submit(live_server, office, jp_invoice(seller=office.registration_number, number=number))
    assert decide(live_server, office.clerk, sent["id"], "return", reason="宛名違い").is_success
    corrected = submit(
        live_server,
        office,
        jp_invoice(seller=office.registration_number, number=number, note="訂正"),
        replaces=sent["id"],
    )
    return sent["id"], corrected["id"]


# --- corrections ------------------------------------------------------------------------------


def test_a_search_names_a_correction_only_to_a_caller_who_may_see_it(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    returned, corrected = returned_and_corrected(live_server, office)
    with transaction(sessions) as session:
        old = session.get_one(InvoiceRecord, returned)
        session.get_one(InvoiceRecord, corrected).department_id = None  # routed elsewhere
        departments = frozenset({old.department_id or 0})
    with sessions() as session:
        criteria = repo.InvoiceFilter(invoice_number=old.invoice_number)
        clerk = repo.search(session, repo.Scope(department_ids=departments), criteria, limit=5)
        auditor = repo.search(session, repo.Scope(everything=True), criteria, limit=5)
    assert ([row.id for row in clerk.rows], clerk.replaced_by) == ([returned], {})
    assert auditor.replaced_by == {returned: corrected}


def test_returned_and_corrected_invoices_link_both_ways_in_the_api(
    live_server: LiveServer, office: Office
) -> None:
    returned, corrected = returned_and_corrected(live_server, office)
    old = detail(live_server, office.supplier, returned)
    assert (old["status"], old["replaced_by_id"]) == ("returned", corrected)
    new = detail(live_server, office.clerk, corrected)
    assert (new["replaces_invoice_id"], new["replaced_by_id"]) == (returned, None)
    with live_server.client(office.supplier.token) as client:
        items = client.get("/api/v1/invoices", params={"limit": 500}).json()["items"]
    listed = {i["id"]: i for i in items}
    assert listed[returned]["replaced_by_id"] == corrected
    assert listed[corrected]["replaces_invoice_id"] == returned


def test_a_returned_invoice_without_a_correction_names_none(
    live_server: LiveServer, office: Office
) -> None:
    sent = submit(live_server, office)
    decide(live_server, office.clerk, sent["id"], "return", reason="宛名違い")
    assert detail(live_server, office.supplier, sent["id"])["replaced_by_id"] is None


def test_replaced_invoice_page_links_to_its_correction_without_an_upload_form(
    live_server: LiveServer, office: Office
) -> None:
    returned, corrected = returned_and_corrected(live_server, office)
    account = office.supplier
    with signed_in(live_server, account.login, account.password) as browser:
        page = browser.get(f"/invoices/{returned}").text
        assert "この請求書は訂正版に差し替えられました" in page
        assert f'href="/invoices/{corrected}"' in page
        assert "この請求書は差し戻されました" not in page
        assert f'action="/invoices/{returned}/correct"' not in page
        listing = browser.get("/invoices").text
        row = _row(listing, f'href="/invoices/{returned}"')
        assert "訂正版に差替え済み" in row
        assert "差戻し" not in row
        assert f'href="/invoices/{corrected}"' in row
        english = browser.get(f"/invoices/{returned}", params={"lang": "en"}).text
        assert "Replaced by a correction" in english
        back = browser.get(f"/invoices/{corrected}").text
        assert f'href="/invoices/{returned}"' in back
        again = browser.post(
            f"/invoices/{returned}/correct",
            data={"csrf_token": form_token(page)},
            files={"file": ("c.xml", jp_invoice(seller=office.registration_number), "text/xml")},
        )
        assert again.status_code == 409
        assert re.search(r'class="error" role="alert">[^<]+', again.text), again.text


def test_a_returned_invoice_keeps_its_upload_form_until_corrected(
    live_server: LiveServer, office: Office
) -> None:
    sent = submit(live_server, office)
    decide(live_server, office.clerk, sent["id"], "return", reason="宛名違い")
    account = office.supplier
    with signed_in(live_server, account.login, account.password) as browser:
        page = browser.get(f"/invoices/{sent['id']}").text
    assert f'action="/invoices/{sent["id"]}/correct"' in page
    assert "訂正版に差替え済み" not in page


def _row(html: str, marker: str) -> str:
    """The table row of a page that contains ``marker``."""
    rows = [r for r in re.findall(r"<tr\b.*?</tr>", html, flags=re.S) if marker in r]
    assert len(rows) == 1, html
    return rows[0]


# --- two approvals ----------------------------------------------------------------------------


def test_after_a_first_approval_the_clerk_waits_for_a_second(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    office = make_office(sessions, threshold=Decimal(1000))
    sent = submit(live_server, office)
    first = decide(live_server, office.clerk, sent["id"], "approve")
    assert first.json()["status"] == "pending", first.text
    with live_server.client(office.clerk.token) as client:
        items = client.get("/api/v1/inbox", params={"limit": 200}).json()["items"]
    assert next(i for i in items if i["id"] == sent["id"])["other_clerk_needed"] is True
    approve_form = f'action="/inbox/{sent["id"]}/approve"'
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        page = browser.get(f"/inbox/{sent['id']}").text
        assert approve_form not in page
        assert "別の職員による2人目の承認を待っています" in page
        english = browser.get(f"/inbox/{sent['id']}", params={"lang": "en"}).text
        assert "waiting for a second clerk" in english
    with signed_in(live_server, office.clerk2.login, office.clerk2.password) as browser:
        page = browser.get(f"/inbox/{sent['id']}").text
        assert approve_form in page
        assert "2人目の承認を待っています" not in page


def test_one_approval_needed_is_not_waiting_for_another_clerk(
    live_server: LiveServer, office: Office
) -> None:
    sent = submit(live_server, office)
    with live_server.client(office.clerk.token) as client:
        items = client.get("/api/v1/inbox", params={"limit": 200}).json()["items"]
    assert next(i for i in items if i["id"] == sent["id"])["other_clerk_needed"] is False


# --- two dates --------------------------------------------------------------------------------


def stored_deadline(sessions: sessionmaker[Session], invoice_id: int) -> dt.date:
    with transaction(sessions) as session:
        deadline = session.get_one(InvoiceRecord, invoice_id).payment_deadline
    assert deadline is not None
    return deadline


@pytest.mark.clock
def test_detail_gives_the_statutory_deadline_and_days_left_beside_the_due_date(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent = submit(live_server, office)
    deadline = stored_deadline(sessions, sent["id"])
    before = (deadline - clock.today()).days
    body = detail(live_server, office.supplier, sent["id"])
    after = (deadline - clock.today()).days
    assert body["payment_deadline"] == deadline.isoformat()
    assert body["days_left"] in {before, after}
    assert body["due_date"] == DUE_DATE
    assert deadline.isoformat() != DUE_DATE


@pytest.mark.clock
def test_no_days_left_once_the_city_owes_nothing(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office)
    decide(live_server, office.clerk, sent["id"], "reject", reason="不要")
    body = detail(live_server, office.supplier, sent["id"])
    assert body["payment_deadline"] is not None
    assert body["days_left"] is None


def test_api_describes_the_two_dates_apart(live_server: LiveServer) -> None:
    with live_server.client() as client:
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
    fields = schemas["InvoiceDetail"]["properties"]
    assert "BT-9" in fields["due_date"]["description"]
    assert "支払遅延防止法" in fields["payment_deadline"]["description"]
    assert "Tokyo" in fields["days_left"]["description"]


@pytest.mark.clock
def test_supplier_page_shows_by_when_the_city_must_pay(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent = submit(live_server, office)
    deadline = stored_deadline(sessions, sent["id"])
    account = office.supplier
    with signed_in(live_server, account.login, account.password) as browser:
        page = browser.get(f"/invoices/{sent['id']}").text
        english = browser.get(f"/invoices/{sent['id']}", params={"lang": "en"}).text
    statutory = re.search(r'<dd class="payment-deadline">(.*?)</dd>', page, flags=re.S)
    assert statutory is not None, page
    assert deadline.isoformat() in statutory.group(1)
    assert "残り" in statutory.group(1)
    assert "法定支払期限" in page
    assert "請求書記載の支払期日" in page
    assert f'<dd class="due-date">{DUE_DATE}</dd>' in page
    assert "Statutory payment deadline" in english
    assert "Due date stated on the invoice" in english
    assert "days left" in english


# --- confirming entered data ------------------------------------------------------------------


def entered_by_supplier(live_server: LiveServer, office: Office) -> int:
    """A plain PDF whose figures the supplier typed in: it awaits a clerk's confirmation."""
    sent = submit(live_server, office, plain_pdf(registration_number=office.registration_number))
    entry = {
        "invoice_number": unique("P"),
        "issue_date": "2026-11-20",
        "total": "11000",
        "taxes": [],
        "version": 1,
    }
    with live_server.client(office.supplier.token) as client:
        entered = client.put(f"/api/v1/invoices/{sent['id']}/data-entry", json=entry)
    assert entered.status_code == 200, entered.text
    assert entered.json()["needs_data_entry"] is True
    return int(sent["id"])


def confirm(
    live_server: LiveServer, account: Account, invoice_id: int, **body: Any
) -> httpx.Response:
    with live_server.client(account.token) as client:
        return client.post(f"/api/v1/invoices/{invoice_id}/data-entry/confirm", json=body)


def test_clerk_confirms_entered_data_and_may_approve(
    live_server: LiveServer, office: Office
) -> None:
    invoice_id = entered_by_supplier(live_server, office)
    assert decide(live_server, office.clerk, invoice_id, "approve").status_code == 409
    assert confirm(live_server, office.clerk, invoice_id).status_code == 428
    assert confirm(live_server, office.clerk, invoice_id, version=1).status_code == 409  # stale
    confirmed = confirm(live_server, office.clerk, invoice_id, version=2)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert (body["needs_data_entry"], body["version"]) == (False, 3)
    assert body["data_entry"]["total"] == "11000"
    assert body["history"][-1]["action"] == "invoice.data_confirm"
    again = confirm(live_server, office.clerk, invoice_id, version=3)
    assert again.status_code == 409
    assert "確認待ちの入力内容がありません" in again.json()["message_ja"]
    assert str(invoice_id) in again.json()["message_en"]
    assert decide(live_server, office.clerk, invoice_id, "approve").json()["status"] == "approved"


def test_only_the_departments_clerk_may_confirm_entered_data(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    invoice_id = entered_by_supplier(live_server, office)
    assert confirm(live_server, office.supplier, invoice_id, version=2).status_code == 403
    elsewhere = make_office(sessions).clerk
    assert confirm(live_server, elsewhere, invoice_id, version=2).status_code == 404
    assert detail(live_server, office.clerk, invoice_id)["needs_data_entry"] is True


def test_nothing_entered_is_not_confirmed(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office, plain_pdf(registration_number=office.registration_number))
    refused = confirm(live_server, office.clerk, sent["id"], version=1)
    assert refused.status_code == 409
    assert "enter the data" in refused.json()["detail"]
    assert "まだ何も入力されていません" in refused.json()["message_ja"]


def test_clerk_confirms_on_the_decision_page_and_stays_there(
    live_server: LiveServer, office: Office
) -> None:
    invoice_id = entered_by_supplier(live_server, office)
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        inbox = browser.get("/inbox").text
        assert "要入力" in _row(inbox, f'data-invoice="{invoice_id}"')
        page = browser.get(f"/inbox/{invoice_id}").text
        assert f'action="/invoices/{invoice_id}/data-entry/confirm"' in page
        assert f'href="/invoices/{invoice_id}/data-entry?back=inbox"' in page
        version = re.search(r'data-entry/confirm".*?name="version" value="(\d+)"', page, flags=re.S)
        assert version is not None
        done = browser.post(
            f"/invoices/{invoice_id}/data-entry/confirm",
            data={"csrf_token": form_token(page), "version": version.group(1), "back": "inbox"},
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"] == f"/inbox/{invoice_id}?done=confirmed"
        after = browser.get(done.headers["location"]).text
        assert "入力内容を確認済みにしました" in after
        assert f'action="/invoices/{invoice_id}/data-entry/confirm"' not in after
        assert "要入力" not in _row(browser.get("/inbox").text, f'data-invoice="{invoice_id}"')


def test_data_entry_opened_from_the_inbox_returns_there(
    live_server: LiveServer, office: Office
) -> None:
    invoice_id = entered_by_supplier(live_server, office)
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        form = browser.get(f"/invoices/{invoice_id}/data-entry", params={"back": "inbox"}).text
        assert 'name="back" value="inbox"' in form
        assert f'action="/invoices/{invoice_id}/data-entry/confirm"' in form
        saved = browser.post(
            f"/invoices/{invoice_id}/data-entry",
            data={
                "csrf_token": form_token(form),
                "version": "2",
                "back": "inbox",
                "invoice_number": unique("P"),
                "issue_date": "2026-11-20",
                "total": "11000",
            },
        )
        assert saved.status_code == 303, saved.text
        assert saved.headers["location"] == f"/inbox/{invoice_id}?done=entered"
        elsewhere = browser.get(f"/invoices/{invoice_id}/data-entry", params={"back": "//x.test"})
        assert 'name="back"' not in elsewhere.text


def test_confirm_page_is_refused_to_supplier_and_other_departments(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    invoice_id = entered_by_supplier(live_server, office)
    account = office.supplier
    with signed_in(live_server, account.login, account.password) as browser:
        page = browser.get(f"/invoices/{invoice_id}").text
        assert "data-entry/confirm" not in page
        refused = browser.post(
            f"/invoices/{invoice_id}/data-entry/confirm",
            data={"csrf_token": form_token(page), "version": "2"},
        )
        assert refused.status_code == 403
    other = make_office(sessions).clerk
    with signed_in(live_server, other.login, other.password) as browser:
        home = browser.get("/inbox").text
        assert browser.get(f"/inbox/{invoice_id}").status_code == 404
        hidden = browser.post(
            f"/invoices/{invoice_id}/data-entry/confirm",
            data={"csrf_token": form_token(home), "version": "2"},
        )
        assert hidden.status_code == 404
    assert detail(live_server, office.clerk, invoice_id)["needs_data_entry"] is True
