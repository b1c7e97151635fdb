# ruff: noqa: RUF001, E501  (rule tables: one rule per row, Japanese full-width punctuation)
"""Layer 3a: Peppol BIS Billing 3.0 rules, 2025.5 release (BIS 3.0.19), for UBL.

Restated from the specification (OpenPEPPOL/peppol-bis-invoice-3 ``rules/sch``) with the
official ids and flags: ``PEPPOL-EN16931-*`` and ``PEPPOL-COMMON-*`` here, the national rules
(DE, DK, GR, IS, IT, NL, NO, SE) in :mod:`parsers.validation.peppol_national`. Code lists are
those of the 2025.5 release.

**Which documents.** The official Schematron is written against the document type: every rule's
context is a UBL Invoice or CreditNote (or a node in one), and only ``R004`` / ``R007`` look at
the CustomizationID and ProfileID, to tell a sender that a document handed to Peppol validation
does not say it is Peppol's. The official pipelines (vefa, phive) pick the configuration from
the document's declaration; juryo has no transport envelope, so :func:`applies` hands a UBL
document to these rules unless its CustomizationID names another specification juryo judges by
its own artefacts (JP PINT, XRechnung, Factur-X, EN 16931 itself): Peppol's own id, no id, an
unknown id, or an EN 16931 CIUS id that mentions Peppol (a misspelt Peppol id) all get Peppol's
verdict, ``R004`` included. CII is judged by Peppol (:mod:`parsers.validation.peppol_cii`) only
when its guideline id mentions Peppol: CII ids juryo does not know are ZUGFeRD 1 and other
non-Peppol dialects, and Peppol's build declares its CII configuration for its own id only.
"""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal

from lxml import etree

from parsers.findings import Finding, Severity
from parsers.profiles import Profile, Syntax
from parsers.validation._rules import (
    FATAL,
    NS,
    WARNING,
    Predicate,
    Rule,
    RuleSet,
    attr_in_list,
    decimal,
    first,
    in_list,
    text,
)
from parsers.validation._xpath2 import date_days
from parsers.validation.peppol_national import (
    de_seller_and_buyer,
    mod11,
    se_orgnr,
    validate_national,
)
from parsers.validation.pint_jp_identifiers import be_enterprise, gln
from schemas.codelists import codes

__all__ = ["PEPPOL_BIS3", "RELEASE", "applies", "validate_peppol"]

RELEASE = "2025.5 (BIS 3.0.19)"
"""The Peppol BIS Billing 3.0 release whose rules and code lists are implemented here."""

# -- code lists (2025.5) ---------------------------------------------------------------

EAS = codes(
    "0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170"
    " 0177 0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203"
    " 0204 0205 0208 0209 0210 0211 0212 0213 0215 0216 0217 0218 0221 0225 0230 0235 0240"
    " 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931"
    " 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948"
    " 9949 9950 9951 9952 9953 9957 9959"
)
ISO4217 = codes(
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD"
    " BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD"
    " EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD"
    " IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL"
    " MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN"
    " PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN"
    " SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES"
    " VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XDR XOF XPD XPF XPT XSU XTS XUA YER ZAR ZMW"
    " ZWG XXX"
)
MIME = codes(
    "application/pdf image/png image/jpeg text/csv"
    " application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    " application/vnd.oasis.opendocument.spreadsheet"
)
UNCL5189 = codes("41 42 60 62 63 64 65 66 67 68 70 71 88 95 100 102 103 104 105")
UNCL7161 = codes(
    "AA AAA AAC AAD AAE AAF AAH AAI AAS AAT AAV AAY AAZ ABA ABB ABC ABD ABF ABK ABL ABN ABR"
    " ABS ABT ABU ACF ACG ACH ACI ACJ ACK ACL ACM ACS ADC ADE ADJ ADK ADL ADM ADN ADO ADP ADQ"
    " ADR ADT ADW ADY ADZ AEA AEB AEC AED AEF AEH AEI AEJ AEK AEL AEM AEN AEO AEP AES AET AEU"
    " AEV AEW AEX AEY AEZ AJ AU CA CAB CAD CAE CAF CAI CAJ CAK CAL CAM CAN CAO CAP CAQ CAR CAS"
    " CAT CAU CAV CAW CAX CAY CAZ CD CG CS CT DAB DAC DAD DAF DAG DAH DAI DAJ DAK DAL DAM DAN"
    " DAO DAP DAQ DL EG EP ER FAA FAB FAC FC FH FI GAA HAA HD HH IAA IAB ID IF IR IS KO L1 LA"
    " LAA LAB LF MAE MI ML NAA OA PA PAA PC PL PRV RAB RAC RAD RAF RE RF RH RV SA SAA SAD SAE"
    " SAI SG SH SM SU TAB TAC TT TV V1 V2 WH XAA YY ZZZ"
)
UNCL2005 = codes("3 35 432")
INVOICE_TYPES_01 = codes(
    "71 80 82 84 102 218 219 326 331 380 382 383 384 386 388 393 395 553 575 623 780 817"
    " 870 875 876 877"
)
"""Profile 01 invoice type codes; 2025.5 dropped 389 (self-billed invoice)."""
CREDIT_NOTE_TYPES_01 = codes("81 83 381 396 532")

