"""Opening a Peppol Standard Business Document: the SBDH an access point hands over, and payload.

The city's access point receives AS4 messages and passes on each business document in its
envelope, the Standard Business Document Header (SBDH) of the Peppol Envelope Specification::

    StandardBusinessDocument
    ├── StandardBusinessDocumentHeader
    │   ├── Sender/Identifier[@Authority='iso6523-actorid-upis']     0188:1234567890123
    │   ├── Receiver/Identifier                                       the city
    │   ├── DocumentIdentification/InstanceIdentifier                 the message id
    │   └── BusinessScope/Scope[Type=DOCUMENTID | PROCESSID | COUNTRY_C1]/InstanceIdentifier
    └── the business document (a UBL Invoice or CreditNote)

:func:`open_envelope` reads the header and checks that it describes its payload: the document
type identifier (``<namespace>::<root>##<CustomizationID>::<version>``) and the process (the
payload's ProfileID) must match what the payload is. A mismatch is refused with a ``JURYO-SBDH-*``
finding; who the sender and the receiver may be is the service's question, not this one's.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from parsers import juryo_rules as rules
from parsers.findings import Finding
from parsers.safexml import DEFAULT_MAX_BYTES, parse_xml

__all__ = ["SBDH_NS", "Envelope", "OpenedEnvelope", "Participant", "open_envelope"]

SBDH_NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
_PARTICIPANT_SCHEME = "iso6523-actorid-upis"
_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
_NS = {"sh": SBDH_NS, "cbc": _CBC}
_HEADER = f"{{{SBDH_NS}}}StandardBusinessDocumentHeader"


@dataclass(frozen=True, slots=True)
class Participant:
    """A Peppol participant id: ICD scheme (e.g. ``0188``, Japan's corporate number) and value."""

    scheme: str
    value: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the SBDH says, and the business document it carries."""

    sender: Participant
    receiver: Participant
    instance_id: str
    """The message's own id: resending the same message gives the same id."""
    document_type: str
    process: str
    country: str | None
    """COUNTRY_C1, the sender's country, when given."""
    payload: bytes
    """The business document alone, as a standalone XML document."""


@dataclass(frozen=True, slots=True)
class OpenedEnvelope:
    """An envelope, or the findings that say why there is none."""

    envelope: Envelope | None
    findings: tuple[Finding, ...] = ()


def _text(root: etree._Element, path: str) -> str | None:
    found = root.xpath(f"normalize-space({path})", namespaces=_NS)
    return str(found) or None


def _participant(root: etree._Element, role: str, role_ja: str) -> Participant | Finding:
    path = f"sh:StandardBusinessDocumentHeader/sh:{role.title()}/sh:Identifier"
    value = _text(root, path)
    if value is None:
        return rules.ENVELOPE_FIELD_MISSING.finding(field=f"{role.title()}/Identifier")
    authority = _text(root, f"{path}/@Authority")
    scheme, colon, identifier = value.partition(":")
    if authority != _PARTICIPANT_SCHEME or not colon or not scheme or not identifier:
        return rules.ENVELOPE_PARTICIPANT.finding(role=role, role_ja=role_ja, value=value)
    return Participant(scheme, identifier)


def _scope(root: etree._Element, kind: str) -> str | None:
    return _text(
        root,
        "sh:StandardBusinessDocumentHeader/sh:BusinessScope/sh:Scope"
        f"[normalize-space(sh:Type) = '{kind}']/sh:InstanceIdentifier",
    )


def _payload(root: etree._Element) -> etree._Element | Finding:
    documents = [
        child
        for child in root
        if isinstance(child.tag, str)
        and child.tag != f"{{{SBDH_NS}}}StandardBusinessDocumentHeader"
    ]
    if len(documents) != 1:
        return rules.ENVELOPE_PAYLOAD.finding(count=len(documents))
    return documents[0]


def _document_type(payload: etree._Element) -> str:
    """The Peppol document type identifier that describes ``payload``."""
    name = etree.QName(payload)
    customization = _text(payload, "cbc:CustomizationID") or ""
    version = _text(payload, "cbc:UBLVersionID") or "2.1"
    return f"{name.namespace}::{name.localname}##{customization}::{version}"


def _consistency(payload: etree._Element, document_type: str, process: str) -> tuple[Finding, ...]:
    actual_type = _document_type(payload)
    actual_process = _text(payload, "cbc:ProfileID") or ""
    findings = []
    if document_type != actual_type:
        findings.append(
            rules.ENVELOPE_DOCUMENT_TYPE.finding(declared=document_type, actual=actual_type)
        )
    if process != actual_process:
        findings.append(rules.ENVELOPE_PROCESS.finding(declared=process, actual=actual_process))
    return tuple(findings)


@dataclass(frozen=True, slots=True)
class _Header:
    sender: Participant
    receiver: Participant
    instance_id: str
    document_type: str
    process: str


def _header(root: etree._Element) -> _Header | tuple[Finding, ...]:
    sender = _participant(root, "sender", "送信者")
    receiver = _participant(root, "receiver", "受信者")
    instance_id = _text(
        root, "sh:StandardBusinessDocumentHeader/sh:DocumentIdentification/sh:InstanceIdentifier"
    )
    document_type, process = _scope(root, "DOCUMENTID"), _scope(root, "PROCESSID")
    if (
        isinstance(sender, Participant)
        and isinstance(receiver, Participant)
        and instance_id
        and document_type
        and process
    ):
        return _Header(sender, receiver, instance_id, document_type, process)
    missing = [
        rules.ENVELOPE_FIELD_MISSING.finding(field=field)
        for field, value in (
            ("DocumentIdentification/InstanceIdentifier", instance_id),
            ("BusinessScope DOCUMENTID", document_type),
            ("BusinessScope PROCESSID", process),
        )
        if value is None
    ]
    return tuple([p for p in (sender, receiver) if isinstance(p, Finding)] + missing)


def open_envelope(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> OpenedEnvelope:
    """Read an SBD: its header and payload, or the findings that refuse it."""
    parsed = parse_xml(data, max_bytes=max_bytes)
    root = parsed.root
    if root is None:
        return OpenedEnvelope(None, parsed.findings)
    if root.tag != f"{{{SBDH_NS}}}StandardBusinessDocument":
        return OpenedEnvelope(None, (rules.ENVELOPE_NOT_SBD.finding(root=str(root.tag)),))
    header, payload = _header(root), _payload(root)
    if isinstance(header, tuple) or isinstance(payload, Finding):
        refused = (header if isinstance(header, tuple) else ()) + (
            (payload,) if isinstance(payload, Finding) else ()
        )
        return OpenedEnvelope(None, refused)
    if mismatches := _consistency(payload, header.document_type, header.process):
        return OpenedEnvelope(None, mismatches)
    envelope = Envelope(
        sender=header.sender,
        receiver=header.receiver,
        instance_id=header.instance_id,
        document_type=header.document_type,
        process=header.process,
        country=_scope(root, "COUNTRY_C1"),
        payload=etree.tostring(payload, xml_declaration=True, encoding="UTF-8"),
    )
    return OpenedEnvelope(envelope)
