# ruff: noqa: RUF001, RUF002  (Japanese messages use full-width punctuation on purpose)
"""Layer 4: Japanese checks the official artefacts lack (rule ids ``JP-JURYO-nn``).

Applied to JP PINT documents and to any invoice in JPY, UBL or CII, straight from the tree.
Every one is a warning: the official artefacts decide what is accepted, and juryo's own checks
only point a clerk at what to look at (an official-valid invoice is never refused by them).

=============  ========  ==================================================================
rule           severity  why
=============  ========  ==================================================================
JP-JURYO-01    warning   seller registration number (T + 13 digits) fails its check digit;
                         not fatal because the official JP PINT examples use the placeholder
                         ``T1234567890123``
JP-JURYO-02    warning    consumption tax per rate is not one rounding (floor..ceiling) of
                         taxable amount × rate: the tax was summed per line (インボイス制度:
                         端数処理は税率ごとに1回)
JP-JURYO-03    warning    a tax category/rate Japan does not have: only standard 10 % (S),
                         reduced 8 % (AA), exempt (E), export (G) and out of scope (O)
JP-JURYO-04    warning    a JPY amount (totals, tax, line and allowance amounts) has a
                         fractional part; unit prices may have one
=============  ========  ==================================================================
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from parsers import registration
from parsers.findings import Finding, Severity
from parsers.profiles import Profile, Syntax
from parsers.validation._rules import NS, decimal, text

__all__ = ["applies", "validate_japan"]

_RATES: dict[str, Decimal | None] = {
    "S": Decimal(10),
    "AA": Decimal(8),
    "E": Decimal(0),
    "G": Decimal(0),
    "O": None,
}
"""Allowed consumption tax categories and their only rate (``None``: no rate or 0)."""


@dataclass(frozen=True, slots=True)
class _Paths:
    currency: etree.XPath
    registration_numbers: etree.XPath
    subtotals: etree.XPath
    categories: etree.XPath
    amounts: etree.XPath
    sub_category: str
    sub_rate: str
    sub_taxable: str
    sub_tax: str
    cat_code: str
    cat_rate: str


def _xp(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=NS)


_UBL = _Paths(
    currency=_xp("string(/*/cbc:DocumentCurrencyCode)"),
    registration_numbers=_xp(
        "/*/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"
        "[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID"
    ),
    subtotals=_xp(
        "/*/cac:TaxTotal/cac:TaxSubtotal[cbc:TaxAmount/@currencyID = /*/cbc:DocumentCurrencyCode]"
    ),
    categories=_xp("//cac:TaxCategory[cbc:ID] | //cac:ClassifiedTaxCategory[cbc:ID]"),
    amounts=_xp(
        "//*[@currencyID = 'JPY'][not(self::cbc:PriceAmount) and not(self::cbc:BaseAmount"
        " and parent::cac:AllowanceCharge/parent::cac:Price)]"
    ),
    sub_category="cac:TaxCategory/cbc:ID",
    sub_rate="cac:TaxCategory/cbc:Percent",
    sub_taxable="cbc:TaxableAmount",
    sub_tax="cbc:TaxAmount",
    cat_code="cbc:ID",
    cat_rate="cbc:Percent",
)

_CII_SETTLEMENT = "/*/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
_CII = _Paths(
    currency=_xp(f"string({_CII_SETTLEMENT}/ram:InvoiceCurrencyCode)"),
    registration_numbers=_xp(
        "/*/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
        "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'VA']"
    ),
    subtotals=_xp(f"{_CII_SETTLEMENT}/ram:ApplicableTradeTax"),
    categories=_xp("//ram:ApplicableTradeTax | //ram:CategoryTradeTax"),
    amounts=_xp(
        f"{_CII_SETTLEMENT}//*[local-name() != 'ChargeAmount' and contains(local-name(), 'Amount')]"
        " | //ram:SpecifiedTradeSettlementLineMonetarySummation/*"
    ),
    sub_category="ram:CategoryCode",
    sub_rate="ram:RateApplicablePercent",
    sub_taxable="ram:BasisAmount",
    sub_tax="ram:CalculatedAmount",
    cat_code="ram:CategoryCode",
    cat_rate="ram:RateApplicablePercent",
)


def _finding(
    rule_id: str, severity: Severity, en: str, ja: str, node: etree._Element, term: str | None
) -> Finding:
    return Finding(
        rule_id=rule_id,
        severity=severity,
        message_en=en,
        message_ja=ja,
        location=node.getroottree().getpath(node),
        business_term=term,
    )


def _elements(result: object) -> list[etree._Element]:
    if not isinstance(result, list):
        return []
    return [e for e in result if isinstance(e, etree._Element)]


def _currency(root: etree._Element, syntax: Syntax) -> str:
    paths = _UBL if syntax is Syntax.UBL else _CII
    return str(paths.currency(root)).strip().upper()


def applies(root: etree._Element, syntax: Syntax, profile: Profile) -> bool:
    """JP PINT documents and any invoice whose currency is JPY."""
    return profile.is_jp_pint or _currency(root, syntax) == "JPY"


def _check_digits(paths: _Paths, root: etree._Element) -> Iterable[Finding]:
    for node in _elements(paths.registration_numbers(root)):
        number = registration.normalize(text(node))
        if registration.is_well_formed(number) and not registration.is_valid(number):
            yield _finding(
                "JP-JURYO-01",
                Severity.WARNING,
                f"The seller's registration number {number} fails its check digit: check "
                "the number (the National Tax Agency's publication site lists every one).",
                f"売手の登録番号 {number} の検査数字が一致しません。番号をご確認ください"
                "（国税庁の適格請求書発行事業者公表サイトで確認できます）。",
                node,
                "BT-31",
            )


def _rounding(paths: _Paths, root: etree._Element) -> Iterable[Finding]:
    for subtotal in _elements(paths.subtotals(root)):
        rate = decimal(subtotal.find(paths.sub_rate, NS))
        taxable = decimal(subtotal.find(paths.sub_taxable, NS))
        tax = decimal(subtotal.find(paths.sub_tax, NS))
        if rate is None or taxable is None or tax is None or rate == 0:
            continue
        exact = taxable * rate / Decimal(100)
        if not Decimal(math.floor(exact)) <= tax <= Decimal(math.ceil(exact)):
            yield _finding(
                "JP-JURYO-02",
                Severity.WARNING,
                f"Consumption tax {tax} at {rate} % is not one rounding of {taxable} × {rate} % "
                f"(= {exact}); tax must be rounded once per rate per invoice, not per line.",
                f"税率 {rate}% の消費税額 {tax} が 課税対象額 {taxable} × {rate}%（= {exact}）を"
                "1回端数処理した額と一致しません。端数処理は請求書ごと・税率ごとに1回です。",
                subtotal,
                "BT-117",
            )


def _categories(paths: _Paths, root: etree._Element) -> Iterable[Finding]:
    for category in _elements(paths.categories(root)):
        code = text(category.find(paths.cat_code, NS)).upper()
        rate_el = category.find(paths.cat_rate, NS)
        rate = decimal(rate_el) if rate_el is not None else None
        if code not in _RATES:
            allowed = False
        else:
            expected = _RATES[code]
            allowed = rate is None or rate == (expected if expected is not None else 0)
            if (
                code in ("S", "AA")
                and rate is None
                and etree.QName(category).localname == "TaxCategory"
            ):
                allowed = True  # the rate lives on the breakdown; checked there
        if not allowed:
            shown = f"{code} {rate} %" if rate is not None else code
            yield _finding(
                "JP-JURYO-03",
                Severity.WARNING,
                f"Tax category {shown} does not exist in Japan: use S 10 %, AA 8 %, "
                "E (exempt), G (export) or O (out of scope).",
                f"税区分 {shown} は日本の消費税にありません。S（10%）、AA（軽減8%）、"
                "E（非課税）、G（輸出免税）、O（不課税）のいずれかを使用してください。",
                category,
                "BT-118",
            )


def _whole_yen(paths: _Paths, root: etree._Element) -> Iterable[Finding]:
    for amount in _elements(paths.amounts(root)):
        value = decimal(amount)
        if value is not None and value != value.to_integral_value():
            name = etree.QName(amount).localname
            yield _finding(
                "JP-JURYO-04",
                Severity.WARNING,
                f"JPY amount {name} = {text(amount)} has a fractional part; yen amounts are "
                "whole numbers.",
                f"円建ての金額 {name} = {text(amount)} に小数があります。円の金額は整数です。",
                amount,
                None,
            )


def validate_japan(root: etree._Element, syntax: Syntax, profile: Profile) -> list[Finding]:
    """The JP-JURYO checks, when :func:`applies`."""
    if not applies(root, syntax, profile):
        return []
    paths = _UBL if syntax is Syntax.UBL else _CII
    findings = [*_check_digits(paths, root), *_categories(paths, root)]
    if _currency(root, syntax) == "JPY":
        if profile is not Profile.JP_PINT_NON_TAX_REGISTERED:  # states no consumption tax
            findings += _rounding(paths, root)
        findings += _whole_yen(paths, root)
    return findings
