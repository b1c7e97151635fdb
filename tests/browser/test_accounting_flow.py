"""Accounting in a real browser: create a batch, download the Zengin file, mark it paid; the
supplier then sees its invoice paid."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import Role
from tests.service.test_accounting_api import ZENGIN, approve, make_creditor, submit
from tests.support import LiveServer, make_department, make_user, start_live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[LiveServer]:
    with start_live_server(settings.model_copy(update=ZENGIN)) as live:
        yield live


def _sign_in(page: Any, base_url: str, login: str, password: str, target: str) -> None:
    page.goto(f"{base_url}/login?next={target}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}")


def test_accounting_pays_a_batch_and_the_supplier_sees_it(
    chromium: Any, server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    department = make_department(sessions)
    admin = make_user(sessions, Role.ADMIN)
    creditor = make_creditor(sessions, server, admin, department)
    invoice_ids = submit(server, creditor, 2)
    approve(sessions, server, department, invoice_ids)
    accountant = make_user(sessions, Role.ACCOUNTING)

    context = chromium.new_context(
        locale="ja-JP", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, server.base_url, accountant.login, accountant.password, "/accounting")
        assert "支払待ちの請求書" in page.locator("main").inner_text()
        page.select_option("#create-batch select[name=department]", department)
        page.click("#create-batch button[type=submit]")
        page.wait_for_url("**/accounting/batches/*")
        assert page.locator(".batch-status").inner_text() == "支払手続中"
        assert page.locator("table.invoices tbody tr").count() == 2
        page.screenshot(path=str(tmp_path / "batch.png"), full_page=True)

        with page.expect_download() as download_info:
            page.click("#download-zengin")
        zengin = Path(download_info.value.path()).read_bytes()
        records = zengin.split(b"\r\n")[:-1]
        assert [r[:1] for r in records] == [b"1", b"2", b"8", b"9"]
        assert all(len(r) == 120 for r in records)
        assert records[1].decode("shift_jis")[80:90] == "0000032300"

        page.click("#mark-paid button[type=submit]")
        page.wait_for_selector(".batch-status:has-text('支払済み')")
        page.screenshot(path=str(tmp_path / "paid.png"), full_page=True)
        context.clear_cookies()

        _sign_in(page, server.base_url, creditor.user.login, creditor.user.password, "/invoices")
        statuses = page.locator("table.invoices tbody td span.status").all_inner_texts()
        assert statuses == ["支払済み", "支払済み"]
        page.click(f"a[href='/invoices/{invoice_ids[0]}']")
        page.wait_for_selector("text=支払済み")
        page.screenshot(path=str(tmp_path / "supplier.png"), full_page=True)
    finally:
        context.close()
    print(f"screenshots in {tmp_path}")


def test_a_batch_of_ticked_invoices_and_a_confirmed_cancel(
    chromium: Any, server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    department = make_department(sessions)
    admin = make_user(sessions, Role.ADMIN)
    creditor = make_creditor(sessions, server, admin, department)
    invoice_ids = submit(server, creditor, 3)
    approve(sessions, server, department, invoice_ids)
    accountant = make_user(sessions, Role.ACCOUNTING)

    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, server.base_url, accountant.login, accountant.password, "/accounting")
        page.goto(f"{server.base_url}/accounting?lang=en")
        for invoice_id in invoice_ids[:2]:
            page.check(f"#choose-{invoice_id}")
        page.click("#chosen-batch button[type=submit]")
        page.wait_for_url("**/accounting/batches/*")
        assert page.locator("table.invoices tbody tr").count() == 2
        batch_url = page.url

        page.click("#cancel-batch button[type=submit]")  # unticked: the browser keeps the form
        assert page.url == batch_url
        assert page.locator(".batch-status").inner_text() == "Open"
        page.check("#cancel-batch input[name=confirm]")
        page.click("#cancel-batch button[type=submit]")
        page.wait_for_selector(".batch-status:has-text('Cancelled')")
        page.screenshot(path=str(tmp_path / "cancelled.png"), full_page=True)
    finally:
        context.close()
