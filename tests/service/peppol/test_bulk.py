"""The bulk hand-off's groups over real HTTP: a group is recorded in one go, yet a store that
fails for one document, repeats inside one request and racing requests cost only what they
must, and the audit chain stays whole and in document order."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from parsers.envelope import open_envelope
from service.app import create_app
from service.runtime import Runtime
from service.settings import Settings
from storage import audit
from storage.models import AuditEvent, InvoiceRecord, PeppolMessage
from storage.objects import ObjectStore, StorageError, StoredObject
from tests.documents import CITY_PARTICIPANT, FIXTURES, jp_invoice, peppol_sbd
from tests.service.peppol.conftest import access_point_token
from tests.support import LiveServer, start_live_server

XML = "application/xml"


def _multipart(sbds: list[bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("document", (f"{i}.xml", sbd, XML)) for i, sbd in enumerate(sbds)]


def _hand_over(client: httpx.Client, sbds: list[bytes]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/peppol/inbound", files=_multipart(sbds))
    assert response.status_code == 200, response.text
    answers: list[dict[str, Any]] = response.json()["documents"]
    return answers


class _FailingFor:
    """The test's real object store (files or S3 over HTTP), except that storing one content
    fails as a full disk or a refusing S3 server makes it fail."""

    def __init__(self, store: ObjectStore, sha256: str) -> None:
        self._store = store
        self._sha256 = sha256

    def put(self, data: bytes, *, media_type: str) -> StoredObject:
        if hashlib.sha256(data).hexdigest() == self._sha256:
            raise StorageError("cannot write object: No space left on device")
        return self._store.put(data, media_type=media_type)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.fixture
def failing_server(
    settings: Settings, sender: tuple[str, str]
) -> Iterator[tuple[LiveServer, list[bytes]]]:
    """The app whose store refuses the payload of one of the sender's SBDs (the second of
    the list it yields)."""
    number, participant = sender
    sbds = [peppol_sbd(jp_invoice(seller=number), sender=participant) for _ in range(3)]
    opened = open_envelope(sbds[1], max_bytes=settings.max_upload_bytes).envelope
    assert opened is not None
    configured = settings.model_copy(
        update={"peppol_participant_ids": CITY_PARTICIPANT, "peppol_group_size": 16}
    )
    app = create_app(configured)
    runtime: Runtime = app.state.runtime
    refused = hashlib.sha256(opened.payload).hexdigest()
    app.state.runtime = dataclasses.replace(runtime, store=_FailingFor(runtime.store, refused))
    with start_live_server(configured, app=app) as server:
        yield server, sbds


def test_a_store_failing_for_one_document_refuses_only_it(
    failing_server: tuple[LiveServer, list[bytes]],
    sender: tuple[str, str],
    sessions: sessionmaker[Session],
) -> None:
    server, sbds = failing_server
    with server.client(access_point_token(sessions)) as client:
        answers = _hand_over(client, sbds)
    assert [a["outcome"] for a in answers] == ["recorded", "refused", "recorded"]
    (finding,) = answers[1]["findings"]
    assert finding["rule_id"] == "JURYO-PEPPOL-REFUSED"
    assert "503" in finding["message_en"]
    assert "send this document again" in finding["message_en"]
    assert {a["status"] for a in answers if a["outcome"] == "recorded"} == {"pending"}
    with sessions() as session:
        kept = session.scalar(
            select(func.count()).select_from(PeppolMessage).where(PeppolMessage.sender == sender[1])
        )
    assert kept == 2


def test_a_group_is_recorded_with_its_audit_events_in_document_order(
    access_point: httpx.Client, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    number, participant = sender
    sbds = [peppol_sbd(jp_invoice(seller=number), sender=participant) for _ in range(20)]
    answers = _hand_over(access_point, sbds)
    assert {a["status"] for a in answers} == {"pending"}
    ids = [str(a["invoice_id"]) for a in answers]
    with sessions() as session:
        events = session.execute(
            select(AuditEvent.id, AuditEvent.entity_id)
            .where(AuditEvent.action == "invoice.receive", AuditEvent.entity_id.in_(ids))
            .order_by(AuditEvent.id)
        ).all()
        assert audit.verify(session).intact
    assert [entity for _, entity in events] == ids
    first = events[0][0]
    assert [event_id for event_id, _ in events[:16]] == list(range(first, first + 16))


def test_the_same_payload_under_two_instance_ids_in_one_request_is_one_invoice(
    access_point: httpx.Client, sender: tuple[str, str]
) -> None:
    number, participant = sender
    payload = jp_invoice(seller=number)
    sbds = [peppol_sbd(jp_invoice(seller=number), sender=participant) for _ in range(3)]
    sbds[1:1] = [peppol_sbd(payload, sender=participant) for _ in range(2)]
    answers = _hand_over(access_point, sbds)
    assert [a["outcome"] for a in answers] == ["recorded"] * 5
    assert answers[1]["invoice_id"] == answers[2]["invoice_id"]
    assert answers[1]["message_id"] != answers[2]["message_id"]
    assert len({a["invoice_id"] for a in answers}) == 4


def test_a_number_twice_in_one_request_refuses_only_the_second(
    access_point: httpx.Client, sender: tuple[str, str]
) -> None:
    number, participant = sender
    invoice_number = f"DUP-{uuid.uuid4().hex[:8]}"
    twins = [jp_invoice(seller=number, number=invoice_number, note=note) for note in "AB"]
    assert twins[0] != twins[1]  # different documents that carry one number
    sbds = [peppol_sbd(jp_invoice(seller=number), sender=participant) for _ in range(2)]
    sbds[1:1] = [peppol_sbd(twin, sender=participant) for twin in twins]
    answers = _hand_over(access_point, sbds)
    assert [a["outcome"] for a in answers] == ["recorded", "recorded", "refused", "recorded"]
    assert "409" in answers[2]["findings"][0]["message_en"]


def test_racing_requests_with_the_same_messages_record_each_once(
    peppol_server: LiveServer, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    number, participant = sender
    sbds = [peppol_sbd(jp_invoice(seller=number), sender=participant) for _ in range(24)]
    tokens = [access_point_token(sessions) for _ in range(2)]
    results: list[list[dict[str, Any]]] = []
    start = threading.Barrier(2)

    def hand_over(token: str) -> None:
        with peppol_server.client(token) as client:
            start.wait(timeout=30)
            results.append(_hand_over(client, sbds))

    threads = [threading.Thread(target=hand_over, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2
    first, second = results
    assert [a["invoice_id"] for a in first] == [a["invoice_id"] for a in second]
    assert {a["outcome"] for a in first + second} <= {"recorded", "repeated"}
    ids = [a["invoice_id"] for a in first]
    with sessions() as session:
        recorded = session.scalar(
            select(func.count()).select_from(InvoiceRecord).where(InvoiceRecord.id.in_(ids))
        )
        messages = session.scalar(
            select(func.count()).select_from(PeppolMessage).where(PeppolMessage.invoice_id.in_(ids))
        )
    assert (recorded, messages) == (24, 24)


def test_a_credit_note_for_an_invoice_of_its_own_request_is_linked_to_it(
    access_point: httpx.Client, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    number, participant = sender
    invoice_number = f"INV-{uuid.uuid4().hex[:8]}"
    credit_note = (
        (FIXTURES / "ubl_credit_note.xml")
        .read_text(encoding="utf-8")
        .replace("<cbc:ID>INV-8</cbc:ID>", f"<cbc:ID>{invoice_number}</cbc:ID>")
        .replace("<cbc:ID>CN-9</cbc:ID>", f"<cbc:ID>CN-{invoice_number}</cbc:ID>")
        .encode()
    )
    sbds = [
        peppol_sbd(jp_invoice(seller=number, number=invoice_number), sender=participant),
        peppol_sbd(
            credit_note,
            sender=participant,
            document_type=CREDIT_NOTE_TYPE,
            process="urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
        ),
    ]
    invoice, corrected = _hand_over(access_point, sbds)
    assert (invoice["status"], corrected["status"]) == ("pending", "pending"), corrected
    with sessions() as session:
        row = session.get(InvoiceRecord, corrected["invoice_id"])
        assert row is not None
        assert row.preceding_invoice_id == invoice["invoice_id"]


CREDIT_NOTE_TYPE = (
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote"
    "##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
)
