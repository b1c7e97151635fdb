"""A supplier writes invoices on the form in a real browser: the first one (three lines, two
rates, live totals), last month's again in a few actions, and a credit note against an invoice
the city returned. axe finds nothing on the form, in Japanese or in English."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.models import InvoiceRecord, Role
from tests.service.compose_support import Composer, body, make_composer
from tests.support import LiveServer, make_user

pytestmark = pytest.mark.browser


@dataclass
class Counted:
    """A page whose clicks and field edits are counted: the person's actions."""

    page: Any
    actions: list[str] = field(default_factory=list)

    def click(self, selector: str) -> None:
        self.actions.append(f"click {selector}")
        self.page.click(selector)

    def fill(self, selector: str, value: str) -> None:
        self.actions.append(f"edit {selector}")
        self.page.fill(selector, value)

    def select(self, selector: str, value: str) -> None:
        self.actions.append(f"edit {selector}")
        self.page.select_option(selector, value)


@pytest.fixture
def composer(sessions: sessionmaker[Session]) -> Composer:
    return make_composer(sessions)


@pytest.fixture
def page(chromium: Any, live_server: LiveServer, composer: Composer) -> Iterator[Any]:
    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.base_url}/login?next=/compose")
    page.fill("input[name=login]", composer.user.login)
    page.fill("input[name=password]", composer.user.password)
    page.click("button[type=submit]")
    page.wait_for_url("**/compose")
    try:
        yield page
    finally:
        context.close()


def _no_axe_violations(page: Any) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def _violations(page: Any) -> int:
    count: int = Axe().run(page).violations_count
    return count


def _invoice_id(page: Any) -> int:
    page.wait_for_url(re.compile(r"/invoices/\d+\?composed=1$"))
    match = re.search(r"/invoices/(\d+)", page.url)
    assert match is not None
    return int(match.group(1))


def test_a_first_invoice_of_three_lines_and_two_rates(
    page: Any, composer: Composer, sessions: sessionmaker[Session], live_server: LiveServer
) -> None:
    _no_axe_violations(page)
    page.goto(f"{live_server.base_url}/compose?lang=en")
    _no_axe_violations(page)
    page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    assert _violations(page) > 0  # axe is live: an unlabelled field is found
    page.goto(f"{live_server.base_url}/compose?lang=ja")
    person = Counted(page)
    person.fill("#f-buyer_reference", composer.department)
    person.fill("#f-delivery_date", "2026-11-20")
    rows = [
        ("配管修理", "1.5", "HUR", "3333", "standard", "100"),
        ("弁当", "3", "H87", "540", "reduced", ""),
        ("部品", "2", "H87", "1250.5", "standard", ""),
    ]
    for index, (description, quantity, unit, price, tax, allowance) in enumerate(rows):
        if index:
            person.click("#add-line")  # the script adds the row; nothing is sent
        prefix = f"#f-line-{index}-"
        person.fill(prefix + "description", description)
        person.fill(prefix + "quantity", quantity)
        person.select(prefix + "unit", unit)
        person.fill(prefix + "unit_price", price)
        person.select(prefix + "tax", tax)
        if allowance:
            person.fill(prefix + "allowance", allowance)
    # live totals: 10 %: (4,899 + 2,501) → 740; 8 %: 1,620 → 129 (切り捨て, once per rate)
    assert page.text_content("#tax-standard") == "¥740"
    assert page.text_content("#tax-reduced") == "¥129"
    assert page.text_content("#total-payable") == "¥9,889"
    person.click("#submit")
    invoice_id = _invoice_id(page)
    with sessions() as session:
        invoice = session.get(InvoiceRecord, invoice_id)
        assert invoice is not None
        assert (invoice.status, invoice.payable_amount, invoice.needs_data_entry) == (
            "pending", 9889, False,
        )  # fmt: skip


def test_last_months_invoice_again_in_at_most_five_actions(
    page: Any, composer: Composer, sessions: sessionmaker[Session], live_server: LiveServer
) -> None:
    today = clock.today()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    monthly = body(
        composer.department,
        number="M-0007",
        issue_date=last_month.isoformat(),
        delivery_date=None,
        period_start=last_month.replace(day=1).isoformat(),
        period_end=last_month.isoformat(),
        lines=[
            {
                "description": "庁舎清掃（月額）",
                "quantity": "1",
                "unit": "MON",
                "unit_price": "55000",
            }
        ],
    )
    with live_server.client(composer.user.token) as api:
        earlier = api.post("/api/v1/compose", json=monthly)
        assert earlier.status_code == 201, earlier.text
    page.goto(f"{live_server.base_url}/compose")
    person = Counted(page)
    person.click(f"#copy-{earlier.json()['id']}")
    page.wait_for_url("**/compose?copy=*")
    assert page.input_value("#f-invoice_number") == "M-0008"
    assert page.input_value("#f-period_start") == today.replace(day=1).isoformat()
    person.click("#submit")
    invoice_id = _invoice_id(page)
    assert len(person.actions) <= 5, person.actions
    with sessions() as session:
        invoice = session.get(InvoiceRecord, invoice_id)
        assert invoice is not None
        assert (invoice.invoice_number, invoice.issue_date, invoice.status) == (
            "M-0008", today, "pending",
        )  # fmt: skip


def test_a_credit_note_against_an_invoice_the_city_returned(
    page: Any, composer: Composer, sessions: sessionmaker[Session], live_server: LiveServer
) -> None:
    with live_server.client(composer.user.token) as api:
        sent = api.post("/api/v1/compose", json=body(composer.department, number="R-0001"))
        assert sent.status_code == 201, sent.text
    returned_id = sent.json()["id"]
    clerk = make_user(sessions, Role.CLERK, departments=(composer.department,))
    with live_server.client(clerk.token) as staff:
        version = staff.get(f"/api/v1/invoices/{returned_id}").json()["version"]
        answer = staff.post(
            f"/api/v1/invoices/{returned_id}/return",
            json={"reason": "弁当は別請求にしてください", "version": version},
        )
        assert answer.status_code == 200, answer.text
    page.goto(f"{live_server.base_url}/invoices/{returned_id}")
    page.click("#compose-credit")
    page.wait_for_url("**/compose?credit=*")
    assert page.input_value("#f-preceding_invoice") == "R-0001"
    # credit only the lunches: empty the other two rows
    for index in (0, 2):
        for name in ("description", "quantity", "unit_price", "allowance"):
            page.fill(f"#f-line-{index}-{name}", "")
    page.fill("#f-delivery_date", "2026-11-20")
    assert page.text_content("#total-payable") == "¥1,749"  # 1,620 + 129
    page.click("#submit")
    credit_id = _invoice_id(page)
    with sessions() as session:
        credit = session.get(InvoiceRecord, credit_id)
        assert credit is not None
        assert (credit.document_type, credit.status, credit.payable_amount) == (
            "credit-note", "pending", 1749,
        )  # fmt: skip
        assert credit.content is not None
        assert credit.content["preceding_invoices"][0]["number"] == "R-0001"
