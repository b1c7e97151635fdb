# ruff: noqa: E501  (the case table: one case per row)
"""Native Peppol Invoice Response (T111) rules: every rule fired by a hand-written document,
juryo's own responses passing, and (where ``JURYO_PEPPOL_T111_XSLT`` names the official compiled
Schematron, 2025.5) the same verdicts as the official stylesheet on those documents and on
Hypothesis-drawn mutants of them.

The official stylesheet is not in the repository; SaxonC (``saxonche``, a development
dependency) runs it. ``JURYO_PEPPOL_T111_MUTATIONS`` (default 400) sets how many mutants are
compared.
"""

from __future__ import annotations

import collections
import copy
import datetime as dt
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from parsers.findings import Severity
from parsers.invoice_response import (
    Action,
    InvoiceResponse,
    Participant,
    Reason,
    ResponseError,
    Status,
    write,
)
from parsers.validation.invoice_response import RULES, validate_invoice_response
from tests.parsers import mutations, oracle

XSLT = os.environ.get("JURYO_PEPPOL_T111_XSLT", "")
MUTATIONS = int(os.environ.get("JURYO_PEPPOL_T111_MUTATIONS", "400"))
_official_only = pytest.mark.skipif(
    not Path(XSLT).is_file(), reason="JURYO_PEPPOL_T111_XSLT not set"
)

AR = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"cac": CAC, "cbc": CBC}

RESPONSE = f"""<ApplicationResponse xmlns="{AR}" xmlns:cac="{CAC}" xmlns:cbc="{CBC}">
  <cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:invoice_response:3</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:invoice_response:3</cbc:ProfileID>
  <cbc:ID>ir-2026-0042</cbc:ID>
  <cbc:IssueDate>2026-11-29</cbc:IssueDate>
  <cbc:IssueTime>10:15:00</cbc:IssueTime>
  <cbc:Note>発注番号の確認をお願いします</cbc:Note>
  <cac:SenderParty>
    <cbc:EndpointID schemeID="0188">8000020130001</cbc:EndpointID>
    <cac:PartyIdentification><cbc:ID schemeID="0188">8000020130001</cbc:ID></cac:PartyIdentification>
    <cac:PartyLegalEntity><cbc:RegistrationName>札幌市</cbc:RegistrationName></cac:PartyLegalEntity>
    <cac:Contact>
      <cbc:Name>会計課</cbc:Name>
      <cbc:Telephone>011-211-0000</cbc:Telephone>
      <cbc:ElectronicMail>kaikei@city.example.jp</cbc:ElectronicMail>
    </cac:Contact>
  </cac:SenderParty>
  <cac:ReceiverParty>
    <cbc:EndpointID schemeID="0188">1234567890123</cbc:EndpointID>
    <cac:PartyIdentification><cbc:ID schemeID="0188">1234567890123</cbc:ID></cac:PartyIdentification>
    <cac:PartyLegalEntity><cbc:RegistrationName>株式会社テスト</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:ReceiverParty>
  <cac:DocumentResponse>
    <cac:Response>
      <cbc:ResponseCode>UQ</cbc:ResponseCode>
      <cbc:EffectiveDate>2026-11-29</cbc:EffectiveDate>
      <cac:Status>
        <cbc:StatusReasonCode listID="OPStatusReason">REF</cbc:StatusReasonCode>
        <cbc:StatusReason>発注番号が記載されていません</cbc:StatusReason>
        <cac:Condition>
          <cbc:AttributeID>BT-13</cbc:AttributeID>
          <cbc:Description>PO-2026-118</cbc:Description>
        </cac:Condition>
      </cac:Status>
      <cac:Status><cbc:StatusReasonCode listID="OPStatusAction">NIN</cbc:StatusReasonCode></cac:Status>
    </cac:Response>
    <cac:DocumentReference>
      <cbc:ID>INV-7</cbc:ID>
      <cbc:IssueDate>2026-11-20</cbc:IssueDate>
      <cbc:DocumentTypeCode>380</cbc:DocumentTypeCode>
    </cac:DocumentReference>
    <cac:IssuerParty>
      <cac:PartyIdentification><cbc:ID schemeID="0188">8000020130001</cbc:ID></cac:PartyIdentification>
      <cac:PartyName><cbc:Name>札幌市 会計課</cbc:Name></cac:PartyName>
    </cac:IssuerParty>
    <cac:RecipientParty>
      <cac:PartyIdentification><cbc:ID schemeID="0188">1234567890123</cbc:ID></cac:PartyIdentification>
      <cac:PartyName><cbc:Name>株式会社テスト 経理部</cbc:Name></cac:PartyName>
    </cac:RecipientParty>
  </cac:DocumentResponse>
</ApplicationResponse>"""
"""A complete, valid response: every optional part of the data model used once."""

