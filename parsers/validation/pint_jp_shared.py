# ruff: noqa: E501  (rule tables: Japanese full-width punctuation, one row per rule)
"""JP PINT shared rules (``ibr-*``, ``ibr-sr-*``, ``ibr-co-*``): PINT's own business rules.

One Schematron pattern in the official artefact, restated here group by group in its order,
because a node is judged only by the first group whose context selects it (see
:mod:`parsers.validation.pint_jp_pattern`). XPath 2.0 tests become XPath 1.0 where the meaning is
the same, Python where it needs decimals, dates or check digits. Two deliberate quirks of the
official artefact are kept: ``ibr-co-14`` is asserted on invoices only (its credit-note context
is misspelt upstream), and ``ibr-044`` asks a reason of document-level charges too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from lxml import etree

from parsers.validation import pint_jp_calculation as calc
from parsers.validation import pint_jp_identifiers as ids
from parsers.validation._rules import FATAL, NS, Rule, text
from parsers.validation._xpath2 import date_days
from parsers.validation.pint_jp_pattern import Guard

__all__ = ["SHARED_GUARDS", "SHARED_RULES"]

_IS_FALSE = (
    "[normalize-space(cbc:ChargeIndicator) = 'false' or normalize-space(cbc:ChargeIndicator) = '0']"
)
_IS_TRUE = (
    "[normalize-space(cbc:ChargeIndicator) = 'true' or normalize-space(cbc:ChargeIndicator) = '1']"
)
_IN_LINE = "ancestor::cac:InvoiceLine or ancestor::cac:CreditNoteLine"
_UPPER = "'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"


def _r(
    rule_id: str,
    test: str | Callable[[etree._Element], bool],
    en: str,
    ja: str,
    term: str | None = None,
) -> Rule:
    return Rule(rule_id, FATAL, "", test, en, ja, term)


def _at(context: str, *rules: Rule) -> tuple[Rule, ...]:
    """The rules of one Schematron ``<rule>``, all asserted on ``context``."""
    return tuple(replace(rule, context=context) for rule in rules)


def _scheme_context(*schemes: str) -> str:
    return " | ".join(
        f"//cbc:EndpointID[@schemeID = '{s}'] | //cac:PartyIdentification/cbc:ID[@schemeID = '{s}'] | //cbc:CompanyID[@schemeID = '{s}']"
        for s in schemes
    )


def _identifier(check: Callable[[str], bool]) -> Callable[[etree._Element], bool]:
    def run(node: etree._Element) -> bool:
        return check(text(node))

    return run


def _dk(node: etree._Element) -> bool:
    """ibr-070 reads the first text node as written, not normalised."""
    return ids.dk_cvr(node.text or "")


def _date(node: etree._Element | None) -> int | None:
    """A YYYY-MM-DD date as days on one timeline (year 0000 included, as SaxonC reads it)."""
    raw = text(node)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        return None
    year, month, day = raw.split("-")
    return date_days(int(year), int(month), int(day))


def _is_date(node: etree._Element) -> bool:
    """ibr-073: ten characters that are a calendar date (YYYY-MM-DD)."""
    return (
        len(node.text or "") == 10 and _date(node) is not None and (node.text or "") == text(node)
    )


_TIME = re.compile(
    r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
)


def _is_time(node: etree._Element) -> bool:
    """ibr-119: castable as xs:time."""
    return _TIME.fullmatch("".join(node.itertext()).strip()) is not None


def _end_not_before_start(period: etree._Element) -> bool:
    """ibr-029/030: when both dates are given, the end is not before the start."""
    start_el, end_el = period.find("cbc:StartDate", NS), period.find("cbc:EndDate", NS)
    if start_el is None or end_el is None:
        return True
    start, end = _date(start_el), _date(end_el)
    return start is not None and end is not None and end >= start


def _line_within(field: str, later: bool) -> Callable[[etree._Element], bool]:
    """ibr-085/086: a line period's start (end) is not before (after) the invoice period's."""
    document_date = etree.XPath(f"../../cac:InvoicePeriod/cbc:{field}", namespaces=NS)

    def check(period: etree._Element) -> bool:
        own_el = period.find(f"cbc:{field}", NS)
        found = document_date(period)
        doc_el = found[0] if isinstance(found, list) and found else None
        if own_el is None or not isinstance(doc_el, etree._Element):
            return True
        own, doc = _date(own_el), _date(doc_el)
        if own is None or doc is None:
            return False
        return own >= doc if later else own <= doc

    return check


_TAX_AMOUNT_CURRENCIES = etree.XPath("//cac:TaxTotal/cbc:TaxAmount/@currencyID", namespaces=NS)


def _tax_in_accounting_currency(root: etree._Element) -> bool:
    """ibr-053: each tax accounting currency (ibt-006) has a total tax amount in it (ibt-111)."""
    found = _TAX_AMOUNT_CURRENCIES(root)
    currencies = {str(c) for c in found} if isinstance(found, list) else set()
    return all((code.text or "") in currencies for code in root.findall("cbc:TaxCurrencyCode", NS))


def _at_most_once(path: str) -> str:
    return f"count({path}) <= 1"


def _decimals(field: str) -> str:
    return f"string-length(substring-after({field}, '.')) <= 2"


def _any_of(names: list[str]) -> str:
    """``//cbc:A | //cbc:B | ...`` as one pass over the document (the same nodes)."""
    return "//cbc:*[" + " or ".join(f"self::cbc:{name}" for name in names) + "]"


