"""An administrator reviews mail held from an unregistered sender and assigns it, in a real
browser; the page has no accessibility violations (axe) in Japanese or English."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy.orm import Session, sessionmaker

from service.mail.service import receive_mail
from service.runtime import Runtime
from service.settings import Settings
from storage.models import MailStatus, Role
from tests.documents import jp_invoice
from tests.service.mail.conftest import message, stored_mail, wire
from tests.support import LiveServer, make_supplier, make_user

pytestmark = pytest.mark.browser


def _violations(page: Any) -> list[str]:
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"]]


def test_admin_assigns_a_held_mail_on_an_accessible_page(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session], settings: Settings
) -> None:
    number = make_supplier(sessions)
    make_user(sessions, Role.SUPPLIER, supplier=number)
    admin = make_user(sessions, Role.ADMIN)
    mail = message(f"unknown-{uuid.uuid4().hex[:6]}@example.com", subject="請求書（初回）")
    mail.add_attachment(
        jp_invoice(seller=number), maintype="application", subtype="xml", filename="請求書.xml"
    )
    runtime = Runtime.from_settings(settings)
    try:
        held = receive_mail(runtime, wire(mail), envelope_from=None)
    finally:
        runtime.close()
    assert held.status is MailStatus.QUARANTINED

    context = chromium.new_context(locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.base_url}/login")
        page.fill("input[name=login]", admin.login)
        page.fill("input[name=password]", admin.password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.base_url}/")
        page.goto(f"{live_server.base_url}/admin")
        page.click("main a[href='/admin/mail']")
        section = page.locator(f"article[aria-labelledby='mail-{held.mail_id}']")
        assert "請求書（初回）" in section.inner_text()
        assert _violations(page) == []
        page.goto(f"{live_server.base_url}/admin/mail?lang=en")
        assert _violations(page) == []
        section.locator("input[name=supplier]").fill(number)
        section.locator("button[type=submit]").click()
        page.wait_for_selector("p.notice[role=status]")
        assert f"Mail {held.mail_id} was assigned." in page.inner_text("main")
        assert _violations(page) == []
    finally:
        context.close()
    [row] = stored_mail(sessions, mail["Message-ID"])
    assert row.status is MailStatus.ASSIGNED
    assert row.attachments[0].invoice_id is not None
