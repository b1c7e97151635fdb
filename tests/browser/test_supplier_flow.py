"""A supplier in a real browser: sign in, drop an XML and a plain PDF, confirm the PDF's data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice, plain_pdf
from tests.support import LiveServer, make_department, make_supplier, make_user

pytestmark = pytest.mark.browser


def test_supplier_uploads_confirms_and_finds_both_invoices(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    number = make_supplier(sessions, department=make_department(sessions))
    account = make_user(sessions, Role.SUPPLIER, supplier=number)
    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.base_url}/login?next=/invoices/upload")
        page.fill("input[name=login]", account.login)
        page.fill("input[name=password]", account.password)
        page.click("button[type=submit]")
        page.wait_for_url("**/invoices/upload")

        # a file dropped on the zone lands in the ordinary file input
        dropped = page.evaluate(
            """() => {
                const data = new DataTransfer();
                data.items.add(new File(["<x/>"], "dropped.xml", {type: "application/xml"}));
                const zone = document.getElementById("dropzone");
                zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
                return document.getElementById("files").files.length;
            }"""
        )
        assert dropped == 1
        # files join one list (static/upload.js); this one is taken off it again
        page.get_by_role("button", name="dropped.xml を一覧から外す").click()

        page.set_input_files(
            "#files",
            [
                {
                    "name": "請求書.xml",
                    "mimeType": "application/xml",
                    "buffer": jp_invoice(seller=number, number="BR-XML-1"),
                },
                {
                    "name": "scan.pdf",
                    "mimeType": "application/pdf",
                    "buffer": plain_pdf(registration_number=number, number="BR-PDF-1"),
                },
            ],
        )
        page.click("button[value=submit]")
        page.wait_for_selector("section.results")
        assert page.locator("article.result.good").count() == 2
        page.screenshot(path=str(tmp_path / "upload.png"), full_page=True)

        entry = page.locator("form.entry")
        assert entry.locator("input[name=invoice_number]").input_value() == "BR-PDF-1"
        assert entry.locator("input[name=registration_number]").input_value() == number
        assert entry.locator("input[name=issue_date]").input_value() == "2026-11-20"
        assert entry.locator("input[name=total]").input_value() == "11000"
        entry.locator("input[name=taxable_10]").fill("10000")
        entry.locator("input[name=tax_10]").fill("1000")
        entry.locator("button[type=submit]").click()
        page.wait_for_selector("text=入力内容を登録しました")

        page.click("nav >> text=請求書一覧")
        page.wait_for_url("**/invoices")
        rows = page.locator("table.invoices tbody tr")
        assert rows.count() == 2
        listed = page.locator("table.invoices").inner_text()
        assert "BR-XML-1" in listed
        assert "BR-PDF-1" in listed
        assert "¥16,150" in listed
        assert "¥11,000" in listed
        page.screenshot(path=str(tmp_path / "list.png"), full_page=True)

        page.click("text=BR-XML-1")
        page.wait_for_selector("text=請求元（売手）")
        assert "検査数字OK" in page.locator("main").inner_text()
        page.screenshot(path=str(tmp_path / "detail.png"), full_page=True)
    finally:
        context.close()
    print(f"screenshots in {tmp_path}")
