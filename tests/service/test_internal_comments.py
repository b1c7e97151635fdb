"""Internal comments stay internal, over real HTTP: a supplier reads only the reasons written
to it (return, reject), never an approve or forward comment, in the API or on its pages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice
from tests.service.test_inbox_api import Office, decide, make_office, submit
from tests.support import LiveServer, make_department, make_user, signed_in, unique

APPROVE_NOTE = "internal: supplier is on watch list"
FORWARD_NOTE = "internal: belongs to the roads budget"
RETURN_REASON = "単価が契約と違います"


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    return make_office(sessions)


def history(live_server: LiveServer, token: str, invoice_id: int) -> list[dict[str, Any]]:
    with live_server.client(token) as client:
        response = client.get(f"/api/v1/invoices/{invoice_id}")
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["history"]
    return events


def forwarded_and_approved(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> tuple[int, str]:
    """An invoice forwarded with a comment and approved there with another: its id and the
    department it ended in."""
    target = make_department(sessions)
    sent = submit(
        live_server, office, jp_invoice(seller=office.registration_number, number=unique("C"))
    )
    forwarded = decide(
        live_server, office.clerk, sent["id"], "forward", department=target, comment=FORWARD_NOTE
    )
    assert forwarded.status_code == 200, forwarded.text
    there = make_user(sessions, Role.CLERK, departments=(target,))
    approved = decide(live_server, there, sent["id"], "approve", comment=APPROVE_NOTE)
    assert approved.json()["status"] == "approved", approved.text
    return sent["id"], target


def test_supplier_api_history_hides_approve_and_forward_comments(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    invoice_id, _ = forwarded_and_approved(live_server, office, sessions)
    events = history(live_server, office.supplier.token, invoice_id)
    assert [e["action"] for e in events][-2:] == ["invoice.forward", "invoice.approve"]
    assert [e["reason"] for e in events] == [None] * len(events)
    assert APPROVE_NOTE not in str(events)
    assert FORWARD_NOTE not in str(events)


def test_supplier_api_history_shows_the_return_reason(
    live_server: LiveServer, office: Office
) -> None:
    sent = submit(live_server, office)
    decide(live_server, office.clerk, sent["id"], "return", reason=RETURN_REASON)
    events = history(live_server, office.supplier.token, sent["id"])
    assert events[-1] == {**events[-1], "reason": RETURN_REASON, "internal": False}


def test_staff_still_read_internal_comments_marked_as_internal(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    invoice_id, target = forwarded_and_approved(live_server, office, sessions)
    for reader in (
        make_user(sessions, Role.CLERK, departments=(target,)),
        make_user(sessions, Role.AUDITOR),
    ):
        events = history(live_server, reader.token, invoice_id)
        reasons = {e["reason"]: e["internal"] for e in events if e["reason"]}
        assert reasons == {FORWARD_NOTE: True, APPROVE_NOTE: True}


def test_supplier_page_hides_internal_comments_and_shows_the_return_reason(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    invoice_id, _ = forwarded_and_approved(live_server, office, sessions)
    returned = submit(live_server, office)
    decide(live_server, office.clerk, returned["id"], "return", reason=RETURN_REASON)
    with signed_in(live_server, office.supplier.login, office.supplier.password) as browser:
        approved_page = browser.get(f"/invoices/{invoice_id}").text
        returned_page = browser.get(f"/invoices/{returned['id']}").text
    assert "invoice.forward" not in approved_page  # the step is named, in words
    assert "転送" in approved_page
    assert APPROVE_NOTE not in approved_page
    assert FORWARD_NOTE not in approved_page
    assert RETURN_REASON in returned_page
    auditor = make_user(sessions, Role.AUDITOR)
    with signed_in(live_server, auditor.login, auditor.password) as browser:
        staff_page = browser.get(f"/invoices/{invoice_id}").text
    assert APPROVE_NOTE in staff_page
    assert FORWARD_NOTE in staff_page
    assert "市の職員のみ" in staff_page


def test_decision_form_says_which_text_the_supplier_reads(
    live_server: LiveServer, office: Office
) -> None:
    sent = submit(live_server, office)
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        ja = browser.get(f"/inbox/{sent['id']}").text
        en = browser.get(f"/inbox/{sent['id']}", params={"lang": "en"}).text
    assert ja.count("市の職員のみ閲覧、事業者には表示されません") == 2  # approve, forward
    assert ja.count("事業者に送られます") == 2  # return, reject
    assert en.count("city staff only, never shown to the supplier") == 2
    assert en.count("sent to the supplier") == 2