Edit = Callable[[etree._Element], None]

_SENDER = "/*/cac:SenderParty"
_RECEIVER = "/*/cac:ReceiverParty"
_RESPONSE = "/*/cac:DocumentResponse/cac:Response"
_STATUS = f"{_RESPONSE}/cac:Status[1]"
_REFERENCE = "/*/cac:DocumentResponse/cac:DocumentReference"
_ISSUER = "/*/cac:DocumentResponse/cac:IssuerParty"
_RECIPIENT = "/*/cac:DocumentResponse/cac:RecipientParty"


def _at(root: etree._Element, path: str) -> list[etree._Element]:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list), path
    assert found, path
    return [node for node in found if isinstance(node, etree._Element)]


def drop(path: str) -> Edit:
    def edit(root: etree._Element) -> None:
        for node in _at(root, path):
            parent = node.getparent()
            assert parent is not None
            parent.remove(node)

    return edit


def set_text(path: str, value: str) -> Edit:
    def edit(root: etree._Element) -> None:
        for node in _at(root, path):
            node.text = value

    return edit


def set_attr(path: str, name: str, value: str | None) -> Edit:
    def edit(root: etree._Element) -> None:
        for node in _at(root, path):
            if value is None:
                del node.attrib[name]
            else:
                node.set(name, value)

    return edit


def add(path: str, tag: str, value: str = "x") -> Edit:
    """A child the data model does not have (or does not have there), with some text."""
    prefix, local = tag.split(":")

    def edit(root: etree._Element) -> None:
        etree.SubElement(_at(root, path)[0], f"{{{NS[prefix]}}}{local}").text = value

    return edit


def rename(path: str, tag: str) -> Edit:
    prefix, local = tag.split(":")

    def edit(root: etree._Element) -> None:
        for node in _at(root, path):
            node.tag = f"{{{NS[prefix]}}}{local}"

    return edit


def identifier(path: str, scheme: str, value: str) -> Edit:
    def edit(root: etree._Element) -> None:
        set_attr(path, "schemeID", scheme)(root)
        set_text(path, value)(root)

    return edit


def both(*edits: Edit) -> Edit:
    def edit(root: etree._Element) -> None:
        for each in edits:
            each(root)

    return edit


def t111(*numbers: str) -> set[str]:
    return {f"PEPPOL-T111-{n}" for n in numbers}


def common(*numbers: str) -> set[str]:
    return {f"PEPPOL-COMMON-{n}" for n in numbers}


_XSI = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
_SENDER_ID = f"{_SENDER}/cac:PartyIdentification/cbc:ID"

