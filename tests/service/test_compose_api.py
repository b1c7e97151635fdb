"""``POST /api/v1/compose`` over real HTTP: a dry run stores nothing; a submission is received
exactly like an upload (201/422/409, Idempotency-Key) and lands, complete, in the department's
inbox; the supplier's PDF copy holds the stored original byte for byte."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import httpx
import pypdf
import pypdfium2
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.organisation.service import import_purchase_orders
from storage.db import transaction
from storage.models import InvoiceRecord, Role, Supplier
from tests.service.compose_support import Composer, body, make_composer
from tests.support import TEST_ACTOR, LiveServer, make_department, make_user, signed_in


@pytest.fixture
def composer(sessions: sessionmaker[Session]) -> Composer:
    return make_composer(sessions)


@pytest.fixture
def client(live_server: LiveServer, composer: Composer) -> Iterator[httpx.Client]:
    with live_server.client(composer.user.token) as client:
        yield client


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.execute(select(func.count()).select_from(InvoiceRecord)).scalar_one()


def test_a_dry_run_returns_the_xml_and_findings_and_stores_nothing(
    client: httpx.Client, composer: Composer, sessions: sessionmaker[Session]
) -> None:
    before = _count(sessions)
    response = client.post("/api/v1/compose?dry_run=true", json=body(composer.department))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["valid"], answer["profile"], answer["findings"]) == (True, "jp-pint", [])
    assert answer["payable_amount"] == "9889"  # 7,400 + 740 + 1,620 + 129
    assert answer["tax_total"] == "869"
    assert f"<cbc:BuyerReference>{composer.department}</cbc:BuyerReference>" in answer["xml"]
    assert _count(sessions) == before


def test_a_submission_is_received_like_an_upload_and_repeats_answer_the_first(
    client: httpx.Client, composer: Composer
) -> None:
    sent = body(composer.department, number="API-1")
    xml = client.post("/api/v1/compose?dry_run=true", json=sent).json()["xml"]
    headers = {"Idempotency-Key": "compose-api-1"}
    first = client.post("/api/v1/compose", json=sent, headers=headers)
    assert first.status_code == 201, first.text
    invoice = first.json()
    assert (invoice["status"], invoice["department"], invoice["payable_amount"]) == (
        "pending",
        composer.department,
        "9889",
    )
    assert client.get(f"/api/v1/invoices/{invoice['id']}/original").content == xml.encode()
    again = client.post("/api/v1/compose", json=sent, headers=headers)
    assert (again.status_code, again.json()["id"]) == (200, invoice["id"])
    other = body(composer.department, number="API-1", note="another text")
    assert client.post("/api/v1/compose", json=other).status_code == 409


def test_an_invoice_without_delivery_date_or_period_is_refused_before_anything_is_stored(
    client: httpx.Client, composer: Composer, sessions: sessionmaker[Session]
) -> None:
    """JP PINT requires BG-14: the schema asks for it, so no invalid invoice is ever written."""
    before = _count(sessions)
    sent = body(composer.department, number="API-2", delivery_date=None)
    response = client.post("/api/v1/compose", json=sent)
    assert response.status_code == 422, response.text
    assert "BT-72" in response.text
    assert _count(sessions) == before


def test_a_credit_note_from_a_seller_without_registration_number_is_refused(
    client: httpx.Client, composer: Composer, sessions: sessionmaker[Session]
) -> None:
    with transaction(sessions) as session:
        supplier = session.execute(
            select(Supplier).where(Supplier.registration_number == composer.registration_number)
        ).scalar_one()
        supplier.registration_number, supplier.corporate_number = None, "8010001008843"
    sent = body(composer.department, number="API-7", credit_note=True, preceding_invoice="X-1")
    response = client.post("/api/v1/compose?dry_run=true", json=sent)
    assert response.status_code == 422, response.text
    assert response.json()["fields"] == {"credit_note": "compose.no_credit_note"}


def test_an_unknown_department_is_refused_before_anything_is_stored(
    client: httpx.Client, composer: Composer, sessions: sessionmaker[Session]
) -> None:
    before = _count(sessions)
    response = client.post("/api/v1/compose", json=body("NO-SUCH-DEPARTMENT", number="API-3"))
    assert response.status_code == 422
    assert response.json()["fields"] == {"buyer_reference": "compose.unknown_department"}
    assert _count(sessions) == before


def test_a_purchase_order_number_names_the_department(
    client: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    ordering = make_department(sessions)
    with transaction(sessions) as session:
        import_purchase_orders(
            session, actor=TEST_ACTOR, data=f"PO-{ordering},{ordering}\n".encode()
        )
    sent = body("", number="API-4", purchase_order=f"PO-{ordering}")
    response = client.post("/api/v1/compose", json=sent)
    assert response.status_code == 201, response.text
    assert response.json()["department"] == ordering


def test_the_clerk_finds_it_complete_in_the_departments_inbox(
    client: httpx.Client,
    composer: Composer,
    live_server: LiveServer,
    sessions: sessionmaker[Session],
) -> None:
    invoice_id = client.post("/api/v1/compose", json=body(composer.department, "API-5")).json()[
        "id"
    ]
    clerk = make_user(sessions, Role.CLERK, departments=(composer.department,))
    with live_server.client(clerk.token) as staff:
        inbox = staff.get("/api/v1/inbox").json()
        detail = staff.get(f"/api/v1/invoices/{invoice_id}").json()
    assert invoice_id in [item["id"] for item in inbox["items"]]
    assert detail["needs_data_entry"] is False
    assert detail["department"] == composer.department


def test_the_suppliers_pdf_copy_opens_and_holds_the_original_byte_for_byte(
    client: httpx.Client, composer: Composer, live_server: LiveServer
) -> None:
    invoice_id = client.post("/api/v1/compose", json=body(composer.department, "API-6")).json()[
        "id"
    ]
    original = client.get(f"/api/v1/invoices/{invoice_id}/original").content
    with signed_in(live_server, composer.user.login, composer.user.password) as browser:
        page = browser.get(f"/invoices/{invoice_id}").text
        assert f'href="/invoices/{invoice_id}/copy.pdf"' in page
        response = browser.get(f"/invoices/{invoice_id}/copy.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    attachments = pypdf.PdfReader(io.BytesIO(response.content)).attachments
    assert list(attachments.values()) == [[original]]
    document = pypdfium2.PdfDocument(response.content)
    text = document[0].get_textpage().get_text_range()
    assert "API-6" in text
    assert "¥9,889" in text


def test_the_openapi_schema_names_the_business_term_of_every_field(client: httpx.Client) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("ComposeIn", "LineIn", "AllowanceIn", "SellerIn", "PayeeAccountIn"):
        for field_name, field in schemas[name]["properties"].items():
            assert re.search(r"B[TG]-\d+|端数処理", field.get("description", "")), (
                name,
                field_name,
            )
