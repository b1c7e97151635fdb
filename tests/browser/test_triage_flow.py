"""The triage inbox in a real browser: an administrator finds an invoice no rule placed and
reassigns it; the department's clerk then has it in the inbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.browser.test_accounting_flow import _sign_in
from tests.documents import jp_invoice
from tests.support import LiveServer, make_department, make_supplier, make_user

pytestmark = pytest.mark.browser


def test_an_admin_reassigns_from_triage_and_the_clerk_has_it(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    department = make_department(sessions)
    number = make_supplier(sessions)  # no default department: its invoices go to triage
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    with live_server.client(supplier.token) as client:
        sent = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=number),
            headers={"Content-Type": "application/xml"},
        )
    assert sent.json()["department"] == "triage", sent.text
    invoice_id = sent.json()["id"]
    admin = make_user(sessions, Role.ADMIN)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))

    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, live_server.base_url, admin.login, admin.password, "/admin/inboxes")
        page.goto(f"{live_server.base_url}/admin/inboxes?lang=en")
        assert "Triage (central accounting)" in page.locator("main").inner_text()
        page.click("tr[data-department=triage] a")
        page.wait_for_url("**/admin/inboxes/triage")
        page.goto(f"{live_server.base_url}/admin/inboxes/triage?sort=received&order=desc")
        row = page.locator(f"tr[data-invoice='{invoice_id}']")
        row.locator("select[name=department]").select_option(department)
        row.locator("input[name=comment]").fill("school supplies")
        row.locator("button[type=submit]").click()
        page.wait_for_selector("p.ok[role=status]")
        assert page.locator(f"tr[data-invoice='{invoice_id}']").count() == 0
        page.screenshot(path=str(tmp_path / "reassigned.png"), full_page=True)
        context.clear_cookies()

        _sign_in(page, live_server.base_url, clerk.login, clerk.password, "/inbox")
        assert page.locator(f"tr[data-invoice='{invoice_id}']").count() == 1
    finally:
        context.close()