CASES: dict[str, tuple[Edit, set[str]]] = {
    "empty note": (set_text("/*/cbc:Note", " "), common("R001")),
    "schema location": (set_attr("/*", _XSI, "x.xsd"), common("R003") | t111("B00108")),
    "impossible date": (set_text("/*/cbc:IssueDate", "2026-11-31"), common("R030")),
    "date with a zone": (set_text(f"{_REFERENCE}/cbc:IssueDate", "2026-11-20Z"), common("R030")),
    "GLN check digit": (identifier(_SENDER_ID, "0088", "4000001000004"), common("R040")),
    "Norwegian number": (identifier(_SENDER_ID, "0192", "123456789"), common("R041")),
    "Belgian number": (identifier(_SENDER_ID, "0208", "0123456789"), common("R043")),
    "IPA code": (identifier(_SENDER_ID, "0201", "ABC"), common("R044")),
    "codice fiscale": (identifier(_SENDER_ID, "0210", "XYZ"), common("R045")),
    "codice fiscale endpoint": (
        identifier(f"{_SENDER}/cbc:EndpointID", "9907", "XYZ"),
        common("R046") | t111("B00902"),
    ),
    "partita IVA": (identifier(_SENDER_ID, "0211", "IT123"), common("R047")),
    "partita IVA endpoint": (
        identifier(f"{_RECEIVER}/cbc:EndpointID", "9906", "IT123"),
        common("R048") | t111("B02102"),
    ),
    "Swedish number": (identifier(_SENDER_ID, "0007", "5560000000"), common("R049")),
    "ABN": (identifier(_SENDER_ID, "0151", "12345678901"), common("R050")),
    "no customization": (drop("/*/cbc:CustomizationID"), t111("B00101")),
    "no profile": (drop("/*/cbc:ProfileID"), t111("B00102")),
    "no id": (drop("/*/cbc:ID"), t111("B00103")),
    "no issue date": (drop("/*/cbc:IssueDate"), t111("B00104")),
    "no sender": (drop(_SENDER), t111("B00105")),
    "no receiver": (drop(_RECEIVER), t111("B00106")),
    "no document response": (drop("/*/cac:DocumentResponse"), t111("B00107")),
    "unknown top element": (add("/*", "cbc:UUID"), t111("B00109")),
    "other profile": (set_text("/*/cbc:ProfileID", "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"), t111("B00301")),
    "sender without endpoint": (drop(f"{_SENDER}/cbc:EndpointID"), t111("B00801")),
    "sender without legal entity": (drop(f"{_SENDER}/cac:PartyLegalEntity"), t111("B00802")),
    "sender address": (add(_SENDER, "cbc:WebsiteURI"), t111("B00803")),
    "sender endpoint without scheme": (set_attr(f"{_SENDER}/cbc:EndpointID", "schemeID", None), t111("B00901")),
    "sender endpoint unknown scheme": (set_attr(f"{_SENDER}/cbc:EndpointID", "schemeID", "9999"), t111("B00902")),
    "sender identification without id": (rename(_SENDER_ID, "cbc:Code"), t111("B01101")),
    "sender identification unknown scheme": (set_attr(_SENDER_ID, "schemeID", "0241"), t111("B01201")),
    "sender legal entity without name": (
        rename(f"{_SENDER}/cac:PartyLegalEntity/cbc:RegistrationName", "cbc:CompanyID"),
        t111("B01401", "B01402"),
    ),
    "sender legal entity extra": (add(f"{_SENDER}/cac:PartyLegalEntity", "cbc:CompanyID"), t111("B01402")),
    "sender contact fax": (add(f"{_SENDER}/cac:Contact", "cbc:Telefax"), t111("B01601")),
    "receiver without endpoint": (drop(f"{_RECEIVER}/cbc:EndpointID"), t111("B02001")),
    "receiver without legal entity": (drop(f"{_RECEIVER}/cac:PartyLegalEntity"), t111("B02002")),
    "receiver contact": (add(_RECEIVER, "cbc:WebsiteURI"), t111("B02003")),
    "receiver endpoint without scheme": (set_attr(f"{_RECEIVER}/cbc:EndpointID", "schemeID", None), t111("B02101")),
    "receiver endpoint unknown scheme": (set_attr(f"{_RECEIVER}/cbc:EndpointID", "schemeID", "JP"), t111("B02102")),
    "receiver identification without id": (rename(f"{_RECEIVER}/cac:PartyIdentification/cbc:ID", "cbc:Code"), t111("B02301")),
    "receiver identification unknown scheme": (set_attr(f"{_RECEIVER}/cac:PartyIdentification/cbc:ID", "schemeID", "T"), t111("B02401")),
    "receiver legal entity without name": (
        rename(f"{_RECEIVER}/cac:PartyLegalEntity/cbc:RegistrationName", "cbc:CompanyID"),
        t111("B02601", "B02602"),
    ),
    "receiver legal entity extra": (add(f"{_RECEIVER}/cac:PartyLegalEntity", "cbc:CompanyID"), t111("B02602")),
    "no response": (drop(_RESPONSE), t111("B02801")),
    "no document reference": (drop(_REFERENCE), t111("B02802")),
    "document response note": (add("/*/cac:DocumentResponse", "cbc:Note"), t111("B02803")),
    "no response code": (drop(f"{_RESPONSE}/cbc:ResponseCode"), t111("B02901")),
    "response description": (add(_RESPONSE, "cbc:Description"), t111("B02902")),
    "unknown status": (set_text(f"{_RESPONSE}/cbc:ResponseCode", "OK"), t111("B03001")),
    "status percent": (add(_STATUS, "cbc:Percent", "5"), t111("B03201")),
    "unknown clarification": (set_text(f"{_STATUS}/cbc:StatusReasonCode", "ZZZ"), t111("B03301", "R007")),
    "clarification without list": (set_attr(f"{_STATUS}/cbc:StatusReasonCode", "listID", None), t111("B03302")),
    "clarification of another list": (set_attr(f"{_STATUS}/cbc:StatusReasonCode", "listID", "UNCL4343"), t111("B03303")),
    "condition without attribute": (drop(f"{_STATUS}/cac:Condition/cbc:AttributeID"), t111("B03601")),
    "condition measure": (add(f"{_STATUS}/cac:Condition", "cbc:Measure", "1"), t111("B03602")),
    "reference without id": (drop(f"{_REFERENCE}/cbc:ID"), t111("B03901")),
    "reference without type": (drop(f"{_REFERENCE}/cbc:DocumentTypeCode"), t111("B03902")),
    "reference uuid": (add(_REFERENCE, "cbc:UUID"), t111("B03903")),
    "reference of unknown type": (set_text(f"{_REFERENCE}/cbc:DocumentTypeCode", "471"), t111("B04201")),
    "issuer without name": (drop(f"{_ISSUER}/cac:PartyName"), t111("B04301")),
    "issuer website": (add(_ISSUER, "cbc:WebsiteURI"), t111("B04302")),
    "issuer identification without id": (rename(f"{_ISSUER}/cac:PartyIdentification/cbc:ID", "cbc:Code"), t111("B04401")),
    "issuer unknown scheme": (set_attr(f"{_ISSUER}/cac:PartyIdentification/cbc:ID", "schemeID", "0000"), t111("B04501")),
    "issuer party name without name": (rename(f"{_ISSUER}/cac:PartyName/cbc:Name", "cbc:Note"), t111("B04701")),
    "recipient without name": (drop(f"{_RECIPIENT}/cac:PartyName"), t111("B04901")),
    "recipient website": (add(_RECIPIENT, "cbc:WebsiteURI"), t111("B04902")),
    "recipient identification without id": (rename(f"{_RECIPIENT}/cac:PartyIdentification/cbc:ID", "cbc:Code"), t111("B05001")),
    "recipient unknown scheme": (set_attr(f"{_RECIPIENT}/cac:PartyIdentification/cbc:ID", "schemeID", "GLN"), t111("B05101")),
    "recipient party name without name": (rename(f"{_RECIPIENT}/cac:PartyName/cbc:Name", "cbc:Note"), t111("B05301")),
    "rejected without clarification": (
        both(set_text(f"{_RESPONSE}/cbc:ResponseCode", "RE"), drop(f"{_RESPONSE}/cac:Status")),
        t111("R001"),
    ),
    "other without reason": (
        both(set_text(f"{_STATUS}/cbc:StatusReasonCode", "OTH"), drop(f"{_STATUS}/cbc:StatusReason")),
        t111("R002"),
    ),
    "invoice customization": (
        set_text("/*/cbc:CustomizationID", "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"),
        t111("R003"),
    ),
    "partial payment without reason": (
        both(set_text(f"{_STATUS}/cbc:StatusReasonCode", "PPD"), drop(f"{_STATUS}/cbc:StatusReason")),
        t111("R004"),
    ),
    "action list with a reason code": (
        set_text(f"{_RESPONSE}/cac:Status[2]/cbc:StatusReasonCode", "REF"),
        t111("R006"),
    ),
    "reason list with an action code": (set_text(f"{_STATUS}/cbc:StatusReasonCode", "NIN"), t111("R007")),
    # A node is judged by the first rule of its pattern that matches it: a status carrying both
    # OTH and PPD is R002's, so R004 does not ask for the reason again.
    "OTH and PPD in one status": (
        both(
            set_text(f"{_STATUS}/cbc:StatusReasonCode", "OTH"),
            set_attr(f"{_STATUS}/cbc:StatusReasonCode", "listID", None),
            drop(f"{_STATUS}/cbc:StatusReason"),
            add(_STATUS, "cbc:StatusReasonCode", "PPD"),
            drop(f"{_STATUS}/cac:Condition"),
        ),
        t111("R002", "B03302"),
    ),
    # R005's published test (``exists(/cbc:ResponseCode='PD')``) is true for every document.
    "partial payment while under query": (set_text(f"{_STATUS}/cbc:StatusReasonCode", "PPD"), set()),
}  # fmt: skip


