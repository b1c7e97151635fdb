"""The safe view of a PDF original: its pages as PNG rendered on the server, for whoever may see
the invoice, beside its data; never a PDF byte in that view; a clear reason when it cannot be."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.documents import jp_invoice, plain_pdf
from tests.parsers.pdf_factory import make_pdf
from tests.service.test_inbox_api import Office, make_office, submit
from tests.support import LiveServer, make_department, make_user, signed_in

PNG = b"\x89PNG\r\n\x1a\n"
MINIMUM = "zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf"


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    return make_office(sessions)


def _pdf(live_server: LiveServer, office: Office) -> int:
    sent = submit(live_server, office, plain_pdf(registration_number=office.registration_number))
    return int(sent["id"])


def test_a_plain_pdf_page_is_an_image_for_the_supplier_and_the_clerk(
    live_server: LiveServer, office: Office
) -> None:
    invoice_id = _pdf(live_server, office)
    for account in (office.supplier, office.clerk):
        with live_server.client(account.token) as client:
            page = client.get(f"/api/v1/invoices/{invoice_id}/pages/1.png")
        assert page.status_code == 200, page.text
        assert page.headers["content-type"] == "image/png"
        assert page.content.startswith(PNG)
        assert b"%PDF" not in page.content


def test_a_facturx_page_is_an_image_and_the_scale_is_bounded(
    live_server: LiveServer, office: Office, corpus: Path
) -> None:
    sent = submit(live_server, office, (corpus / MINIMUM).read_bytes())
    with live_server.client(office.clerk.token) as client:
        small = client.get(f"/api/v1/invoices/{sent['id']}/pages/1.png", params={"scale": 0.5})
        too_big = client.get(f"/api/v1/invoices/{sent['id']}/pages/1.png", params={"scale": 50})
        beyond = client.get(f"/api/v1/invoices/{sent['id']}/pages/2.png")
    assert small.status_code == 200, small.text
    assert small.content.startswith(PNG)
    assert (too_big.status_code, beyond.status_code) == (422, 404)


@pytest.mark.parametrize(("lang", "title"), [("ja", "原本の表示（画像）"), ("en", "as images")])
def test_the_invoice_and_data_entry_pages_show_the_images_beside_the_data(
    live_server: LiveServer, office: Office, lang: str, title: str
) -> None:
    invoice_id = _pdf(live_server, office)
    image = f'<img src="/invoices/{invoice_id}/pages/1.png"'
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        detail = browser.get(f"/invoices/{invoice_id}", params={"lang": lang}).text
        entry = browser.get(f"/invoices/{invoice_id}/data-entry", params={"lang": lang}).text
        decision = browser.get(f"/inbox/{invoice_id}", params={"lang": lang}).text
        png = browser.get(f"/invoices/{invoice_id}/pages/1.png")
    for html in (detail, entry, decision):
        assert image in html
        assert title in html
        assert not any(tag in html for tag in ("<embed", "<iframe", "<object"))
    assert png.content.startswith(PNG)


def test_an_auditor_sees_the_pages_too(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    invoice_id = _pdf(live_server, office)
    auditor = make_user(sessions, Role.AUDITOR)
    with signed_in(live_server, auditor.login, auditor.password) as browser:
        assert f"/invoices/{invoice_id}/pages/1.png" in browser.get(f"/invoices/{invoice_id}").text
        assert browser.get(f"/invoices/{invoice_id}/pages/1.png").content.startswith(PNG)


def test_who_may_not_see_the_invoice_may_not_see_its_pages(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    invoice_id = _pdf(live_server, office)
    stranger = make_office(sessions)
    other_clerk = make_user(sessions, Role.CLERK, departments=(make_department(sessions),))
    path = f"/api/v1/invoices/{invoice_id}/pages/1.png"
    with live_server.client() as anonymous:
        assert anonymous.get(path).status_code == 401
        visitor = anonymous.get(f"/invoices/{invoice_id}/pages/1.png", follow_redirects=False)
    assert visitor.status_code == 401  # an image request, not a page: no redirect to sign in
    for account in (stranger.supplier, other_clerk):
        with live_server.client(account.token) as client:
            assert client.get(path).status_code == 404
        with signed_in(live_server, account.login, account.password) as browser:
            assert browser.get(f"/invoices/{invoice_id}/pages/1.png").status_code == 404


@pytest.mark.parametrize(
    ("lang", "message"),
    [("ja", "パスワードで保護されている"), ("en", "password-protected")],
)
def test_a_password_protected_pdf_is_explained_not_a_500(
    live_server: LiveServer, office: Office, lang: str, message: str
) -> None:
    locked = make_pdf(["Invoice A-1"], password="secret")
    with live_server.client(office.supplier.token) as client:
        sent = client.post(
            "/api/v1/invoices", content=locked, headers={"Content-Type": "application/pdf"}
        ).json()
    with signed_in(live_server, office.supplier.login, office.supplier.password) as browser:
        page = browser.get(f"/invoices/{sent['id']}", params={"lang": lang})
        image = browser.get(f"/invoices/{sent['id']}/pages/1.png", params={"lang": lang})
    assert page.status_code == 200
    assert message in page.text
    assert f'href="/invoices/{sent["id"]}/original"' in page.text
    assert image.status_code == 422
    assert message in image.text


def test_an_xml_invoice_has_no_pages(live_server: LiveServer, office: Office) -> None:
    sent = submit(live_server, office, jp_invoice(seller=office.registration_number))
    with live_server.client(office.clerk.token) as client:
        answer = client.get(f"/api/v1/invoices/{sent['id']}/pages/1.png")
    assert answer.status_code == 404
    assert "not a PDF" in answer.json()["detail"]