_SELLER = "cac:AccountingSupplierParty/cac:Party"
_BUYER = "cac:AccountingCustomerParty/cac:Party"
_LINES = "//cac:InvoiceLine | //cac:CreditNoteLine"
_AMOUNT_NAMES = (
    "Amount BaseAmount PriceAmount LineExtensionAmount TaxExclusiveAmount TaxInclusiveAmount"
    " AllowanceTotalAmount ChargeTotalAmount PrepaidAmount PayableRoundingAmount PayableAmount"
).split()
_DOC_TAX_TOTAL = "//cac:TaxTotal[cbc:TaxAmount/@currencyID = /*/cbc:DocumentCurrencyCode]"
# ibr-126 compares with the root's DocumentCurrencyCode (the official test searches the whole
# document, but UBL 2.1 allows the element only there, and the XSD layer runs first).
_AMOUNTS = " | ".join(
    [
        _any_of(_AMOUNT_NAMES),
        f"{_DOC_TAX_TOTAL}/cbc:TaxAmount",
        f"{_DOC_TAX_TOTAL}/cac:TaxSubtotal/cbc:TaxableAmount",
        f"{_DOC_TAX_TOTAL}/cac:TaxSubtotal/cbc:TaxAmount",
    ]
)
_DATES = _any_of("IssueDate DueDate TaxPointDate StartDate EndDate ActualDeliveryDate".split())
_TIMES = "//cbc:*[substring(local-name(), string-length(local-name()) - 3) = 'Time']"
_BINARY = "//*[substring(name(), string-length(name()) - 11) = 'BinaryObject']"
_WHERE = "for endpoints (ibt-034, ibt-049), party identifiers (ibt-029, ibt-046, ibt-060) and legal registrations (ibt-030, ibt-047, ibt-061)"
_WHERE_JA = "（電子アドレス、当事者識別子、法人登録識別子）"

_IDENTIFIER_RULES = (
    *_at(_scheme_context("0088"), _r("ibr-068", _identifier(ids.gln), f"A GLN (0088) must be digits with a valid GS1 check digit {_WHERE}.", f"GLN（0088）は GS1 のチェックディジットが正しい数字でなければなりません{_WHERE_JA}。")),
    *_at(_scheme_context("0007"), _r("ibr-127", _identifier(ids.se_orgnr), f"A Swedish organisation number (0007) must be ten digits {_WHERE}.", f"スウェーデンの組織番号（0007）は10桁の数字でなければなりません{_WHERE_JA}。")),
    *_at(_scheme_context("0192"), _r("ibr-069", _identifier(ids.no_orgnr), f"A Norwegian organisation number (0192) must be nine digits with a valid mod-11 check digit {_WHERE}.", f"ノルウェーの組織番号（0192）は mod-11 チェックディジットが正しい9桁の数字でなければなりません{_WHERE_JA}。")),
    *_at(_scheme_context("0184"), _r("ibr-070", _dk, f"A Danish CVR number (0184) must be 'DK' followed by eight digits {_WHERE}.", f"デンマークの CVR 番号（0184）は 'DK' と8桁の数字でなければなりません{_WHERE_JA}。")),
    *_at(_scheme_context("0208"), _r("ibr-113", _identifier(ids.be_enterprise), f"A Belgian enterprise number (0208) must be ten digits with valid mod-97 check digits {_WHERE}.", f"ベルギーの企業番号（0208）は mod-97 チェックディジットが正しい10桁の数字でなければなりません{_WHERE_JA}。")),
    *_at(_scheme_context("0201"), _r("ibr-114", _identifier(ids.codice_ipa), f"An Italian IPA code (0201) must be six letters or digits {_WHERE}.", f"イタリアの IPA コード（0201）は6文字の英数字でなければなりません{_WHERE_JA}。")),
    *_at(_scheme_context("0210", "9907"), _r("ibr-115", _identifier(ids.codice_fiscale), f"An Italian tax code (Codice Fiscale) must have 16 characters in its layout or 11 digits {_WHERE}.", f"イタリアの納税者番号（Codice Fiscale）は所定の形式の16文字か11桁の数字でなければなりません{_WHERE_JA}。")),
    *_at(_scheme_context("0211", "9906"), _r("ibr-116", _identifier(ids.partita_iva), f"An Italian VAT number (Partita IVA) must be 'IT' and eleven digits with a valid check digit {_WHERE}.", f"イタリアの VAT 番号（Partita IVA）は 'IT' とチェックディジットが正しい11桁の数字でなければなりません{_WHERE_JA}。")),
    *_at(_scheme_context("0151"), _r("ibr-120", _identifier(ids.abn), f"An Australian Business Number (0151) must be eleven digits with a valid checksum {_WHERE}.", f"オーストラリアの事業者番号 ABN（0151）はチェックサムが正しい11桁の数字でなければなりません{_WHERE_JA}。")),
)  # fmt: skip

