"""In a real browser: the supplier sends the correction of a returned invoice and finds the two
linked both ways; a clerk confirms a supplier's data entry on the decision page, stays there,
approves once and sees that a second clerk must approve."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.browser.test_clerk_flow import _sign_in, _submit
from tests.documents import jp_invoice, plain_pdf
from tests.support import LiveServer, make_department, make_supplier, make_user, unique

pytestmark = pytest.mark.browser


def test_correction_links_both_ways_and_confirmed_data_waits_for_a_second_clerk(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    department = make_department(sessions, threshold=Decimal(1000))
    number = make_supplier(sessions, department=department)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    base = live_server.base_url
    invoice_number = unique("BR-FIX")
    returned = _submit(
        live_server,
        supplier.token,
        jp_invoice(seller=number, number=invoice_number, buyer_reference=department),
        "application/xml",
    )
    with live_server.client(clerk.token) as client:
        answer = client.post(
            f"/api/v1/invoices/{returned}/return", json={"version": 1, "reason": "宛名違い"}
        )
        assert answer.status_code == 200, answer.text
    pdf = _submit(
        live_server, supplier.token, plain_pdf(registration_number=number), "application/pdf"
    )
    with live_server.client(supplier.token) as client:
        entry = {"invoice_number": unique("P"), "issue_date": "2026-11-20", "total": "11000"}
        answer = client.put(f"/api/v1/invoices/{pdf}/data-entry", json={**entry, "version": 1})
        assert answer.status_code == 200, answer.text
    corrected = jp_invoice(
        seller=number, number=invoice_number, buyer_reference=department, note="訂正"
    )
    upload = tmp_path / "corrected.xml"
    upload.write_bytes(corrected)

    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, base, supplier, f"/invoices/{returned}")
        page.set_input_files("form.correct input[name=file]", str(upload))
        page.click("form.correct button[type=submit]")
        page.wait_for_url("**/invoices/*?corrected=*")
        page.click(f"a[href='/invoices/{returned}']")
        page.wait_for_url(f"**/invoices/{returned}")
        replaced = page.locator("section.replaced")
        assert "訂正版に差し替えられました" in replaced.inner_text()
        assert page.locator("form.correct").count() == 0
        page.screenshot(path=str(tmp_path / "replaced.png"), full_page=True)
        replaced.locator("a").click()
        page.wait_for_url("**/invoices/*")
        assert page.locator(f"a[href='/invoices/{returned}']").count() == 1
    finally:
        context.close()

    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page, base, clerk, f"/inbox/{pdf}")
        page.click("form.confirm-data button[type=submit]")
        page.wait_for_url(f"**/inbox/{pdf}?done=confirmed")
        assert "入力内容を確認済みにしました" in page.locator("main").inner_text()
        page.click("form.approve button[type=submit]")
        page.wait_for_url(f"**/inbox/{pdf}?done=first*")
        assert page.locator("form.approve").count() == 0
        assert "2人目の承認を待っています" in page.locator("p.waiting-second").inner_text()
        page.screenshot(path=str(tmp_path / "waiting_second.png"), full_page=True)
    finally:
        context.close()
    print(f"screenshots in {tmp_path}")
