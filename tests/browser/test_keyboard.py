"""Keyboard only, in a real browser: a supplier uploads an invoice, a clerk approves it and
accounting makes a batch of it, with Tab, Enter, Space and typing (no click anywhere). The
first Tab on every page reaches the skip link, which moves focus to the main content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import Role
from tests.browser.accessibility import assert_axe_clean
from tests.documents import jp_invoice
from tests.page_tour import own_server
from tests.service.test_accounting_api import make_creditor
from tests.support import Account, LiveServer, make_department, make_user

pytestmark = pytest.mark.browser

MAX_TABS = 80
"""Enough for the longest page's navigation and forms; a page needing more is a finding."""


@pytest.fixture(scope="module")
def server(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, sessionmaker[Session]]]:
    """A database of its own: the batch holds this test's invoice and nothing else."""
    with own_server(settings, tmp_path_factory) as served:
        yield served


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until the focused element matches ``selector``; fail after ``MAX_TABS``."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def skip_to_main(page: Any, label: str) -> None:
    """The first Tab focuses the visible skip link; Enter puts focus on <main>."""
    page.keyboard.press("Tab")
    link = page.locator(":focus")
    assert link.get_attribute("class") == "skip-link", page.url
    assert link.inner_text() == label
    assert link.bounding_box()["y"] >= 0  # shown while focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def sign_in(page: Any, base_url: str, account: Account) -> None:
    page.goto(f"{base_url}/login")
    tab_to(page, "input[name=login]")
    page.keyboard.type(account.login)
    page.keyboard.press("Tab")
    page.keyboard.type(account.password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/")


def follow(page: Any, selector: str, url: str) -> None:
    """Tab to a link and press Enter."""
    tab_to(page, selector)
    page.keyboard.press("Enter")
    page.wait_for_url(url)


def test_upload_approve_and_batch_with_the_keyboard_alone(
    chromium: Any,
    server: tuple[LiveServer, sessionmaker[Session]],
    screenshots: Path,
    tmp_path: Path,
) -> None:
    live, sessions = server
    base = live.base_url
    department = make_department(sessions)
    admin = make_user(sessions, Role.ADMIN)
    creditor = make_creditor(sessions, live, admin, department)
    supplier = creditor.user
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    accounting = make_user(sessions, Role.ACCOUNTING)
    invoice = tmp_path / "invoice.xml"
    invoice.write_bytes(jp_invoice(seller=creditor.registration_number, buyer_reference=department))

    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Intercept file choosers from the start. Playwright turns interception on lazily, when a
    # first listener is added (expect_file_chooser), by a message to the browser that a key
    # press sent right after may overtake on a loaded machine: the chooser then opens natively
    # and the wait times out (seen once in a while on the PostgreSQL leg).
    page.on("filechooser", lambda _chooser: None)
    try:
        # the supplier uploads
        sign_in(page, base, supplier)
        skip_to_main(page, "本文へ移動")
        follow(page, "header a[href='/invoices/upload']", f"{base}/invoices/upload")
        tab_to(page, "input#files")
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(str(invoice))
        tab_to(page, "#upload-form button[type=submit]:not([value=validate])")
        page.keyboard.press("Enter")
        page.wait_for_selector("article.result.good")
        invoice_id = page.locator("article.result a[href^='/invoices/']").get_attribute("href")
        assert invoice_id is not None
        assert_axe_clean(page, "upload results (keyboard)")
        page.screenshot(path=str(screenshots / "ja-keyboard-uploaded.png"), full_page=True)
        context.clear_cookies()

        # the clerk approves
        sign_in(page, base, clerk)
        follow(page, "header a[href='/inbox']", f"{base}/inbox")
        number = invoice_id.rsplit("/", 1)[1]
        follow(page, f"a[href='/inbox/{number}']", f"{base}/inbox/{number}")
        tab_to(page, "form.approve button.approve")
        page.keyboard.press("Enter")
        page.wait_for_selector("p.ok[role=status], .notice[role=status]")
        assert "承認済み" in page.locator("main").inner_text()
        context.clear_cookies()

        # accounting makes the batch
        sign_in(page, base, accounting)
        follow(page, "header a[href='/accounting']", f"{base}/accounting")
        tab_to(page, "#create-batch button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/accounting/batches/*")
        assert page.locator(f"main a[href='/invoices/{number}']").count() == 1
        assert_axe_clean(page, "new batch (keyboard)")
    finally:
        context.close()
