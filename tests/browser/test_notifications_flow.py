"""A supplier sets where its notices go and registers its software's webhook in a real
browser; the pages are axe-clean in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.support import LiveServer, make_supplier, make_user

pytestmark = pytest.mark.browser


def axe_violations(page: Any) -> list[str]:
    """Every axe-core violation on the page, of any impact (axe runs from the package)."""
    results = Axe().run(page)
    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
    ]


def test_an_admin_manages_notifications_in_both_languages(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    found: dict[str, list[str]] = {}
    for person in (admin, supplier):
        context = chromium.new_context(locale="ja-JP")
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            page.goto(f"{live_server.base_url}/login")
            page.fill("input[name=login]", person.login)
            page.fill("input[name=password]", person.password)
            page.click("main button[type=submit]")
            page.wait_for_url(f"{live_server.base_url}/")
            page.click("header a[href='/account/notifications']")
            page.fill("input[name=email]", f"{person.login}@example.jp")
            page.check("input[name=notify_language][value=en]")
            page.click("form[action='/account/notifications'] button[type=submit]")
            page.wait_for_selector("p.ok[role=status]")
            for lang in ("ja", "en"):
                page.goto(f"{live_server.base_url}/account/notifications?lang={lang}")
                found[f"{person.role} settings {lang}"] = axe_violations(page)
                page.goto(f"{live_server.base_url}/notifications/deliveries?lang={lang}")
                found[f"{person.role} log {lang}"] = axe_violations(page)
            if person is admin:
                page.goto(f"{live_server.base_url}/account/notifications?lang=ja")
                page.fill("input[name=url]", "http://10.1.2.3/events")
                page.check("input[name=events][value='invoice.paid']")
                page.click("form[action='/account/webhooks'] button[type=submit]")
                page.wait_for_selector("#new-secret")
                found["admin new secret ja"] = axe_violations(page)
                assert "http://10.1.2.3/events" in page.inner_text("table.webhooks")
        finally:
            context.close()
    assert found == {name: [] for name in found}