_ALLOWANCE_CHARGE_RULES = (
    *_at("//cac:Price/cac:AllowanceCharge",
         _r("ibr-083", "normalize-space(cbc:ChargeIndicator/text()) = 'false'", "A price may carry a discount only: its charge indicator (ibt-147) must be 'false'.", "単価には値引きのみ記載できます。価格の値引き・追加料金区分は 'false' でなければなりません。", "ibt-147")),
    *_at(f"//cac:AllowanceCharge{_IS_FALSE}",
         _r("ibr-sr-30", _at_most_once("cbc:AllowanceChargeReason"), "An allowance reason (ibt-097) may appear only once.", "値引きの理由（ibt-097）は1つまでです。", "ibt-097"),
         _r("ibr-031", f"(cbc:Amount and not({_IN_LINE})) or {_IN_LINE}", "A document level allowance (ibg-20) must have an amount (ibt-092).", "文書レベルの値引き（ibg-20）には金額（ibt-092）が必要です。", "ibt-092"),
         _r("ibr-033", f"((cbc:AllowanceChargeReason or cbc:AllowanceChargeReasonCode) and not({_IN_LINE})) or {_IN_LINE}", "A document level allowance (ibg-20) must have a reason (ibt-097) or a reason code (ibt-098).", "文書レベルの値引き（ibg-20）には理由（ibt-097）か理由コード（ibt-098）が必要です。", "ibt-097"),
         _r("ibr-041", f"cbc:Amount or not({_IN_LINE})", "An invoice line allowance (ibg-27) must have an amount (ibt-136).", "明細の値引き（ibg-27）には金額（ibt-136）が必要です。", "ibt-136"),
         _r("ibr-042", f"cbc:AllowanceChargeReason or cbc:AllowanceChargeReasonCode or not({_IN_LINE})", "An invoice line allowance (ibg-27) must have a reason (ibt-139) or a reason code (ibt-140).", "明細の値引き（ibg-27）には理由（ibt-139）か理由コード（ibt-140）が必要です。", "ibt-139")),
    *_at(f"//cac:AllowanceCharge{_IS_TRUE}",
         _r("ibr-036", f"(cbc:Amount and not({_IN_LINE})) or {_IN_LINE}", "A document level charge (ibg-21) must have an amount (ibt-099).", "文書レベルの追加料金（ibg-21）には金額（ibt-099）が必要です。", "ibt-099"),
         _r("ibr-sr-31", _at_most_once("cbc:AllowanceChargeReason"), "A charge reason (ibt-104) may appear only once.", "追加料金の理由（ibt-104）は1つまでです。", "ibt-104"),
         _r("ibr-038", f"((cbc:AllowanceChargeReason or cbc:AllowanceChargeReasonCode) and not({_IN_LINE})) or {_IN_LINE}", "A document level charge (ibg-21) must have a reason (ibt-104) or a reason code (ibt-105).", "文書レベルの追加料金（ibg-21）には理由（ibt-104）か理由コード（ibt-105）が必要です。", "ibt-104"),
         _r("ibr-043", f"cbc:Amount or not({_IN_LINE})", "An invoice line charge (ibg-28) must have an amount (ibt-141).", "明細の追加料金（ibg-28）には金額（ibt-141）が必要です。", "ibt-141"),
         _r("ibr-044", "cbc:AllowanceChargeReason or cbc:AllowanceChargeReasonCode", "An invoice line charge (ibg-28) must have a reason (ibt-144) or a reason code (ibt-145).", "明細の追加料金（ibg-28）には理由（ibt-144）か理由コード（ibt-145）が必要です。", "ibt-144")),
    *_at("//cac:AllowanceCharge",
         _r("ibr-082", "normalize-space(cbc:ChargeIndicator/text()) = 'true' or normalize-space(cbc:ChargeIndicator/text()) = 'false'", "The allowance/charge indicator must be 'true' or 'false'.", "値引き・追加料金の区分は 'true' か 'false' でなければなりません。")),
    *_at("//cac:AllowanceCharge/cac:TaxCategory",
         _r("ibr-sr-61", _at_most_once("cbc:TaxExemptionReason"), "An allowance or charge tax exemption reason (ibt-197, ibt-199) may appear only once.", "値引き・追加料金の非課税理由（ibt-197、ibt-199）は1つまでです。")),
)  # fmt: skip

_PARTY_RULES = (
    *_at("//cac:AdditionalDocumentReference",
         _r("ibr-052", "normalize-space(cbc:ID) != ''", "Each additional supporting document (ibg-24) must have a reference (ibt-122).", "添付書類（ibg-24）には参照番号（ibt-122）が必要です。", "ibt-122"),
         _r("ibr-sr-33", _at_most_once("cbc:DocumentDescription"), "A supporting document description (ibt-123) may appear only once.", "添付書類の説明（ibt-123）は1つまでです。", "ibt-123")),
    *_at(f"//{_BUYER}",
         _r("ibr-080", "cbc:EndpointID", "The buyer electronic address (ibt-049) must be given.", "買手の電子アドレス（ibt-049）が必要です。", "ibt-049")),
    *_at(f"//{_BUYER}/cbc:EndpointID",
         _r("ibr-063", "@schemeID", "The buyer electronic address (ibt-049) must state its scheme.", "買手の電子アドレス（ibt-049）にはスキーム識別子が必要です。", "ibt-049")),
    *_at(f"//{_BUYER}/cac:PostalAddress",
         _r("ibr-011", "normalize-space(cac:Country/cbc:IdentificationCode) != ''", "The buyer postal address (ibg-08) must have a country code (ibt-055).", "買手の住所（ibg-08）には国コード（ibt-055）が必要です。", "ibt-055"),
         _r("ibr-sr-54", _at_most_once("cac:AddressLine/cbc:Line"), "The buyer address line (ibt-163) may appear only once.", "買手の住所補足行（ibt-163）は1つまでです。", "ibt-163")),
    *_at("//cac:Delivery/cac:DeliveryLocation/cac:Address",
         _r("ibr-057", "cac:Country/cbc:IdentificationCode", "A deliver-to address (ibg-15) must have a country code (ibt-080).", "納入先住所（ibg-15）には国コード（ibt-080）が必要です。", "ibt-080"),
         _r("ibr-sr-56", _at_most_once("cac:AddressLine/cbc:Line"), "The deliver-to address line (ibt-165) may appear only once.", "納入先の住所補足行（ibt-165）は1つまでです。", "ibt-165")),
)  # fmt: skip

_MONETARY_TOTAL_RULES = _at(
    "//cac:LegalMonetaryTotal",
    _r("ibr-012", "cbc:LineExtensionAmount", "An invoice must have the sum of line net amounts (ibt-106).", "請求書には明細金額の合計（ibt-106）が必要です。", "ibt-106"),
    _r("ibr-013", "cbc:TaxExclusiveAmount", "An invoice must have the total without tax (ibt-109).", "請求書には税抜合計額（ibt-109）が必要です。", "ibt-109"),
    _r("ibr-014", "cbc:TaxInclusiveAmount", "An invoice must have the total with tax (ibt-112).", "請求書には税込合計額（ibt-112）が必要です。", "ibt-112"),
    _r("ibr-015", "cbc:PayableAmount", "An invoice must have the amount due for payment (ibt-115).", "請求書には支払金額（ibt-115）が必要です。", "ibt-115"),
    _r("ibr-091", _decimals("cbc:PayableAmount"), "The amount due for payment (ibt-115) may have at most two decimals.", "支払金額（ibt-115）の小数は2桁までです。", "ibt-115"),
    _r("ibr-121", _decimals("cbc:AllowanceTotalAmount"), "The sum of document level allowances (ibt-107) may have at most two decimals.", "値引き合計（ibt-107）の小数は2桁までです。", "ibt-107"),
    _r("ibr-122", _decimals("cbc:ChargeTotalAmount"), "The sum of document level charges (ibt-108) may have at most two decimals.", "追加料金合計（ibt-108）の小数は2桁までです。", "ibt-108"),
    _r("ibr-123", _decimals("cbc:TaxExclusiveAmount"), "The total without tax (ibt-109) may have at most two decimals.", "税抜合計額（ibt-109）の小数は2桁までです。", "ibt-109"),
    _r("ibr-125", _decimals("cbc:TaxInclusiveAmount"), "The total with tax (ibt-112) may have at most two decimals.", "税込合計額（ibt-112）の小数は2桁までです。", "ibt-112"),
    *calc.MONETARY_TOTAL_RULES,
)  # fmt: skip