_PROFILE = re.compile(r"urn:fdc:peppol\.eu:2017:poacc:billing:([0-9]{2}):1.0")
_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
_SLACK = Decimal("0.02")

_DOC_AC = "/*/cac:AllowanceCharge | /*/cac:InvoiceLine/cac:AllowanceCharge | /*/cac:CreditNoteLine/cac:AllowanceCharge"
_LINES = "/*/cac:InvoiceLine | /*/cac:CreditNoteLine"
_AMOUNTS = (
    "//cbc:Amount | //cbc:BaseAmount | //cbc:PriceAmount | //cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount"
    " | //cac:TaxSubtotal/cbc:TaxAmount"
    " | //cbc:TaxableAmount | //cbc:LineExtensionAmount | //cbc:TaxExclusiveAmount"
    " | //cbc:TaxInclusiveAmount | //cbc:AllowanceTotalAmount | //cbc:ChargeTotalAmount"
    " | //cbc:PrepaidAmount | //cbc:PayableRoundingAmount | //cbc:PayableAmount"
)


def identifier_context(scheme: str, endpoint_only: bool = False) -> str:
    """Identifiers carrying an ICD/EAS scheme, as the Peppol ICD rules select them."""
    if endpoint_only:
        return f"//cbc:EndpointID[@schemeID = '{scheme}']"
    return (
        f"//cbc:EndpointID[@schemeID = '{scheme}'] | //cac:PartyIdentification/cbc:ID"
        f"[@schemeID = '{scheme}'] | //cbc:CompanyID[@schemeID = '{scheme}']"
    )


def _profile_code(root: etree._Element) -> str | None:
    return profile_code(text(first(root, "cbc:ProfileID")))


def profile_code(process: str) -> str | None:
    """The process number NN of a Peppol business process id (the 7th ``:`` field)."""
    if not _PROFILE.search(process):
        return None
    fields = process.split(":")
    return fields[6] if len(fields) > 6 else None


# -- Python predicates where XPath 1.0 falls short -----------------------------------------


def _r007(node: etree._Element) -> bool:
    return _profile_code(node) is not None


def _r055(node: etree._Element) -> bool:
    """Same sign in both currencies, compared as XPath does: some amount of each side."""
    if first(node, "cbc:TaxCurrencyCode") is None:
        return True
    amounts = node.findall("cac:TaxTotal/cbc:TaxAmount", NS)

    def values(currency_element: str) -> list[Decimal]:
        currency = text(first(node, currency_element))
        return [
            d for a in amounts if a.get("currencyID") == currency and (d := decimal(a)) is not None
        ]

    tax, document = values("cbc:TaxCurrencyCode"), values("cbc:DocumentCurrencyCode")
    negative = any(d <= 0 for d in tax) and any(d <= 0 for d in document)
    positive = any(d >= 0 for d in tax) and any(d >= 0 for d in document)
    return negative or positive


def _r040(node: etree._Element) -> bool:
    base = decimal(first(node, "cbc:BaseAmount"))
    factor = decimal(first(node, "cbc:MultiplierFactorNumeric"))
    if base is None or factor is None:
        return (
            first(node, "cbc:BaseAmount") is None
            or first(node, "cbc:MultiplierFactorNumeric") is None
        )
    amount = decimal(first(node, "cbc:Amount")) or Decimal(0)
    return abs(amount - base * factor / 100) <= _SLACK


