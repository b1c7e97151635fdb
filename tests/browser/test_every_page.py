"""axe-core on every page of the app, in Japanese and English, as each role that may see it.

The pages and who sees them come from ``tests/page_tour.py`` (the app's route table, so a new
page that nobody visits fails here). Each page is visited as each role that may see it, then
the error states (404, 403, a form shown again with its error) and, on an empty database, the
empty ones (no invoices, an empty inbox, no batches). Zero violations of any impact.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.routing.service import TRIAGE_CODE
from service.settings import Settings
from storage.models import Role
from tests.browser.accessibility import describe, violations
from tests.page_tour import may_see, own_server, page_routes, tour, tour_world
from tests.reliability.access import (
    ACCOUNTING,
    ADMIN,
    ANONYMOUS,
    AUDITOR,
    CLERK_OWN,
    SUPPLIER_OWN,
    World,
    sign_in,
    signup_body,
)
from tests.support import LiveServer, make_supplier, make_user

pytestmark = pytest.mark.browser

SCREENSHOTS = {
    "/": "home",
    "/inbox": "inbox",
    "/inbox/{invoice_id}": "decision",
    "/invoices/{invoice_id}": "invoice",
    "/invoices/upload": "upload",
    "/accounting": "accounting",
    "/accounting/batches/{batch_id}": "batch",
    "/admin": "admin",
}


@dataclass
class Walk:
    """A browser per language, and what axe found where."""

    chromium: Any
    base_url: str
    screenshots: Path
    found: list[str]
    visited: set[str]

    @contextmanager
    def tab(self, lang: str, cookies: httpx.Cookies | None) -> Iterator[Any]:
        """A page whose context carries a session's cookies and the language cookie."""
        context = self.chromium.new_context(locale="ja-JP" if lang == "ja" else "en-GB")
        jar = [{"name": "juryo_lang", "value": lang, "url": self.base_url}]
        for name, value in (cookies or httpx.Cookies()).items():
            jar.append({"name": name, "value": value, "url": self.base_url})
        context.add_cookies(jar)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()

    def check(self, page: Any, label: str) -> None:
        """Run axe on the page as it is; remember what it found."""
        assert page.locator("html").get_attribute("lang") in ("ja", "en"), label
        found = violations(page)
        if found:
            self.found.append(f"{label} ({page.url}):\n{describe(found)}")

    def visit(self, page: Any, path: str, label: str, shot: str | None = None) -> Any:
        """Open ``path`` and check it; a screenshot when the page is one of the main ones."""
        response = page.goto(f"{self.base_url}{path}")
        self.check(page, label)
        if shot is not None:
            page.screenshot(path=str(self.screenshots / f"{shot}.png"), full_page=True)
        return response


@pytest.fixture(scope="module")
def world(live_server: LiveServer, sessions: sessionmaker[Session]) -> Iterator[World]:
    with tour_world(live_server, sessions) as built:
        yield built


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_as_every_role_has_no_axe_violation(
    chromium: Any,
    live_server: LiveServer,
    settings: Settings,
    world: World,
    screenshots: Path,
    lang: str,
) -> None:
    walk = Walk(chromium, live_server.base_url, screenshots, [], set())
    routes = page_routes(settings)
    for role, visits in tour(world, routes).items():
        cookies = world.browsers[role].cookies if role != ANONYMOUS else None
        with walk.tab(lang, cookies) as page:
            for template, path in visits:
                shot = SCREENSHOTS.get(template)
                name = None if shot is None else f"{lang}-{role}-{shot}"
                walk.visit(page, path, f"{role} {template} [{lang}]", name)
                walk.visited.add(template)
            _error_states(walk, page, role, lang)
    assert routes <= walk.visited, f"pages nobody visits: {sorted(routes - walk.visited)}"
    assert not walk.found, "\n\n".join(walk.found)


def _error_states(walk: Walk, page: Any, role: str, lang: str) -> None:
    """A 404 for every role; a 403 for a signed-in role that may not administer."""
    missing = walk.visit(page, "/invoices/999999999", f"{role} 404 [{lang}]")
    assert missing.status in (303, 404) or role == ANONYMOUS, missing.status
    if role not in (ANONYMOUS, ADMIN):
        refused = walk.visit(page, "/admin", f"{role} 403 [{lang}]")
        assert refused.status == 403


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_forms_shown_again_with_their_errors_have_no_axe_violation(
    chromium: Any, live_server: LiveServer, world: World, screenshots: Path, lang: str
) -> None:
    walk = Walk(chromium, live_server.base_url, screenshots, [], set())
    with walk.tab(lang, None) as page:
        page.goto(f"{live_server.base_url}/login")
        page.fill("input[name=login]", "nobody-at-all")
        page.fill("input[name=password]", "wrong password")
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("main .error")
        walk.check(page, f"login refused [{lang}]")
        page.goto(f"{live_server.base_url}/signup")
        for name, value in {**signup_body(), "registration_number": "T1234567890123"}.items():
            page.fill(f"main input[name={name}]", value)  # a wrong check digit
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("main .error")
        walk.check(page, f"sign-up refused [{lang}]")
    pdf = world.shared["pdf_invoice_id"]
    with walk.tab(lang, world.browsers[SUPPLIER_OWN].cookies) as page:
        page.goto(f"{live_server.base_url}/invoices/{pdf}/data-entry")
        page.fill("input[name=invoice_number]", "A-100")
        page.fill("input[name=issue_date]", "2026-11-20")
        page.fill("input[name=total]", "５０万")
        page.locator("main form.entry button[type=submit]").first.click()
        page.wait_for_selector("main .error")
        walk.check(page, f"data entry refused [{lang}]")
    assert not walk.found, "\n\n".join(walk.found)


@pytest.fixture(scope="module")
def empty_server(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, sessionmaker[Session]]]:
    """The app on a database of its own, with one user per role and nothing else."""
    with own_server(settings, tmp_path_factory) as served:
        yield served


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_empty_pages_have_no_axe_violation(
    chromium: Any, settings: Settings, empty_server: Any, screenshots: Path, lang: str
) -> None:
    server, sessions = empty_server
    walk = Walk(chromium, server.base_url, screenshots, [], set())
    number = make_supplier(sessions)
    roles = {
        SUPPLIER_OWN: make_user(sessions, Role.SUPPLIER, supplier=number),
        CLERK_OWN: make_user(sessions, Role.CLERK, departments=(TRIAGE_CODE,)),
        ACCOUNTING: make_user(sessions, Role.ACCOUNTING),
        AUDITOR: make_user(sessions, Role.AUDITOR),
        ADMIN: make_user(sessions, Role.ADMIN),
    }
    plain = sorted(path for path in page_routes(settings) if "{" not in path)
    for role, account in roles.items():
        client, _ = sign_in(server, account)
        with closing(client), walk.tab(lang, client.cookies) as page:
            for path in plain:
                if may_see(role, path):
                    walk.visit(page, path, f"empty: {role} {path} [{lang}]")
    assert not walk.found, "\n\n".join(walk.found)
