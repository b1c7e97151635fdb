"""Each role's home page counts what waits for it (Tokyo's date, the caller's scope), over
real HTTP, in Japanese and English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.db import transaction
from storage.models import InvoiceRecord, Role
from tests.documents import jp_invoice, plain_pdf
from tests.reliability.access import signup_body
from tests.service.test_inbox_api import Office, decide, make_office, submit
from tests.support import Account, LiveServer, make_user, signed_in, unique

pytestmark = pytest.mark.clock

TODO = re.compile(r'data-todo="todo\.([a-z_]+)"><a href="([^"]+)">[^<]+</a>: <strong>(\d+)')


def todos(live_server: LiveServer, account: Account, lang: str = "ja") -> dict[str, int]:
    """The counts on ``account``'s home page, by name (and each link must lead somewhere)."""
    with signed_in(live_server, account.login, account.password) as client:
        home = client.get("/", params={"lang": lang})
        assert home.status_code == 200
        found = TODO.findall(home.text)
        for _, href, _ in found:
            assert client.get(href).status_code == 200, href
    return {name: int(count) for name, _, count in found}


def _deadline(sessions: sessionmaker[Session], invoice_id: int, days_from_today: int) -> None:
    with transaction(sessions) as session:
        session.execute(
            update(InvoiceRecord)
            .where(InvoiceRecord.id == invoice_id)
            .values(payment_deadline=clock.today() + dt.timedelta(days=days_from_today))
        )


def _send(live_server: LiveServer, office: Office) -> int:
    document = jp_invoice(seller=office.registration_number, number=unique("N"))
    return int(submit(live_server, office, document)["id"])


def test_clerk_counts_pending_due_soon_and_overdue_of_own_departments(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    office = make_office(sessions)
    late, soon, today, later = (_send(live_server, office) for _ in range(4))
    _deadline(sessions, late, -1)
    _deadline(sessions, soon, 7)
    _deadline(sessions, today, 0)
    _deadline(sessions, later, 8)
    assert todos(live_server, office.clerk) == {"pending": 4, "due_soon": 2, "overdue": 1}
    other = make_office(sessions)  # another department's clerk counts none of them
    assert todos(live_server, other.clerk, "en") == {"pending": 0, "due_soon": 0, "overdue": 0}


def test_supplier_counts_returned_and_awaiting_data_entry_of_its_own(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    office = make_office(sessions)
    returned = _send(live_server, office)
    assert decide(live_server, office.clerk, returned, "return", reason="x").status_code == 200
    submit(live_server, office, plain_pdf(registration_number=office.registration_number))
    assert todos(live_server, office.supplier) == {"returned": 1, "awaiting_entry": 1}
    other = make_office(sessions)
    assert todos(live_server, other.supplier) == {"returned": 0, "awaiting_entry": 0}


def test_returned_invoice_leaves_the_count_once_corrected(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    office = make_office(sessions)
    returned = _send(live_server, office)
    decide(live_server, office.clerk, returned, "return", reason="x")
    correction = jp_invoice(seller=office.registration_number, number=unique("N"))
    submit(live_server, office, correction, replaces=returned)
    assert todos(live_server, office.supplier)["returned"] == 0


def test_accounting_counts_approved_not_batched_and_overdue(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    accounting = make_user(sessions, Role.ACCOUNTING)
    before = todos(live_server, accounting)
    office = make_office(sessions)
    approved, late = _send(live_server, office), _send(live_server, office)
    assert decide(live_server, office.clerk, approved, "approve").status_code == 200
    _deadline(sessions, late, -3)
    after = todos(live_server, accounting, "en")
    assert after == {"approved": before["approved"] + 1, "overdue": before["overdue"] + 1}


def test_admin_counts_pending_sign_ups(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    before = todos(live_server, admin)["signups"]
    with live_server.client() as client:
        assert client.post("/api/v1/signup", json=signup_body()).status_code == 201
    assert todos(live_server, admin) == {"signups": before + 1}


def test_auditor_has_no_counts_and_sees_none_of_the_others(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    auditor = make_user(sessions, Role.AUDITOR)
    assert todos(live_server, auditor) == {}