_DOCUMENT_RULES = _at(
    "/inv:Invoice | /cn:CreditNote",
    _r("ibr-001", "normalize-space(cbc:CustomizationID) != ''", "An invoice must have a specification identifier (ibt-024).", "請求書には仕様識別子（ibt-024）が必要です。", "ibt-024"),
    _r("ibr-sr-63", "not(contains(normalize-space(cbc:CustomizationID), '*'))", "The specification identifier (ibt-024) must not contain a wildcard '*'.", "仕様識別子（ibt-024）にワイルドカード文字 '*' を含めてはなりません。", "ibt-024"),
    _r("ibr-002", "normalize-space(cbc:ID) != ''", "An invoice must have an invoice number (ibt-001).", "請求書には請求書番号（ibt-001）が必要です。", "ibt-001"),
    _r("ibr-003", "normalize-space(cbc:IssueDate) != ''", "An invoice must have an issue date (ibt-002).", "請求書には発行日（ibt-002）が必要です。", "ibt-002"),
    _r("ibr-004", "normalize-space(cbc:InvoiceTypeCode) != '' or normalize-space(cbc:CreditNoteTypeCode) != ''", "An invoice or credit note must have a type code (ibt-003).", "請求書・クレジットノートにはタイプコード（ibt-003）が必要です。", "ibt-003"),
    _r("ibr-005", "normalize-space(cbc:DocumentCurrencyCode) != ''", "An invoice must have a currency code (ibt-005).", "請求書には通貨コード（ibt-005）が必要です。", "ibt-005"),
    _r("ibr-006", f"normalize-space({_SELLER}/cac:PartyLegalEntity/cbc:RegistrationName) != ''", "An invoice must name the seller (ibt-027).", "請求書には売手の名称（ibt-027）が必要です。", "ibt-027"),
    _r("ibr-007", f"normalize-space({_BUYER}/cac:PartyLegalEntity/cbc:RegistrationName) != ''", "An invoice must name the buyer (ibt-044).", "請求書には買手の名称（ibt-044）が必要です。", "ibt-044"),
    _r("ibr-008", f"{_SELLER}/cac:PostalAddress", "An invoice must have the seller postal address (ibg-05).", "請求書には売手の住所（ibg-05）が必要です。", "ibg-05"),
    _r("ibr-010", f"{_BUYER}/cac:PostalAddress", "An invoice must have the buyer postal address (ibg-08).", "請求書には買手の住所（ibg-08）が必要です。", "ibg-08"),
    _r("ibr-016", "cac:InvoiceLine or cac:CreditNoteLine", "An invoice must have at least one line (ibg-25).", "請求書には少なくとも1つの明細（ibg-25）が必要です。", "ibg-25"),
    _r("ibr-053", _tax_in_accounting_currency, "When a tax accounting currency (ibt-006) is given, the total tax in that currency (ibt-111) must be given.", "税会計通貨（ibt-006）を指定した場合は、その通貨での税額合計（ibt-111）が必要です。", "ibt-111"),
    _r("ibr-066", _at_most_once("cac:PaymentMeans/cac:CardAccount"), "An invoice may have at most one payment card account (ibg-18).", "支払カード情報（ibg-18）は1つまでです。", "ibg-18"),
    _r("ibr-067", _at_most_once("cac:PaymentMeans/cac:PaymentMandate"), "An invoice may have at most one payment mandate (ibg-19).", "口座振替の委任情報（ibg-19）は1つまでです。", "ibg-19"),
    _r("ibr-071", "not(//cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']/cac:Attachment)", "A supporting document that gives the invoiced object identifier (ibt-018) must not also carry an attachment.", "請求対象識別子（ibt-018）を示す添付書類参照に、添付ファイルを同時に含めてはなりません。", "ibt-018"),
    _r("ibr-072", "not(//cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']/cbc:DocumentDescription)", "A supporting document that gives the invoiced object identifier (ibt-018) must not also carry a description.", "請求対象識別子（ibt-018）を示す添付書類参照に、説明を同時に含めてはなりません。", "ibt-018"),
    _r("ibr-076", "cbc:ProfileID", "The business process (ibt-023) must be given.", "ビジネスプロセス（ibt-023）が必要です。", "ibt-023"),
    _r("ibr-078", _at_most_once("cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']"), "Only one invoiced object identifier (ibt-018) is allowed on the document.", "文書レベルの請求対象識別子（ibt-018）は1つまでです。", "ibt-018"),
    _r("ibr-084", "not(cbc:TaxCurrencyCode)"
       " or (cac:TaxTotal/cbc:TaxAmount[@currencyID = normalize-space(../../cbc:TaxCurrencyCode)] <= 0 and cac:TaxTotal/cbc:TaxAmount[@currencyID = normalize-space(../../cbc:DocumentCurrencyCode)] <= 0)"
       " or (cac:TaxTotal/cbc:TaxAmount[@currencyID = normalize-space(../../cbc:TaxCurrencyCode)] >= 0 and cac:TaxTotal/cbc:TaxAmount[@currencyID = normalize-space(../../cbc:DocumentCurrencyCode)] >= 0)",
       "The total tax (ibt-110) and the total tax in accounting currency (ibt-111) must have the same sign.", "税額合計（ibt-110）と税会計通貨での税額合計（ibt-111）の符号は一致しなければなりません。", "ibt-111"),
    _r("ibr-090", "count(cac:ProjectReference) <= 1 and count(cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '50']) <= 1", "Only one project reference (ibt-011) is allowed on the document.", "プロジェクト参照（ibt-011）は1つまでです。", "ibt-011"),
    _r("ibr-094", _at_most_once("cac:ContractDocumentReference/cbc:ID"), "The contract reference (ibt-012) may appear only once.", "契約参照（ibt-012）は1つまでです。", "ibt-012"),
    _r("ibr-095", _at_most_once("cac:ReceiptDocumentReference/cbc:ID"), "The receiving advice reference (ibt-015) may appear only once.", "受領通知参照（ibt-015）は1つまでです。", "ibt-015"),
    _r("ibr-096", _at_most_once("cac:DespatchDocumentReference/cbc:ID"), "The despatch advice reference (ibt-016) may appear only once.", "出荷通知参照（ibt-016）は1つまでです。", "ibt-016"),
    _r("ibr-097", _at_most_once("cac:InvoicePeriod"), "The invoicing period (ibg-14) may appear only once.", "請求期間（ibg-14）は1つまでです。", "ibg-14"),
    _r("ibr-098", _at_most_once(f"{_SELLER}/cac:PartyLegalEntity/cbc:RegistrationName"), "The seller name (ibt-027) may appear only once.", "売手の名称（ibt-027）は1つまでです。", "ibt-027"),
    _r("ibr-099", _at_most_once(f"{_SELLER}/cac:PartyName/cbc:Name"), "The seller trading name (ibt-028) may appear only once.", "売手の商号（ibt-028）は1つまでです。", "ibt-028"),
    _r("ibr-100", _at_most_once(f"{_SELLER}/cac:PartyLegalEntity/cbc:CompanyID"), "The seller legal registration identifier (ibt-030) may appear only once.", "売手の法人登録識別子（ibt-030）は1つまでです。", "ibt-030"),
    _r("ibr-101", _at_most_once(f"{_SELLER}/cac:PartyLegalEntity/cbc:CompanyLegalForm"), "The seller additional legal information (ibt-033) may appear only once.", "売手の追加法的情報（ibt-033）は1つまでです。", "ibt-033"),
    _r("ibr-102", _at_most_once(f"{_BUYER}/cac:PartyLegalEntity/cbc:RegistrationName"), "The buyer name (ibt-044) may appear only once.", "買手の名称（ibt-044）は1つまでです。", "ibt-044"),
    _r("ibr-103", _at_most_once(f"{_BUYER}/cac:PartyLegalEntity/cbc:CompanyID"), "The buyer legal registration identifier (ibt-047) may appear only once.", "買手の法人登録識別子（ibt-047）は1つまでです。", "ibt-047"),
    _r("ibr-104", _at_most_once(f"{_BUYER}/cac:PartyTaxScheme/cbc:CompanyID"), "The buyer tax identifier (ibt-048) may appear only once.", "買手の税識別子（ibt-048）は1つまでです。", "ibt-048"),
    _r("ibr-107", _at_most_once("cac:Delivery"), "The deliver-to information (ibg-13) may appear only once.", "納入先情報（ibg-13）は1つまでです。", "ibg-13"),
    _r("ibr-112", _at_most_once(f"{_BUYER}/cac:PartyName/cbc:Name"), "The buyer trading name (ibt-045) may appear only once.", "買手の商号（ibt-045）は1つまでです。", "ibt-045"),
    *calc.DOCUMENT_RULES,
    _r("ibr-sr-16", _at_most_once(f"{_BUYER}/cac:PartyIdentification/cbc:ID"), "The buyer identifier (ibt-046) may appear only once.", "買手識別子（ibt-046）は1つまでです。", "ibt-046"),
    _r("ibr-sr-39", _at_most_once("cac:ProjectReference/cbc:ID"), "The project reference (ibt-011) may appear only once.", "プロジェクト参照（ibt-011）は1つまでです。", "ibt-011"),
    _r("ibr-sr-49", _at_most_once("cac:InvoicePeriod/cbc:DescriptionCode"), "The tax point date code (ibt-008) may appear only once.", "課税時点コード（ibt-008）は1つまでです。", "ibt-008"),
    _r("ibr-sr-51", _at_most_once("cbc:Note"), "The invoice note (ibt-022) may appear only once.", "請求書の注記（ibt-022）は1つまでです。", "ibt-022"),
    _r("ibr-sr-52", _at_most_once("cac:OriginatorDocumentReference/cbc:ID"), "The tender or lot reference (ibt-017) may appear only once.", "入札・ロット参照（ibt-017）は1つまでです。", "ibt-017"),
)  # fmt: skip

