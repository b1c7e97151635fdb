# ruff: noqa: E501  (tables of XML fragments read better one per line)
"""JP PINT calculation rules (ibr-co-*): each fires on a wrong total and not on a right one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from parsers.profiles import Profile
from parsers.validation._rules import NS
from parsers.validation.pint_jp import validate_pint_jp
from parsers.validation.pint_jp_calculation import round2
from tests.parsers.validation_samples import parse, ubl_invoice


def _ids(root: etree._Element) -> set[str]:
    return {f.rule_id for f in validate_pint_jp(root, Profile.JP_PINT)}


def _set(root: etree._Element, path: str, value: str) -> None:
    node = root.find(path, NS)
    assert node is not None, path
    node.text = value


def _add(root: etree._Element, parent: str, before: str, xml: str) -> None:
    """Insert ``xml`` (UBL-prefixed) into ``parent`` just before its child ``before``."""
    holder = root.find(parent, NS) if parent != "." else root
    anchor = root.find(before, NS)
    assert holder is not None
    assert anchor is not None
    element = etree.fromstring(f'<x xmlns:cac="{NS["cac"]}" xmlns:cbc="{NS["cbc"]}">{xml}</x>')[0]
    holder.insert(holder.index(anchor), element)


_TOTAL = "cac:LegalMonetaryTotal"


def test_the_sample_adds_up() -> None:
    assert {i for i in _ids(parse(ubl_invoice())) if i.startswith("ibr-co")} == set()


@pytest.mark.parametrize(("value", "fires"), [("4000", False), ("4001", True), ("3999.99", True)])
def test_co10_sum_of_line_amounts(value: str, fires: bool) -> None:
    root = parse(ubl_invoice())
    _set(root, f"{_TOTAL}/cbc:LineExtensionAmount", value)
    assert ("ibr-co-10" in _ids(root)) is fires


def _with_document_allowance(amount: str, stated: str | None) -> etree._Element:
    root = parse(ubl_invoice())
    _add(
        root, ".", "cac:TaxTotal",
        "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
        "<cbc:AllowanceChargeReason>値引</cbc:AllowanceChargeReason>"
        f'<cbc:Amount currencyID="JPY">{amount}</cbc:Amount>'
        "<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge>",
    )  # fmt: skip
    if stated is not None:
        _add(root, _TOTAL, f"{_TOTAL}/cbc:PayableAmount",
             f'<cbc:AllowanceTotalAmount currencyID="JPY">{stated}</cbc:AllowanceTotalAmount>')  # fmt: skip
    return root


@pytest.mark.parametrize(("stated", "fires"), [("100", False), ("99", True), (None, True)])
def test_co11_sum_of_allowances(stated: str | None, fires: bool) -> None:
    assert ("ibr-co-11" in _ids(_with_document_allowance("100", stated))) is fires


def test_co11_an_allowance_total_without_allowances_must_be_zero() -> None:
    root = parse(ubl_invoice())
    _add(root, _TOTAL, f"{_TOTAL}/cbc:PayableAmount",
         '<cbc:AllowanceTotalAmount currencyID="JPY">5</cbc:AllowanceTotalAmount>')  # fmt: skip
    assert "ibr-co-11" in _ids(root)


@pytest.mark.parametrize(("stated", "fires"), [("250", False), ("25", True), (None, True)])
def test_co12_sum_of_charges(stated: str | None, fires: bool) -> None:
    root = parse(ubl_invoice())
    _add(
        root, ".", "cac:TaxTotal",
        "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
        "<cbc:AllowanceChargeReason>送料</cbc:AllowanceChargeReason>"
        '<cbc:Amount currencyID="JPY">250</cbc:Amount>'
        "<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>10</cbc:Percent>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:AllowanceCharge>",
    )  # fmt: skip
    if stated is not None:
        _add(root, _TOTAL, f"{_TOTAL}/cbc:PayableAmount",
             f'<cbc:ChargeTotalAmount currencyID="JPY">{stated}</cbc:ChargeTotalAmount>')  # fmt: skip
    assert ("ibr-co-12" in _ids(root)) is fires


@pytest.mark.parametrize(("exclusive", "fires"), [("3900", False), ("4000", True)])
def test_co13_total_without_tax_subtracts_allowances(exclusive: str, fires: bool) -> None:
    root = _with_document_allowance("100", "100")
    _set(root, f"{_TOTAL}/cbc:TaxExclusiveAmount", exclusive)
    assert ("ibr-co-13" in _ids(root)) is fires


def test_co13_is_waived_when_prices_include_tax() -> None:
    root = parse(ubl_invoice())
    _set(root, f"{_TOTAL}/cbc:TaxExclusiveAmount", "1")
    assert "ibr-co-13" in _ids(root)
    _add(root, "cac:TaxTotal", "cac:TaxTotal/cac:TaxSubtotal",
         "<cbc:TaxIncludedIndicator>true</cbc:TaxIncludedIndicator>")  # fmt: skip
    assert "ibr-co-13" not in _ids(root)


@pytest.mark.parametrize(("tax", "fires"), [("380", False), ("381", True)])
def test_co14_total_tax_is_the_sum_of_category_taxes(tax: str, fires: bool) -> None:
    root = parse(ubl_invoice())
    _set(root, "cac:TaxTotal/cbc:TaxAmount", tax)
    assert ("ibr-co-14" in _ids(root)) is fires


@pytest.mark.parametrize(("inclusive", "fires"), [("4380", False), ("4379", True)])
def test_co15_total_with_tax(inclusive: str, fires: bool) -> None:
    root = parse(ubl_invoice())
    _set(root, f"{_TOTAL}/cbc:TaxInclusiveAmount", inclusive)
    _set(root, f"{_TOTAL}/cbc:PayableAmount", inclusive)
    assert ("ibr-co-15" in _ids(root)) is fires


@pytest.mark.parametrize(
    ("prepaid", "rounding", "payable", "fires"),
    [
        (None, None, "4380", False),
        (None, None, "4300", True),
        ("380", None, "4000", False),
        ("380", None, "4380", True),
        ("0", None, "4380", False),  # a zero prepaid amount counts as none
        (None, "0.4", "4380.4", False),
        ("80", "-0.5", "4299.5", False),
        ("80", "-0.5", "4300", True),
    ],
)
def test_co16_amount_due(
    prepaid: str | None, rounding: str | None, payable: str, fires: bool
) -> None:
    root = parse(ubl_invoice())
    if prepaid is not None:
        _add(root, _TOTAL, f"{_TOTAL}/cbc:PayableAmount",
             f'<cbc:PrepaidAmount currencyID="JPY">{prepaid}</cbc:PrepaidAmount>')  # fmt: skip
    if rounding is not None:
        _add(root, _TOTAL, f"{_TOTAL}/cbc:PayableAmount",
             f'<cbc:PayableRoundingAmount currencyID="JPY">{rounding}</cbc:PayableRoundingAmount>')  # fmt: skip
    _set(root, f"{_TOTAL}/cbc:PayableAmount", payable)
    assert ("ibr-co-16" in _ids(root)) is fires


@pytest.mark.parametrize(
    ("period", "rule", "fires"),
    [
        ("<cbc:StartDate>2024-03-01</cbc:StartDate>", "ibr-co-19", False),
        ("<cbc:DescriptionCode>35</cbc:DescriptionCode>", "ibr-co-19", False),
        ("<cbc:Description>March</cbc:Description>", "ibr-co-19", True),
    ],
)
def test_co19_invoice_period_needs_a_date(period: str, rule: str, fires: bool) -> None:
    data = ubl_invoice().replace(
        b"<cbc:StartDate>2024-03-01</cbc:StartDate><cbc:EndDate>2024-03-31</cbc:EndDate>",
        period.encode(),
    )
    assert (rule in _ids(parse(data))) is fires


@pytest.mark.parametrize(
    ("content", "fires"),
    [
        ("<cbc:EndDate>2024-03-31</cbc:EndDate>", False),
        ("<cbc:Description>x</cbc:Description>", True),
    ],
)
def test_co20_line_period_needs_a_date(content: str, fires: bool) -> None:
    root = parse(ubl_invoice())
    _add(root, "cac:InvoiceLine", "cac:InvoiceLine/cac:Item",
         f"<cac:InvoicePeriod>{content}</cac:InvoicePeriod>")  # fmt: skip
    fired = _ids(root)
    assert ("ibr-co-20" in fired) is fires
    assert "ibr-co-19" not in fired  # a line period is judged as a line period only


def test_co26_seller_must_be_identifiable() -> None:
    root = parse(ubl_invoice())
    scheme = root.find("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme", NS)
    assert scheme is not None
    assert "ibr-co-26" not in _ids(root)
    parent = scheme.getparent()
    assert parent is not None
    parent.remove(scheme)
    assert "ibr-co-26" in _ids(root)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("1.005", "1.01"), ("-1.005", "-1.00"), ("2.004", "2.00"), ("-2.006", "-2.01")],
)
def test_round2_rounds_halves_towards_positive_infinity(value: str, rounded: str) -> None:
    assert round2(Decimal(value)) == Decimal(rounded)
