"""Finding one's way in a real browser: the login page leads to sign-up, an auditor reaches the
audit log from the navigation and filters it, an error page keeps the way back; every request
(the favicon too) stays on the host and nothing breaks the content policy."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice
from tests.support import LiveServer, make_department, make_supplier, make_user, unique

pytestmark = pytest.mark.browser


def test_auditor_finds_an_invoices_events_from_the_navigation(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    auditor = make_user(sessions, Role.AUDITOR)
    document = jp_invoice(seller=number, number=unique("NAV"), buyer_reference=department)
    with live_server.client(supplier.token) as client:
        sent = client.post(
            "/api/v1/invoices", content=document, headers={"Content-Type": "application/xml"}
        )
    assert sent.status_code == 201, sent.text

    context = chromium.new_context(locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.base_url) else elsewhere.append(request.url)
        ),
    )
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        page.goto(f"{live_server.base_url}/login")
        assert page.locator("main a[href='/signup']").count() == 1
        page.fill("input[name=login]", auditor.login)
        page.fill("input[name=password]", auditor.password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.base_url}/")
        page.click("header a[href='/admin/audit']")
        page.wait_for_selector("section.audit-state[data-intact=yes]")
        page.fill("input[name=invoice]", str(sent.json()["id"]))
        page.click("form.filters button[type=submit]")
        page.wait_for_selector("tr[data-action='invoice.receive']")
        assert page.locator("table.audit tbody tr").count() == 1
        assert "受領" in page.inner_text("tr[data-action='invoice.receive']")
        page.goto(f"{live_server.base_url}/admin")  # not the auditor's: 403, the way back kept
        assert page.locator("header a[href='/admin/audit']").count() == 1
        assert auditor.login in page.inner_text("header")
    finally:
        context.close()
    assert violations == []
    assert elsewhere == []
