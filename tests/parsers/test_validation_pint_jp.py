"""JP PINT native rules on hand-written documents."""

from __future__ import annotations

import pytest
from lxml import etree

from parsers.profiles import Profile
from parsers.validation._rules import NS
from parsers.validation.pint_jp import RULE_SETS, validate_pint_jp
from tests.parsers.validation_samples import Line, parse, ubl_invoice


def _ids(data: bytes, profile: Profile = Profile.JP_PINT) -> set[str]:
    return {f.rule_id for f in validate_pint_jp(parse(data), profile)}


def test_a_correct_invoice_passes() -> None:
    assert _ids(ubl_invoice()) == set()


def test_rule_tables_have_unique_ids_and_both_languages() -> None:
    for rule_set in RULE_SETS.values():
        ids = [rule.rule_id for rule in rule_set.rules]
        assert len(ids) == len(set(ids))
        assert all(rule.message_en and rule.message_ja for rule in rule_set.rules)


@pytest.mark.parametrize(("tax", "fires"), [("79", False), ("80", False), ("78", True)])
def test_tax_per_rate_allows_floor_to_ceiling(tax: str, fires: bool) -> None:
    data = ubl_invoice(lines=(Line("999", "AA", "8"),), taxes={("AA", "8"): tax})
    assert ("aligned-ibrp-051-jp" in _ids(data)) is fires


def test_registration_number_format_after_october_2023() -> None:
    assert "aligned-ibr-jp-01" in _ids(ubl_invoice(seller_tax_id="1234567890123"))


def test_tax_categories_must_be_japanese() -> None:
    data = ubl_invoice(lines=(Line("100", "Z", "0"),), taxes={("Z", "0"): "0"})
    assert "aligned-ibrp-cl-01-jp" in _ids(data)


def test_out_of_scope_lines_carry_no_rate() -> None:
    data = ubl_invoice(lines=(Line("100", "O", "0"),), taxes={("O", "0"): "0"})
    assert "aligned-ibrp-o-05" in _ids(data)


SELF_BILLING_ID = "urn:peppol:pint:selfbilling-1@jp-1"
NON_TAX_ID = "urn:peppol:pint:nontaxinvoice-1@jp-1"


def test_self_billing_has_its_own_specification_process_and_type_code() -> None:
    data = ubl_invoice(
        customization=SELF_BILLING_ID, profile_id="urn:peppol:bis:selfbilling", type_code="389"
    )
    assert "aligned-ibrp-001-jp" in _ids(data)
    assert _ids(data, Profile.JP_PINT_SELF_BILLING) == set()


def test_self_billing_refuses_the_billing_process_and_type_code() -> None:
    data = ubl_invoice(customization=SELF_BILLING_ID)
    fired = _ids(data, Profile.JP_PINT_SELF_BILLING)
    assert {"aligned-ibrp-002-jp-sb", "ibr-cl-01-jp-sb"} <= fired


def test_self_billing_needs_the_registration_number() -> None:
    data = ubl_invoice(
        customization=SELF_BILLING_ID,
        profile_id="urn:peppol:bis:selfbilling",
        type_code="389",
        seller_tax_id="1234567890123",
    )
    assert "aligned-ibr-jp-01" in _ids(data, Profile.JP_PINT_SELF_BILLING)


def _non_tax(*, tax_id: bool, tax: str = "0", type_code: str = "480") -> bytes:
    data = ubl_invoice(
        customization=NON_TAX_ID,
        lines=(Line("1000", "O", None),),
        taxes={("O", None): tax},
        type_code=type_code,
    )
    if not tax_id:
        root = parse(data)
        scheme = root.find(".//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme", NS)
        assert scheme is not None
        party = scheme.getparent()
        assert party is not None
        party.remove(scheme)
        identification = etree.fromstring(
            f'<cac:PartyIdentification xmlns:cac="{NS["cac"]}" xmlns:cbc="{NS["cbc"]}">'
            "<cbc:ID>SELLER-1</cbc:ID></cac:PartyIdentification>"
        )
        party.insert(1, identification)  # after the electronic address, as UBL orders it
        data = etree.tostring(root)
    return data


