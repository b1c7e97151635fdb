"""The upload page in a real browser: one list of files without duplicates, a file removed
before sending, a progress bar per file, the buttons disabled while sending; axe clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice, plain_pdf
from tests.support import LiveServer, make_department, make_supplier, make_user

pytestmark = pytest.mark.browser

RECORD_DISABLED = """() => {
    window.submitStates = [];
    const button = document.querySelector("button[value=submit]");
    new MutationObserver(() => window.submitStates.push(button.disabled))
        .observe(button, {attributes: true, attributeFilter: ["disabled"]});
}"""


def _axe_clean(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def _file(name: str, buffer: bytes, media_type: str) -> dict[str, Any]:
    return {"name": name, "mimeType": media_type, "buffer": buffer}


def test_upload_list_drops_twins_removes_a_file_and_shows_progress_per_file(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    number = make_supplier(sessions, department=make_department(sessions))
    account = make_user(sessions, Role.SUPPLIER, supplier=number)
    xml = _file("請求書.xml", jp_invoice(seller=number, number="UP-XML-1"), "application/xml")
    pdf = _file(
        "scan.pdf", plain_pdf(registration_number=number, number="UP-PDF-1"), "application/pdf"
    )
    extra = _file("extra.xml", jp_invoice(seller=number, number="UP-XML-2"), "application/xml")
    context = chromium.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.base_url}/login?next=/invoices/upload")
        page.fill("input[name=login]", account.login)
        page.fill("input[name=password]", account.password)
        page.click("button[type=submit]")
        page.wait_for_url("**/invoices/upload")
        _axe_clean(page)

        page.set_input_files("#files", [xml, pdf])
        page.set_input_files("#files", [xml, extra])  # 請求書.xml again: not added twice
        assert page.locator("#chosen li").count() == 3
        assert "すでに一覧にある" in page.locator("#upload-status").inner_text()
        page.get_by_role("button", name="extra.xml を一覧から外す").click()
        assert page.locator("#chosen li").count() == 2
        assert page.evaluate("document.getElementById('files').files.length") == 2
        _axe_clean(page)

        page.evaluate(RECORD_DISABLED)
        page.click("button[value=submit]")
        page.wait_for_selector("#upload-status:has-text('すべてのファイルを送信しました')")
        assert page.evaluate("window.submitStates") == [True, False]
        bars = page.locator("#chosen progress")
        assert [bars.nth(i).evaluate("bar => bar.value") for i in range(2)] == [100, 100]
        assert page.locator("section.results article.result.good").count() == 2
        listed = page.locator("section.results").inner_text()
        assert "UP-XML-1" in listed
        assert "UP-PDF-1" in listed
        assert "UP-XML-2" not in listed
        page.screenshot(path=str(tmp_path / "upload-progress.png"), full_page=True)
        _axe_clean(page)

        page.goto(f"{live_server.base_url}/invoices/upload?lang=en")
        page.set_input_files("#files", [extra])
        assert page.get_by_role("button", name="Remove extra.xml from the list").is_visible()
        _axe_clean(page)
    finally:
        context.close()
    _without_javascript(chromium, live_server, account.login, account.password, number)


def _without_javascript(
    chromium: Any, live_server: LiveServer, login: str, password: str, number: str
) -> None:
    """The same form posts the files as they are when no script runs."""
    context = chromium.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.base_url}/login?next=/invoices/upload")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/invoices/upload")
        document = jp_invoice(seller=number, number="UP-NOJS-1")
        page.set_input_files("#files", [_file("nojs.xml", document, "application/xml")])
        page.click("button[value=submit]")
        page.wait_for_selector("section.results article.result.good")
        assert "UP-NOJS-1" in page.locator("section.results").inner_text()
    finally:
        context.close()
