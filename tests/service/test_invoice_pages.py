"""Invoice pages over real HTTP: upload, data entry, the list, one invoice, and who may see it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice, plain_pdf
from tests.support import (
    HTML,
    Account,
    LiveServer,
    form_token,
    make_department,
    make_supplier,
    make_user,
    signed_in,
)


@dataclass(frozen=True)
class SupplierUser:
    registration_number: str
    user: Account
    department: str


@pytest.fixture
def supplier(sessions: sessionmaker[Session]) -> SupplierUser:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    return SupplierUser(number, make_user(sessions, Role.SUPPLIER, supplier=number), department)


@pytest.fixture
def browser(live_server: LiveServer, supplier: SupplierUser) -> Iterator[httpx.Client]:
    with signed_in(live_server, supplier.user.login, supplier.user.password) as client:
        yield client


def _upload(client: httpx.Client, *files: tuple[str, bytes, str], mode: str = "submit") -> str:
    csrf = form_token(client.get("/invoices/upload").text)
    response = client.post(
        "/invoices/upload",
        data={"csrf_token": csrf, "mode": mode},
        files=[("files", f) for f in files],
    )
    assert response.status_code == 200, response.text
    return response.text


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/invoices/(\d+)"', html)]


def test_upload_two_files_shows_each_result_and_a_prefilled_form_for_the_pdf(
    browser: httpx.Client, supplier: SupplierUser
) -> None:
    xml = jp_invoice(seller=supplier.registration_number, number="PAGE-XML-1")
    pdf = plain_pdf(registration_number=supplier.registration_number, number="PAGE-PDF-1")
    html = _upload(
        browser, ("請求書.xml", xml, "application/xml"), ("scan.pdf", pdf, "application/pdf")
    )
    assert '<meta charset="utf-8">' in html
    assert "請求書.xml" in html
    assert "scan.pdf" in html
    assert html.count("受付けました") == 2
    assert "受付済み（確認待ち）" in html
    assert "PAGE-XML-1" in html
    assert "¥16,150" in html
    # the plain PDF's guesses, ready to be confirmed
    assert 'name="invoice_number" value="PAGE-PDF-1"' in html
    assert f'name="registration_number" value="{supplier.registration_number}"' in html
    assert 'name="issue_date" type="date" value="2026-11-20"' in html
    assert 'name="total" value="11000"' in html
    pdf_id = int(re.search(r'action="/invoices/(\d+)/data-entry"', html).group(1))  # type: ignore[union-attr]

    saved = browser.post(
        f"/invoices/{pdf_id}/data-entry",
        data={
            "csrf_token": form_token(html),
            "version": "1",
            "registration_number": supplier.registration_number,
            "invoice_number": "PAGE-PDF-1",
            "issue_date": "2026-11-20",
            "total": "11,000",
            "taxable_10": "10,000",
            "tax_10": "1,000",
        },
    )
    assert saved.status_code == 303
    detail = browser.get(saved.headers["location"])
    assert "入力内容を登録しました" in detail.text
    assert "入力された請求内容" in detail.text
    assert "請求内容の入力" in detail.text  # the history names the data entry

    listing = browser.get("/invoices")
    assert listing.status_code == 200
    assert "PAGE-XML-1" in listing.text
    assert "PAGE-PDF-1" in listing.text
    assert "¥11,000" in listing.text
    filtered = browser.get("/invoices", params={"invoice_number": "PAGE-XML-1"})
    assert "PAGE-PDF-1" not in filtered.text
    assert "該当 1 件" in filtered.text  # the count of hits, in Japanese


def test_data_entry_mistakes_are_shown_with_the_form(
    browser: httpx.Client, supplier: SupplierUser
) -> None:
    pdf = plain_pdf(registration_number=supplier.registration_number, number="PAGE-PDF-2")
    html = _upload(browser, ("a.pdf", pdf, "application/pdf"))
    invoice_id = int(re.search(r'action="/invoices/(\d+)/data-entry"', html).group(1))  # type: ignore[union-attr]
    response = browser.post(
        f"/invoices/{invoice_id}/data-entry",
        data={
            "csrf_token": form_token(html),
            "invoice_number": "PAGE-PDF-2",
            "issue_date": "not a date",
            "total": "11000",
        },
    )
    assert response.status_code == 400
    assert "issue_date" in response.text
    assert 'value="PAGE-PDF-2"' in response.text


def test_detail_renders_parties_lines_totals_findings_and_history(
    browser: httpx.Client, supplier: SupplierUser, live_server: LiveServer
) -> None:
    xml = jp_invoice(seller=supplier.registration_number, number="PAGE-XML-2")
    html = _upload(browser, ("inv.xml", xml, "application/xml"))
    (invoice_id,) = set(_ids(html))
    detail = browser.get(f"/invoices/{invoice_id}")
    assert detail.status_code == 200
    text = detail.text
    for expected in (
        "請求元（売手）",
        "請求先（買手）",
        supplier.registration_number,
        "検査数字OK",
        "明細",
        "税率ごとの消費税",
        "10%",
        "ご請求額",
        "¥16,150",
        "検証結果",
        "履歴",
        "受領",
        "事業者",  # the actor's role
    ):
        assert expected in text, expected
    english = browser.get(f"/invoices/{invoice_id}", params={"lang": "en"})
    assert "Seller" in english.text
    assert "Amount due" in english.text
    browser.cookies.delete("juryo_lang")

    original = browser.get(f"/invoices/{invoice_id}/original")
    assert original.status_code == 200
    assert original.content == xml
    assert original.headers["content-type"].startswith("application/xml")
    assert "inv.xml" in original.headers["content-disposition"]


def test_another_supplier_gets_404_for_the_detail_page(
    browser: httpx.Client,
    supplier: SupplierUser,
    live_server: LiveServer,
    sessions: sessionmaker[Session],
) -> None:
    xml = jp_invoice(seller=supplier.registration_number)
    (invoice_id,) = set(_ids(_upload(browser, ("x.xml", xml, "application/xml"))))
    other = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with signed_in(live_server, other.login, other.password) as client:
        for path in ("", "/original", "/data-entry"):
            response = client.get(f"/invoices/{invoice_id}{path}")
            assert response.status_code == 404, path
        assert "x.xml" not in client.get("/invoices").text


def test_file_neither_xml_nor_pdf_gets_its_own_error(
    browser: httpx.Client, supplier: SupplierUser
) -> None:
    xml = jp_invoice(seller=supplier.registration_number)
    html = _upload(
        browser, ("notes.txt", b"hello", "text/plain"), ("ok.xml", xml, "application/xml")
    )
    assert "XMLでもPDFでもないファイルです" in html
    assert "受付けました" in html


def test_a_failing_file_does_not_undo_the_others(
    browser: httpx.Client, supplier: SupplierUser
) -> None:
    first = jp_invoice(seller=supplier.registration_number, number="PAGE-DUP", note="一回目")
    second = jp_invoice(seller=supplier.registration_number, number="PAGE-DUP", note="二回目")
    html = _upload(
        browser, ("1.xml", first, "application/xml"), ("2.xml", second, "application/xml")
    )
    assert "受付けました" in html
    assert "内容の異なるものを受領済みです" in html
    assert "PAGE-DUP" in browser.get("/invoices").text


def test_invalid_invoice_is_shown_with_its_findings(
    browser: httpx.Client, supplier: SupplierUser
) -> None:
    broken = jp_invoice(seller=supplier.registration_number).replace(
        b"<cbc:IssueDate>2026-11-26</cbc:IssueDate>", b""
    )
    html = _upload(browser, ("broken.xml", broken, "application/xml"))
    assert "受付できません" in html
    assert "不備あり" in html
    assert "エラー" in html


def test_validate_only_stores_nothing(browser: httpx.Client, supplier: SupplierUser) -> None:
    xml = jp_invoice(seller=supplier.registration_number, number="PAGE-DRY")
    html = _upload(browser, ("dry.xml", xml, "application/xml"), mode="validate")
    assert "保存されていません" in html
    assert "問題ありません" in html
    assert "PAGE-DRY" not in browser.get("/invoices").text


def test_post_without_csrf_token_is_refused(browser: httpx.Client, supplier: SupplierUser) -> None:
    xml = jp_invoice(seller=supplier.registration_number)
    response = browser.post(
        "/invoices/upload", files=[("files", ("x.xml", xml, "application/xml"))]
    )
    assert response.status_code == 403
    assert "再読み込み" in response.text or "reload" in response.text


def test_staff_may_not_upload_but_see_their_list(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    auditor = make_user(sessions, Role.AUDITOR)
    with signed_in(live_server, auditor.login, auditor.password) as client:
        assert client.get("/invoices/upload").status_code == 403
        assert client.get("/invoices").status_code == 200


def test_pages_send_anonymous_visitors_to_the_login(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/invoices", headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