def _document(case: str) -> etree._Element:
    root = etree.fromstring(RESPONSE.encode())
    CASES[case][0](root)
    return root


def _fired(root: etree._Element) -> set[str]:
    return {finding.rule_id for finding in validate_invoice_response(root)}


def test_the_complete_response_is_valid() -> None:
    assert validate_invoice_response(etree.fromstring(RESPONSE.encode())) == []


@pytest.mark.parametrize("case", list(CASES))
def test_each_broken_response_fires_exactly_its_rules(case: str) -> None:
    assert _fired(_document(case)) == CASES[case][1]


def test_every_official_rule_is_implemented_and_fired_by_a_case() -> None:
    implemented = {rule.rule_id for rule in RULES}
    fired = set().union(*(expected for _, expected in CASES.values()))
    assert len(implemented) == len(RULES) == 75
    assert implemented - fired == {"PEPPOL-T111-R005"}  # it cannot fail, as published


def test_findings_say_where_and_carry_both_languages() -> None:
    (finding,) = validate_invoice_response(_document("unknown status"))
    assert finding.severity is Severity.FATAL
    assert finding.location == "/*/cac:DocumentResponse/cac:Response/cbc:ResponseCode"
    assert finding.message_en
    assert finding.message_ja
    assert finding.message_ja != finding.message_en