_LINE_RULES = (
    *_at(_LINES,
         _r("ibr-021", "normalize-space(cbc:ID) != ''", "Each invoice line (ibg-25) must have an identifier (ibt-126).", "各明細（ibg-25）には明細番号（ibt-126）が必要です。", "ibt-126"),
         _r("ibr-022", "cbc:InvoicedQuantity or cbc:CreditedQuantity", "Each invoice line (ibg-25) must have a quantity (ibt-129).", "各明細（ibg-25）には数量（ibt-129）が必要です。", "ibt-129"),
         _r("ibr-023", "cbc:InvoicedQuantity/@unitCode or cbc:CreditedQuantity/@unitCode", "Each invoice line (ibg-25) must give the unit of its quantity (ibt-130).", "各明細（ibg-25）には数量の単位（ibt-130）が必要です。", "ibt-130"),
         _r("ibr-024", "cbc:LineExtensionAmount", "Each invoice line (ibg-25) must have a net amount (ibt-131).", "各明細（ibg-25）には明細金額（ibt-131）が必要です。", "ibt-131"),
         _r("ibr-025", "normalize-space(cac:Item/cbc:Name) != ''", "Each invoice line (ibg-25) must name its item (ibt-153).", "各明細（ibg-25）には品名（ibt-153）が必要です。", "ibt-153"),
         _r("ibr-026", "cac:Price/cbc:PriceAmount", "Each invoice line (ibg-25) must have an item net price (ibt-146).", "各明細（ibg-25）には単価（ibt-146）が必要です。", "ibt-146"),
         _r("ibr-027", "cac:Price/cbc:PriceAmount >= 0", "The item net price (ibt-146) must not be negative.", "単価（ibt-146）は負であってはなりません。", "ibt-146"),
         _r("ibr-028", "cac:Price/cac:AllowanceCharge/cbc:BaseAmount >= 0 or not(cac:Price/cac:AllowanceCharge/cbc:BaseAmount)", "The item gross price (ibt-148) must not be negative.", "値引き前単価（ibt-148）は負であってはなりません。", "ibt-148"),
         _r("ibr-087", "not(cac:Price/cbc:BaseQuantity) or number(cac:Price/cbc:BaseQuantity) > 0", "The price base quantity (ibt-149) must be greater than zero.", "単価の基準数量（ibt-149）は0より大きくなければなりません。", "ibt-149"),
         _r("ibr-089", "count(cac:DocumentReference[cbc:DocumentTypeCode = 130]) <= 1", "Only one invoiced object identifier (ibt-128) is allowed per line.", "明細ごとの請求対象識別子（ibt-128）は1つまでです。", "ibt-128"),
         _r("ibr-109", _at_most_once("cac:OrderLineReference/cbc:LineID"), "The referenced purchase order line (ibt-132) may appear only once.", "参照する発注明細番号（ibt-132）は1つまでです。", "ibt-132"),
         _r("ibr-110", _at_most_once("cac:InvoicePeriod"), "The invoice line period (ibg-26) may appear only once.", "明細期間（ibg-26）は1つまでです。", "ibg-26"),
         _r("ibr-111", _at_most_once("cac:Price/cac:AllowanceCharge/cbc:Amount"), "The item price discount (ibt-147) may appear only once.", "単価の値引き額（ibt-147）は1つまでです。", "ibt-147"),
         _r("ibr-sr-34", _at_most_once("cbc:Note"), "The invoice line note (ibt-127) may appear only once.", "明細の注記（ibt-127）は1つまでです。", "ibt-127"),
         _r("ibr-sr-38", _at_most_once("cac:Item/cac:ClassifiedTaxCategory/cbc:TaxExemptionReason"), "The item tax exemption reason (ibt-185) may appear only once.", "品目の非課税理由（ibt-185）は1つまでです。", "ibt-185"),
         _r("ibr-sr-50", _at_most_once("cac:Item/cbc:Description"), "The item description (ibt-154) may appear only once.", "品目の説明（ibt-154）は1つまでです。", "ibt-154")),
    *_at("//cac:InvoiceLine/cac:InvoicePeriod | //cac:CreditNoteLine/cac:InvoicePeriod",
         _r("ibr-085", _line_within("StartDate", later=True), "A line period start (ibt-134) must lie within the invoicing period (ibg-14).", "明細期間の開始日（ibt-134）は請求期間（ibg-14）内でなければなりません。", "ibt-134"),
         _r("ibr-086", _line_within("EndDate", later=False), "A line period end (ibt-135) must lie within the invoicing period (ibg-14).", "明細期間の終了日（ibt-135）は請求期間（ibg-14）内でなければなりません。", "ibt-135"),
         _r("ibr-030", _end_not_before_start, "A line period end date (ibt-135) must not be before its start date (ibt-134).", "明細期間の終了日（ibt-135）は開始日（ibt-134）より前であってはなりません。", "ibt-135"),
         *calc.LINE_PERIOD_RULES),
    *_at("//cac:InvoicePeriod",
         _r("ibr-029", _end_not_before_start, "The invoicing period end date (ibt-074) must not be before its start date (ibt-073).", "請求期間の終了日（ibt-074）は開始日（ibt-073）より前であってはなりません。", "ibt-074"),
         *calc.INVOICE_PERIOD_RULES),
    *_at("//cac:AdditionalItemProperty",
         _r("ibr-054", "cbc:Name and cbc:Value", "Each item attribute (ibg-32) must have a name (ibt-160) and a value (ibt-161).", "品目属性（ibg-32）には名前（ibt-160）と値（ibt-161）が必要です。", "ibg-32")),
    *_at("//cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode | //cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode",
         _r("ibr-065", "@listID", "An item classification identifier (ibt-158) must state its scheme.", "品目分類コード（ibt-158）にはスキーム識別子が必要です。", "ibt-158")),
    *_at("//cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cbc:ID | //cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cbc:ID",
         _r("ibr-064", "@schemeID", "An item standard identifier (ibt-157) must state its scheme.", "品目の標準識別子（ibt-157）にはスキーム識別子が必要です。", "ibt-157")),
    *_at("//cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory",
         _r("ibr-sr-58", "cbc:ID", "The item tax category code (ibt-151) must be given.", "品目の税区分コード（ibt-151）が必要です。", "ibt-151")),
)  # fmt: skip

