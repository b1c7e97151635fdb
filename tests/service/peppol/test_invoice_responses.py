"""Peppol Invoice Responses over real HTTP: an invoice handed over by the access point is
answered AB when taken in and RE when a clerk returns it; the access point pulls each response
in its SBD, valid by the official T111 rules (juryo's native rule set), and acknowledges it once.
Invoices that came another way get none."""

from __future__ import annotations

import httpx
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parsers.envelope import open_envelope
from parsers.findings import Severity
from parsers.validation.invoice_response import validate_invoice_response
from service.notifications.worker import run_once
from service.runtime import Runtime
from service.settings import Settings
from storage.models import Delivery, DeliveryChannel, Role
from tests.documents import CITY_PARTICIPANT, jp_invoice, peppol_sbd
from tests.support import LiveServer, make_department, make_supplier, make_user

XML = {"Content-Type": "application/xml"}


def _pull(access_point: httpx.Client, invoice_number: str) -> list[dict[str, object]]:
    answer = access_point.get("/api/v1/peppol/outbound", params={"limit": 500})
    assert answer.status_code == 200, answer.text
    return [r for r in answer.json() if invoice_number in r["document"]]


def _opened(document: str) -> etree._Element:
    opened = open_envelope(document.encode())
    assert opened.findings == ()
    assert opened.envelope is not None
    root = etree.fromstring(opened.envelope.payload)
    fatal = [f.rule_id for f in validate_invoice_response(root) if f.severity is Severity.FATAL]
    assert fatal == []
    return root


def test_the_sender_hears_ab_then_re_and_the_access_point_takes_each_once(
    access_point: httpx.Client,
    peppol_server: LiveServer,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    participant = "0188:5" + number[2:14]
    with peppol_server.client(supplier.token) as client:
        added = client.post(
            "/api/v1/account/peppol-participants", json={"participant_id": participant}
        )
        assert added.status_code == 200, added.text
    invoice_number = f"IR-{number}"
    sbd = peppol_sbd(jp_invoice(seller=number, number=invoice_number), sender=participant)
    (handed,) = access_point.post("/api/v1/peppol/inbound", content=sbd, headers=XML).json()[
        "documents"
    ]
    assert handed["status"] == "pending", handed
    worker = Runtime.from_settings(settings)
    try:
        run_once(worker)
        (received,) = _pull(access_point, invoice_number)
        assert received["status"] == "AB"
        assert received["receiver"] == participant
        root = _opened(str(received["document"]))
        assert root.findtext(".//{*}ResponseCode") == "AB"
        sender = root.find(".//{*}SenderParty/{*}EndpointID")
        assert sender is not None
        assert f"{sender.get('schemeID')}:{sender.text}" == CITY_PARTICIPANT
        again = _pull(access_point, invoice_number)
        assert again == [received]  # not acknowledged: still waiting, same instance id
        ack = access_point.post(f"/api/v1/peppol/outbound/{received['id']}/ack")
        assert ack.status_code == 204
        twice = access_point.post(f"/api/v1/peppol/outbound/{received['id']}/ack")
        assert twice.status_code == 404
        assert _pull(access_point, invoice_number) == []

        with peppol_server.client(clerk.token) as client:
            invoice_id = handed["invoice_id"]
            version = client.get(f"/api/v1/invoices/{invoice_id}").json()["version"]
            returned = client.post(
                f"/api/v1/invoices/{invoice_id}/return",
                json={"version": version, "reason": "発注番号が違います"},
            )
            assert returned.status_code == 200, returned.text
        run_once(worker)
        (rejected,) = _pull(access_point, invoice_number)
    finally:
        worker.close()
    root = _opened(str(rejected["document"]))
    assert root.findtext(".//{*}ResponseCode") == "RE"
    codes = [(c.get("listID"), c.text) for c in root.iterfind(".//{*}StatusReasonCode")]
    assert codes == [("OPStatusReason", "OTH"), ("OPStatusAction", "NIN")]
    assert root.findtext(".//{*}StatusReason") == "発注番号が違います"


def test_only_an_access_point_pulls_responses_and_uploads_get_none(
    peppol_server: LiveServer, sessions: sessionmaker[Session], settings: Settings
) -> None:
    number = make_supplier(sessions)
    supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
    admin = make_user(sessions, Role.ADMIN)
    invoice_number = f"UP-{number}"
    with peppol_server.client(supplier.token) as client:
        sent = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=number, number=invoice_number),
            headers=XML,
        )
        assert sent.status_code == 201, sent.text
        assert client.get("/api/v1/peppol/outbound").status_code == 403
    with peppol_server.client(admin.token) as client:
        assert client.get("/api/v1/peppol/outbound").status_code == 403
        assert client.post("/api/v1/peppol/outbound/1/ack").status_code == 403
    with peppol_server.client() as anonymous:
        assert anonymous.get("/api/v1/peppol/outbound").status_code == 401
    worker = Runtime.from_settings(settings)
    try:
        run_once(worker)
    finally:
        worker.close()
    with sessions() as session:
        about = session.scalars(
            select(Delivery.channel).where(
                Delivery.payload["invoice_id"].as_integer() == sent.json()["id"]
            )
        ).all()
    assert DeliveryChannel.PEPPOL not in about
