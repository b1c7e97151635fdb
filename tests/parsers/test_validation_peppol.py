"""Peppol BIS 3 native rules on hand-written documents (the corpus unit tests are in
``test_conformance``)."""

from __future__ import annotations

import pytest
from lxml import etree

from parsers.findings import Severity
from parsers.validation import _rules
from parsers.validation.peppol import PEPPOL_BIS3, RULES
from tests.parsers.validation_samples import PEPPOL_ID, Line, parse, ubl_invoice


def _ids(data: bytes) -> set[str]:
    return {f.rule_id for f in PEPPOL_BIS3.run(parse(data))}


def test_rule_table_has_unique_official_ids_and_both_languages() -> None:
    ids = [rule.rule_id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(("PEPPOL-EN16931-", "PEPPOL-COMMON-")) for i in ids)
    assert all(rule.message_en and rule.message_ja for rule in RULES)


def test_missing_endpoints_and_references_fire() -> None:
    fired = _ids(ubl_invoice(customization=PEPPOL_ID, currency="EUR"))
    assert {"PEPPOL-EN16931-R003", "PEPPOL-EN16931-R010", "PEPPOL-EN16931-R020"} <= fired
    assert "PEPPOL-EN16931-R004" not in fired


def test_line_amount_must_match_quantity_times_price() -> None:
    data = ubl_invoice(customization=PEPPOL_ID, currency="EUR", lines=(Line("10"),))
    root = parse(data)
    amount = root.find(".//cac:InvoiceLine/cbc:LineExtensionAmount", _rules.NS)
    assert amount is not None
    amount.text = "10.05"
    findings = [f for f in PEPPOL_BIS3.run(root) if f.rule_id == "PEPPOL-EN16931-R120"]
    assert [f.location for f in findings] == ["/*/cac:InvoiceLine"]
    assert findings[0].severity is Severity.FATAL


@pytest.mark.parametrize(
    ("scheme", "value", "fires"),
    [
        ("0088", "4035811991021", False),
        ("0088", "4035811991022", True),
        ("0208", "0417497106", False),
        ("0208", "0417497107", True),
        ("0151", "51824753556", False),
        ("0151", "51824753557", True),
    ],
)
def test_identifier_check_digits(scheme: str, value: str, fires: bool) -> None:
    root = parse(ubl_invoice(customization=PEPPOL_ID, currency="EUR"))
    party = root.find(".//cac:AccountingSupplierParty/cac:Party", _rules.NS)
    assert party is not None
    endpoint = etree.Element(f"{{{_rules.NS['cbc']}}}EndpointID", schemeID=scheme)
    endpoint.text = value
    party.insert(0, endpoint)
    fired = {f.rule_id for f in PEPPOL_BIS3.run(root) if f.rule_id.startswith("PEPPOL-COMMON")}
    assert bool(fired) is fires