_PAYEE_IS_SELLER = "cac:PartyName/cbc:Name = ../cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"

_PAYMENT_RULES = (
    *_at("//cac:PayeeParty",
         _r("ibr-017", "cac:PartyName/cbc:Name and not(cac:PartyName/cbc:Name = ../cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name) and not(cac:PartyIdentification/cbc:ID = ../cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID)", "A payee (ibg-10) other than the seller must be named (ibt-059).", "売手と異なる受取人（ibg-10）には名称（ibt-059）が必要です。", "ibt-059"),
         _r("ibr-105", f"count(cac:PartyIdentification/cbc:ID[not(translate(string(@schemeID), {_UPPER}) = 'SEPA')]) <= 1 or {_PAYEE_IS_SELLER}", "The payee identifier (ibt-060) may appear only once when the payee is not the seller.", "受取人が売手と異なる場合、受取人識別子（ibt-060）は1つまでです。", "ibt-060"),
         _r("ibr-106", f"count(cac:PartyLegalEntity/cbc:CompanyID) <= 1 or {_PAYEE_IS_SELLER}", "The payee legal registration identifier (ibt-061) may appear only once when the payee is not the seller.", "受取人が売手と異なる場合、受取人の法人登録識別子（ibt-061）は1つまでです。", "ibt-061"),
         _r("ibr-sr-19", f"count(cac:PartyName/cbc:Name) <= 1 or {_PAYEE_IS_SELLER}", "The payee name (ibt-059) may appear only once when the payee is not the seller.", "受取人が売手と異なる場合、受取人の名称（ibt-059）は1つまでです。", "ibt-059")),
    *_at("//cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:Address",
         _r("ibr-sr-59", _at_most_once("cac:AddressLine/cbc:Line"), "The payee's bank address line (ibt-174) may appear only once.", "受取人の金融機関の住所補足行（ibt-174）は1つまでです。", "ibt-174")),
    *_at("//cac:PaymentMeans",
         _r("ibr-049", "cbc:PaymentMeansCode", "A payment instruction (ibg-16) must give the payment means code (ibt-081).", "支払指示（ibg-16）には支払手段コード（ibt-081）が必要です。", "ibt-081"),
         _r("ibr-sr-27", _at_most_once("cbc:PaymentMeansCode"), "The payment means code (ibt-081) may appear only once.", "支払手段コード（ibt-081）は1つまでです。", "ibt-081"),
         _r("ibr-sr-28", _at_most_once("cac:PaymentMandate/cbc:ID"), "The mandate reference (ibt-089) may appear only once.", "委任参照（ibt-089）は1つまでです。", "ibt-089"),
         _r("ibr-sr-46", _at_most_once("cbc:PaymentMeansCode/@name"), "The payment means text (ibt-082) may appear only once.", "支払手段の説明（ibt-082）は1つまでです。", "ibt-082")),
    *_at(_AMOUNTS,
         _r("ibr-126", "ancestor::cac:ItemPriceExtension or @currencyID = /*/cbc:DocumentCurrencyCode", "Every amount's currency must be the invoice currency (ibt-005), except those in the tax accounting currency.", "税会計通貨の金額を除き、すべての金額の通貨は請求書通貨（ibt-005）と一致しなければなりません。", "ibt-005")),
    *_at("//cac:PaymentTerms",
         _r("ibr-sr-05", _at_most_once("cbc:Note"), "The payment terms (ibt-020) may appear only once.", "支払条件（ibt-020）は1つまでです。", "ibt-020"),
         _r("ibr-sr-60", _at_most_once("cbc:PaymentMeansID"), "The payment instruction identifier (ibt-187) may appear only once.", "支払指示の識別子（ibt-187）は1つまでです。", "ibt-187")),
    *_at("//cac:BillingReference",
         _r("ibr-055", "cac:InvoiceDocumentReference/cbc:ID", "Each preceding invoice reference (ibg-03) must give the preceding invoice number (ibt-025).", "前の請求書への参照（ibg-03）には請求書番号（ibt-025）が必要です。", "ibt-025"),
         _r("ibr-sr-07", "cac:InvoiceDocumentReference/cbc:ID", "A preceding invoice reference (ibg-03) must carry the preceding invoice number (ibt-025).", "前の請求書への参照（ibg-03）を記載する場合は請求書番号（ibt-025）が必要です。", "ibt-025"),
         _r("ibr-sr-06", _at_most_once("cac:InvoiceDocumentReference"), "Each preceding invoice reference (ibt-025) may refer to one invoice only.", "前の請求書への参照（ibt-025）は1件につき1つまでです。", "ibt-025")),
)  # fmt: skip

