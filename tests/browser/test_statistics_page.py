"""The statistics page in a real browser: accounting reaches it from the navigation, picks a
month, reads it in Japanese and in English, and axe finds nothing to fix in either."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.models import Role
from tests.documents import jp_invoice
from tests.support import LiveServer, make_department, make_supplier, make_user, unique

pytestmark = [pytest.mark.browser, pytest.mark.clock]


def _axe_violations(page: Any) -> str:
    """axe-core's report of the page; empty when there is nothing to fix."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return "" if results.violations_count == 0 else results.generate_report()


def test_accounting_reads_the_month_in_both_languages_and_axe_is_clean(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    accounting = make_user(sessions, Role.ACCOUNTING)
    with live_server.client(supplier.token) as client:
        for _ in range(2):
            document = jp_invoice(seller=number, number=unique("ST"), buyer_reference=department)
            sent = client.post(
                "/api/v1/invoices", content=document, headers={"Content-Type": "application/xml"}
            )
            assert sent.status_code == 201, sent.text
    month = clock.today().strftime("%Y-%m")

    context = chromium.new_context(locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.base_url}/login")
        page.fill("input[name=login]", accounting.login)
        page.fill("input[name=password]", accounting.password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.base_url}/")
        page.click("header a[href='/statistics']")
        page.wait_for_selector("h1")
        page.select_option("select[name=department]", department)
        page.click("form.filters button[type=submit]")
        page.wait_for_url(f"**/statistics?month={month}&department={department}")
        assert page.locator("html").get_attribute("lang") == "ja"
        assert page.locator("td[data-value=received]").inner_text() == "2"
        assert page.locator("svg[role=img] title").count() == 3
        assert _axe_violations(page) == ""
        page.goto(f"{live_server.base_url}/statistics?month={month}&lang=en")
        assert page.locator("h1").inner_text().startswith("Monthly invoice statistics")
        assert _axe_violations(page) == ""
    finally:
        context.close()
