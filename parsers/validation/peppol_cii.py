# ruff: noqa: E501  (rule tables: one rule per row, long messages)
"""Peppol BIS Billing 3.0 rules for UN/CEFACT CII (2025.5 release), national ones included.

The CII binding states the same rules as the UBL one with CII paths, minus those CII cannot
express (R044, R046, R051, CL006, P0101) and plus R006 and R048, which 2025.5 still has for
CII only. The national rules for CII are those of DK, IT, NL, NO and SE. A rule stated the same
way in both bindings shares its id and messages with the UBL table; where the CII assertion says
something else, it has its own message here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from lxml import etree

from parsers.findings import Finding, Severity
from parsers.validation._rules import FATAL, NS, WARNING, Predicate, Rule, RuleSet, decimal, text
from parsers.validation.peppol import (
    EAS,
    ICD_CHECKS,
    ISO4217,
    MIME,
    RULES,
    UNCL5189,
    UNCL7161,
    partita_iva,
    profile_code,
    xpath_round_cents,
)
from parsers.validation.peppol_national import (
    NATIONAL_RULE_SETS,
    GatedRuleSet,
    country_of,
    mod11,
    postal_or_missing,
    se_orgnr,
    vat_prefix,
    xpath_number,
)

__all__ = ["PEPPOL_BIS3_CII", "validate_peppol_cii"]

Element = etree._Element

_UBL_RULES = {rule.rule_id: rule for rule in RULES} | {
    rule.rule_id: rule for rule_set in NATIONAL_RULE_SETS for rule in rule_set.rules.rules
}
_SLACK = Decimal("0.02")
_PEPPOL_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"

_AGREEMENT = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
)
_SETTLEMENT = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
)
_SELLER = f"{_AGREEMENT}/ram:SellerTradeParty"
_BUYER = f"{_AGREEMENT}/ram:BuyerTradeParty"
_INDICATOR = "normalize-space(ram:ChargeIndicator/udt:Indicator)"


def _like(
    rule_id: str, context: str, test: str | Predicate, severity: Severity | None = None
) -> Rule:
    """The UBL rule of the same id, restated on CII paths."""
    ubl = _UBL_RULES[rule_id]
    return Rule(
        rule_id,
        severity or ubl.severity,
        context,
        test,
        ubl.message_en,
        ubl.message_ja,
        ubl.business_term,
    )


def _strings(node: Element, path: str) -> list[str]:
    found = node.xpath(path, namespaces=NS)
    if not isinstance(found, list):
        return [str(found)]
    return ["".join(e.itertext()) if isinstance(e, Element) else str(e) for e in found]


def _first(node: Element, path: str) -> str:
    values = _strings(node, path)
    return values[0] if values else ""


def _norm(value: str) -> str:
    return " ".join(value.split())


# -- core rules ----------------------------------------------------------------------------


def _r007(context: Element) -> bool:
    return (
        profile_code(
            text(context.find("ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", NS))
        )
        is not None
    )


def _amounts(settlement: Element, currency_path: str, same: bool) -> list[Element]:
    currency = _strings(settlement, currency_path)
    amounts = settlement.findall(
        "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount", NS
    )
    return [
        a
        for a in amounts
        if a.get("currencyID") is not None
        and currency
        and ((a.get("currencyID") in currency) is same)
    ]


def _r053(settlement: Element) -> bool:
    return (
        len(
            _amounts(
                settlement,
                "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode",
                True,
            )
        )
        == 1
    )


def _r054(settlement: Element) -> bool:
    others = _amounts(
        settlement,
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode",
        False,
    )
    return len(others) == (1 if settlement.find("ram:TaxCurrencyCode", NS) is not None else 0)


def _r055(settlement: Element) -> bool:
    if not settlement.xpath(f"{_SETTLEMENT}/ram:TaxCurrencyCode", namespaces=NS):
        return True
    base = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    tax = [
        v
        for a in _amounts(settlement, f"{base}/ram:TaxCurrencyCode", True)
        if (v := decimal(a)) is not None
    ]
    doc = [
        v
        for a in _amounts(settlement, f"{base}/ram:InvoiceCurrencyCode", True)
        if (v := decimal(a)) is not None
    ]
    negative = any(v < 0 for v in tax) and any(v < 0 for v in doc)
    positive = any(v >= 0 for v in tax) and any(v >= 0 for v in doc)
    return negative or positive


def _r040(charge: Element) -> bool:
    basis, percent = (
        decimal(charge.find("ram:BasisAmount", NS)),
        decimal(charge.find("ram:CalculationPercent", NS)),
    )
    if (
        charge.find("ram:BasisAmount", NS) is None
        or charge.find("ram:CalculationPercent", NS) is None
    ):
        return True
    if basis is None or percent is None:
        return False
    amount = decimal(charge.find("ram:ActualAmount", NS)) or Decimal(0)
    return abs(amount - basis * percent / 100) <= _SLACK


def _period(edge: str, later: bool) -> Predicate:
    def check(node: Element) -> bool:
        mine = _strings(node, "udt:DateTimeString")
        document = _strings(
            node,
            f"../../../../ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod/ram:{edge}/udt:DateTimeString",
        )
        return any((m >= d) if later else (m <= d) for m in mine for d in document)

    return check


def _line_charges(line: Element, indicator: str) -> Decimal:
    path = f"ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge[{_INDICATOR} = '{indicator}']/ram:ActualAmount"
    values = [
        decimal(v) or Decimal(0) for v in line.xpath(path, namespaces=NS) if isinstance(v, Element)
    ]
    return xpath_round_cents(sum(values, Decimal(0))) if values else Decimal(0)


def _value(line: Element, path: str, default: Decimal) -> Decimal:
    node = line.find(path, NS)
    if node is None:
        return default
    return decimal(node) or Decimal(0)


def _r120(line: Element) -> bool:
    net = _value(
        line,
        "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        Decimal(0),
    )
    quantity = _value(line, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", Decimal(1))
    price = _value(
        line,
        "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount",
        Decimal(0),
    )
    base = _value(
        line,
        "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:BasisQuantity",
        Decimal(1),
    ) or Decimal(1)
    expected = (
        quantity * (price / base) + _line_charges(line, "true") - _line_charges(line, "false")
    )
    return abs(net - expected) <= _SLACK


def _r121(price: Element) -> bool:
    basis = price.find("ram:BasisQuantity", NS)
    value = decimal(basis) if basis is not None else None
    return basis is None or (value is not None and value > 0)


def _r130(basis: Element) -> bool:
    return basis.get("unitCode") in _strings(
        basis, "../../../ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode"
    )


_TYPE_CODES_01 = frozenset(
    "71 102 218 219 326 331 382 553 817 870 875 876 877 380 383 384 386 388 393 82 80 84 395"
    " 575 623 780 381 396 81 83 532".split()
)


def _p0100(code: Element) -> bool:
    root = code.getroottree().getroot()
    process = text(
        root.find(
            "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
            NS,
        )
    )
    return profile_code(process) != "01" or text(code) in _TYPE_CODES_01


def _f001(date: Element) -> bool:
    raw = "".join(t for t in date.xpath("text()", namespaces=NS) if isinstance(t, str))
    return (
        _norm(date.get("format") or "") == "102"
        and len(raw) == 8
        and re.search(r"20[0-9]{6}", _norm(raw)) is not None
    )


def _in(values: Iterable[str], attribute: str | None = None) -> Predicate:
    allowed = frozenset(values)

    def check(node: Element) -> bool:
        value = (node.get(attribute) or "") if attribute else text(node)
        return value in allowed

    return check


def _icd(scheme: str, uri_only: bool) -> str:
    if uri_only:
        return f"//ram:URIID[@schemeID = '{scheme}']"
    return f"//ram:URIID[@schemeID = '{scheme}'] | //ram:ID[@schemeID = '{scheme}'] | //ram:GlobalID[@schemeID = '{scheme}']"


_ICD_RULES = (
    *(
        Rule(rule_id, severity, _icd(scheme, uri_only), check, en, ja)
        for rule_id, severity, scheme, uri_only, check, en, ja in ICD_CHECKS
    ),
    Rule("PEPPOL-COMMON-R048", WARNING, _icd("9906", True), partita_iva,
         "Italian VAT number (Partita IVA, scheme 9906) is not in the right format.",
         "イタリア VAT 番号 Partita IVA（9906）の形式が正しくありません。"),
)  # fmt: skip

_CHARGE = "//ram:SpecifiedTradeAllowanceCharge"
_BOTH_OR_NEITHER = "[not(ram:CalculationPercent and not(ram:BasisAmount)) and not(not(ram:CalculationPercent) and ram:BasisAmount)]"

CORE_RULES: tuple[Rule, ...] = (
    _like("PEPPOL-EN16931-R001", "//rsm:ExchangedDocumentContext", "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"),
    _like("PEPPOL-EN16931-R007", "//rsm:ExchangedDocumentContext", _r007),
    _like("PEPPOL-EN16931-R004", "//rsm:ExchangedDocumentContext",
          f"starts-with(normalize-space(ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()), '{_PEPPOL_ID}')"),
    _like("PEPPOL-EN16931-R003", "//ram:ApplicableHeaderTradeAgreement", "ram:BuyerReference or ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
    Rule("PEPPOL-EN16931-R006", FATAL, "//ram:ApplicableHeaderTradeAgreement", "count(ram:AdditionalReferencedDocument[ram:TypeCode = '130']) <= 1",
         "At most one invoiced object identifier (type 130) is allowed on document level.",
         "文書レベルの請求対象識別子（タイプ 130）は1つまでです。", "BT-18"),
    _like("PEPPOL-EN16931-R080", "//ram:ApplicableHeaderTradeAgreement", "count(ram:AdditionalReferencedDocument[ram:TypeCode = '50']) <= 1"),
    _like("PEPPOL-EN16931-R005", "//ram:ApplicableHeaderTradeSettlement",
          "not(ram:TaxCurrencyCode) or normalize-space(ram:TaxCurrencyCode/text()) != normalize-space(ram:InvoiceCurrencyCode/text())"),
    _like("PEPPOL-EN16931-R053", "//ram:ApplicableHeaderTradeSettlement", _r053),
    _like("PEPPOL-EN16931-R054", "//ram:ApplicableHeaderTradeSettlement", _r054),
    _like("PEPPOL-EN16931-R055", "//ram:ApplicableHeaderTradeSettlement", _r055),
    Rule("PEPPOL-EN16931-R002", FATAL, "//rsm:ExchangedDocument", "count(ram:IncludedNote) <= 1 and not(ram:IncludedNote/ram:SubjectCode)",
         "At most one document-level note is allowed, and it must not carry a subject code.",
         "文書レベルの注記は1つまでで、件名コードを付けてはなりません。", "BT-22"),
    _like("PEPPOL-EN16931-R010", "//ram:BuyerTradeParty", "ram:URIUniversalCommunication/ram:URIID"),
    _like("PEPPOL-EN16931-R020", "//ram:SellerTradeParty", "ram:URIUniversalCommunication/ram:URIID"),
    _like("PEPPOL-EN16931-R041", f"{_CHARGE}[ram:CalculationPercent and not(ram:BasisAmount)]", "false()"),
    _like("PEPPOL-EN16931-R042", f"{_CHARGE}[not(ram:CalculationPercent) and ram:BasisAmount]", "false()"),
    _like("PEPPOL-EN16931-R040", f"{_CHARGE}{_BOTH_OR_NEITHER}", _r040),
    _like("PEPPOL-EN16931-R043", f"{_CHARGE}{_BOTH_OR_NEITHER} | //ram:AppliedTradeAllowanceCharge",
          f"{_INDICATOR} = 'true' or {_INDICATOR} = 'false'"),
    _like("PEPPOL-EN16931-R061",
          "//ram:SpecifiedTradeSettlementPaymentMeans[normalize-space(ram:TypeCode) = '49' or normalize-space(ram:TypeCode) = '59']",
          "../ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID"),
    _like("PEPPOL-EN16931-R110",
          "//rsm:SupplyChainTradeTransaction[ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod/ram:StartDateTime]"
          "/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:StartDateTime",
          _period("StartDateTime", later=True)),
    _like("PEPPOL-EN16931-R111",
          "//rsm:SupplyChainTradeTransaction[ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod/ram:EndDateTime]"
          "/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:EndDateTime",
          _period("EndDateTime", later=False)),
    _like("PEPPOL-EN16931-R120", "//ram:IncludedSupplyChainTradeLineItem", _r120),
    _like("PEPPOL-EN16931-R100", "//ram:IncludedSupplyChainTradeLineItem",
          "count(ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument[ram:TypeCode = '130']) <= 1"),
    _like("PEPPOL-EN16931-R101", "//ram:IncludedSupplyChainTradeLineItem",
          "not(ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument)"
          " or ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument/ram:TypeCode = '130'"),
    _like("PEPPOL-EN16931-R121", "//ram:NetPriceProductTradePrice | //ram:GrossPriceProductTradePrice", _r121),
    _like("PEPPOL-EN16931-R130",
          "//ram:NetPriceProductTradePrice/ram:BasisQuantity[@unitCode] | //ram:GrossPriceProductTradePrice/ram:BasisQuantity[@unitCode]",
          _r130),
    *_ICD_RULES,
    _like("PEPPOL-EN16931-CL001", "//ram:AttachmentBinaryObject[@mimeCode]", _in(MIME, "mimeCode")),
    _like("PEPPOL-EN16931-CL002", f"{_CHARGE}[{_INDICATOR} = 'false']/ram:ReasonCode", _in(UNCL5189)),
    _like("PEPPOL-EN16931-CL003", f"{_CHARGE}[{_INDICATOR} = 'true']/ram:ReasonCode", _in(UNCL7161)),
    _like("PEPPOL-EN16931-CL007", "//ram:TaxTotalAmount[@currencyID]", _in(ISO4217, "currencyID")),
    Rule("PEPPOL-EN16931-P0100", FATAL, "//ram:ExchangedDocument/ram:TypeCode", _p0100,
         "The document type code (BT-3) is not allowed in this business process.",
         "文書タイプコード（BT-3）がこのビジネスプロセスで許容されていません。", "BT-3"),
    Rule("PEPPOL-EN16931-F001", FATAL, "//udt:DateTimeString", _f001,
         "A date must be written YYYYMMDD (format 102).",
         "日付は YYYYMMDD 形式（フォーマット 102）でなければなりません。"),
    _like("PEPPOL-EN16931-CL008",
          "//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID | //ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID",
          _in(EAS, "schemeID")),
)  # fmt: skip


# -- national rules (DK, IT, NL, NO, SE) ---------------------------------------------------


_SELLER_VAT = etree.XPath(
    f"{_AGREEMENT}[1]/ram:SellerTradeParty[1]/ram:SpecifiedTaxRegistration[ram:ID/@schemeID = 'VAT']",
    namespaces=NS,
)
_REPRESENTATIVE_VAT = etree.XPath(
    f"{_AGREEMENT}/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration[ram:ID/@schemeID = 'VAT']",
    namespaces=NS,
)
_SELLER_POSTAL = etree.XPath(f"{_SELLER}/ram:PostalTradeAddress/ram:CountryID", namespaces=NS)


def _seller_country(root: Element) -> str | None:
    """Peppol's seller country in CII: VAT prefix, tax representative's, else the address."""
    return country_of(
        vat_prefix(root, _SELLER_VAT, "ram:ID"),
        vat_prefix(root, _REPRESENTATIVE_VAT, "ram:ID"),
        postal=postal_or_missing(root, _SELLER_POSTAL),
    )


def _country_is(party: str, country: str, *, exact: bool) -> Callable[[Element], bool]:
    path = f"{party}/ram:PostalTradeAddress/ram:CountryID"

    def check(root: Element) -> bool:
        values = _strings(root, path)
        if exact:  # a general comparison: any of them
            return country in values
        return len(values) == 1 and _norm(values[0]).upper() == country  # several: an error

    return check


def _gated(name: str, gate: Callable[[Element], bool], rules: Iterable[Rule]) -> GatedRuleSet:
    return GatedRuleSet(name, gate, RuleSet(name, tuple(rules)))


def _no_001(party: Element) -> bool:
    values = _strings(party, "ram:SpecifiedTaxRegistration[ram:ID/@schemeID = 'VAT']/ram:ID")
    if "NO" not in {v[:2] for v in values}:
        return True
    value = values[0]
    return re.fullmatch(r"[0-9]{9}MVA", value[2:]) is not None and mod11(value[2:11])


_NO_RULES = (
    _like("NO-R-002", "//ram:SellerTradeParty", "ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'FC'][normalize-space(text()) = 'Foretaksregisteret']"),
    _like("NO-R-001", "//ram:SellerTradeParty", _no_001),
)  # fmt: skip

_dk_seller = _country_is(_SELLER, "DK", exact=True)
_dk_buyer = _country_is(_BUYER, "DK", exact=True)
_HEADER_CHARGE = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge"


def _dk_004(root: Element) -> bool:
    if not _dk_buyer(root) or "ZZZ" not in _strings(root, f"{_HEADER_CHARGE}/ram:ReasonCode"):
        return True
    reasons = _strings(root, f"{_HEADER_CHARGE}/ram:Reason")
    reason = reasons[0] if reasons else ""
    number = xpath_number(reason)
    four_digits = len(_norm(reason)) == 4 and number is not None and 0 <= number <= 9999
    hashed = (
        bool(reasons) and "#" in reason and not reason.startswith("#") and not reason.endswith("#")
    )
    return four_digits or hashed


def _missing_scheme(root: Element, party: str) -> bool:
    ids = root.findall(
        f"rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:{party}/ram:GlobalID",
        NS,
    )
    return bool(ids) and _norm(ids[0].get("schemeID") or "") == ""


def _dk_013(root: Element) -> bool:
    return not (
        _dk_buyer(root)
        and (_missing_scheme(root, "SellerTradeParty") or _missing_scheme(root, "BuyerTradeParty"))
    )


def _dk_014(root: Element) -> bool:
    ids = root.findall(
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
        NS,
    )
    return not ids or _norm(ids[0].get("schemeID") or "") == "0184"


def _dk_016(root: Element) -> bool:
    if (
        not _dk_buyer(root)
        or _norm(_first(root, "rsm:ExchangedDocument/ram:TypeCode/text()")) != "381"
    ):
        return True
    due = xpath_number(
        _first(
            root,
            f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount/text()",
        )
    )
    return due is None or due >= 0


def _code(means: Element) -> str:
    return _first(means, "ram:TypeCode")


def _reference(means: Element) -> str:
    return _first(means, "../ram:PaymentReference")


def _filled(node: Element, path: str) -> bool:
    return _norm(_first(node, path)) != ""


def _dk_006(means: Element) -> bool:
    if _code(means) not in ("31", "42"):
        return True
    return _filled(means, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID/text()") and _filled(
        means, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID/text()"
    )


def _dk_007(means: Element) -> bool:
    if _code(means) != "49":
        return True
    return _filled(means, "../ram:CreditorReferenceID/text()") and _filled(
        means, "ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID/text()"
    )


def _dk_008(means: Element) -> bool:
    if _code(means) != "50":
        return True
    account = _first(means, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID/text()")
    return _reference(means)[:3] in ("01#", "04#", "15#") and len(account) == 7


def _dk_009(means: Element) -> bool:
    reference = _reference(means)
    return _code(means) != "50" or reference[:3] not in ("04#", "15#") or len(reference) == 19


def _dk_010(means: Element) -> bool:
    if _code(means) != "93":
        return True
    account = _first(means, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID/text()")
    return _reference(means)[:3] in ("71#", "73#", "75#") and len(account) == 8


def _dk_011(means: Element) -> bool:
    reference = _reference(means)
    return _code(means) != "93" or reference[:3] not in ("71#", "75#") or len(reference) in (18, 19)


def _dk_003(line: Element) -> bool:
    path = "ram:SpecifiedTradeProduct/ram:DesignatedProductClassification/ram:ClassCode"
    if "TST" not in _strings(line, f"{path}/@listID"):
        return True
    versions = set(_strings(line, f"{path}/@listVersionID"))
    return not versions.isdisjoint({"19.05.01", "19.0501", "26.08.01", "26.0801"})


_DK_MEANS = f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans"

_DK_SELLER_RULES = (
    _like("DK-R-002", "/rsm:CrossIndustryInvoice", lambda root: _filled(root, "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID/text()")),
    _like("DK-R-004", "/rsm:CrossIndustryInvoice", _dk_004),
    _like("DK-R-013", "/rsm:CrossIndustryInvoice", _dk_013),
    _like("DK-R-014", "/rsm:CrossIndustryInvoice", _dk_014),
    _like("DK-R-016", "/rsm:CrossIndustryInvoice", _dk_016),
)  # fmt: skip

_DK_BOTH_RULES = (
    _like("DK-R-005", _DK_MEANS, lambda means: _code(means) in "1 10 31 42 48 49 50 58 59 93 97".split()),
    Rule("DK-R-006", FATAL, _DK_MEANS, _dk_006,
         "Danish seller and buyer: payment means 31 or 42 need both the account (IBANID) and the bank identifier (BICID).",
         "売手・買手ともにデンマークで支払手段 31・42 の場合、口座（IBANID）と金融機関識別子（BICID）の両方が必要です。", "BT-84"),
    Rule("DK-R-007", FATAL, _DK_MEANS, _dk_007,
         "Danish seller and buyer: payment means 49 needs the mandate reference (BT-89) and the creditor reference (BT-90).",
         "売手・買手ともにデンマークで支払手段 49 の場合、マンデート参照（BT-89）と債権者参照（BT-90）が必要です。", "BT-89"),
    Rule("DK-R-008", FATAL, _DK_MEANS, _dk_008,
         "Danish seller and buyer: giro payment (50) needs a payment reference starting 01#, 04# or 15# and a giro account of exactly 7 characters.",
         "売手・買手ともにデンマークでジロ払い（50）の場合、01#・04#・15# で始まる支払参照とちょうど7文字のジロ口座番号が必要です。", "BT-83"),
    _like("DK-R-009", _DK_MEANS, _dk_009),
    _like("DK-R-010", _DK_MEANS, _dk_010),
    _like("DK-R-011", _DK_MEANS, _dk_011),
    _like("DK-R-003", "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem", _dk_003),
)  # fmt: skip


def _it_001(registration: Element) -> bool:
    if registration.xpath("ram:ID[normalize-space(@schemeID) != 'FC']", namespaces=NS):
        return True
    value = _norm(_first(registration, "ram:ID[normalize-space(@schemeID) = 'FC']"))
    return re.fullmatch(r"[A-Z0-9]{11,16}", value) is not None


_IT_RULES = (
    _like("IT-R-001", "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration", _it_001),
    _like("IT-R-002", "//ram:SellerTradeParty", "ram:PostalTradeAddress/ram:LineOne"),
    _like("IT-R-003", "//ram:SellerTradeParty", "ram:PostalTradeAddress/ram:CityName"),
    _like("IT-R-004", "//ram:SellerTradeParty", "ram:PostalTradeAddress/ram:PostcodeCode"),
)  # fmt: skip

_SE_POSTAL = "ram:PostalTradeAddress/ram:CountryID = 'SE'"
_SE_VAT = "ram:SpecifiedTaxRegistration[substring(ram:ID[@schemeID = 'VAT'], 1, 2) = 'SE']"
_SE_SELLER = f"{_SELLER}[{_SE_POSTAL}]"
_SE_TRANSACTION = f"/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction[ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty[{_SE_POSTAL}]]"
_SE_MEANS = f"{_SE_TRANSACTION}/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementPaymentMeans"
_SE_GIRO = (
    _SE_MEANS
    + "[normalize-space(ram:TypeCode) = '30' and normalize-space(ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID) = '{kind}']"
    "/ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID"
)
_SE_VAT_ID = "ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'VAT']"
_SE_TAXED = f"{_SELLER}[{_SE_POSTAL}]/{_SE_VAT}"


def _own(node: Element) -> str:
    return _norm("".join(node.itertext()))


_SE_RULES = (
    _like("SE-R-001", f"{_SELLER}[{_SE_POSTAL} and {_SE_VAT}]", lambda party: len(_norm(_first(party, _SE_VAT_ID))) == 14),
    _like("SE-R-002", f"{_SELLER}[{_SE_POSTAL} and {_SE_VAT}]", lambda party: xpath_number(_first(party, _SE_VAT_ID)[2:14]) is not None),
    _like("SE-R-003", f"{_SELLER}/ram:SpecifiedLegalOrganization[../{_SE_POSTAL} and ram:ID]", lambda org: xpath_number(_first(org, "ram:ID")) is not None),
    _like("SE-R-004", f"{_SELLER}/ram:SpecifiedLegalOrganization[../{_SE_POSTAL} and ram:ID]", lambda org: len(_norm(_first(org, "ram:ID"))) == 10),
    _like("SE-R-013", f"{_SELLER}/ram:SpecifiedLegalOrganization[../{_SE_POSTAL} and ram:ID]", lambda org: se_orgnr(_norm(_first(org, "ram:ID")))),
    _like("SE-R-005", f"{_SELLER}[{_SE_POSTAL} and ram:SpecifiedLegalOrganization/ram:ID]/ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'FC']",
          lambda registration: _own(registration).upper() == "GODKÄND FÖR F-SKATT"),
    Rule("SE-R-006", FATAL, f"//ram:ApplicableTradeTax[{_SE_TAXED}] | //ram:CategoryTradeTax[{_SE_TAXED}]",
         lambda tax: xpath_number(_first(tax, "ram:RateApplicablePercent")) in (25.0, 12.0, 6.0),
         "Swedish seller: every VAT rate must be 25, 12 or 6 %.",
         "売手がスウェーデンの場合、税率はすべて 25・12・6 % のいずれかでなければなりません。", "BT-119"),
    _like("SE-R-007", _SE_GIRO.format(kind="SE:PLUSGIRO"), lambda account: xpath_number(_own(account)) is not None),
    _like("SE-R-010", _SE_GIRO.format(kind="SE:PLUSGIRO"), lambda account: 2 <= len(_own(account)) <= 8),
    _like("SE-R-008", _SE_GIRO.format(kind="SE:BANKGIRO"), lambda account: xpath_number(_own(account)) is not None),
    _like("SE-R-009", _SE_GIRO.format(kind="SE:BANKGIRO"), lambda account: len(_own(account)) in (7, 8)),
    _like("SE-R-011", f"{_SE_MEANS}[normalize-space(ram:TypeCode) = '50' or normalize-space(ram:TypeCode) = '56']", "false()"),
    _like("SE-R-012",
          f"/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction[ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty[{_SE_POSTAL}]"
          f" and ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty[{_SE_POSTAL}]]"
          "/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementPaymentMeans[normalize-space(ram:TypeCode) = '31']",
          "false()"),
)  # fmt: skip

_nl_seller = _country_is(_SELLER, "NL", exact=False)
_nl_buyer = _country_is(_BUYER, "NL", exact=False)
_nl_representative = _country_is(
    f"{_AGREEMENT}/ram:SellerTaxRepresentativeTradeParty", "NL", exact=False
)
_NL_ADDRESS = "ram:LineOne and ram:CityName and ram:PostcodeCode"
_CREDIT_NOTE_TYPES = frozenset({"81", "83", "381", "396", "532"})


def _kvk_or_oin(identifier: Element) -> bool:
    return identifier.get("schemeID") in ("0106", "0190") and bool(text(identifier))


def _nl_007(summation: Element) -> bool:
    root = summation.getroottree().getroot()
    credit = (
        _norm(_first(root, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode/text()"))
        == "381"
    )
    due = decimal(summation.find("ram:DuePayableAmount", NS))
    if due is not None and ((not credit and due <= 0) or (credit and due >= 0)):
        return True
    return bool(
        root.xpath(f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans", namespaces=NS)
    )


_NL_SELLER_RULES = (
    Rule("NL-R-001", FATAL, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument", lambda document: _norm(_first(document, "ram:TypeCode")) not in _CREDIT_NOTE_TYPES
         or bool(document.xpath("//ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS)),
         _UBL_RULES["NL-R-001"].message_en, _UBL_RULES["NL-R-001"].message_ja, "BT-25"),
    _like("NL-R-002", f"{_SELLER}/ram:PostalTradeAddress", _NL_ADDRESS),
    _like("NL-R-003", f"{_SELLER}/ram:SpecifiedLegalOrganization/ram:ID", _kvk_or_oin),
    _like("NL-R-007", f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation", _nl_007),
    _like("NL-R-009",
          "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeAgreement/ram:BuyerOrderReferencedDocument/ram:LineID",
          f"{_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
)  # fmt: skip

_NL_BOTH_RULES = (
    _like("NL-R-004", f"{_BUYER}/ram:PostalTradeAddress", _NL_ADDRESS),
    _like("NL-R-005", f"{_BUYER}/ram:SpecifiedLegalOrganization/ram:ID", _kvk_or_oin),
    _like("NL-R-008", f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans",
          lambda means: _norm(_code(means)) in ("30", "48", "49", "57", "58", "59")),
)  # fmt: skip

_NL_REPRESENTATIVE_RULES = (
    _like("NL-R-006", f"{_AGREEMENT}/ram:SellerTaxRepresentativeTradeParty/ram:PostalTradeAddress", _NL_ADDRESS),
)  # fmt: skip


def _se_located(root: Element) -> bool:
    """Every Swedish context asks for a seller address in SE."""
    return "SE" in _strings(root, f"{_SELLER}/ram:PostalTradeAddress/ram:CountryID")


PEPPOL_BIS3_CII = RuleSet("peppol-bis-3-cii", CORE_RULES)

NATIONAL_CII_RULE_SETS: tuple[GatedRuleSet, ...] = (
    _gated("DK", _dk_seller, _DK_SELLER_RULES),
    _gated("DK+DK", lambda root: _dk_seller(root) and _dk_buyer(root), _DK_BOTH_RULES),
    _gated("IT", lambda root: _seller_country(root) == "IT", _IT_RULES),
    _gated("NL", _nl_seller, _NL_SELLER_RULES),
    _gated("NL+NL", lambda root: _nl_seller(root) and _nl_buyer(root), _NL_BOTH_RULES),
    _gated(
        "NL+representative",
        lambda root: _nl_seller(root) and _nl_representative(root),
        _NL_REPRESENTATIVE_RULES,
    ),
    _gated("NO", lambda root: _seller_country(root) == "NO", _NO_RULES),
    _gated("SE", _se_located, _SE_RULES),
)
"""The national rules of the 2025.5 release for CII, grouped by the condition that opens them."""


def validate_peppol_cii(root: Element) -> list[Finding]:
    """Peppol BIS Billing 3.0 rules, national ones included, for a CII invoice."""
    return PEPPOL_BIS3_CII.run(root) + [
        finding for rule_set in NATIONAL_CII_RULE_SETS for finding in rule_set.run(root)
    ]
