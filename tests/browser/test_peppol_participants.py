"""A supplier records its Peppol participant id on /account/peppol; the page passes axe in
Japanese and English, and a malformed id is refused in the reader's language."""

from __future__ import annotations

import uuid
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.support import LiveServer, make_supplier, make_user


def _no_violations(page: Any) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_supplier_records_a_participant_id_on_an_accessible_page(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    account = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    participant = f"0188:{uuid.uuid4().int % 10**13:013d}"
    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.base_url}/login?next=/account/peppol")
        page.fill("input[name=login]", account.login)
        page.fill("input[name=password]", account.password)
        page.click("button[type=submit]")
        page.wait_for_url("**/account/peppol")
        _no_violations(page)

        page.fill("input[name=participant_id]", "法人番号")
        page.click("form.card button[type=submit]")
        assert "Peppol 参加者 ID ではありません" in page.locator("[role=alert]").inner_text()
        _no_violations(page)

        page.fill("input[name=participant_id]", participant.upper())
        page.click("form.card button[type=submit]")
        assert page.locator("#participant-ids").inner_text().strip() == participant

        page.goto(f"{live_server.base_url}/account/peppol?lang=en")
        assert page.locator("h1").inner_text() == "Peppol participant ids"
        _no_violations(page)
    finally:
        context.close()