_DOC_START = etree.XPath("../../../cac:InvoicePeriod/cbc:StartDate", namespaces=NS)
_DOC_END = etree.XPath("../../../cac:InvoicePeriod/cbc:EndDate", namespaces=NS)


def _date(value: str) -> int | None:
    """A YYYY-MM-DD date as days on one timeline (year 0000 included, as SaxonC reads it)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    year, month, day = value.split("-")
    return date_days(int(year), int(month), int(day))


def _r110(node: etree._Element) -> bool:
    mine, docs = _date(text(node)), _DOC_START(node)
    doc = _date(text(docs[0])) if isinstance(docs, list) and docs else None
    return mine is None or doc is None or mine >= doc


def _r111(node: etree._Element) -> bool:
    mine, docs = _date(text(node)), _DOC_END(node)
    doc = _date(text(docs[0])) if isinstance(docs, list) and docs else None
    return mine is None or doc is None or mine <= doc


def _ac_sum(line: etree._Element, indicator: str) -> Decimal:
    total = sum(
        (
            decimal(amount) or Decimal(0)
            for ac in line.findall("cac:AllowanceCharge", NS)
            if text(ac.find("cbc:ChargeIndicator", NS)) == indicator
            for amount in ac.findall("cbc:Amount", NS)
        ),
        Decimal(0),
    )
    return xpath_round_cents(total)


def xpath_round_cents(value: Decimal) -> Decimal:
    """``round(x * 100) div 100`` as XPath rounds: halves go up (towards +infinity)."""
    return (value * 100 + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR) / 100


def _r120(line: etree._Element) -> bool:
    net = decimal(first(line, "cbc:LineExtensionAmount")) or Decimal(0)
    qty_el = first(line, "cbc:InvoicedQuantity")
    if qty_el is None:
        qty_el = first(line, "cbc:CreditedQuantity")
    qty = decimal(qty_el) if qty_el is not None else Decimal(1)
    price = decimal(first(line, "cac:Price/cbc:PriceAmount")) or Decimal(0)
    base = decimal(first(line, "cac:Price/cbc:BaseQuantity"))
    if not base:
        base = Decimal(1)
    if qty is None:
        return False
    expected = qty * (price / base) + _ac_sum(line, "true") - _ac_sum(line, "false")
    return abs(net - expected) <= _SLACK


def _r121(line: etree._Element) -> bool:
    base = first(line, "cac:Price/cbc:BaseQuantity")
    value = decimal(base) if base is not None else None
    return base is None or (value is not None and value > 0)


def _r046(node: etree._Element) -> bool:
    if first(node, "cbc:BaseAmount") is None:
        return True
    price_el = node.find("../cbc:PriceAmount", NS)
    price = decimal(price_el) if price_el is not None else None
    base, amount = decimal(first(node, "cbc:BaseAmount")), decimal(first(node, "cbc:Amount"))
    return price is not None and base is not None and amount is not None and price == base - amount


def _r130(node: etree._Element) -> bool:
    qty = node.find("../../cbc:InvoicedQuantity", NS)
    if qty is None:
        qty = node.find("../../cbc:CreditedQuantity", NS)
    return qty is None or node.get("unitCode") == qty.get("unitCode")


def iso_date(node: etree._Element) -> bool:
    """A date written YYYY-MM-DD (xs:date castable, ten characters), as PEPPOL-*-F001 and
    PEPPOL-COMMON-R030 ask."""
    raw = "".join(node.itertext())
    return len(raw) == 10 and _date(raw) is not None


def _gln(node: etree._Element) -> bool:
    return gln(text(node))


def _no_orgnr(node: etree._Element) -> bool:
    value = text(node)
    return bool(re.fullmatch(r"[0-9]{9}", value)) and mod11(value)


def _dk_cvr(node: etree._Element) -> bool:
    """CVR: 8 digits, optionally prefixed ``DK`` (3.0.19 accepts both)."""
    value = "".join(node.itertext())
    digits = value[2:] if value[:2] == "DK" else value
    return len(digits) == 8 and digits.isdigit() and digits.isascii()


def _be_kbo(node: etree._Element) -> bool:
    return be_enterprise(text(node))


def _ipa(node: etree._Element) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9]{6}", text(node)))


def _cf16(value: str) -> bool:
    letters = re.compile(r"[A-Za-z]*")
    return bool(
        letters.fullmatch(value[0:6])
        and value[6:8].isdigit()
        and letters.fullmatch(value[8:9])
        and value[9:11].isdigit()
        and value[14:15].isdigit()
        and letters.fullmatch(value[15:16])
    )


def _cf(node: etree._Element) -> bool:
    value = text(node)
    if len(value) == 16:
        return _cf16(value)
    return len(value) == 11 and bool(re.fullmatch(r"[+-]?\d+", value))


def _piva_checksum(code: str) -> int:
    if not code.isdigit():
        return 1
    total = 0
    for i, ch in enumerate(code):
        d = int(ch)
        total += int("0246813579"[d]) if i % 2 == 1 else d
    return total % 10


def partita_iva(node: etree._Element) -> bool:
    value = text(node)
    if value[:2] not in ("IT", "it"):
        return True
    code = value[2:]
    return len(code) == 11 and _piva_checksum(code) == 0


def _se(node: etree._Element) -> bool:
    value = text(node)
    return len(value) == 10 and se_orgnr(value)


def _abn(node: etree._Element) -> bool:
    value = text(node)
    if not re.fullmatch(r"[0-9]{11}", value):
        return False
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [int(c) for c in value]
    digits[0] -= 1
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 89 == 0


def _p0100(node: etree._Element) -> bool:
    return _profile_code(node.getroottree().getroot()) != "01" or text(node) in INVOICE_TYPES_01


def _p0101(node: etree._Element) -> bool:
    return _profile_code(node.getroottree().getroot()) != "01" or text(node) in CREDIT_NOTE_TYPES_01


def _p0112(node: etree._Element) -> bool:
    if text(node) not in ("326", "384"):
        return True
    return de_seller_and_buyer(node.getroottree().getroot())


def _r002(root: etree._Element) -> bool:
    return len(root.findall("cbc:Note", NS)) <= 1 or de_seller_and_buyer(root)


def _exemption(reason: str) -> str:
    """Tax categories with this exemption reason; one with two reasons matches no rule there."""
    return (
        "//cac:TaxCategory[count(cbc:TaxExemptionReasonCode) = 1 and translate(cbc:TaxExemptionReasonCode,"
        f" 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') = '{reason}']"
    )


_EXEMPTIONS = (
    ("P0104", "VATEX-EU-G", "G"),
    ("P0105", "VATEX-EU-O", "O"),
    ("P0106", "VATEX-EU-IC", "K"),
    ("P0107", "VATEX-EU-AE", "AE"),
    ("P0108", "VATEX-EU-D", "E"),
    ("P0109", "VATEX-EU-F", "E"),
    ("P0110", "VATEX-EU-I", "E"),
    ("P0111", "VATEX-EU-J", "E"),
)

ICD_CHECKS: tuple[tuple[str, Severity, str, bool, Predicate, str, str], ...] = (
    (
        "PEPPOL-COMMON-R040",
        FATAL,
        "0088",
        False,
        _gln,
        "A GLN (scheme 0088) fails the GS1 format or check digit.",
        "GLN（スキーム 0088）が GS1 の形式に適合していません。",
    ),
    (
        "PEPPOL-COMMON-R041",
        FATAL,
        "0192",
        False,
        _no_orgnr,
        "A Norwegian organisation number (scheme 0192) must be 9 digits with a valid check digit.",
        "ノルウェー組織番号（0192）の形式が正しくありません。",
    ),
    (
        "PEPPOL-COMMON-R042",
        FATAL,
        "0184",
        False,
        _dk_cvr,
        "A Danish CVR number (scheme 0184) must be 8 digits, optionally after DK.",
        "デンマーク組織番号 CVR（0184）の形式が正しくありません。",
    ),
    (
        "PEPPOL-COMMON-R043",
        FATAL,
        "0208",
        False,
        _be_kbo,
        "A Belgian enterprise number (scheme 0208) must be 10 digits with a valid mod-97 check.",
        "ベルギー企業番号（0208）の形式が正しくありません。",
    ),
    (
        "PEPPOL-COMMON-R044",
        WARNING,
        "0201",
        False,
        _ipa,
        "An Italian IPA office code (scheme 0201) should be 6 letters or digits.",
        "イタリア IPA コード（0201）の形式が正しくありません。",
    ),
    (
        "PEPPOL-COMMON-R045",
        WARNING,
        "0210",
        False,
        _cf,
        "An Italian fiscal code (Codice Fiscale) should have 16 characters in its pattern, or 11 digits.",
        "イタリア納税者番号 Codice Fiscale（0210）の形式が正しくありません。",
    ),
    (
        "PEPPOL-COMMON-R046",
        WARNING,
        "9907",
        True,
        _cf,
        "An Italian fiscal code (Codice Fiscale) should have 16 characters in its pattern, or 11 digits.",
        "イタリア納税者番号 Codice Fiscale（9907）の形式が正しくありません。",
    ),
    (
        "PEPPOL-COMMON-R047",
        WARNING,
        "0211",
        False,
        partita_iva,
        "An Italian VAT number (Partita IVA) should be IT and 11 digits with a valid check digit.",
        "イタリア VAT 番号 Partita IVA（0211）の形式が正しくありません。",
    ),
    (
        "PEPPOL-COMMON-R049",
        FATAL,
        "0007",
        False,
        _se,
        "A Swedish organisation number (scheme 0007) must be 10 digits passing the Luhn check.",
        "スウェーデン組織番号（0007）の形式が正しくありません。",
    ),
    (
        "PEPPOL-COMMON-R050",
        FATAL,
        "0151",
        False,
        _abn,
        "An Australian Business Number (scheme 0151) must be 11 digits passing the ABN check.",
        "オーストラリア事業者番号 ABN（0151）の形式が正しくありません。",
    ),
)

_AC_BOTH_OR_NEITHER = (
    "[not(cbc:MultiplierFactorNumeric and not(cbc:BaseAmount))"
    " and not(not(cbc:MultiplierFactorNumeric) and cbc:BaseAmount)]"
)

RULES: tuple[Rule, ...] = (
    Rule("PEPPOL-EN16931-R008", FATAL, "//*[not(*) and not(normalize-space())]", "false()",
         "The document has an empty element; leave optional elements out instead.",
         "空の要素を含めてはなりません。"),
    Rule("PEPPOL-EN16931-R001", FATAL, "/*", "cbc:ProfileID",
         "The business process identifier (ProfileID, BT-23) is missing.",
         "ビジネスプロセス（ProfileID）を指定しなければなりません。", "BT-23"),
    Rule("PEPPOL-EN16931-R007", FATAL, "/*", _r007,
         "The business process identifier (BT-23) must read urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0, NN being the process number.",
         "ビジネスプロセスは 'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0' の形式でなければなりません。", "BT-23"),
    Rule("PEPPOL-EN16931-R002", FATAL, "/*", _r002,
         "At most one document-level note is allowed, unless seller and buyer are both German.",
         "売手・買手ともにドイツの場合を除き、文書レベルの注記は1つまでです。", "BT-22"),
    Rule("PEPPOL-EN16931-R003", FATAL, "/*", "cbc:BuyerReference or cac:OrderReference/cbc:ID",
         "Give a buyer reference (BT-10) or a purchase order reference (BT-13).",
         "買手参照または発注番号を指定しなければなりません。", "BT-10"),
    Rule("PEPPOL-EN16931-R004", FATAL, "/*",
         f"starts-with(normalize-space(cbc:CustomizationID/text()), '{_CUSTOMIZATION}')",
         f"The specification identifier (BT-24) must start with {_CUSTOMIZATION}.",
         f"仕様識別子は '{_CUSTOMIZATION}' でなければなりません。", "BT-24"),
    Rule("PEPPOL-EN16931-R053", FATAL, "/*", "count(cac:TaxTotal[cac:TaxSubtotal]) = 1",
         "Exactly one tax total carrying the VAT breakdown is required.",
         "内訳付きの税合計（TaxTotal）はちょうど1つでなければなりません。"),
    Rule("PEPPOL-EN16931-R054", FATAL, "/*",
         "(cbc:TaxCurrencyCode and count(cac:TaxTotal[not(cac:TaxSubtotal)]) = 1)"
         " or (not(cbc:TaxCurrencyCode) and count(cac:TaxTotal[not(cac:TaxSubtotal)]) = 0)",
         "A tax total without breakdown is required once when a VAT accounting currency is given, and not otherwise.",
         "税会計通貨を指定した場合に限り、内訳なしの税合計を1つ指定しなければなりません。"),
    Rule("PEPPOL-EN16931-R055", FATAL, "/*", _r055,
         "The VAT total in the invoice currency and in the accounting currency (BT-111) must have the same sign.",
         "請求書の税額合計と会計通貨での税額合計は同じ符号でなければなりません。", "BT-111"),
    Rule("PEPPOL-EN16931-R080", FATAL, "/cn:CreditNote",
         "count(cac:AdditionalDocumentReference[cbc:DocumentTypeCode='50']) <= 1",
         "A credit note may carry at most one project reference (BT-11).",
         "文書レベルのプロジェクト参照は1つまでです。", "BT-11"),
    Rule("PEPPOL-EN16931-R005", FATAL, "//cbc:TaxCurrencyCode",
         "not(normalize-space(text()) = normalize-space(../cbc:DocumentCurrencyCode/text()))",
         "The VAT accounting currency (BT-6) must differ from the invoice currency.",
         "税会計通貨コードは請求書通貨コードと異なっていなければなりません。", "BT-6"),
    Rule("PEPPOL-EN16931-R010", FATAL, "//cac:AccountingCustomerParty/cac:Party", "cbc:EndpointID",
         "The buyer's electronic address (BT-49) is missing.",
         "買手の電子アドレスを指定しなければなりません。", "BT-49"),
    Rule("PEPPOL-EN16931-R020", FATAL, "//cac:AccountingSupplierParty/cac:Party", "cbc:EndpointID",
         "The seller's electronic address (BT-34) is missing.",
         "売手の電子アドレスを指定しなければなりません。", "BT-34"),
    Rule("PEPPOL-EN16931-R041", FATAL,
         " | ".join(f"{p}[cbc:MultiplierFactorNumeric and not(cbc:BaseAmount)]" for p in _DOC_AC.split(" | ")),
         "false()",
         "An allowance or charge with a percentage needs its base amount.",
         "値引き・追加料金の率を指定した場合は基準額を指定しなければなりません。"),
    Rule("PEPPOL-EN16931-R042", FATAL,
         " | ".join(f"{p}[not(cbc:MultiplierFactorNumeric) and cbc:BaseAmount]" for p in _DOC_AC.split(" | ")),
         "false()",
         "An allowance or charge with a base amount needs its percentage.",
         "値引き・追加料金の基準額を指定した場合は率を指定しなければなりません。"),
    Rule("PEPPOL-EN16931-R040", FATAL,
         " | ".join(f"{p}{_AC_BOTH_OR_NEITHER}" for p in _DOC_AC.split(" | ")), _r040,
         "An allowance or charge amount must be its base amount times its percentage / 100 (within 0.02).",
         "値引き・追加料金の金額は 基準額 × 率 / 100 と一致しなければなりません。"),
    Rule("PEPPOL-EN16931-R043", FATAL,
         " | ".join(f"{p}{_AC_BOTH_OR_NEITHER}" for p in _DOC_AC.split(" | ")),
         "normalize-space(cbc:ChargeIndicator/text()) = 'true' or normalize-space(cbc:ChargeIndicator/text()) = 'false'",
         "The charge indicator of an allowance or charge must be true or false.",
         "ChargeIndicator の値は 'true' または 'false' でなければなりません。"),
    Rule("PEPPOL-EN16931-R061", FATAL,
         "//cac:PaymentMeans[count(cbc:PaymentMeansCode) = 1 and (normalize-space(cbc:PaymentMeansCode) = '49' or normalize-space(cbc:PaymentMeansCode) = '59')]",
         "cac:PaymentMandate/cbc:ID",
         "A direct debit needs its mandate reference (BT-89).",
         "口座振替の場合はマンデート参照を指定しなければなりません。", "BT-89"),
    Rule("PEPPOL-EN16931-R051", FATAL, _AMOUNTS, "@currencyID = /*/cbc:DocumentCurrencyCode",
         "Every amount must be in the invoice currency (BT-5); only the VAT total in accounting currency (BT-111) may differ.",
         "会計通貨での税額合計（BT-111）を除き、すべての currencyID は請求書通貨コード（BT-5）と同じでなければなりません。", "BT-5"),
    Rule("PEPPOL-EN16931-R110", FATAL,
         "/*[cac:InvoicePeriod/cbc:StartDate]/cac:InvoiceLine/cac:InvoicePeriod/cbc:StartDate"
         " | /*[cac:InvoicePeriod/cbc:StartDate]/cac:CreditNoteLine/cac:InvoicePeriod/cbc:StartDate",
         _r110,
         "A line period must not start before the invoice period.",
         "明細の期間開始日は請求期間内でなければなりません。", "BT-134"),
    Rule("PEPPOL-EN16931-R111", FATAL,
         "/*[cac:InvoicePeriod/cbc:EndDate]/cac:InvoiceLine/cac:InvoicePeriod/cbc:EndDate"
         " | /*[cac:InvoicePeriod/cbc:EndDate]/cac:CreditNoteLine/cac:InvoicePeriod/cbc:EndDate",
         _r111,
         "A line period must not end after the invoice period.",
         "明細の期間終了日は請求期間内でなければなりません。", "BT-135"),
    Rule("PEPPOL-EN16931-R120", FATAL, _LINES, _r120,
         "The line net amount must be quantity × (net price / base quantity) + line charges − line allowances (within 0.02).",
         "明細金額は 数量 ×（単価 / 基準数量）+ 明細追加料金 − 明細値引き と一致しなければなりません。", "BT-131"),
    Rule("PEPPOL-EN16931-R121", FATAL, _LINES, _r121,
         "The price base quantity must be greater than zero.",
         "基準数量は0より大きい数でなければなりません。", "BT-149"),
    Rule("PEPPOL-EN16931-R100", FATAL, _LINES, "count(cac:DocumentReference) <= 1",
         "A line may reference at most one invoiced object.",
         "明細ごとの請求対象識別子は1つまでです。", "BT-128"),
    Rule("PEPPOL-EN16931-R101", FATAL, _LINES,
         "not(cac:DocumentReference) or cac:DocumentReference/cbc:DocumentTypeCode = '130'",
         "A line document reference may only be an invoiced object (type 130).",
         "明細の文書参照は請求対象識別子（130）にのみ使用できます。", "BT-128"),
    Rule("PEPPOL-EN16931-R044", FATAL, "//cac:Price/cac:AllowanceCharge",
         "normalize-space(cbc:ChargeIndicator) = 'false'",
         "Only allowances (indicator false) are allowed on the item price, not charges.",
         "単価レベルの追加料金は認められません（'false' のみ）。"),
    Rule("PEPPOL-EN16931-R046", FATAL, "//cac:Price/cac:AllowanceCharge", _r046,
         "With a gross price, the net price must be gross price minus price allowance.",
         "総額単価を指定した場合、正味単価は 総額単価 − 値引き額 と一致しなければなりません。", "BT-146"),
    Rule("PEPPOL-EN16931-R130", FATAL, "//cac:Price/cbc:BaseQuantity[@unitCode]", _r130,
         "The price base quantity must use the unit of the invoiced quantity.",
         "基準数量の単位コードは請求数量の単位コードと同じでなければなりません。", "BT-150"),
    *(
        Rule(rule_id, severity, identifier_context(scheme, endpoint_only), check, en, ja)
        for rule_id, severity, scheme, endpoint_only, check, en, ja in ICD_CHECKS
    ),
    Rule("PEPPOL-EN16931-CL001", FATAL, "//cbc:EmbeddedDocumentBinaryObject[@mimeCode]",
         attr_in_list("mimeCode", MIME),
         "The attachment type must be PDF, PNG, JPEG, CSV, XLSX or ODS.",
         "MIME コードは IANA コードリストの許容サブセットでなければなりません。", "BT-125"),
    Rule("PEPPOL-EN16931-CL002", FATAL,
         "//cac:AllowanceCharge[cbc:ChargeIndicator = 'false']/cbc:AllowanceChargeReasonCode",
         in_list(UNCL5189),
         "The allowance reason code must be from Peppol's subset of UNCL 5189.",
         "値引き理由コードは UNCL 5189 のサブセットでなければなりません。", "BT-98"),
    Rule("PEPPOL-EN16931-CL003", FATAL,
         "//cac:AllowanceCharge[cbc:ChargeIndicator = 'true']/cbc:AllowanceChargeReasonCode",
         in_list(UNCL7161),
         "The charge reason code must be from UNCL 7161.",
         "追加料金理由コードは UNCL 7161 でなければなりません。", "BT-105"),
    Rule("PEPPOL-EN16931-CL006", FATAL, "//cac:InvoicePeriod/cbc:DescriptionCode",
         in_list(UNCL2005),
         "The invoice period description code must be 3, 35 or 432 (UNCL 2005).",
         "請求期間の説明コードは UNCL 2005 でなければなりません。", "BT-8"),
    Rule("PEPPOL-EN16931-CL007", FATAL, _AMOUNTS.replace(
        "//cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount | //cac:TaxSubtotal/cbc:TaxAmount",
        "//cbc:TaxAmount"),
         attr_in_list("currencyID", ISO4217),
         "The currency code must be an ISO 4217 code.",
         "通貨コードは ISO 4217 でなければなりません。"),
    Rule("PEPPOL-EN16931-P0100", FATAL, "//cbc:InvoiceTypeCode", _p0100,
         "This invoice type code is not allowed in the business process.",
         "請求書タイプコードがプロファイルで許容されていません。", "BT-3"),
    Rule("PEPPOL-EN16931-P0101", FATAL, "//cbc:CreditNoteTypeCode", _p0101,
         "This credit note type code is not allowed in the business process.",
         "クレジットノートのタイプコードがプロファイルで許容されていません。", "BT-3"),
    Rule("PEPPOL-EN16931-P0112", FATAL, "//cbc:InvoiceTypeCode", _p0112,
         "Invoice types 326 and 384 are for German sellers invoicing German buyers only.",
         "請求書タイプコード 326 と 384 は売手・買手がともにドイツの組織である場合に限り使用できます。", "BT-3"),
    Rule("PEPPOL-EN16931-F001", FATAL,
         "//cbc:IssueDate | //cbc:DueDate | //cbc:TaxPointDate | //cbc:StartDate | //cbc:EndDate | //cbc:ActualDeliveryDate",
         iso_date,
         "A date must be written YYYY-MM-DD.",
         "日付は YYYY-MM-DD 形式でなければなりません。"),
    Rule("PEPPOL-EN16931-CL008", FATAL, "//cbc:EndpointID[@schemeID]",
         attr_in_list("schemeID", EAS),
         'Electronic address identifier scheme must be from the codelist "Electronic Address Identifier Scheme"',
         "電子アドレスのスキーム識別子は EAS コードリストの値でなければなりません。"),
    *(
        Rule(f"PEPPOL-EN16931-{rule}", FATAL, _exemption(reason),
             f"normalize-space(cbc:ID) = '{category}'",
             f"Exemption reason {reason} goes with VAT category {category} only.",
             f"免税理由コード {reason} の場合は税区分 {category} を使用しなければなりません。")
        for rule, reason, category in _EXEMPTIONS
    ),
)  # fmt: skip

PEPPOL_BIS3 = RuleSet("peppol-bis-3", RULES)


_OTHER_SPECIFICATIONS = (
    Profile.JP_PINT,
    Profile.JP_PINT_SELF_BILLING,
    Profile.JP_PINT_NON_TAX_REGISTERED,
    Profile.XRECHNUNG,
    Profile.FACTURX_MINIMUM,
    Profile.FACTURX_BASIC_WL,
    Profile.FACTURX_BASIC,
    Profile.FACTURX_EN16931,
    Profile.FACTURX_EXTENDED,
)
_EN16931_CORE = "urn:cen.eu:en16931:2017"


_CII_GUIDELINE = etree.XPath(
    "string(rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID)",
    namespaces=NS,
)


def applies(root: etree._Element, syntax: Syntax, profile: Profile) -> bool:
    """Whether the Peppol BIS rules judge this document (see the module docstring)."""
    if profile in _OTHER_SPECIFICATIONS:
        return False
    if profile is Profile.PEPPOL_BIS3:
        return True
    if syntax is Syntax.CII:  # ZUGFeRD 1 and other CII ids juryo does not know are not Peppol's
        return "peppol" in " ".join(str(_CII_GUIDELINE(root)).split()).lower()
    if profile is not Profile.EN16931:
        return True  # no CustomizationID, or one juryo does not know
    customization = text(first(root, "cbc:CustomizationID")).lower()
    return customization != _EN16931_CORE and "peppol" in customization


def validate_peppol(root: etree._Element) -> list[Finding]:
    """Peppol BIS Billing 3.0 rules, national ones included, for a UBL invoice or credit note."""
    return PEPPOL_BIS3.run(root) + validate_national(root)
