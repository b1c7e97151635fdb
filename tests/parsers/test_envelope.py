"""Opening what the city's access point hands over: a Peppol SBD around a JP PINT invoice."""

from __future__ import annotations

import pytest
from lxml import etree

from parsers import read
from parsers.compose import compose
from parsers.envelope import SBDH_NS, Participant, open_envelope
from parsers.findings import Severity
from tests.parsers.drafts import DRAFT

INVOICE_TYPE = (
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice"
    "##urn:peppol:pint:billing-1@jp-1::2.1"
)


def _sbd(
    payload: bytes | None = None,
    *,
    sender: str = "0188:8010001008843",
    authority: str = "iso6523-actorid-upis",
    document_type: str = INVOICE_TYPE,
    process: str = "urn:peppol:bis:billing",
    instance_id: str = "5a0f6c1e-6d3c-4b1a-9d7e-0c1b2a3d4e5f",
    extra_payload: bool = False,
) -> bytes:
    header = f"""<StandardBusinessDocumentHeader>
    <HeaderVersion>1.0</HeaderVersion>
    <Sender><Identifier Authority="{authority}">{sender}</Identifier></Sender>
    <Receiver>
      <Identifier Authority="iso6523-actorid-upis">0188:1000020130001</Identifier>
    </Receiver>
    <DocumentIdentification>
      <Standard>urn:oasis:names:specification:ubl:schema:xsd:Invoice-2</Standard>
      <TypeVersion>2.1</TypeVersion>
      <InstanceIdentifier>{instance_id}</InstanceIdentifier>
      <Type>Invoice</Type>
      <CreationDateAndTime>2026-11-30T09:00:00+09:00</CreationDateAndTime>
    </DocumentIdentification>
    <BusinessScope>
      <Scope><Type>DOCUMENTID</Type><InstanceIdentifier>{document_type}</InstanceIdentifier>
        <Identifier>busdox-docid-qns</Identifier></Scope>
      <Scope><Type>PROCESSID</Type><InstanceIdentifier>{process}</InstanceIdentifier>
        <Identifier>cenbii-procid-ubl</Identifier></Scope>
      <Scope><Type>COUNTRY_C1</Type><InstanceIdentifier>JP</InstanceIdentifier></Scope>
    </BusinessScope>
  </StandardBusinessDocumentHeader>"""
    root = etree.fromstring(
        f'<StandardBusinessDocument xmlns="{SBDH_NS}">{header}</StandardBusinessDocument>'
    )
    document = etree.fromstring(payload if payload is not None else compose(DRAFT))
    root.append(document)
    if extra_payload:
        root.append(etree.fromstring(compose(DRAFT)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _refusals(data: bytes) -> set[str]:
    opened = open_envelope(data)
    assert opened.envelope is None
    assert all(f.severity is Severity.FATAL for f in opened.findings)
    return {f.rule_id for f in opened.findings}


def test_the_header_and_the_payload_are_read() -> None:
    opened = open_envelope(_sbd())
    assert opened.findings == ()
    envelope = opened.envelope
    assert envelope is not None
    assert envelope.sender == Participant("0188", "8010001008843")
    assert str(envelope.receiver) == "0188:1000020130001"
    assert envelope.instance_id == "5a0f6c1e-6d3c-4b1a-9d7e-0c1b2a3d4e5f"
    assert (envelope.process, envelope.country) == ("urn:peppol:bis:billing", "JP")
    result = read(envelope.payload)  # the payload stands alone and is the same invoice
    assert result.acceptable
    assert result.invoice is not None
    assert result.invoice.number == DRAFT.number


def test_a_document_type_that_is_not_the_payloads_is_refused() -> None:
    declared = INVOICE_TYPE.replace("billing-1@jp-1", "billing-1@aunz-1")
    assert _refusals(_sbd(document_type=declared)) == {"JURYO-SBDH-DOCUMENT-TYPE"}


def test_a_process_that_is_not_the_payloads_is_refused() -> None:
    assert _refusals(_sbd(process="urn:peppol:bis:selfbilling")) == {"JURYO-SBDH-PROCESS"}


@pytest.mark.parametrize(
    ("sender", "authority"),
    [("8010001008843", "iso6523-actorid-upis"), ("0188:8010001008843", "other")],
)
def test_a_sender_that_is_not_a_participant_id_is_refused(sender: str, authority: str) -> None:
    opened = open_envelope(_sbd(sender=sender, authority=authority))
    (finding,) = opened.findings
    assert finding.rule_id == "JURYO-SBDH-PARTICIPANT"
    assert "送信者" in finding.message_ja
    assert sender in finding.message_en


def test_a_missing_message_id_is_named() -> None:
    opened = open_envelope(_sbd(instance_id=" "))
    assert [(f.rule_id, f.message_en) for f in opened.findings] == [
        (
            "JURYO-SBDH-FIELD",
            "The envelope header (SBDH) lacks DocumentIdentification/InstanceIdentifier.",
        )
    ]


def test_two_documents_in_one_envelope_are_refused() -> None:
    assert _refusals(_sbd(extra_payload=True)) == {"JURYO-SBDH-PAYLOAD"}


def test_a_bare_invoice_is_not_an_envelope() -> None:
    assert _refusals(compose(DRAFT)) == {"JURYO-SBDH-ROOT"}


def test_hostile_xml_is_refused_by_the_hardened_parser() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<StandardBusinessDocument xmlns="'
        + SBDH_NS.encode()
        + b'">&b;</StandardBusinessDocument>'
    )
    assert _refusals(bomb) & {"JURYO-XML-DTD", "JURYO-XML-ENTITY"}
    assert _refusals(b"<StandardBusinessDocument") == {"JURYO-XML-SYNTAX"}
