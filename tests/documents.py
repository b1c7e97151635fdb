"""Invoices made by the tests themselves: a JP PINT UBL invoice with chosen fields, plain PDFs."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.parsers.pdf_factory import make_pdf

FIXTURES = Path(__file__).parent / "parsers" / "fixtures"
_JP_TEMPLATE = (FIXTURES / "jp_pint_invoice.xml").read_text(encoding="utf-8")
_CREDIT_TEMPLATE = (FIXTURES / "ubl_credit_note.xml").read_text(encoding="utf-8")


def jp_invoice(
    *,
    seller: str,
    number: str | None = None,
    buyer_reference: str = "NO-SUCH-DEPT",
    note: str = "11月分 事務用品",
    issue_date: str = "2026-11-26",
    order_reference: str = "PO-778",
) -> bytes:
    """A valid JP PINT invoice (payable 16,150 JPY) from ``seller`` (a T-number)."""
    text = (
        _JP_TEMPLATE.replace("T7123456789012", seller)
        .replace("JRY-2026-0001", number or f"INV-{uuid.uuid4().hex[:10]}")
        .replace("KAIKEI-01", buyer_reference)
        .replace("11月分 事務用品", note)
        .replace(
            "<cbc:IssueDate>2026-11-26</cbc:IssueDate>",
            f"<cbc:IssueDate>{issue_date}</cbc:IssueDate>",
        )
        .replace("<cbc:ID>PO-778</cbc:ID>", f"<cbc:ID>{order_reference}</cbc:ID>")
    )
    return text.encode("utf-8")


def plain_pdf(*, registration_number: str, number: str = "A-100", total: str = "11,000") -> bytes:
    """A picture-of-paper invoice: text only, no XML inside."""
    return make_pdf(
        [
            "INVOICE",
            f"Registration No. {registration_number}",
            f"Invoice No. {number}",
            "Date: 2026-11-20",
            f"Total: {total} JPY",
        ]
    )


JP_PINT_INVOICE_TYPE = (
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice"
    "##urn:peppol:pint:billing-1@jp-1::2.1"
)
CITY_PARTICIPANT = "0188:1000020130001"


def peppol_sbd(
    payload: bytes,
    *,
    sender: str,
    receiver: str = CITY_PARTICIPANT,
    instance_id: str | None = None,
    document_type: str = JP_PINT_INVOICE_TYPE,
    process: str = "urn:peppol:bis:billing",
) -> bytes:
    """A Standard Business Document as the Peppol Envelope Specification defines it, around
    ``payload`` (an XML invoice, its declaration dropped), as an access point hands it over."""
    body = payload.decode("utf-8")
    if body.startswith("<?xml"):
        body = body[body.index("?>") + 2 :]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<StandardBusinessDocument
    xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">
  <StandardBusinessDocumentHeader>
    <HeaderVersion>1.0</HeaderVersion>
    <Sender><Identifier Authority="iso6523-actorid-upis">{sender}</Identifier></Sender>
    <Receiver><Identifier Authority="iso6523-actorid-upis">{receiver}</Identifier></Receiver>
    <DocumentIdentification>
      <Standard>urn:oasis:names:specification:ubl:schema:xsd:Invoice-2</Standard>
      <TypeVersion>2.1</TypeVersion>
      <InstanceIdentifier>{instance_id or uuid.uuid4()}</InstanceIdentifier>
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
  </StandardBusinessDocumentHeader>
{body}
</StandardBusinessDocument>
""".encode()