def test_non_tax_registered_invoice_passes_without_a_registration_number() -> None:
    assert _ids(_non_tax(tax_id=False), Profile.JP_PINT_NON_TAX_REGISTERED) == set()


def test_non_tax_registered_seller_has_no_tax_id_no_tax_and_type_480() -> None:
    fired = _ids(
        _non_tax(tax_id=True, tax="5", type_code="380"), Profile.JP_PINT_NON_TAX_REGISTERED
    )
    assert {"aligned-ibr-jp-04-ntr", "aligned-ibr-jp-07-ntr", "ibr-cl-01-jp-ntr"} <= fired


def test_non_tax_registered_needs_its_specification_id() -> None:
    fired = _ids(_non_tax(tax_id=False), Profile.JP_PINT)
    assert "aligned-ibr-jp-04" in fired
    data = _non_tax(tax_id=False).replace(NON_TAX_ID.encode(), b"urn:peppol:pint:billing-1@jp-1")
    assert "aligned-ibrp-001-jp-ntr" in _ids(data, Profile.JP_PINT_NON_TAX_REGISTERED)


@pytest.mark.parametrize(("percent", "fires"), [(None, False), ("10", True)])
def test_a_document_charge_without_a_rate_passes_the_tax_category_rule(
    percent: str | None, fires: bool
) -> None:
    """aligned-ibrp-037-jp: official evaluation lets a charge without a rate pass."""
    charge = (
        "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
        "<cbc:AllowanceChargeReason>送料</cbc:AllowanceChargeReason>"
        '<cbc:Amount currencyID="JPY">0</cbc:Amount>'
        + (
            f"<cac:TaxCategory><cbc:Percent>{percent}</cbc:Percent><cac:TaxScheme>"
            "<cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>"
            if percent
            else ""
        )
        + "</cac:AllowanceCharge>"
    )
    data = ubl_invoice().replace(b"<cac:TaxTotal>", charge.encode() + b"<cac:TaxTotal>", 1)
    assert ("aligned-ibrp-037-jp" in _ids(data)) is fires


def test_a_half_percent_rate_rounds_up_so_its_tax_must_not_be_zero() -> None:
    """aligned-ibrp-051-jp rounds the rate the XPath way: round(0.5) is 1, not 0."""
    data = ubl_invoice(lines=(Line("3490", "E", "0.5"),), taxes={("E", "0.5"): "0"})
    assert "aligned-ibrp-051-jp" in _ids(data)


def test_a_breakdown_repeating_its_category_code_counts_twice() -> None:
    data = ubl_invoice(lines=(Line("1000", "E", "0"),), taxes={("E", "0"): "0"})
    assert "aligned-ibrp-e-01" not in _ids(data)
    doubled = data.replace(
        b"<cac:TaxCategory><cbc:ID>E</cbc:ID>",
        b"<cac:TaxCategory><cbc:ID>E</cbc:ID><cbc:ID>E</cbc:ID>",
    )
    assert "aligned-ibrp-e-01" in _ids(doubled)


@pytest.mark.parametrize(
    ("tax", "fires"), [("0", False), ("0.0", False), ("-0", False), ("-0.0", True), ("1", True)]
)
def test_non_tax_registered_tax_amounts_are_zero_as_the_official_pipeline_reads_them(
    tax: str, fires: bool
) -> None:
    """Saxon reads an untyped ``-0.0`` as unequal to 0, so the official artefact rejects it."""
    data = _non_tax(tax_id=False, tax=tax)
    assert ("aligned-ibr-jp-07-ntr" in _ids(data, Profile.JP_PINT_NON_TAX_REGISTERED)) is fires
