"""A clerk in a real browser: the inbox, an approval, a return with a reason; then the
supplier signs in and reads the reason on the returned invoice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.db import transaction
from storage.models import InvoiceRecord, Role
from tests.documents import jp_invoice, plain_pdf
from tests.support import Account, LiveServer, make_department, make_supplier, make_user

pytestmark = pytest.mark.browser


def _submit(live_server: LiveServer, token: str, document: bytes, media_type: str) -> int:
    with live_server.client(token) as client:
        response = client.post(
            "/api/v1/invoices", content=document, headers={"Content-Type": media_type}
        )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _sign_in(page: Any, base_url: str, account: Account, target: str) -> None:
    page.goto(f"{base_url}/login?next={target}")
    page.fill("input[name=login]", account.login)
    page.fill("input[name=password]", account.password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{target}")


def test_clerk_approves_and_returns_and_the_supplier_reads_the_reason(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    base = live_server.base_url

    def xml(invoice_number: str) -> int:
        document = jp_invoice(seller=number, number=invoice_number, buyer_reference=department)
        return _submit(live_server, supplier.token, document, "application/xml")

    approved, returned, later = xml("BR-APPROVE"), xml("BR-RETURN"), xml("BR-LATER")
    _submit(
        live_server,
        supplier.token,
        plain_pdf(registration_number=number, number="BR-PDF", total="8,800"),
        "application/pdf",
    )
    # an overdue and a nearly due invoice, so the inbox shows its colours
    today = clock.today()
    with transaction(sessions) as session:
        for invoice_id, days in ((approved, -2), (returned, 3)):
            session.execute(
                update(InvoiceRecord)
                .where(InvoiceRecord.id == invoice_id)
                .values(payment_deadline=today + dt.timedelta(days=days))
            )

    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, base, clerk, "/inbox")
        rows = page.locator("table.inbox tbody tr")
        assert rows.count() == 4
        assert rows.nth(0).get_attribute("data-invoice") == str(approved)  # most urgent first
        assert "urgency-overdue" in (rows.nth(0).get_attribute("class") or "")
        assert "urgency-due-soon" in (rows.nth(1).get_attribute("class") or "")
        assert "期限超過" in rows.nth(0).inner_text()
        assert "要入力" in page.locator("table.inbox").inner_text()
        page.screenshot(path=str(tmp_path / "inbox.png"), full_page=True)

        page.click(f"tr[data-invoice='{approved}'] >> text=確認する")
        page.wait_for_url(f"**/inbox/{approved}")
        page.fill("form.approve textarea[name=comment]", "内容を確認しました")
        page.click("form.approve button[type=submit]")
        page.wait_for_selector("text=承認しました。")
        assert "承認済み" in page.locator("main").inner_text()
        page.screenshot(path=str(tmp_path / "approved.png"), full_page=True)

        page.click("text=受付箱へ戻る")
        page.wait_for_url("**/inbox")
        page.click(f"tr[data-invoice='{returned}'] >> text=確認する")
        page.wait_for_url(f"**/inbox/{returned}")
        page.screenshot(path=str(tmp_path / "decide.png"), full_page=True)
        page.fill("form.return textarea[name=reason]", "振込先口座の記載がありません。")
        page.click("form.return button[type=submit]")
        page.wait_for_selector("text=事業者に差し戻しました。")
        page.screenshot(path=str(tmp_path / "returned.png"), full_page=True)

        page.click("text=受付箱へ戻る")
        page.wait_for_url("**/inbox")
        remaining = page.locator("table.inbox tbody tr")
        assert remaining.count() == 2
        assert page.locator(f"tr[data-invoice='{later}']").count() == 1
    finally:
        context.close()

    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, base, supplier, f"/invoices/{returned}")
        notice = page.locator("section.returned")
        assert "この請求書は差し戻されました" in notice.inner_text()
        assert "振込先口座の記載がありません。" in notice.inner_text()
        assert notice.locator("input[type=file][name=file]").count() == 1
        page.screenshot(path=str(tmp_path / "supplier_returned.png"), full_page=True)
    finally:
        context.close()
    print(f"screenshots in {tmp_path}")
