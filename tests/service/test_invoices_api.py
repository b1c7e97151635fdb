"""Supplier intake over real HTTP: acknowledgement, idempotency, duplicates, isolation, errors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.db import transaction
from storage.models import InvoiceRecord, Role, Supplier
from tests.documents import jp_invoice, plain_pdf
from tests.s3server import free_port
from tests.support import (
    Account,
    LiveServer,
    make_department,
    make_supplier,
    make_user,
    start_live_server,
)

XML = {"Content-Type": "application/xml"}


@dataclass(frozen=True)
class SupplierAccount:
    """A supplier company with one user."""

    registration_number: str
    user: Account
    department: str


@pytest.fixture
def supplier(sessions: sessionmaker[Session]) -> SupplierAccount:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    return SupplierAccount(number, make_user(sessions, Role.SUPPLIER, supplier=number), department)


@pytest.fixture
def client(live_server: LiveServer, supplier: SupplierAccount) -> Iterator[httpx.Client]:
    with live_server.client(supplier.user.token) as client:
        yield client


def _count_invoices(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.execute(select(func.count()).select_from(InvoiceRecord)).scalar_one()


def test_acceptable_invoice_is_acknowledged_with_its_record(
    client: httpx.Client, supplier: SupplierAccount
) -> None:
    document = jp_invoice(seller=supplier.registration_number, number="INV-1")
    response = client.post("/api/v1/invoices", content=document, headers=XML)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "pending"
    assert body["format"] == "ubl-invoice"
    assert body["profile"] == "jp-pint"
    assert body["invoice_number"] == "INV-1"
    assert body["issue_date"] == "2026-11-26"
    assert body["payable_amount"] == "16150"
    assert body["currency"] == "JPY"
    assert body["department"] == supplier.department
    assert body["sha256"] == hashlib.sha256(document).hexdigest()
    assert body["findings"] == []
    assert response.headers["location"] == f"/api/v1/invoices/{body['id']}"

    original = client.get(f"/api/v1/invoices/{body['id']}/original")
    assert original.status_code == 200
    assert original.content == document
    assert original.headers["content-type"].startswith("application/xml")
    assert original.headers["etag"] == f'"{body["sha256"]}"'

    detail = client.get(f"/api/v1/invoices/{body['id']}").json()
    assert detail["routing_rule"] == "supplier_default"
    assert detail["content"]["seller"]["jp_registration_number"] == supplier.registration_number
    assert [(e["action"], e["actor_role"]) for e in detail["history"]] == [
        ("invoice.receive", "supplier")
    ]


def test_buyer_reference_naming_a_department_routes_there(
    client: httpx.Client, supplier: SupplierAccount, sessions: sessionmaker[Session]
) -> None:
    other = make_department(sessions)
    document = jp_invoice(seller=supplier.registration_number, buyer_reference=other)
    body = client.post("/api/v1/invoices", content=document, headers=XML).json()
    assert body["department"] == other


def test_supplier_without_default_goes_to_triage(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = make_supplier(sessions)
    user = make_user(sessions, Role.SUPPLIER, supplier=number)
    with live_server.client(user.token) as client:
        body = client.post(
            "/api/v1/invoices", content=jp_invoice(seller=number), headers=XML
        ).json()
    assert body["department"] == "triage"


def test_same_bytes_again_return_the_same_record(
    client: httpx.Client, supplier: SupplierAccount
) -> None:
    document = jp_invoice(seller=supplier.registration_number)
    first = client.post("/api/v1/invoices", content=document, headers=XML)
    again = client.post("/api/v1/invoices", content=document, headers=XML)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_same_number_with_other_content_is_a_conflict(
    client: httpx.Client, supplier: SupplierAccount
) -> None:
    first = client.post(
        "/api/v1/invoices",
        content=jp_invoice(seller=supplier.registration_number, number="DUP-1"),
        headers=XML,
    )
    other = client.post(
        "/api/v1/invoices",
        content=jp_invoice(seller=supplier.registration_number, number="DUP-1", note="変更"),
        headers=XML,
    )
    assert other.status_code == 409
    assert other.json()["existing_id"] == first.json()["id"]
    assert other.json()["error"] == "conflict"


def test_idempotency_key_replays_and_refuses_other_content(
    client: httpx.Client, supplier: SupplierAccount
) -> None:
    headers = {**XML, "Idempotency-Key": "key-1"}
    document = jp_invoice(seller=supplier.registration_number)
    first = client.post("/api/v1/invoices", content=document, headers=headers)
    replay = client.post("/api/v1/invoices", content=document, headers=headers)
    other = client.post(
        "/api/v1/invoices",
        content=jp_invoice(seller=supplier.registration_number),
        headers=headers,
    )
    assert (first.status_code, replay.status_code, other.status_code) == (201, 200, 409)
    assert replay.json()["id"] == first.json()["id"]


def test_multipart_upload_is_accepted(client: httpx.Client, supplier: SupplierAccount) -> None:
    document = jp_invoice(seller=supplier.registration_number)
    response = client.post(
        "/api/v1/invoices", files={"file": ("請求書.xml", document, "application/octet-stream")}
    )
    assert response.status_code == 201, response.text
    original = client.get(f"/api/v1/invoices/{response.json()['id']}/original")
    assert original.content == document
    assert (
        "filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.xml"
        in original.headers["content-disposition"]
    )


def test_someone_elses_registration_number_is_refused_but_kept(
    client: httpx.Client,
) -> None:
    document = jp_invoice(seller="T7123456789012")
    response = client.post("/api/v1/invoices", content=document, headers=XML)
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "invalid"
    assert body["department"] is None
    assert [f["rule_id"] for f in body["findings"]] == ["JURYO-INTAKE-SELLER"]
    assert "T7123456789012" in body["findings"][0]["message_ja"]
    kept = client.get(f"/api/v1/invoices/{body['id']}/original")
    assert kept.content == document


@pytest.mark.parametrize(
    ("document", "rule"),
    [
        (b"<InvoiceRecord><unclosed></InvoiceRecord>", "JURYO-XML-SYNTAX"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<x>&e;</x>",
            "JURYO-XML-ENTITY",
        ),
    ],
    ids=["malformed", "xxe"],
)
def test_malformed_or_hostile_xml_is_422_with_findings(
    client: httpx.Client, document: bytes, rule: str
) -> None:
    response = client.post("/api/v1/invoices", content=document, headers=XML)
    assert response.status_code == 422
    assert rule in [f["rule_id"] for f in response.json()["findings"]]
    assert "root:" not in response.text


def test_plain_pdf_waits_for_data_entry(client: httpx.Client, supplier: SupplierAccount) -> None:
    document = plain_pdf(registration_number=supplier.registration_number)
    response = client.post(
        "/api/v1/invoices", content=document, headers={"Content-Type": "application/pdf"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "pending"
    assert body["needs_data_entry"] is True
    assert body["format"] == "pdf"
    detail = client.get(f"/api/v1/invoices/{body['id']}").json()
    assert detail["content"]["invoice_number"] == "A-100"
    assert detail["content"]["registration_number"] == supplier.registration_number


@pytest.mark.parametrize("role", [Role.ACCOUNTING, Role.AUDITOR, Role.ADMIN])
def test_data_entry_by_a_role_that_may_not_is_403_and_changes_nothing(
    live_server: LiveServer,
    client: httpx.Client,
    supplier: SupplierAccount,
    sessions: sessionmaker[Session],
    role: Role,
) -> None:
    # found by tests/reliability/test_authorization_matrix.py: this used to be a 400
    document = plain_pdf(registration_number=supplier.registration_number)
    sent = client.post(
        "/api/v1/invoices", content=document, headers={"Content-Type": "application/pdf"}
    ).json()
    before = client.get(f"/api/v1/invoices/{sent['id']}").json()
    entry = {
        "invoice_number": "B-1",
        "issue_date": "2026-11-20",
        "total": "1",
        "taxes": [],
        "version": before["version"],
    }
    with live_server.client(make_user(sessions, role).token) as other:
        refused = other.put(f"/api/v1/invoices/{sent['id']}/data-entry", json=entry)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"] == "forbidden"
    after = client.get(f"/api/v1/invoices/{sent['id']}").json()
    assert (after["version"], after["data_entry"]) == (before["version"], before["data_entry"])


@pytest.mark.parametrize(
    ("content", "headers", "status", "error"),
    [
        (b"", XML, 400, "bad_request"),
        (b"hello", {"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
        (b"<x/>", {}, 415, "unsupported_media_type"),
    ],
    ids=["empty", "text-plain", "no-type"],
)
def test_bad_requests_get_clear_json_errors(
    client: httpx.Client, content: bytes, headers: dict[str, str], status: int, error: str
) -> None:
    response = client.post("/api/v1/invoices", content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["detail"]


def test_unapproved_supplier_may_only_dry_run(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    number = make_supplier(sessions)
    with transaction(sessions) as session:
        session.execute(
            Supplier.__table__.update()
            .where(Supplier.registration_number == number)
            .values(approved=False)
        )
    user = make_user(sessions, Role.SUPPLIER, supplier=number)
    document = jp_invoice(seller=number)
    before = _count_invoices(sessions)
    with live_server.client(user.token) as client:
        refused = client.post("/api/v1/invoices", content=document, headers=XML)
        dry = client.post("/api/v1/validate", content=document, headers=XML)
    assert refused.status_code == 403
    assert "not approved" in refused.json()["detail"]
    assert dry.status_code == 200
    assert dry.json()["valid"] is True
    assert _count_invoices(sessions) == before


def test_dry_run_reports_without_storing(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    clerk = make_user(sessions, Role.CLERK, departments=(make_department(sessions),))
    before = _count_invoices(sessions)
    with live_server.client(clerk.token) as client:
        bad = client.post("/api/v1/validate", content=b"<broken", headers=XML)
    assert bad.status_code == 422
    assert bad.json()["valid"] is False
    assert bad.json()["findings"][0]["rule_id"] == "JURYO-XML-SYNTAX"
    assert _count_invoices(sessions) == before


def test_dry_run_names_the_rule_sets_that_ran_and_their_versions(
    live_server: LiveServer, client: httpx.Client, supplier: SupplierAccount
) -> None:
    document = jp_invoice(seller=supplier.registration_number)
    report = client.post("/api/v1/validate", content=document, headers=XML).json()
    assert report["rule_sets"] == [
        {"name": "xsd", "version": "UBL 2.1 / Factur-X 1.09 CII"},
        {"name": "pint-jp", "version": "1.1.3"},
        {"name": "japan", "version": "juryo"},
    ]
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "rule_sets" in schema["ValidationOut"]["required"]
    assert set(schema["RuleSetOut"]["properties"]) == {"name", "version"}


def test_suppliers_see_only_their_own_invoices(
    live_server: LiveServer,
    client: httpx.Client,
    supplier: SupplierAccount,
    sessions: sessionmaker[Session],
) -> None:
    mine = client.post(
        "/api/v1/invoices", content=jp_invoice(seller=supplier.registration_number), headers=XML
    ).json()
    other_number = make_supplier(sessions)
    other = make_user(sessions, Role.SUPPLIER, supplier=other_number)
    with live_server.client(other.token) as stranger:
        assert stranger.get(f"/api/v1/invoices/{mine['id']}").status_code == 404
        assert stranger.get(f"/api/v1/invoices/{mine['id']}/original").status_code == 404
        listed = stranger.get("/api/v1/invoices").json()
    assert mine["id"] not in [item["id"] for item in listed["items"]]
    own = client.get("/api/v1/invoices").json()
    assert mine["id"] in [item["id"] for item in own["items"]]
    assert {item["supplier"]["registration_number"] for item in own["items"]} == {
        supplier.registration_number
    }


def test_clerks_see_their_departments_only_and_cannot_submit(
    live_server: LiveServer,
    client: httpx.Client,
    supplier: SupplierAccount,
    sessions: sessionmaker[Session],
) -> None:
    sent = client.post(
        "/api/v1/invoices", content=jp_invoice(seller=supplier.registration_number), headers=XML
    ).json()
    own_clerk = make_user(sessions, Role.CLERK, departments=(supplier.department,))
    other_clerk = make_user(sessions, Role.CLERK, departments=(make_department(sessions),))
    auditor = make_user(sessions, Role.AUDITOR)
    with live_server.client(own_clerk.token) as own:
        assert own.get(f"/api/v1/invoices/{sent['id']}").status_code == 200
        refused = own.post("/api/v1/invoices", content=b"<x/>", headers=XML)
        assert refused.status_code == 403
    with live_server.client(other_clerk.token) as other:
        assert other.get(f"/api/v1/invoices/{sent['id']}").status_code == 404
    with live_server.client(auditor.token) as everything:
        assert everything.get(f"/api/v1/invoices/{sent['id']}").status_code == 200


def test_search_filters_combine(client: httpx.Client, supplier: SupplierAccount) -> None:
    client.post(
        "/api/v1/invoices",
        content=jp_invoice(seller=supplier.registration_number, number="S-1"),
        headers=XML,
    )
    found = client.get(
        "/api/v1/invoices",
        params={
            "invoice_number": "S-1",
            "amount_min": "16000",
            "amount_max": "17000",
            "issue_date_from": "2026-11-01",
            "status": "pending",
        },
    ).json()
    assert [item["invoice_number"] for item in found["items"]] == ["S-1"]
    none = client.get("/api/v1/invoices", params={"invoice_number": "S-1", "amount_min": "20000"})
    assert none.json()["total"] == 0


def test_oversize_bodies_are_refused_before_reading(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    number = make_supplier(sessions)
    user = make_user(sessions, Role.SUPPLIER, supplier=number)
    small = settings.model_copy(update={"max_upload_bytes": 1000})
    big = jp_invoice(seller=number)

    def chunks() -> Iterator[bytes]:
        yield big[:600]
        yield big[600:]

    with start_live_server(small) as server, server.client(user.token) as client:
        declared = client.post("/api/v1/invoices", content=big, headers=XML)
        chunked = client.post("/api/v1/invoices", content=chunks(), headers=XML)
    assert declared.status_code == 413
    assert chunked.status_code == 413
    assert "1,000 bytes" in declared.json()["detail"]


def test_object_store_down_means_503_and_no_row(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    number = make_supplier(sessions)
    user = make_user(sessions, Role.SUPPLIER, supplier=number)
    down = settings.model_copy(
        update={
            "storage_url": "s3://juryo-down",
            "s3_endpoint_url": f"http://127.0.0.1:{free_port()}",
        }
    )
    before = _count_invoices(sessions)
    with start_live_server(down) as server, server.client(user.token) as client:
        response = client.post("/api/v1/invoices", content=jp_invoice(seller=number), headers=XML)
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.json()["detail"] == "the object store is unavailable"
    assert _count_invoices(sessions) == before


def test_credit_note_is_linked_to_the_invoice_it_corrects(
    client: httpx.Client, supplier: SupplierAccount
) -> None:
    from tests.documents import FIXTURES

    invoice = client.post(
        "/api/v1/invoices",
        content=jp_invoice(seller=supplier.registration_number, number="INV-8"),
        headers=XML,
    ).json()
    credit_note = (FIXTURES / "ubl_credit_note.xml").read_bytes()
    response = client.post("/api/v1/invoices", content=credit_note, headers=XML)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["document_type"] == "credit-note"
    assert body["preceding_invoice_id"] == invoice["id"]
