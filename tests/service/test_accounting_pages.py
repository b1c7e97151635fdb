"""Accounting pages over real HTTP: a batch of the invoices ticked in the queue, and a cancel
that asks for confirmation without any script."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.service.test_accounting_api import _payday, _statuses, approve, make_creditor, submit
from tests.support import Account, LiveServer, form_token, make_department, make_user, signed_in

pytestmark = pytest.mark.clock


@dataclass(frozen=True)
class Queue:
    """Three approved invoices of one department, and an accountant."""

    invoice_ids: list[int]
    accountant: Account


@pytest.fixture
def queue(sessions: sessionmaker[Session], live_server: LiveServer) -> Queue:
    department = make_department(sessions)
    admin = make_user(sessions, Role.ADMIN)
    creditor = make_creditor(sessions, live_server, admin, department)
    ids = submit(live_server, creditor, 3)
    approve(sessions, live_server, department, ids)
    return Queue(ids, make_user(sessions, Role.ACCOUNTING))


def test_a_batch_of_the_ticked_invoices(
    live_server: LiveServer, sessions: sessionmaker[Session], queue: Queue
) -> None:
    first, second, third = queue.invoice_ids
    with signed_in(live_server, queue.accountant.login, queue.accountant.password) as browser:
        page = browser.get("/accounting", params={"lang": "en"}).text
        for invoice_id in queue.invoice_ids:
            assert re.search(
                rf'<input type="checkbox" name="invoice_ids" value="{invoice_id}" '
                rf'form="chosen-batch"[^>]*aria-label="Choose invoice',
                page,
            ), page
        chosen = {"csrf_token": form_token(page), "payment_date": _payday(), "mode": "chosen"}
        nothing = browser.post("/accounting/batches", data=chosen)
        assert nothing.status_code == 400  # ticking none is refused, never "everything"
        assert (
            "Choose at least one invoice"
            in browser.post(
                "/accounting/batches", data={**chosen, "lang": "en"}, params={"lang": "en"}
            ).text
        )
        assert _statuses(sessions, queue.invoice_ids) == {"approved"}
        made = browser.post(
            "/accounting/batches", data={**chosen, "invoice_ids": [str(first), str(third)]}
        )
        assert made.status_code == 303, made.text
        batch_page = browser.get(made.headers["location"]).text
    assert _statuses(sessions, [first, third]) == {"exported"}
    assert _statuses(sessions, [second]) == {"approved"}
    assert f'href="/invoices/{second}"' not in batch_page


def test_cancelling_a_batch_asks_for_confirmation(
    live_server: LiveServer, sessions: sessionmaker[Session], queue: Queue
) -> None:
    with signed_in(live_server, queue.accountant.login, queue.accountant.password) as browser:
        page = browser.get("/accounting").text
        made = browser.post(
            "/accounting/batches",
            data={
                "csrf_token": form_token(page),
                "payment_date": _payday(),
                "mode": "chosen",
                "invoice_ids": [str(i) for i in queue.invoice_ids],
            },
        )
        assert made.status_code == 303, made.text
        location = made.headers["location"]
        batch_page = browser.get(location, params={"lang": "ja"}).text
        assert re.search(r'<input type="checkbox" name="confirm" value="yes" required>', batch_page)
        assert "3 件の請求書を支払待ちに戻す" in batch_page
        cancel = f"{location}/cancel"
        unconfirmed = browser.post(cancel, data={"csrf_token": form_token(batch_page)})
        assert unconfirmed.status_code == 400
        assert "確認のチェック" in unconfirmed.text
        assert _statuses(sessions, queue.invoice_ids) == {"exported"}
        confirmed = browser.post(
            cancel, data={"csrf_token": form_token(batch_page), "confirm": "yes"}
        )
        assert confirmed.status_code == 303, confirmed.text
    assert _statuses(sessions, queue.invoice_ids) == {"approved"}


@pytest.mark.parametrize("role", [Role.CLERK, Role.ADMIN, Role.AUDITOR])
def test_only_accounting_makes_a_batch_on_the_page(
    live_server: LiveServer, sessions: sessionmaker[Session], queue: Queue, role: Role
) -> None:
    department = make_department(sessions)
    caller = make_user(sessions, role, departments=(department,) if role is Role.CLERK else ())
    with signed_in(live_server, caller.login, caller.password) as browser:
        token = form_token(browser.get("/").text)
        refused = browser.post(
            "/accounting/batches",
            data={
                "csrf_token": token,
                "payment_date": _payday(),
                "mode": "chosen",
                "invoice_ids": [str(i) for i in queue.invoice_ids],
            },
        )
        assert refused.status_code == 403
    assert _statuses(sessions, queue.invoice_ids) == {"approved"}
