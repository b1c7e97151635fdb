"""Peppol BIS 3 native rules on hand-written documents (the corpus unit tests are in
``test_conformance``)."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from parsers.findings import Severity
from parsers.profiles import Syntax, detect_profile
from parsers.validation import _rules, rule_sets_for, validate
from parsers.validation.peppol import PEPPOL_BIS3, RULES, validate_peppol
from parsers.validation.peppol_cii import validate_peppol_cii
from parsers.validation.peppol_national import NATIONAL_RULE_SETS, greek_tin
from tests.parsers.validation_samples import JP_PINT_ID, PEPPOL_ID, Line, parse, ubl_invoice


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


# -- which documents Peppol judges ---------------------------------------------------------

_MISSPELT = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.1"


@pytest.mark.parametrize("customization", [_MISSPELT, "urn:example:unknown", ""])
def test_unknown_or_misspelt_customization_gets_the_peppol_verdict(customization: str) -> None:
    root = parse(ubl_invoice(customization=customization, currency="EUR"))
    profile = detect_profile(customization)
    assert "peppol-bis-3" in rule_sets_for(root, Syntax.UBL, profile)
    fired = {f.rule_id for f in validate(root, Syntax.UBL, profile, schema=False)}
    assert "PEPPOL-EN16931-R004" in fired


@pytest.mark.parametrize(
    "customization",
    [
        JP_PINT_ID,
        "urn:cen.eu:en16931:2017",
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
    ],
)
def test_other_specifications_are_not_judged_by_peppol(customization: str) -> None:
    root = parse(ubl_invoice(customization=customization, currency="EUR"))
    assert "peppol-bis-3" not in rule_sets_for(root, Syntax.UBL, detect_profile(customization))


# -- 2025.5 code lists and exemptions ------------------------------------------------------


def _peppol(seller: str = "FR", buyer: str = "FR") -> etree._Element:
    """A Peppol BIS document under profile 01 with the parties in the given countries.

    The seller's VAT identifier starts with its country too: Peppol reads the seller country
    from that prefix first."""
    root = parse(
        ubl_invoice(customization=PEPPOL_ID, currency="EUR", seller_tax_id=f"{seller}123456789")
    )
    profile = root.find("cbc:ProfileID", _rules.NS)
    assert profile is not None
    profile.text = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    for role, country in (("Supplier", seller), ("Customer", buyer)):
        party = root.find(f"cac:Accounting{role}Party/cac:Party", _rules.NS)
        assert party is not None
        address = etree.fromstring(
            f'<cac:PostalAddress xmlns:cac="{_rules.NS["cac"]}" xmlns:cbc="{_rules.NS["cbc"]}">'
            f"<cac:Country><cbc:IdentificationCode>{country}</cbc:IdentificationCode>"
            "</cac:Country></cac:PostalAddress>"
        )
        party.insert(0, address)
    return root


def _set(root: etree._Element, path: str, value: str) -> None:
    node = root.find(path, _rules.NS)
    assert node is not None
    node.text = value


def _add_notes(root: etree._Element, count: int) -> None:
    anchor = root.find("cbc:InvoiceTypeCode", _rules.NS)
    assert anchor is not None
    for n in range(count):
        note = etree.Element(f"{{{_rules.NS['cbc']}}}Note")
        note.text = f"note {n}"
        anchor.addnext(note)


def _fired(root: etree._Element) -> dict[str, Severity]:
    return {f.rule_id: f.severity for f in validate_peppol(root)}


def test_self_billed_type_389_is_refused_under_profile_01() -> None:
    root = _peppol()
    assert "PEPPOL-EN16931-P0100" not in _fired(root)
    _set(root, "cbc:InvoiceTypeCode", "389")
    assert _fired(root)["PEPPOL-EN16931-P0100"] is Severity.FATAL


@pytest.mark.parametrize(("seller", "buyer", "fires"), [("DE", "DE", False), ("DE", "FR", True)])
def test_several_notes_are_allowed_between_german_parties(
    seller: str, buyer: str, fires: bool
) -> None:
    root = _peppol(seller, buyer)
    _add_notes(root, 2)
    assert ("PEPPOL-EN16931-R002" in _fired(root)) is fires


def test_project_reference_count_is_checked_on_credit_notes_only() -> None:
    root = _peppol()
    for _ in range(2):
        reference = etree.fromstring(
            f'<cac:AdditionalDocumentReference xmlns:cac="{_rules.NS["cac"]}"'
            f' xmlns:cbc="{_rules.NS["cbc"]}"><cbc:ID>P1</cbc:ID>'
            "<cbc:DocumentTypeCode>50</cbc:DocumentTypeCode></cac:AdditionalDocumentReference>"
        )
        anchor = root.find("cac:AccountingSupplierParty", _rules.NS)
        assert anchor is not None
        anchor.addprevious(reference)
    assert "PEPPOL-EN16931-R080" not in _fired(root)


# -- national rules ------------------------------------------------------------------------


def test_german_rules_apply_when_seller_and_buyer_are_german() -> None:
    fired = _fired(_peppol("DE", "DE"))
    assert fired["DE-R-001"] is Severity.FATAL  # no payment instructions
    assert fired["DE-R-002"] is Severity.FATAL  # no seller contact
    assert not any(rule.startswith("DE-") for rule in _fired(_peppol("DE", "FR")))


@pytest.mark.parametrize(
    ("seller", "prefix"),
    [("DE", "DE-"), ("DK", "DK-"), ("GR", "GR-"), ("IS", "IS-"), ("IT", "IT-"), ("NL", "NL-")],
)
def test_national_rules_follow_the_seller_country(seller: str, prefix: str) -> None:
    national = {rule for rule in _fired(_peppol(seller, seller)) if rule.startswith(prefix)}
    assert national
    assert not {r for r in _fired(_peppol("JP", "JP")) if r[:3] in NATIONAL_PREFIXES}


NATIONAL_PREFIXES = ("DE-", "DK-", "GR-", "IS-", "IT-", "NL-", "NO-", "SE-")


def test_norwegian_vat_number_needs_a_valid_organisation_number() -> None:
    root = _peppol("NO", "NO")
    _set(
        root,
        "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID",
        "NO123456789MVA",
    )
    assert _fired(root)["NO-R-001"] is Severity.FATAL
    assert _fired(root)["NO-R-002"] is Severity.WARNING
    _set(
        root,
        "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID",
        "NO971526920MVA",
    )
    assert "NO-R-001" not in _fired(root)


@pytest.mark.parametrize(("value", "valid"), [("094014201", True), ("094014202", False)])
def test_greek_tin_check_digit(value: str, valid: bool) -> None:
    assert greek_tin(value) is valid


def test_national_rule_tables_carry_ids_flags_terms_and_both_languages() -> None:
    rules = [rule for rule_set in NATIONAL_RULE_SETS for rule in rule_set.rules.rules]
    ids = [rule.rule_id for rule in rules]
    assert len(ids) == len(set(ids)) == 100
    assert all(rule_id.startswith(NATIONAL_PREFIXES) for rule_id in ids)
    for rule in rules:
        assert rule.business_term
        assert rule.message_en
        assert rule.message_ja
        assert rule.message_ja != rule.message_en


# -- CII -----------------------------------------------------------------------------------


def _cii(guideline: str, seller_country: str = "FR") -> etree._Element:
    """A small CII invoice with a guideline id and a seller address."""
    return parse(
        (
            '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
            'CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:'
            'ReusableAggregateBusinessInformationEntity:100">'
            "<rsm:ExchangedDocumentContext><ram:BusinessProcessSpecifiedDocumentContextParameter>"
            "<ram:ID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</ram:ID>"
            "</ram:BusinessProcessSpecifiedDocumentContextParameter>"
            f"<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{guideline}</ram:ID>"
            "</ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>"
            "<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeAgreement>"
            "<ram:BuyerReference>DEPT-1</ram:BuyerReference><ram:SellerTradeParty>"
            "<ram:PostalTradeAddress><ram:CityName>X</ram:CityName>"
            f"<ram:CountryID>{seller_country}</ram:CountryID></ram:PostalTradeAddress>"
            "</ram:SellerTradeParty></ram:ApplicableHeaderTradeAgreement>"
            "</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>"
        ).encode()
    )


@pytest.mark.parametrize(
    ("guideline", "judged"),
    [
        (PEPPOL_ID, True),
        (_MISSPELT, True),
        ("urn:ferd:CrossIndustryDocument:invoice:1p0:comfort", False),
        ("urn:cen.eu:en16931:2017", False),
    ],
)
def test_cii_is_judged_by_peppol_when_its_guideline_names_peppol(
    guideline: str, judged: bool
) -> None:
    root = _cii(guideline)
    profile = detect_profile(guideline)
    assert ("peppol-bis-3" in rule_sets_for(root, Syntax.CII, profile)) is judged
    fired = {f.rule_id for f in validate(root, Syntax.CII, profile, schema=False)}
    assert ("PEPPOL-EN16931-R020" in fired) is judged  # no seller electronic address
    assert ("PEPPOL-EN16931-R004" in fired) is (guideline == _MISSPELT)


def test_cii_national_rules_follow_the_seller_country() -> None:
    fired = {f.rule_id: f.severity for f in validate_peppol_cii(_cii(PEPPOL_ID, "IT"))}
    assert fired["IT-R-002"] is Severity.FATAL  # no address line
    assert "IT-R-003" not in fired
    assert not any(rule.startswith("IT-") for rule in _fired_cii(_cii(PEPPOL_ID, "FR")))


def _fired_cii(root: etree._Element) -> set[str]:
    return {f.rule_id for f in validate_peppol_cii(root)}


def test_line_allowances_are_rounded_as_xpath_rounds_halves() -> None:
    """0.125 rounds to 0.13 (XPath ``round`` goes up on halves), not to 0.12 (banker's)."""
    root = parse(ubl_invoice(customization=PEPPOL_ID, currency="EUR", lines=(Line("10"),)))
    line = root.find("cac:InvoiceLine", _rules.NS)
    assert line is not None
    _set(line, "cbc:LineExtensionAmount", "9.855")
    allowance = etree.fromstring(
        f'<cac:AllowanceCharge xmlns:cac="{_rules.NS["cac"]}" xmlns:cbc="{_rules.NS["cbc"]}">'
        '<cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:Amount currencyID="EUR">0.125'
        "</cbc:Amount></cac:AllowanceCharge>"
    )
    item = line.find("cac:Item", _rules.NS)
    assert item is not None
    item.addprevious(allowance)
    assert "PEPPOL-EN16931-R120" not in _fired(root)


def test_tax_currency_without_an_amount_in_it_breaks_the_same_sign_rule() -> None:
    """R055 compares some amount in each currency; none in the tax currency cannot agree."""
    root = _peppol()
    code = etree.Element(f"{{{_rules.NS['cbc']}}}TaxCurrencyCode")
    code.text = "NOK"
    currency = root.find("cbc:DocumentCurrencyCode", _rules.NS)
    assert currency is not None
    currency.addnext(code)
    assert _fired(root)["PEPPOL-EN16931-R055"] is Severity.FATAL


def test_a_country_read_twice_opens_no_national_rules() -> None:
    """Two seller country codes make the official country variable an XPath error, and a
    context that errs does not match: no NL rule applies."""
    root = _peppol("NL", "NL")
    country = root.find(
        "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country", _rules.NS
    )
    assert country is not None
    country.append(copy.deepcopy(country[0]))
    assert not any(rule.startswith("NL-") for rule in _fired(root))
    assert any(rule.startswith("NL-") for rule in _fired(_peppol("NL", "NL")))


def test_an_exemption_reason_given_twice_selects_no_exemption_rule() -> None:
    """The official context upper-cases the reason code; two of them are an XPath error there,
    so the category matches no exemption rule (one reason alone does)."""
    root = _peppol()
    category = root.find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", _rules.NS)
    assert category is not None
    reason = etree.Element(f"{{{_rules.NS['cbc']}}}TaxExemptionReasonCode")
    reason.text = "VATEX-EU-G"
    category[0].addnext(reason)
    assert "PEPPOL-EN16931-P0104" in _fired(root)
    category[0].addnext(copy.deepcopy(reason))
    assert "PEPPOL-EN16931-P0104" not in _fired(root)
