# ruff: noqa: RUF001, RUF002, E501  (rule tables: Japanese full-width punctuation, one row per rule)
"""Layer 3b: JP PINT 1.1.3, the whole official rule set, natively.

Three official patterns per variant (billing ``pint-jp``, self-billing ``pint-jp-sb``,
non-tax-registered ``pint-jp-ntr``; the CustomizationID selects the variant):

- ``UBL-model``: PINT's shared ``ibr-*``/``ibr-sr-*`` rules and the ``ibr-co-*`` calculations
  (:mod:`~parsers.validation.pint_jp_shared`, :mod:`~parsers.validation.pint_jp_calculation`);
- ``Codesmodel``: the ``ibr-cl-*`` code lists (:mod:`~parsers.validation.pint_jp_codelists`);
- ``UBL-modelaligned``: the JP-aligned rules, restated here.

JP PINT is judged by PINT's rules, not EN 16931's: its consumption tax is rounded to whole yen
per rate (``aligned-ibrp-051-jp`` allows floor..ceiling), where BR-CO-17 wants cents.

The JP-aligned rules keep Schematron's first-matching-rule semantics where it matters (tax
subtotals in the document currency are checked by 045/051-jp, the others by 046-048). Two
published asserts never fire in the official artefact and are left out: ``aligned-ibrp-050-jp``
(its context ``/ubl:InvoiceLine`` matches nothing) and ``aligned-ibrp-019`` (shadowed by the
higher-priority ``cac:PaymentMeans`` rule). Messages are juryo's own, in Japanese and English.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_FLOOR, Decimal

from lxml import etree

from parsers.findings import Finding
from parsers.profiles import Profile
from parsers.validation._rules import FATAL, NS, Rule, RuleSet, decimal, first, text
from parsers.validation.pint_jp_codelists import CODE_LIST_RULES, document_type_rule
from parsers.validation.pint_jp_pattern import Pattern, PatternSet
from parsers.validation.pint_jp_shared import SHARED_GUARDS, SHARED_RULES

__all__ = [
    "JP_ALIGNED_BILLING",
    "JP_ALIGNED_COMMON",
    "JP_ALIGNED_NON_TAX_REGISTERED",
    "JP_ALIGNED_REGISTERED",
    "JP_ALIGNED_SELF_BILLING",
    "JP_ALIGNED_TAXED",
    "RULE_SETS",
    "validate_pint_jp",
]

_VAT = "[cac:TaxScheme[translate(normalize-space(cbc:ID), 'vat', 'VAT') = 'VAT']]"
_ALLOWANCE = (
    "normalize-space(cbc:ChargeIndicator) = 'false' or normalize-space(cbc:ChargeIndicator) = '0'"
)
_CHARGE = (
    "normalize-space(cbc:ChargeIndicator) = 'true' or normalize-space(cbc:ChargeIndicator) = '1'"
)
_LINE_CATEGORY = (
    "/*/cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory{p}"
    " | /*/cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory{p}"
)
_DOC_SUBTOTAL = "/inv:Invoice/cac:TaxTotal/cac:TaxSubtotal[cbc:TaxAmount/@currencyID = /*/cbc:DocumentCurrencyCode]"
_OTHER_SUBTOTAL = (
    "//cac:TaxSubtotal[not(cbc:TaxAmount/@currencyID = /inv:Invoice/cbc:DocumentCurrencyCode)]"
)


_AC_TAX_CATEGORY = f"not(cac:TaxCategory{_VAT}/cbc:Percent) or (cac:TaxCategory{_VAT}/cbc:ID and cac:TaxCategory{_VAT}/cbc:Percent)"
"""aligned-ibrp-032/037-jp as the official artefact evaluates them: its first branch,
``exists(... = 'O')``, is always true (a comparison is one boolean), so an allowance or charge
passes when it states no rate, and otherwise needs a category code too."""


def _category_breakdown(code: str) -> str:
    """aligned-ibrp-{e,g,o}-01: a category used anywhere has exactly one breakdown.

    The official test counts category codes, not categories: a breakdown whose category
    repeats its code counts twice."""
    has_code = f"cbc:ID[normalize-space(.) = '{code}']"
    used = f"//cac:TaxCategory{_VAT}/{has_code} | //cac:ClassifiedTaxCategory{_VAT}/{has_code}"
    return (
        f"not({used}) or count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory{_VAT}/{has_code}) = 1"
    )


def _with_category(base: str, code: str) -> str:
    pred = f"[normalize-space(cbc:ID) = '{code}']{_VAT}"
    return " | ".join(f"{part}{pred}" for part in base.split(" | "))


def _doc_ac_category(indicator: str) -> str:
    return f"//cac:AllowanceCharge[{indicator}]/cac:TaxCategory"


def _xpath_round(value: Decimal) -> Decimal:
    """XPath ``round``: halves go towards positive infinity (``round(0.5)`` is 1, not 0)."""
    return (value + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)


def _tax_amount_in_range(subtotal: etree._Element) -> bool:
    """aligned-ibrp-051-jp: tax = taxable × rate, any whole-yen rounding (floor..ceiling)."""
    category = text(first(subtotal, "cac:TaxCategory/cbc:ID")).upper()
    tax = decimal(first(subtotal, "cbc:TaxAmount"))
    percent_el = first(subtotal, "cac:TaxCategory/cbc:Percent")
    if category == "O":
        return percent_el is None and tax == 0
    percent = decimal(percent_el)
    taxable = decimal(first(subtotal, "cbc:TaxableAmount"))
    if tax is None or percent is None:
        return False
    if _xpath_round(percent) == 0:
        return tax == 0
    if taxable is None:
        return False
    exact = taxable * (percent / Decimal(100))
    return Decimal(math.floor(exact)) <= tax <= Decimal(math.ceil(exact))


_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _is_zero_as_saxon_reads_it(node: etree._Element) -> bool:
    """aligned-ibr-jp-07-ntr (``. = 0``) as the official pipeline evaluates it.

    Saxon compares an untyped ``-0.0`` (any negative zero not written as an integer) with
    ``0`` as unequal, so the official artefact rejects it; juryo gives the same verdict.
    """
    raw = text(node)
    if not _NUMBER.fullmatch(raw) or float(raw) != 0:
        return False
    return not raw.startswith("-") or re.fullmatch(r"-[0-9]+", raw) is not None


_PERIOD_DATES = etree.XPath("//cbc:StartDate | //cbc:EndDate", namespaces=NS)


def _registration_number_after_2023_10(party_tax_scheme: etree._Element) -> bool:
    """aligned-ibr-jp-01: from 2023-10-01 (qualified invoice system) a T + 13 digits number."""
    dates = _PERIOD_DATES(party_tax_scheme)
    after = isinstance(dates, list) and any(
        isinstance(d, etree._Element) and text(d) >= "2023-10-01" for d in dates
    )
    if not after:
        return True
    company_id = text(first(party_tax_scheme, "cbc:CompanyID"))
    return len(company_id) == 14 and company_id[0] == "T" and company_id[1:].isdigit()


JP_ALIGNED_COMMON: tuple[Rule, ...] = (
    Rule("aligned-ibrp-032-jp", FATAL, f"/*/cac:AllowanceCharge[{_ALLOWANCE}]",
         _AC_TAX_CATEGORY,
         "A document level allowance (ibg-20) that states a tax rate (ibt-096) must also state its tax category (ibt-095).",
         "文書レベルの値引き（ibg-20）には、課税対象外の場合を除き、税区分コード（ibt-095）と税率（ibt-096）が必要です。"),
    Rule("aligned-ibrp-037-jp", FATAL, f"/*/cac:AllowanceCharge[{_CHARGE}]",
         _AC_TAX_CATEGORY,
         "A document level charge (ibg-21) that states a tax rate (ibt-103) must also state its tax category (ibt-102).",
         "文書レベルの追加料金（ibg-21）には、課税対象外の場合を除き、税区分コード（ibt-102）と税率（ibt-103）が必要です。"),
    Rule("aligned-ibrp-009", FATAL, "/*",
         "count(cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID) <= 1",
         "The seller tax identifier (ibt-031) may appear only once.",
         "売手の税識別子（ibt-031）は1つまでです。", "ibt-031"),
    Rule("aligned-ibrp-014", FATAL, "/*",
         "count(//cbc:PaymentID[not(preceding::cbc:PaymentID = .)]) <= 1",
         "Only one distinct remittance information (ibt-083) may be given.",
         "送金情報（ibt-083）は1種類までです。", "ibt-083"),
    Rule("aligned-ibrp-052", FATAL, "/*", "//cac:InvoicePeriod",
         "The invoice must give an invoicing period (ibg-14) or a period on its lines (ibg-26).",
         "請求書には請求期間（ibg-14）または明細期間（ibg-26）が必要です。", "ibg-14"),
    Rule("aligned-ibrp-e-01", FATAL, "/*", _category_breakdown("E"),
         'When a line, allowance or charge is tax exempt (category E), the tax breakdown (ibg-23) must have exactly one E entry (ibt-118).',
         "非課税（E）の明細・値引き・追加料金がある場合、税区分 E の税内訳（ibg-23）がちょうど1つ必要です。"),
    Rule("aligned-ibrp-g-01", FATAL, "/*", _category_breakdown("G"),
         'When a line, allowance or charge is an export (category G), the tax breakdown (ibg-23) must have exactly one G entry (ibt-118).',
         "輸出免税（G）の明細・値引き・追加料金がある場合、税区分 G の税内訳（ibg-23）がちょうど1つ必要です。"),
    Rule("aligned-ibrp-o-01", FATAL, "/*", _category_breakdown("O"),
         'When a line, allowance or charge is outside the scope of tax (category O), the tax breakdown (ibg-23) must have exactly one O entry (ibt-118).',
         "不課税（O）の明細・値引き・追加料金がある場合、税区分 O の税内訳（ibg-23）がちょうど1つ必要です。"),
    Rule("aligned-ibrp-sr-12", FATAL, "/*",
         "count(cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID) <= 1",
         "The seller's consumption tax registration (ibt-031) may appear only once.",
         "売手の登録番号（ibt-031）は1つまでです。", "ibt-031"),
    Rule("aligned-ibrp-sr-13", FATAL, "/*",
         "count(cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[not(cac:TaxScheme/cbc:ID = 'VAT')]/cbc:CompanyID) <= 1",
         "The seller's other tax registration (ibt-032) may appear only once.",
         "売手の税登録識別子（ibt-032）は1つまでです。", "ibt-032"),
    Rule("aligned-ibr-jp-05", FATAL, "/*",
         "not(cbc:TaxCurrencyCode) or cbc:TaxCurrencyCode = 'JPY'",
         "A tax accounting currency (ibt-006), when given, must be JPY.",
         "税会計通貨（ibt-006）を指定する場合は JPY でなければなりません。", "ibt-006"),
    Rule("aligned-ibrp-053-jp", FATAL, "/*",
         "count(cac:TaxTotal/cbc:TaxAmount[@currencyID = /*/cbc:DocumentCurrencyCode]) <= 1",
         "The total tax in the invoice currency (ibt-110) may be given only once.",
         "請求書通貨での税額合計（ibt-110）は1つまでです。", "ibt-110"),
    Rule("aligned-ibrp-045", FATAL, _DOC_SUBTOTAL, "cbc:TaxableAmount",
         "Every tax breakdown (ibg-23) must give its taxable amount (ibt-116).",
         "税内訳（ibg-23）には課税対象額（ibt-116）が必要です。", "ibt-116"),
    Rule("aligned-ibrp-046", FATAL, _OTHER_SUBTOTAL, "cbc:TaxAmount",
         "Every tax breakdown (ibg-23) must give its tax amount (ibt-117).",
         "税内訳（ibg-23）には税額（ibt-117）が必要です。", "ibt-117"),
    Rule("aligned-ibrp-047", FATAL, _OTHER_SUBTOTAL, f"cac:TaxCategory{_VAT}/cbc:ID",
         "Every tax breakdown (ibg-23) must name its tax category (ibt-118).",
         "税内訳（ibg-23）には税区分コード（ibt-118）が必要です。", "ibt-118"),
    Rule("aligned-ibrp-048", FATAL, _OTHER_SUBTOTAL,
         f"cac:TaxCategory{_VAT}/cbc:Percent or normalize-space(cac:TaxCategory{_VAT}/cbc:ID) = 'O'",
         "Every tax breakdown (ibg-23) must give its rate (ibt-119), unless it is outside the scope of tax (O).",
         "税内訳（ibg-23）には、不課税の場合を除き税率（ibt-119）が必要です。", "ibt-119"),
    Rule("aligned-ibr-jp-06", FATAL, _OTHER_SUBTOTAL,
         "not(contains(cbc:TaxAmount[@currencyID = 'JPY'], '.'))",
         "Tax amounts per category in yen (ibt-117, ibt-190) must be whole yen.",
         "JPY の税区分ごとの税額（ibt-117、ibt-190）に小数を含めてはなりません。", "ibt-117"),
    Rule("aligned-ibrp-010", FATAL, "//cac:TaxRepresentativeParty",
         "count(cac:PartyTaxScheme/cbc:CompanyID) <= 1",
         "The tax representative's tax identifier (ibt-063) may appear only once.",
         "税務代理人の税識別子（ibt-063）は1つまでです。", "ibt-063"),
    Rule("aligned-ibrp-016", FATAL,
         "//cac:PaymentMeans[cbc:PaymentMeansCode = '30' or cbc:PaymentMeansCode = '58']/cac:PayeeFinancialAccount",
         "string(cbc:ID) != ''",
         "A credit transfer (ibg-17) must give the account to pay into (ibt-084).",
         "振込情報（ibg-17）を記載する場合は口座識別子（ibt-084）が必要です。", "ibt-084"),
    Rule("aligned-ibrp-017", FATAL, "//cac:PaymentMeans/cac:CardAccount",
         "string-length(cbc:PrimaryAccountNumberID) >= 4 and string-length(cbc:PrimaryAccountNumberID) <= 6",
         "Payment card information (ibg-18) must give the last 4 to 6 digits of the card number (ibt-087).",
         "カード情報（ibg-18）を記載する場合はカード番号の末尾4〜6桁（ibt-087）が必要です。", "ibt-087"),
    Rule("aligned-ibrp-049", FATAL, "//cac:PaymentMeans", "cbc:PaymentMeansCode",
         "A payment instruction (ibg-16) must give its payment means code (ibt-081).",
         "支払指示（ibg-16）には支払手段コード（ibt-081）が必要です。", "ibt-081"),
    *(
        Rule(rule_id, FATAL, context, test, en, ja)
        for code, label_en, label_ja in (
            ("E", "exempt (E)", "非課税"),
            ("G", "export (G)", "輸出免税"),
        )
        for rule_id, context, test, en, ja in (
            (f"aligned-ibrp-{code.lower()}-05", _LINE_CATEGORY.format(p=f"[normalize-space(cbc:ID) = '{code}']{_VAT}"),
             "number(cbc:Percent) = 0",
             f'A line (ibg-25) in category {label_en} must have a tax rate (ibt-152) of 0.',
             f"税区分が{label_ja}の明細（ibg-25）の税率（ibt-152）は 0 でなければなりません。"),
            (f"aligned-ibrp-{code.lower()}-06", _with_category(_doc_ac_category(_ALLOWANCE), code),
             "number(cbc:Percent) = 0",
             f'A document level allowance (ibg-20) in category {label_en} must have a tax rate (ibt-096) of 0.',
             f"税区分が{label_ja}の文書レベル値引き（ibg-20）の税率（ibt-096）は 0 でなければなりません。"),
            (f"aligned-ibrp-{code.lower()}-07", _with_category(_doc_ac_category(_CHARGE), code),
             "number(cbc:Percent) = 0",
             f'A document level charge (ibg-21) in category {label_en} must have a tax rate (ibt-103) of 0.',
             f"税区分が{label_ja}の文書レベル追加料金（ibg-21）の税率（ibt-103）は 0 でなければなりません。"),
            (f"aligned-ibrp-{code.lower()}-09", _with_category("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", code),
             "number(../cbc:TaxAmount) = 0",
             f'The tax amount (ibt-117) of a {label_en} tax breakdown (ibg-23) must be 0.',
             f"税区分が{label_ja}の税内訳（ibg-23）の税額（ibt-117）は 0 でなければなりません。"),
        )
    ),
    Rule("aligned-ibrp-o-05", FATAL, _LINE_CATEGORY.format(p=f"[normalize-space(cbc:ID) = 'O']{_VAT}"),
         "not(cbc:Percent)",
         'A line (ibg-25) outside the scope of tax (O) must not state a tax rate (ibt-152).',
         "不課税の明細（ibg-25）に税率（ibt-152）を記載してはなりません。", "ibt-152"),
    Rule("aligned-ibrp-o-06", FATAL, _with_category(_doc_ac_category(_ALLOWANCE), "O"),
         "not(cbc:Percent)",
         'A document level allowance (ibg-20) outside the scope of tax (O) must not state a tax rate (ibt-096).',
         "不課税の文書レベル値引き（ibg-20）に税率（ibt-096）を記載してはなりません。", "ibt-096"),
    Rule("aligned-ibrp-o-07", FATAL, _with_category(_doc_ac_category(_CHARGE), "O"),
         "not(cbc:Percent)",
         'A document level charge (ibg-21) outside the scope of tax (O) must not state a tax rate (ibt-103).',
         "不課税の文書レベル追加料金（ibg-21）に税率（ibt-103）を記載してはなりません。", "ibt-103"),
    Rule("aligned-ibrp-o-09", FATAL, _with_category("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "O"),
         "number(../cbc:TaxAmount) = 0",
         'The tax amount (ibt-117) of an out-of-scope (O) tax breakdown (ibg-23) must be 0.',
         "不課税の税内訳（ibg-23）の税額（ibt-117）は 0 でなければなりません。", "ibt-117"),
    Rule("aligned-ibr-jp-03", FATAL,
         "//cac:TaxCategory/cac:TaxScheme/cbc:ID | //cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID",
         "contains(normalize-space(.), 'VAT')",
         "The tax scheme must be VAT (UNECE 5153), which stands for Japan's consumption tax.",
         "税スキームは UNECE 5153 の VAT（日本では消費税）でなければなりません。"),
    Rule("aligned-ibrp-cl-01-jp", FATAL,
         "//cac:TaxCategory/cbc:ID | //cac:ClassifiedTaxCategory/cbc:ID",
         "not(contains(normalize-space(.), ' ')) and contains(' AA E S G O ', concat(' ', normalize-space(.), ' '))",
         "A tax category must be one of S, AA, E, G or O (UNCL 5305).",
         "税区分は UNCL5305 の S、AA、E、G、O のいずれかでなければなりません。", "ibt-118"),
)  # fmt: skip

JP_ALIGNED_TAXED: tuple[Rule, ...] = (
    Rule("aligned-ibrp-051-jp", FATAL, _DOC_SUBTOTAL, _tax_amount_in_range,
         "The tax per category (ibt-117) must be its taxable amount (ibt-116) times its rate (ibt-119) / 100, rounded to whole yen either way.",
         "税区分ごとの消費税額（ibt-117）は 課税対象額（ibt-116）×税率（ibt-119）/100 を整数に端数処理した額（切り捨て〜切り上げの範囲）でなければなりません。", "ibt-117"),
)  # fmt: skip
"""Rules for documents from tax-registered sellers; a non-registered seller states no tax."""

_BILLING_PROFILE = (
    "/*/cbc:ProfileID and (contains(normalize-space(/*/cbc:ProfileID), 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0')"
    " or contains(normalize-space(/*/cbc:ProfileID), 'urn:peppol:bis:billing'))"
)

JP_ALIGNED_REGISTERED: tuple[Rule, ...] = (
    Rule("aligned-ibr-jp-04", FATAL, "/*",
         "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID",
         "The invoice must give the seller's registration number (ibt-031).",
         "請求書には売手の登録番号（ibt-031）が必要です。", "ibt-031"),
    Rule("aligned-ibr-jp-01", FATAL,
         "/inv:Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']",
         _registration_number_after_2023_10,
         "For supplies from 1 October 2023 (by invoice or line period), the seller tax identifier must be a qualified invoice registration number: T and 13 digits.",
         "2023年10月1日以降の取引では、売手の税識別子は適格請求書発行事業者登録番号（T＋13桁）でなければなりません。", "ibt-031"),
)  # fmt: skip
"""Rules for sellers registered for the qualified invoice system (billing and self-billing)."""

JP_ALIGNED_BILLING: tuple[Rule, ...] = (
    Rule("aligned-ibrp-001-jp", FATAL, "/*",
         "starts-with(normalize-space(cbc:CustomizationID/text()), 'urn:fdc:peppol:jp:billing:3.0')"
         " or starts-with(normalize-space(cbc:CustomizationID/text()), 'urn:peppol:pint:billing-1@jp-1')",
         "The specification identifier (ibt-024) must start with 'urn:peppol:pint:billing-1@jp-1' (or the older 'urn:fdc:peppol:jp:billing:3.0').",
         "仕様識別子は 'urn:peppol:pint:billing-1@jp-1' などで始まらなければなりません。", "ibt-024"),
    Rule("aligned-ibrp-002-jp", FATAL, "/*", _BILLING_PROFILE,
         "The business process (ibt-023) must be 'urn:peppol:bis:billing' (or the older 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0').",
         "ビジネスプロセスは 'urn:peppol:bis:billing' などの形式でなければなりません。", "ibt-023"),
    Rule("aligned-ibrp-cl-02-jp", FATAL, "//cbc:InvoiceTypeCode",
         "normalize-space(.) = '380'",
         "The document type code (ibt-003) must be 380 (commercial invoice).",
         "文書タイプコード（ibt-003）は 380 でなければなりません。", "ibt-003"),
)  # fmt: skip

JP_ALIGNED_SELF_BILLING: tuple[Rule, ...] = (
    Rule("aligned-ibrp-001-jp-sb", FATAL, "/*",
         "starts-with(normalize-space(cbc:CustomizationID/text()), 'urn:peppol:pint:selfbilling-1@jp-1')",
         "The specification identifier (ibt-024) must start with 'urn:peppol:pint:selfbilling-1@jp-1'.",
         "仕様識別子（ibt-024）は 'urn:peppol:pint:selfbilling-1@jp-1' で始まらなければなりません。", "ibt-024"),
    Rule("aligned-ibrp-002-jp-sb", FATAL, "/*",
         "/*/cbc:ProfileID and contains(normalize-space(/*/cbc:ProfileID), 'urn:peppol:bis:selfbilling')",
         "The business process (ibt-023) must be 'urn:peppol:bis:selfbilling'.",
         "ビジネスプロセス（ibt-023）は 'urn:peppol:bis:selfbilling' でなければなりません。", "ibt-023"),
)  # fmt: skip

JP_ALIGNED_NON_TAX_REGISTERED: tuple[Rule, ...] = (
    Rule("aligned-ibrp-001-jp-ntr", FATAL, "/*",
         "starts-with(normalize-space(cbc:CustomizationID/text()), 'urn:peppol:pint:nontaxinvoice-1@jp-1')",
         "The specification identifier (ibt-024) must start with 'urn:peppol:pint:nontaxinvoice-1@jp-1'.",
         "仕様識別子（ibt-024）は 'urn:peppol:pint:nontaxinvoice-1@jp-1' で始まらなければなりません。", "ibt-024"),
    Rule("aligned-ibrp-002-jp", FATAL, "/*",
         "/*/cbc:ProfileID and contains(normalize-space(/*/cbc:ProfileID), 'urn:peppol:bis:billing')",
         "The business process (ibt-023) must be 'urn:peppol:bis:billing'.",
         "ビジネスプロセス（ibt-023）は 'urn:peppol:bis:billing' でなければなりません。", "ibt-023"),
    Rule("aligned-ibr-jp-04-ntr", FATAL, "/*",
         "not(cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID)",
         "An invoice from a seller that is not tax-registered must not carry a seller tax identifier (ibt-031).",
         "適格請求書発行事業者でない売手の請求書に、売手の税識別子（ibt-031）を記載してはなりません。", "ibt-031"),
    Rule("aligned-ibr-jp-07-ntr", FATAL, "//cbc:TaxAmount", _is_zero_as_saxon_reads_it,
         "A seller that is not tax-registered states no consumption tax: every tax amount (ibt-110, ibt-111, ibt-117, ibt-190) must be 0.",
         "適格請求書発行事業者でない売手は消費税額を記載できません。税額（ibt-110、ibt-111、ibt-117、ibt-190）はすべて 0 でなければなりません。", "ibt-117"),
)  # fmt: skip


def _rule_set(name: str, document_type: str, aligned: tuple[Rule, ...]) -> PatternSet:
    """The two official patterns (shared PINT + code lists) and the JP-aligned rules."""
    return PatternSet(
        name,
        (
            Pattern("UBL-model", SHARED_RULES, SHARED_GUARDS),
            Pattern("Codesmodel", (document_type_rule(document_type), *CODE_LIST_RULES)),
            RuleSet("UBL-modelaligned", JP_ALIGNED_COMMON + aligned),
        ),
    )


RULE_SETS: dict[Profile, PatternSet] = {
    Profile.JP_PINT: _rule_set(
        "pint-jp", "billing", JP_ALIGNED_TAXED + JP_ALIGNED_REGISTERED + JP_ALIGNED_BILLING
    ),
    Profile.JP_PINT_SELF_BILLING: _rule_set(
        "pint-jp-sb", "sb", JP_ALIGNED_TAXED + JP_ALIGNED_REGISTERED + JP_ALIGNED_SELF_BILLING
    ),
    Profile.JP_PINT_NON_TAX_REGISTERED: _rule_set(
        "pint-jp-ntr", "ntr", JP_ALIGNED_NON_TAX_REGISTERED
    ),
}
"""Billing gets every JP-aligned rule. Self-billing has its own specification id, business
process and type code (389); a non-tax-registered seller (NTR) has no registration number,
states no consumption tax and uses type code 480."""


def validate_pint_jp(root: etree._Element, profile: Profile) -> list[Finding]:
    """JP PINT rules for a UBL document of a JP PINT profile."""
    rule_set = RULE_SETS.get(profile)
    return rule_set.run(root) if rule_set is not None else []