CITY = Participant("0188", "8000020130001", "札幌市")
SELLER = Participant("0188", "1234567890123", "株式会社テスト")
_CLARIFICATIONS: tuple[dict[str, object], ...] = (
    {},
    {"reason": Reason.REFERENCES, "reason_text": "発注番号がありません"},
    {"reason": Reason.LEGAL, "action": Action.ISSUE_CREDIT_NOTE},
    {"reason": Reason.OTHER, "reason_text": "数量が違います", "action": Action.ISSUE_NEW_INVOICE},
    {"reason": Reason.UNRECOGNISED, "action": Action.NO_ACTION},
)


def _written(status: Status, clarification: dict[str, object]) -> bytes:
    return write(
        InvoiceResponse(
            response_id="juryo-ir-9",
            issue_date=dt.date(2026, 11, 29),
            buyer=CITY,
            seller=SELLER,
            status=status,
            invoice_number="INV-9",
            invoice_issue_date=dt.date(2026, 11, 20),
            **clarification,  # type: ignore[arg-type]
        )
    )


def _writable() -> list[tuple[Status, dict[str, object]]]:
    return [
        (status, clarification)
        for status in Status
        for clarification in _CLARIFICATIONS
        if clarification or status not in (Status.UNDER_QUERY, Status.CONDITIONALLY_ACCEPTED, Status.REJECTED)
    ]  # fmt: skip


@pytest.mark.parametrize(("status", "clarification"), _writable())
def test_juryos_own_responses_pass_the_t111_rules(
    status: Status, clarification: dict[str, object]
) -> None:
    assert validate_invoice_response(etree.fromstring(_written(status, clarification))) == []


@pytest.mark.parametrize(
    ("seller", "rule"),
    [
        (Participant("0188", "1234567890123", " "), "PEPPOL-COMMON-R001"),
        (Participant("9999", "1234567890123", "株式会社テスト"), "PEPPOL-T111-B02102"),
        (Participant("0088", "4000001000004", "株式会社テスト"), "PEPPOL-COMMON-R040"),
    ],
)
def test_a_response_breaking_a_fatal_rule_is_not_written(seller: Participant, rule: str) -> None:
    invalid = InvoiceResponse(
        response_id="juryo-ir-10",
        issue_date=dt.date(2026, 11, 29),
        buyer=CITY,
        seller=seller,
        status=Status.ACCEPTED,
        invoice_number="INV-10",
    )
    with pytest.raises(ResponseError, match=rule):
        write(invalid)


# -- the official stylesheet as oracle ----------------------------------------------------------

Verdict = dict[str, str]


def _worse(known: str | None, flag: str) -> str:
    """A rule that fails fatally anywhere counts as fatal."""
    return "fatal" if "fatal" in (known, flag) else "warning"