_SELLER_RULES = (
    *_at(f"//{_SELLER}",
         *calc.SELLER_RULES,
         _r("ibr-081", "cbc:EndpointID", "The seller electronic address (ibt-034) must be given.", "売手の電子アドレス（ibt-034）が必要です。", "ibt-034"),
         _r("ibr-sr-42", "count(cac:PartyTaxScheme) <= 2", "The seller may have at most two tax registrations.", "売手の税登録は2つまでです。", "ibt-031")),
    *_at(f"//{_SELLER}/cbc:EndpointID",
         _r("ibr-062", "@schemeID", "The seller electronic address (ibt-034) must state its scheme.", "売手の電子アドレス（ibt-034）にはスキーム識別子が必要です。", "ibt-034")),
    *_at(f"//{_SELLER}/cac:PostalAddress",
         _r("ibr-009", "normalize-space(cac:Country/cbc:IdentificationCode) != ''", "The seller postal address (ibg-05) must have a country code (ibt-040).", "売手の住所（ibg-05）には国コード（ibt-040）が必要です。", "ibt-040"),
         _r("ibr-sr-53", _at_most_once("cac:AddressLine/cbc:Line"), "The seller address line (ibt-162) may appear only once.", "売手の住所補足行（ibt-162）は1つまでです。", "ibt-162")),
    *_at("//cac:TaxRepresentativeParty",
         _r("ibr-018", "normalize-space(cac:PartyName/cbc:Name) != ''", "A seller tax representative (ibg-11) must be named (ibt-062).", "税務代理人（ibg-11）には名称（ibt-062）が必要です。", "ibt-062"),
         _r("ibr-019", "cac:PostalAddress", "A seller tax representative (ibg-11) must have a postal address (ibg-12).", "税務代理人（ibg-11）には住所（ibg-12）が必要です。", "ibg-12"),
         _r("ibr-056", "cac:PartyTaxScheme/cbc:CompanyID", "A seller tax representative (ibg-11) must have a tax identifier (ibt-063).", "税務代理人（ibg-11）には税識別子（ibt-063）が必要です。", "ibt-063"),
         _r("ibr-sr-22", _at_most_once("cac:PartyName/cbc:Name"), "The tax representative name (ibt-062) may appear only once.", "税務代理人の名称（ibt-062）は1つまでです。", "ibt-062"),
         _r("ibr-sr-23", _at_most_once("cac:Party/cac:PartyTaxScheme/cbc:CompanyID"), "The tax representative tax identifier (ibt-063) may appear only once.", "税務代理人の税識別子（ibt-063）は1つまでです。", "ibt-063")),
    *_at("//cac:TaxRepresentativeParty/cac:PostalAddress",
         _r("ibr-020", "normalize-space(cac:Country/cbc:IdentificationCode) != ''", "The tax representative postal address (ibg-12) must have a country code (ibt-069).", "税務代理人の住所（ibg-12）には国コード（ibt-069）が必要です。", "ibt-069"),
         _r("ibr-sr-55", _at_most_once("cac:AddressLine/cbc:Line"), "The tax representative address line (ibt-164) may appear only once.", "税務代理人の住所補足行（ibt-164）は1つまでです。", "ibt-164")),
)  # fmt: skip

