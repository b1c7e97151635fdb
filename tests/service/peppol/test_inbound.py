"""The access point's hand-off over real HTTP: one and many SBDs, who the sender and the
receiver may be, and the SBDH instance id as the idempotency key."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from service.peppol.participants import add_participant
from storage.db import transaction
from storage.models import InvoiceRecord, PeppolMessage, Role, Supplier
from storage.repositories import organisation
from tests.documents import jp_invoice, peppol_sbd
from tests.support import TEST_ACTOR, LiveServer, make_supplier, make_user

XML = {"Content-Type": "application/xml"}


def _multipart(sbds: list[bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("document", (f"{i}.xml", sbd, "application/xml")) for i, sbd in enumerate(sbds)]


def _answers(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    documents: list[dict[str, Any]] = response.json()["documents"]
    return documents


def _rules(answer: dict[str, Any]) -> set[str]:
    return {finding["rule_id"] for finding in answer["findings"]}


def test_one_sbd_becomes_the_senders_pending_invoice(
    access_point: httpx.Client, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    number, participant = sender
    sbd = peppol_sbd(jp_invoice(seller=number), sender=participant)
    (answer,) = _answers(access_point.post("/api/v1/peppol/inbound", content=sbd, headers=XML))
    assert (answer["outcome"], answer["status"]) == ("recorded", "pending"), answer
    with sessions() as session:
        invoice = session.get(InvoiceRecord, answer["invoice_id"])
        assert invoice is not None
        assert invoice.supplier.registration_number == number
        assert invoice.original.sha256  # the payload alone is the stored original


def test_many_sbds_are_answered_each_in_order_one_bad_failing_no_other(
    access_point: httpx.Client, sender: tuple[str, str]
) -> None:
    number, participant = sender
    sbds = [peppol_sbd(jp_invoice(seller=number), sender=participant) for _ in range(5)]
    sbds.insert(2, peppol_sbd(jp_invoice(seller=number), sender=participant, receiver="0188:1"))
    sbds.insert(4, b"<not-an-envelope/>")
    answers = _answers(access_point.post("/api/v1/peppol/inbound", files=_multipart(sbds)))
    assert [a["outcome"] for a in answers] == ["recorded"] * 2 + ["refused"] + ["recorded"] + [
        "refused"
    ] + ["recorded"] * 2
    assert len({a["invoice_id"] for a in answers if a["outcome"] == "recorded"}) == 5
    assert _rules(answers[2]) == {"JURYO-PEPPOL-RECEIVER"}
    assert _rules(answers[4]) == {"JURYO-SBDH-ROOT"}


def test_an_unknown_sender_is_kept_invalid_with_a_finding_naming_the_id(
    access_point: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    stranger = f"0188:{uuid.uuid4().int % 10**13:013d}"
    sbd = peppol_sbd(jp_invoice(seller=make_supplier(sessions)), sender=stranger)
    (answer,) = _answers(access_point.post("/api/v1/peppol/inbound", content=sbd, headers=XML))
    assert (answer["outcome"], answer["status"], answer["invoice_id"]) == (
        "recorded",
        "invalid",
        None,
    )
    (named,) = [f for f in answer["findings"] if f["rule_id"] == "JURYO-PEPPOL-SENDER"]
    assert stranger in named["message_en"]
    assert stranger in named["message_ja"]
    with sessions() as session:
        message = session.get(PeppolMessage, answer["message_id"])
        assert message is not None
        assert (message.sender, message.status) == (stranger, "invalid")
        assert message.original.size > 0


def test_another_receiver_is_refused_and_nothing_is_stored(
    access_point: httpx.Client, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    number, participant = sender
    instance_id = str(uuid.uuid4())
    sbd = peppol_sbd(
        jp_invoice(seller=number),
        sender=participant,
        receiver="0188:9999999999999",
        instance_id=instance_id,
    )
    (answer,) = _answers(access_point.post("/api/v1/peppol/inbound", content=sbd, headers=XML))
    assert (answer["outcome"], answer["invoice_id"]) == ("refused", None)
    assert _rules(answer) == {"JURYO-PEPPOL-RECEIVER"}
    with sessions() as session:
        stored = session.scalar(
            select(func.count())
            .select_from(PeppolMessage)
            .where(PeppolMessage.instance_id == instance_id)
        )
    assert stored == 0


def test_a_process_that_is_not_the_payloads_is_refused(
    access_point: httpx.Client, sender: tuple[str, str]
) -> None:
    number, participant = sender
    sbd = peppol_sbd(jp_invoice(seller=number), sender=participant, process="urn:other")
    (answer,) = _answers(access_point.post("/api/v1/peppol/inbound", content=sbd, headers=XML))
    assert answer["outcome"] == "refused"
    assert _rules(answer) == {"JURYO-SBDH-PROCESS"}


def test_the_same_instance_id_again_is_answered_with_the_first_result(
    access_point: httpx.Client, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    number, participant = sender
    instance_id = str(uuid.uuid4())
    sbd = peppol_sbd(jp_invoice(seller=number), sender=participant, instance_id=instance_id)
    (first,) = _answers(access_point.post("/api/v1/peppol/inbound", content=sbd, headers=XML))
    twice = _answers(access_point.post("/api/v1/peppol/inbound", files=_multipart([sbd, sbd])))
    assert first["outcome"] == "recorded"
    for again in twice:
        assert again["outcome"] == "repeated"
        assert {k: again[k] for k in ("invoice_id", "status", "message_id")} == {
            k: first[k] for k in ("invoice_id", "status", "message_id")
        }
    with sessions() as session:
        count = session.scalar(
            select(func.count())
            .select_from(InvoiceRecord)
            .where(InvoiceRecord.id == first["invoice_id"])
        )
    assert count == 1


def test_one_instance_id_twice_in_one_request_is_recorded_once(
    access_point: httpx.Client, sender: tuple[str, str]
) -> None:
    number, participant = sender
    sbd = peppol_sbd(jp_invoice(seller=number), sender=participant)
    first, second = _answers(
        access_point.post("/api/v1/peppol/inbound", files=_multipart([sbd, sbd]))
    )
    assert (first["outcome"], second["outcome"]) == ("recorded", "repeated")
    assert first["invoice_id"] == second["invoice_id"]


def test_a_seller_that_is_not_the_senders_supplier_makes_the_invoice_invalid(
    access_point: httpx.Client, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    _, participant = sender
    sbd = peppol_sbd(jp_invoice(seller=make_supplier(sessions)), sender=participant)
    (answer,) = _answers(access_point.post("/api/v1/peppol/inbound", content=sbd, headers=XML))
    assert (answer["outcome"], answer["status"]) == ("recorded", "invalid")
    assert "JURYO-INTAKE-SELLER" in _rules(answer)


def test_only_an_access_point_hands_over(
    peppol_server: LiveServer, sessions: sessionmaker[Session], sender: tuple[str, str]
) -> None:
    number, participant = sender
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    sbd = peppol_sbd(jp_invoice(seller=number), sender=participant)
    with peppol_server.client(supplier.token) as client:
        refused = client.post("/api/v1/peppol/inbound", content=sbd, headers=XML)
    with peppol_server.client() as anonymous:
        unknown = anonymous.post("/api/v1/peppol/inbound", content=sbd, headers=XML)
    assert (refused.status_code, unknown.status_code) == (403, 401)


def test_a_participant_id_belongs_to_one_supplier_and_admins_record_any(
    peppol_server: LiveServer, sessions: sessionmaker[Session], sender: tuple[str, str]
) -> None:
    _, participant = sender
    admin = make_user(sessions, Role.ADMIN)
    other = make_supplier(sessions)
    with sessions() as session:
        supplier = organisation.supplier_by_registration(session, other)
        assert supplier is not None
        other_id = supplier.id
    path = f"/api/v1/admin/suppliers/{other_id}/peppol-participants"
    own = f"0188:{uuid.uuid4().int % 10**13:013d}"
    with peppol_server.client(admin.token) as client:
        taken = client.post(path, json={"participant_id": participant})
        malformed = client.post(path, json={"participant_id": "corporate 8010001008843"})
        added = client.post(path, json={"participant_id": own})
        listed = client.get(path)
    assert (taken.status_code, malformed.status_code, added.status_code) == (409, 400, 200)
    assert listed.json() == {"supplier_id": other_id, "participant_ids": [own]}
    assert "他の事業者が登録しています" in taken.json()["message_ja"]
    assert "four-digit scheme" in malformed.json()["message_en"]
    assert "4 桁のスキーム" in malformed.json()["message_ja"]


def test_a_refusal_inside_a_group_costs_only_its_own_document(
    access_point: httpx.Client, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    number, participant = sender
    waiting = make_supplier(sessions)  # a supplier whose sign-up is not approved (any more)
    waiting_id = f"0188:{uuid.uuid4().int % 10**13:013d}"
    juryo_participant(sessions, waiting, waiting_id)
    with transaction(sessions) as session:
        session.execute(
            update(Supplier).where(Supplier.registration_number == waiting).values(approved=False)
        )
    sbds = [peppol_sbd(jp_invoice(seller=number), sender=participant) for _ in range(3)]
    sbds.insert(1, peppol_sbd(jp_invoice(seller=waiting), sender=waiting_id))
    answers = _answers(access_point.post("/api/v1/peppol/inbound", files=_multipart(sbds)))
    assert [a["outcome"] for a in answers] == ["recorded", "refused", "recorded", "recorded"]
    assert _rules(answers[1]) == {"JURYO-PEPPOL-REFUSED"}
    assert "403" in answers[1]["findings"][0]["message_ja"]


def juryo_participant(sessions: sessionmaker[Session], number: str, participant: str) -> None:
    """Record a participant id for a supplier as ``juryo peppol add-participant`` does."""
    with transaction(sessions) as session:
        supplier = organisation.supplier_by_registration(session, number)
        assert supplier is not None
        add_participant(session, actor=TEST_ACTOR, supplier_id=supplier.id, value=participant)


def test_another_senders_message_under_a_used_instance_id_learns_nothing_of_the_first(
    access_point: httpx.Client, sender: tuple[str, str], sessions: sessionmaker[Session]
) -> None:
    number, participant = sender
    instance_id = str(uuid.uuid4())
    first = peppol_sbd(jp_invoice(seller=number), sender=participant, instance_id=instance_id)
    (recorded,) = _answers(access_point.post("/api/v1/peppol/inbound", content=first, headers=XML))
    stranger = f"0188:{uuid.uuid4().int % 10**13:013d}"
    other = peppol_sbd(jp_invoice(seller=number), sender=stranger, instance_id=instance_id)
    (answer,) = _answers(access_point.post("/api/v1/peppol/inbound", content=other, headers=XML))
    assert recorded["outcome"] == "recorded"
    assert (answer["outcome"], answer["invoice_id"], answer["status"]) == ("refused", None, None)
    assert _rules(answer) == {"JURYO-PEPPOL-REFUSED"}
