"""The Peppol Invoice Response writer: valid UBL (the official XSD in ../shared), the BIS's
clarification rules kept, and the values where the BIS puts them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from parsers.envelope import open_envelope
from parsers.invoice_response import (
    CUSTOMIZATION,
    DOCUMENT_TYPE,
    PROCESS,
    PROFILE,
    Action,
    InvoiceResponse,
    Participant,
    Reason,
    ResponseError,
    Status,
    in_envelope,
    write,
)

CITY = Participant("0188", "8000020130001", "札幌市")
SELLER = Participant("0188", "1234567890123", "株式会社テスト")
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def response(status: Status, **changes: object) -> InvoiceResponse:
    fields: dict[str, object] = {
        "response_id": "juryo-ir-1",
        "issue_date": dt.date(2026, 11, 29),
        "buyer": CITY,
        "seller": SELLER,
        "status": status,
        "invoice_number": "INV-42",
        "invoice_issue_date": dt.date(2026, 11, 26),
        **changes,
    }
    return InvoiceResponse(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", list(Status))
def test_every_status_is_valid_ubl(corpus: Path, status: Status) -> None:
    schema = etree.XMLSchema(
        file=str(corpus / "xsd/ubl-2.1/maindoc/UBL-ApplicationResponse-2.1.xsd")
    )
    reason = {"reason": Reason.OTHER, "reason_text": "数量が違います"}
    document = etree.fromstring(write(response(status, **reason, action=Action.ISSUE_NEW_INVOICE)))
    assert schema.validate(document), schema.error_log


def test_the_values_stand_where_the_bis_puts_them() -> None:
    written = response(
        Status.REJECTED,
        reason=Reason.REFERENCES,
        reason_text="発注番号がありません",
        action=Action.ISSUE_NEW_INVOICE,
    )
    root = etree.fromstring(write(written))
    assert root.findtext("cbc:CustomizationID", namespaces=NS) == CUSTOMIZATION
    assert root.findtext("cbc:ProfileID", namespaces=NS) == PROFILE
    sender = root.find("cac:SenderParty/cbc:EndpointID", NS)
    assert sender is not None
    assert (sender.get("schemeID"), sender.text) == ("0188", "8000020130001")
    assert (
        root.findtext("cac:ReceiverParty/cac:PartyLegalEntity/cbc:RegistrationName", namespaces=NS)
        == "株式会社テスト"
    )
    response_element = "cac:DocumentResponse/cac:Response"
    assert root.findtext(f"{response_element}/cbc:ResponseCode", namespaces=NS) == "RE"
    codes = [
        (code.get("listID"), code.text)
        for code in root.iterfind(f"{response_element}/cac:Status/cbc:StatusReasonCode", NS)
    ]
    assert codes == [("OPStatusReason", "REF"), ("OPStatusAction", "NIN")]
    assert (
        root.findtext(f"{response_element}/cac:Status/cbc:StatusReason", namespaces=NS)
        == "発注番号がありません"
    )
    reference = "cac:DocumentResponse/cac:DocumentReference"
    assert root.findtext(f"{reference}/cbc:ID", namespaces=NS) == "INV-42"
    assert root.findtext(f"{reference}/cbc:IssueDate", namespaces=NS) == "2026-11-26"
    assert root.findtext(f"{reference}/cbc:DocumentTypeCode", namespaces=NS) == "380"


@pytest.mark.parametrize(
    "status", [Status.UNDER_QUERY, Status.CONDITIONALLY_ACCEPTED, Status.REJECTED]
)
def test_a_status_that_needs_a_clarification_code_is_not_written_without_one(
    status: Status,
) -> None:
    with pytest.raises(ResponseError, match="PEPPOL-T111-R001"):
        write(response(status))


def test_other_needs_its_reason_text() -> None:
    with pytest.raises(ResponseError, match="PEPPOL-T111-R002"):
        write(response(Status.REJECTED, reason=Reason.OTHER, reason_text=" "))


@pytest.mark.parametrize("status", [Status.ACKNOWLEDGED, Status.ACCEPTED, Status.PAID])
def test_statuses_without_clarification_are_written_bare(status: Status) -> None:
    root = etree.fromstring(write(response(status)))
    assert root.find("cac:DocumentResponse/cac:Response/cac:Status", NS) is None


def test_the_envelope_names_sender_receiver_and_the_bis_and_opens_again() -> None:
    written = response(Status.ACCEPTED)
    created = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)
    opened = open_envelope(in_envelope(written, instance_id="ir-77", created=created))
    assert opened.findings == ()
    assert opened.envelope is not None
    assert str(opened.envelope.sender) == "0188:8000020130001"
    assert str(opened.envelope.receiver) == "0188:1234567890123"
    assert opened.envelope.instance_id == "ir-77"
    assert opened.envelope.document_type == DOCUMENT_TYPE
    assert opened.envelope.process == PROCESS
    assert opened.envelope.country == "JP"
