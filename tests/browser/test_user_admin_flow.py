"""An administrator's day with users in a real browser: find a clerk, deactivate and
reactivate them, issue a password reset code that the clerk redeems on the reset page; set a
delegation on the clerk's behalf. axe-core finds nothing on the new pages, in either language."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.support import Account, LiveServer, make_department, make_user

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-password-set-in-chromium"


def _axe_violations(page: Any) -> list[str]:
    """What axe-core reports on the page as it stands (every impact counts)."""
    results = Axe().run(page)
    return [
        f"{page.url}: {violation['id']} {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
    ]


def _sign_in(page: Any, base_url: str, login: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_admin_deactivates_reactivates_and_resets_a_clerk(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    base = live_server.base_url
    department = make_department(sessions)
    admin = make_user(sessions, Role.ADMIN)
    clerk: Account = make_user(sessions, Role.CLERK, departments=(department,))
    colleague = make_user(sessions, Role.CLERK, departments=(department,))
    violations: list[str] = []
    context = chromium.new_context(locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, base, admin.login, admin.password)
        page.click("header a[href='/admin']")
        page.click("main a[href='/admin/users']")
        page.fill("input[name=q]", clerk.login)
        page.click("form.user-filter button[type=submit]")
        page.click(f"table.users a:text-is('{clerk.login}')")
        page.wait_for_selector("h1")
        violations += _axe_violations(page)
        page.click("button[aria-describedby=deactivate-help]")
        page.wait_for_selector(".status-deactivated")
        page.click("form[action$='/reactivate'] button")
        page.wait_for_selector("dd .status-active")
        page.click("button[aria-describedby=reset-help]")
        link = page.get_attribute("#reset-link", "href")
        assert link is not None
        assert link.startswith("/password-reset?code=")
        violations += _axe_violations(page)
        for lang in ("ja", "en"):
            page.goto(f"{base}/admin/users?lang={lang}")
            violations += _axe_violations(page)
            page.goto(f"{base}/delegations?lang={lang}")
            violations += _axe_violations(page)
        page.fill("input[name=clerk]", clerk.login)
        page.select_option("select[name=department]", department)
        page.fill("input[name=substitute]", colleague.login)
        page.fill("input[name=starts_on]", "2030-01-06")
        page.fill("input[name=ends_on]", "2030-01-10")
        page.click("form[action='/delegations'] button[type=submit]")
        page.wait_for_selector("p.ok[role=status]")
        assert colleague.login in page.inner_text("table.delegations")
        violations += _axe_violations(page)

        visitor = context.new_page()  # the clerk, in a browser without the admin's session
        context.clear_cookies()
        visitor.goto(f"{base}{link}&lang=en")
        violations += _axe_violations(visitor)
        visitor.fill("input[name=password]", NEW_PASSWORD)
        visitor.click("main button[type=submit]")
        visitor.wait_for_selector("text=Your password is set")
        visitor.goto(f"{base}/password-reset?lang=ja")
        violations += _axe_violations(visitor)
        _sign_in(visitor, base, clerk.login, NEW_PASSWORD)
        visitor.goto(f"{base}/delegations")
        assert colleague.login in visitor.inner_text("table.delegations")
        violations += _axe_violations(visitor)
    finally:
        context.close()
    assert violations == []
