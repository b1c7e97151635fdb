"""The strict Content-Security-Policy in a real browser: no page breaks it, and the reject form
still asks before it is sent (its question moved from ``onsubmit=`` to ``/static/confirm.js``)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice
from tests.support import LiveServer, make_department, make_supplier, make_user

pytestmark = pytest.mark.browser


def test_the_reject_form_asks_first_and_nothing_breaks_the_policy(
    chromium: Any, live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    document = jp_invoice(seller=number, number="CSP-REJECT", buyer_reference=department)
    with live_server.client(supplier.token) as client:
        sent = client.post(
            "/api/v1/invoices", content=document, headers={"Content-Type": "application/xml"}
        )
    assert sent.status_code == 201, sent.text
    invoice_id = sent.json()["id"]

    context = chromium.new_context(locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    questions: list[str] = []
    answers = iter([False, True])  # first dismiss, then accept

    def answer(dialog: Any) -> None:
        questions.append(dialog.message)
        if next(answers):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    try:
        page.goto(f"{live_server.base_url}/login?next=/inbox/{invoice_id}")
        page.fill("input[name=login]", clerk.login)
        page.fill("input[name=password]", clerk.password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"**/inbox/{invoice_id}")
        page.fill("form.reject textarea[name=reason]", "重複して届きました")
        page.click("form.reject button[type=submit]")
        assert len(questions) == 1
        assert page.locator("text=不受理としました。").count() == 0  # dismissed: not sent
        page.click("form.reject button[type=submit]")
        page.wait_for_selector("text=不受理としました。")
        assert len(questions) == 2
        assert all("不受理" in q for q in questions), questions
    finally:
        context.close()
    assert violations == []


def test_the_api_docs_render_from_this_host_alone(chromium: Any, live_server: LiveServer) -> None:
    page = chromium.new_page()
    host = live_server.base_url
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    try:
        page.goto(f"{host}/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
        assert "juryo" in page.inner_text(".swagger-ui .info .title")
        page.wait_for_selector(".opblock", timeout=15_000)
    finally:
        page.close()
    assert requested
    assert [url for url in requested if not url.startswith(host)] == []
    assert problems == []