_TAX_AND_FORMAT_RULES = (
    *_at("/inv:Invoice/cac:TaxTotal",
         _r("ibr-124", _decimals("cbc:TaxAmount"), "The total tax (ibt-110) may have at most two decimals.", "税額合計（ibt-110）の小数は2桁までです。", "ibt-110"),
         *calc.TAX_TOTAL_RULES),
    *_at("//cac:TaxSubtotal",
         _r("ibr-sr-32", _at_most_once("cac:TaxCategory/cbc:TaxExemptionReason"), "The tax exemption reason text (ibt-120) may appear only once.", "非課税理由（ibt-120）は1つまでです。", "ibt-120")),
    *_at("//cac:PartyTaxScheme",
         _r("ibr-sr-57", "cbc:CompanyID", "A party tax scheme must carry a company identifier.", "当事者の税スキームには識別子（CompanyID）が必要です。")),
    *_at(_DATES,
         _r("ibr-073", _is_date, "A date (ibt-002, ibt-007, ibt-009, ibt-026, ibt-072, ibt-073, ibt-074, ibt-134, ibt-135) must be written YYYY-MM-DD.", "日付（ibt-002、ibt-007、ibt-009、ibt-026、ibt-072、ibt-073、ibt-074、ibt-134、ibt-135）は YYYY-MM-DD 形式でなければなりません。", "ibt-002")),
    *_at(_TIMES,
         _r("ibr-119", _is_time, "A time (ibt-168) must be written hh:mm:ss, optionally with fractions of a second and a time zone.", "時刻（ibt-168）は hh:mm:ss 形式（小数秒・タイムゾーンは任意）でなければなりません。", "ibt-168")),
    *_at(_BINARY,
         _r("ibr-074", "@mimeCode", "An attached document (ibt-125) must state its media type (ibt-125-1).", "添付ファイル（ibt-125）には MIME タイプ（ibt-125-1）が必要です。", "ibt-125"),
         _r("ibr-075", "@filename", "An attached document (ibt-125) must state its file name (ibt-125-2).", "添付ファイル（ibt-125）にはファイル名（ibt-125-2）が必要です。", "ibt-125")),
    *_at("//cbc:TaxCurrencyCode",
         _r("ibr-077", "not(normalize-space(text()) = normalize-space(../cbc:DocumentCurrencyCode/text()))", "The tax accounting currency (ibt-006) must differ from the invoice currency (ibt-005).", "税会計通貨（ibt-006）は請求書通貨（ibt-005）と異なっていなければなりません。", "ibt-006")),
    *_at("//*[not(*) and not(normalize-space())]",
         _r("ibr-079", "false()", "The document must not contain empty elements.", "文書に空の要素を含めてはなりません。")),
    *_at("//cac:Price/cbc:BaseQuantity[@unitCode]",
         _r("ibr-088", "not(../../cbc:InvoicedQuantity or ../../cbc:CreditedQuantity) or @unitCode = ../../cbc:InvoicedQuantity/@unitCode or @unitCode = ../../cbc:CreditedQuantity/@unitCode", "The unit of the price base quantity (ibt-150) must be the unit of the invoiced quantity (ibt-130).", "単価の基準数量の単位（ibt-150）は数量の単位（ibt-130）と同じでなければなりません。", "ibt-150")),
    *_at("//cac:InvoiceLine/cac:DespatchLineReference/cac:DocumentReference/cbc:ID | //cac:CreditNoteLine/cac:DespatchLineReference/cac:DocumentReference/cbc:ID",
         _r("ibr-092", "count(//cac:DespatchDocumentReference) = 0", "When lines reference despatch advices (ibt-184), the document must not reference one too (ibt-016).", "明細で出荷通知（ibt-184）を参照する場合、文書レベルで出荷通知（ibt-016）を参照してはなりません。", "ibt-184")),
    *_at("//cac:InvoiceLine/cac:DespatchLineReference | //cac:CreditNoteLine/cac:DespatchLineReference",
         _r("ibr-sr-62", _at_most_once("cac:DocumentReference"), "A line's despatch advice reference (ibt-184) may appear only once.", "明細の出荷通知参照（ibt-184）は1つまでです。", "ibt-184")),
    *_at("//cac:PrepaidPayment[1]",
         _r("ibr-093", "../cac:LegalMonetaryTotal/cbc:PrepaidAmount", "When a payment is recorded (ibt-180), the paid amount total (ibt-113) must be given.", "支払済みの記録（ibt-180）がある場合は前払額（ibt-113）が必要です。", "ibt-113")),
    *_at("//cac:Delivery",
         _r("ibr-108", _at_most_once("cac:DeliveryParty/cac:PartyName/cbc:Name"), "The deliver-to party name (ibt-070) may appear only once.", "納入先の名称（ibt-070）は1つまでです。", "ibt-070")),
)  # fmt: skip

SHARED_RULES: tuple[Rule, ...] = (
    *_IDENTIFIER_RULES,
    *_ALLOWANCE_CHARGE_RULES,
    *_PARTY_RULES,
    *_MONETARY_TOTAL_RULES,
    *_DOCUMENT_RULES,
    *_LINE_RULES,
    *_PAYMENT_RULES,
    *_SELLER_RULES,
    *_TAX_AND_FORMAT_RULES,
)
"""The official ``UBL-model`` pattern, in its order (first matching context wins)."""


def _any_local_name_ends_with(suffix: str, namespace: str | None = None) -> Guard:
    def guard(present: frozenset[str]) -> bool:
        return any(
            tag.endswith(suffix) and (namespace is None or tag.startswith(f"{{{namespace}}}"))
            for tag in present
        )

    return guard


SHARED_GUARDS: dict[str, Guard] = {
    _BINARY: _any_local_name_ends_with("BinaryObject"),
    _TIMES: _any_local_name_ends_with("Time", NS["cbc"]),
}
"""Preconditions for the two wildcard contexts, so most documents skip them."""
