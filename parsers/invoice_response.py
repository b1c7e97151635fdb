"""Writing a Peppol Invoice Response (BIS Invoice Response 3, transaction T111): the buyer
telling the seller, through the Peppol network, where its invoice stands.

The structure follows the BIS (an UBL 2.1 ApplicationResponse): the buyer as sender, the
seller as receiver, one ``DocumentResponse`` with the status code (UNCL 4343 subset: AB, IP,
UQ, CA, RE, AP, PD) and a reference to the invoice. PEPPOL-T111-R001 asks for a clarification
code with UQ, CA and RE; this writer refuses to write one without it, and gives OTH its
reason text, as PEPPOL-T111-R002 advises. Whatever else would break a fatal T111 rule (an empty
name, say) is caught by running the rules themselves
(:mod:`parsers.validation.invoice_response`) on what was built, so nothing invalid goes out.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from lxml import etree
from lxml.builder import ElementMaker

from parsers.envelope import SBDH_NS
from parsers.findings import Severity
from parsers.validation.invoice_response import validate_invoice_response

CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
PROFILE = "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"
PROCESS = PROFILE
"""The Peppol process identifier: the BIS's ProfileID."""
DOCUMENT_TYPE = (
    "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2::ApplicationResponse"
    f"##{CUSTOMIZATION}::2.1"
)
"""The Peppol document type identifier an access point sends it under."""

NS = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_ROOT = ElementMaker(namespace=NS, nsmap={None: NS, "cac": CAC, "cbc": CBC})
_CAC = ElementMaker(namespace=CAC)
_CBC = ElementMaker(namespace=CBC)


class Status(enum.StrEnum):
    """Where the invoice stands (UNCL 4343, the BIS's subset)."""

    ACKNOWLEDGED = "AB"
    IN_PROCESS = "IP"
    UNDER_QUERY = "UQ"
    CONDITIONALLY_ACCEPTED = "CA"
    REJECTED = "RE"
    ACCEPTED = "AP"
    PAID = "PD"


NEEDS_CLARIFICATION = frozenset(
    {Status.UNDER_QUERY, Status.CONDITIONALLY_ACCEPTED, Status.REJECTED}
)


class Reason(enum.StrEnum):
    """Clarification codes (the BIS's OPStatusReason list), the ones juryo gives."""

    REFERENCES = "REF"
    LEGAL = "LEG"
    UNRECOGNISED = "UNR"
    OTHER = "OTH"


class Action(enum.StrEnum):
    """What the seller should do (the BIS's OPStatusAction list), the ones juryo asks."""

    ISSUE_NEW_INVOICE = "NIN"
    ISSUE_CREDIT_NOTE = "CNA"
    NO_ACTION = "NOA"


@dataclass(frozen=True, slots=True)
class Participant:
    """A Peppol participant: its id (scheme + value, e.g. 0188 + corporate number) and name."""

    scheme: str
    value: str
    name: str


@dataclass(frozen=True, slots=True)
class InvoiceResponse:
    """One response about one invoice."""

    response_id: str
    issue_date: dt.date
    buyer: Participant
    seller: Participant
    status: Status
    invoice_number: str
    invoice_issue_date: dt.date | None = None
    document_type_code: str = "380"
    reason: Reason | None = None
    reason_text: str | None = None
    action: Action | None = None


class ResponseError(ValueError):
    """The response would break a BIS rule; it is not written."""


def _party(tag: str, party: Participant) -> etree._Element:
    return _CAC(
        tag,
        _CBC.EndpointID(party.value, schemeID=party.scheme),
        _CAC.PartyLegalEntity(_CBC.RegistrationName(party.name)),
    )


def _statuses(response: InvoiceResponse) -> list[etree._Element]:
    found = []
    if response.reason is not None:
        texts = [_CBC.StatusReason(response.reason_text)] if response.reason_text else []
        found.append(
            _CAC.Status(_CBC.StatusReasonCode(response.reason, listID="OPStatusReason"), *texts)
        )
    if response.action is not None:
        found.append(_CAC.Status(_CBC.StatusReasonCode(response.action, listID="OPStatusAction")))
    return found


