"""The administrator's registry page in a real browser: reached from the admin index, a lookup
by number answers, and axe finds no accessibility violation in either language."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.support import LiveServer, make_user, registration_number

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_registry_page_is_reached_answers_a_lookup_and_passes_axe(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session], lang: str
) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    admin = make_user(sessions, Role.ADMIN)
    context = chromium.new_context(locale="ja-JP" if lang == "ja" else "en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.base_url}/login?lang={lang}")
        page.fill("input[name=login]", admin.login)
        page.fill("input[name=password]", admin.password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.base_url}/")
        page.goto(f"{live_server.base_url}/admin")
        page.click("main a[href='/admin/registry']")
        page.wait_for_selector("#scan-state")
        page.fill("input[name=number]", registration_number())
        page.click("form[role=search] button[type=submit]")
        page.wait_for_selector("#standing")
        results = axe.Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()