def _official() -> Callable[[bytes], Verdict | None]:
    stylesheet = oracle.Stylesheet(XSLT)

    def judge(data: bytes) -> Verdict | None:
        try:
            report = stylesheet.svrl(data)
        except oracle.NoVerdict:
            return None  # the stylesheet stopped on an XPath 2 error (e.g. two codes in one)
        fired: Verdict = {}
        for failed in oracle.failed_asserts(report):
            rule = failed.get("id") or ""
            fired[rule] = _worse(fired.get(rule), failed.get("flag") or "")
        return fired

    return judge


def _native(root: etree._Element) -> Verdict:
    fired: Verdict = {}
    for finding in validate_invoice_response(root):
        fired[finding.rule_id] = _worse(fired.get(finding.rule_id), finding.severity.value)
    return fired


def _seeds() -> list[tuple[str, etree._Element]]:
    seeds = [(case, _document(case)) for case in CASES]
    seeds.append(("complete", etree.fromstring(RESPONSE.encode())))
    seeds += [
        (f"written {status} {clarification}", etree.fromstring(_written(status, clarification)))
        for status, clarification in _writable()
    ]  # fmt: skip
    return seeds


@_official_only
def test_the_hand_written_documents_agree_with_the_official_stylesheet() -> None:
    judge = _official()
    counts: collections.Counter[str] = collections.Counter()
    differences = []
    for name, root in _seeds():
        official = judge(etree.tostring(root, encoding="utf-8"))
        if official is None:
            counts["no official verdict"] += 1
            continue
        native = _native(root)
        counts["agree" if native == official else "differ"] += 1
        if native != official:
            differences.append(f"{name}: official {official} / native {native}")
    print(f"\nT111 documents vs official T111 2025.5 XSLT: {dict(counts)}")
    assert not differences, differences


_VALUES = (
    *("", " ", "AB", "IP", "UQ", "CA", "RE", "AP", "PD", "XX", "ca", " RE ", "CA UQ"),
    *("REF", "OTH", "PPD", "NIN", "NOA", "CNA", "PAY", "ZZZ", "NOA PIN", "380", "381", "471"),
    *("1999", "2026-11-29", "2026-02-30", "2026-1-9", "0000-01-01", "2026-11-29+09:00"),
    *("urn:fdc:peppol.eu:poacc:trns:invoice_response:3", "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"),
    *("urn:fdc:peppol.eu:poacc:trns:invoice_response:3#x", "7300010000001", "7300010000002"),
    *("974760673", "0403019261", "IT01234567897", "RSSMRA85T10A562S", "5560360793", "51824753556"),
)  # fmt: skip
_SCHEMES = (
    *("0088", "0192", "0184", "0208", "0201", "0210", "9907", "0211", "9906", "0007", "0151"),
    *("0188", "0241", "9999", "", "JP"),
)
_LIST_IDS = ("OPStatusReason", "OPStatusAction", "UNCL4343", "")
_TAGS = (
    *(f"{{{CBC}}}{name}" for name in ("ID", "Name", "Note", "UUID", "StatusReasonCode", "IssueDate")),
    *(f"{{{CAC}}}{name}" for name in ("Status", "Contact", "PartyName", "PartyIdentification")),
)  # fmt: skip


def _mutate(root: etree._Element, rng: random.Random) -> None:
    """Remove, repeat, rewrite, rename or re-attribute one element, or add an unknown one."""
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    if not elements:
        return
    element = rng.choice(elements)
    parent = element.getparent()
    kind = rng.random()
    if kind < 0.2 and parent is not None:
        parent.remove(element)
    elif kind < 0.3:
        element.addnext(copy.deepcopy(element))
    elif kind < 0.6:
        rng.choice([e for e in elements if len(e) == 0]).text = rng.choice(_VALUES)
    elif kind < 0.7:
        element.tag = rng.choice(_TAGS)
    elif kind < 0.8:
        etree.SubElement(element, rng.choice(_TAGS)).text = rng.choice(_VALUES) or "x"
    elif kind < 0.9:
        element.set("schemeID", rng.choice(_SCHEMES))
    else:
        element.set("listID", rng.choice(_LIST_IDS))


@_official_only
def test_mutations_agree_with_the_official_stylesheet() -> None:
    judge = _official()
    mutations.assert_agreement(
        "T111 mutations vs official T111 2025.5 XSLT", judge, _native, _seeds(), _mutate, MUTATIONS
    )