def write(response: InvoiceResponse) -> bytes:
    """The ApplicationResponse as UTF-8 XML; ``ResponseError`` for one the BIS refuses."""
    if response.status in NEEDS_CLARIFICATION and response.reason is None:
        raise ResponseError(
            f"status {response.status} needs a clarification code (PEPPOL-T111-R001)"
        )
    if response.reason is Reason.OTHER and not (response.reason_text or "").strip():
        raise ResponseError("clarification OTH needs its reason text (PEPPOL-T111-R002)")
    reference = [_CBC.ID(response.invoice_number)]
    if response.invoice_issue_date is not None:
        reference.append(_CBC.IssueDate(response.invoice_issue_date.isoformat()))
    reference.append(_CBC.DocumentTypeCode(response.document_type_code))
    root = _ROOT.ApplicationResponse(
        _CBC.CustomizationID(CUSTOMIZATION),
        _CBC.ProfileID(PROFILE),
        _CBC.ID(response.response_id),
        _CBC.IssueDate(response.issue_date.isoformat()),
        _party("SenderParty", response.buyer),
        _party("ReceiverParty", response.seller),
        _CAC.DocumentResponse(
            _CAC.Response(_CBC.ResponseCode(response.status), *_statuses(response)),
            _CAC.DocumentReference(*reference),
        ),
    )
    _refuse_fatal_findings(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _refuse_fatal_findings(root: etree._Element) -> None:
    """``ResponseError`` naming the fatal T111 rules the built response breaks, if any."""
    broken = sorted(
        {f.rule_id for f in validate_invoice_response(root) if f.severity is Severity.FATAL}
    )
    if broken:
        raise ResponseError(f"the response breaks {', '.join(broken)}")


_SH = ElementMaker(namespace=SBDH_NS, nsmap={None: SBDH_NS})
_PARTICIPANT_SCHEME = "iso6523-actorid-upis"


def _scope(kind: str, value: str, scheme: str | None) -> etree._Element:
    children = [_SH.Type(kind), _SH.InstanceIdentifier(value)]
    if scheme is not None:
        children.append(_SH.Identifier(scheme))
    return _SH.Scope(*children)


def in_envelope(
    response: InvoiceResponse, *, instance_id: str, created: dt.datetime, country: str = "JP"
) -> bytes:
    """The response in the Standard Business Document an access point sends on: the SBDH of
    the Peppol Envelope Specification (sender the buyer, receiver the seller, the document type
    and process of the BIS, the sender's country as COUNTRY_C1) around the ApplicationResponse.
    ``instance_id`` is the message's own id; the access point keeps it across retries."""
    payload = etree.fromstring(write(response))
    header = _SH.StandardBusinessDocumentHeader(
        _SH.HeaderVersion("1.0"),
        _SH.Sender(
            _SH.Identifier(
                f"{response.buyer.scheme}:{response.buyer.value}", Authority=_PARTICIPANT_SCHEME
            )
        ),
        _SH.Receiver(
            _SH.Identifier(
                f"{response.seller.scheme}:{response.seller.value}", Authority=_PARTICIPANT_SCHEME
            )
        ),
        _SH.DocumentIdentification(
            _SH.Standard(NS),
            _SH.TypeVersion("2.1"),
            _SH.InstanceIdentifier(instance_id),
            _SH.Type("ApplicationResponse"),
            _SH.CreationDateAndTime(created.isoformat(timespec="seconds")),
        ),
        _SH.BusinessScope(
            _scope("DOCUMENTID", DOCUMENT_TYPE, "busdox-docid-qns"),
            _scope("PROCESSID", PROCESS, "cenbii-procid-ubl"),
            _scope("COUNTRY_C1", country, None),
        ),
    )
    document = _SH.StandardBusinessDocument(header, payload)
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")
