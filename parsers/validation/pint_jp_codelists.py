# ruff: noqa: E501  (rule tables: Japanese full-width punctuation, one row per rule)
"""JP PINT code-list rules (``ibr-cl-*``): coded values must come from the published lists.

The lists are data in :mod:`schemas.pint_jp_codes`. A value matches when its
whitespace-normalised form is one of the codes, which is what the official ``contains(' list ',
concat(' ', normalize-space(.), ' '))`` tests mean. Only the document type codes
(``ibr-cl-01``) differ between billing, self-billing and non-tax-registered invoices.
"""

from __future__ import annotations

from lxml import etree

from parsers.validation._rules import FATAL, Predicate, Rule, text
from schemas import pint_jp_codes as lists

__all__ = ["CODE_LIST_RULES", "document_type_rule"]

_IS_FALSE = (
    "[normalize-space(cbc:ChargeIndicator) = 'false' or normalize-space(cbc:ChargeIndicator) = '0']"
)
_IS_TRUE = (
    "[normalize-space(cbc:ChargeIndicator) = 'true' or normalize-space(cbc:ChargeIndicator) = '1']"
)
_AMOUNTS = "//cbc:*[{}]".format(
    " or ".join(
        f"self::cbc:{name}"
        for name in (
            "Amount BaseAmount PriceAmount TaxAmount TaxableAmount LineExtensionAmount"
            " TaxExclusiveAmount TaxInclusiveAmount AllowanceTotalAmount ChargeTotalAmount"
            " PrepaidAmount PayableRoundingAmount PayableAmount"
        ).split()
    )
)
"""Every amount, selected in one pass over the document."""


def _value_in(codes: frozenset[str]) -> Predicate:
    def check(node: etree._Element) -> bool:
        return text(node) in codes

    return check


def _attribute_in(name: str, codes: frozenset[str]) -> Predicate:
    def check(node: etree._Element) -> bool:
        return " ".join((node.get(name) or "").split()) in codes

    return check


_SEPA_HOLDERS = etree.XPath(
    "boolean(ancestor::*[local-name() = 'AccountingSupplierParty' or local-name() = 'PayeeParty'])"
)


def _party_scheme(node: etree._Element) -> bool:
    """ibr-cl-10: an ICD scheme, or SEPA for the seller's or payee's identifier (creditor id)."""
    scheme = " ".join((node.get("schemeID") or "").split())
    return scheme in lists.ICD or (scheme == "SEPA" and bool(_SEPA_HOLDERS(node)))


def _mime(node: etree._Element) -> bool:
    """ibr-cl-24 compares the attribute as written, without normalising spaces."""
    return (node.get("mimeCode") or "") in lists.MIME


def _billing_type(node: etree._Element) -> bool:
    codes = (
        lists.UNCL1001_INVOICE
        if etree.QName(node).localname == "InvoiceTypeCode"
        else lists.UNCL1001_CREDIT_NOTE
    )
    return text(node) in codes


def _invoice_type_in(codes: frozenset[str]) -> Predicate:
    def check(node: etree._Element) -> bool:
        return etree.QName(node).localname == "InvoiceTypeCode" and text(node) in codes

    return check


def document_type_rule(variant: str) -> Rule:
    """ibr-cl-01 as each specification words it: its own id and list per variant."""
    context = "//cbc:InvoiceTypeCode | //cbc:CreditNoteTypeCode"
    if variant == "sb":
        return Rule(
            "ibr-cl-01-jp-sb",
            FATAL,
            context,
            _invoice_type_in(lists.UNCL1001_SELF_BILLING),
            "A self-billed invoice must have the document type code 389 (UNTDID 1001).",
            "自己請求書（セルフビリング）の文書タイプコードは 389（UNTDID 1001）でなければなりません。",
            "ibt-003",
        )
    if variant == "ntr":
        return Rule(
            "ibr-cl-01-jp-ntr",
            FATAL,
            context,
            _invoice_type_in(lists.UNCL1001_NON_TAX),
            "An invoice from a non-tax-registered business must have the document type code 480 (UNTDID 1001).",
            "適格請求書発行事業者でない事業者の請求書の文書タイプコードは 480（UNTDID 1001）でなければなりません。",
            "ibt-003",
        )
    return Rule("ibr-cl-01", FATAL, context, _billing_type,
                "The document type code (ibt-003) must be an invoice or credit note code of UNTDID 1001.",
                "文書タイプコード（ibt-003）は UNTDID 1001 の請求書またはクレジットノートのコードでなければなりません。", "ibt-003")  # fmt: skip


CODE_LIST_RULES: tuple[Rule, ...] = (
    Rule("ibr-cl-03", FATAL, _AMOUNTS, _attribute_in("currencyID", lists.ISO4217),
         "Every amount's currencyID must be an ISO 4217 alpha-3 currency code.",
         "金額の通貨コード（currencyID）は ISO 4217 の3文字コードでなければなりません。", "ibt-005"),
    Rule("ibr-cl-04", FATAL, "//cbc:DocumentCurrencyCode", _value_in(lists.ISO4217),
         "The invoice currency code (ibt-005) must be an ISO 4217 alpha-3 currency code.",
         "請求書通貨コード（ibt-005）は ISO 4217 の3文字コードでなければなりません。", "ibt-005"),
    Rule("ibr-cl-05", FATAL, "//cbc:TaxCurrencyCode", _value_in(lists.ISO4217),
         "The tax accounting currency code (ibt-006) must be an ISO 4217 alpha-3 currency code.",
         "税会計通貨コード（ibt-006）は ISO 4217 の3文字コードでなければなりません。", "ibt-006"),
    Rule("ibr-cl-07", FATAL,
         "//cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '130']/cbc:ID[@schemeID]"
         " | //cac:DocumentReference[cbc:DocumentTypeCode = '130']/cbc:ID[@schemeID]",
         _attribute_in("schemeID", lists.UNCL1153),
         "The scheme of an invoiced object identifier (ibt-018-1, ibt-128-1) must be a UNTDID 1153 code.",
         "請求対象識別子のスキーム（ibt-018-1、ibt-128-1）は UNTDID 1153 のコードでなければなりません。", "ibt-018"),
    Rule("ibr-cl-10", FATAL, "//cac:PartyIdentification/cbc:ID[@schemeID]", _party_scheme,
         "A party identifier's scheme (ibt-029-1, ibt-046-1, ibt-060-1) must be an ISO 6523 ICD code (SEPA only for the seller or payee).",
         "当事者識別子のスキーム（ibt-029-1、ibt-046-1、ibt-060-1）は ISO 6523 ICD のコードでなければなりません（SEPA は売手・受取人のみ可）。", "ibt-046"),
    Rule("ibr-cl-11", FATAL, "//cac:PartyLegalEntity/cbc:CompanyID[@schemeID]", _attribute_in("schemeID", lists.ICD),
         "A legal registration identifier's scheme (ibt-030-1, ibt-047-1, ibt-061-1) must be an ISO 6523 ICD code.",
         "法人登録識別子のスキーム（ibt-030-1、ibt-047-1、ibt-061-1）は ISO 6523 ICD のコードでなければなりません。", "ibt-030"),
    Rule("ibr-cl-13", FATAL, "//cac:CommodityClassification/cbc:ItemClassificationCode[@listID]",
         _attribute_in("listID", lists.UNCL7143),
         "An item classification scheme (ibt-158-1) must be a UNTDID 7143 code.",
         "品目分類のスキーム（ibt-158-1）は UNTDID 7143 のコードでなければなりません。", "ibt-158"),
    Rule("ibr-cl-14", FATAL, "//cac:Country/cbc:IdentificationCode", _value_in(lists.ISO3166),
         "A country code (ibt-040, ibt-055, ibt-069, ibt-080) must be an ISO 3166-1 alpha-2 code.",
         "国コード（ibt-040、ibt-055、ibt-069、ibt-080）は ISO 3166-1 の2文字コードでなければなりません。", "ibt-040"),
    Rule("ibr-cl-15", FATAL, "//cac:OriginCountry/cbc:IdentificationCode", _value_in(lists.ISO3166),
         "The item country of origin (ibt-159) must be an ISO 3166-1 alpha-2 code.",
         "原産国コード（ibt-159）は ISO 3166-1 の2文字コードでなければなりません。", "ibt-159"),
    Rule("ibr-cl-16", FATAL, "//cac:PaymentMeans/cbc:PaymentMeansCode", _value_in(lists.UNCL4461),
         "The payment means code (ibt-081) must be a UNTDID 4461 code.",
         "支払手段コード（ibt-081）は UNTDID 4461 のコードでなければなりません。", "ibt-081"),
    Rule("ibr-cl-19", FATAL, f"//cac:AllowanceCharge{_IS_FALSE}/cbc:AllowanceChargeReasonCode", _value_in(lists.UNCL5189),
         "An allowance reason code (ibt-098, ibt-140) must be a UNTDID 5189 code.",
         "値引きの理由コード（ibt-098、ibt-140）は UNTDID 5189 のコードでなければなりません。", "ibt-098"),
    Rule("ibr-cl-20", FATAL, f"//cac:AllowanceCharge{_IS_TRUE}/cbc:AllowanceChargeReasonCode", _value_in(lists.UNCL7161),
         "A charge reason code (ibt-105, ibt-145) must be a UNTDID 7161 code.",
         "追加料金の理由コード（ibt-105、ibt-145）は UNTDID 7161 のコードでなければなりません。", "ibt-105"),
    Rule("ibr-cl-21", FATAL, "//cac:StandardItemIdentification/cbc:ID[@schemeID]", _attribute_in("schemeID", lists.ICD),
         "The scheme of an item standard identifier (ibt-157-1) must be an ISO 6523 ICD code.",
         "品目の標準識別子のスキーム（ibt-157-1）は ISO 6523 ICD のコードでなければなりません。", "ibt-157"),
    Rule("ibr-cl-23", FATAL,
         "//cbc:InvoicedQuantity[@unitCode] | //cbc:BaseQuantity[@unitCode] | //cbc:CreditedQuantity[@unitCode]",
         _attribute_in("unitCode", lists.UNECE_REC20),
         "A unit of measure (ibt-130, ibt-150) must be a UN/ECE Recommendation 20 (with Rec 21) code.",
         "数量単位（ibt-130、ibt-150）は UN/ECE 勧告20（勧告21を含む）のコードでなければなりません。", "ibt-130"),
    Rule("ibr-cl-24", FATAL, "//cbc:EmbeddedDocumentBinaryObject[@mimeCode]", _mime,
         "An attachment's media type (ibt-125-1) must be one of PDF, PNG, JPEG, CSV, XLSX, ODS or XML.",
         "添付ファイルのMIMEタイプ（ibt-125-1）は PDF、PNG、JPEG、CSV、XLSX、ODS、XML のいずれかでなければなりません。", "ibt-125"),
    Rule("ibr-cl-25", FATAL, "//cbc:EndpointID[@schemeID]", _attribute_in("schemeID", lists.EAS),
         "An electronic address scheme (ibt-034-1, ibt-049-1) must be a Peppol EAS code.",
         "電子アドレスのスキーム（ibt-034-1、ibt-049-1）は Peppol EAS のコードでなければなりません。", "ibt-034"),
    Rule("ibr-cl-26", FATAL, "//cac:DeliveryLocation/cbc:ID[@schemeID]", _attribute_in("schemeID", lists.ICD),
         "A delivery location identifier's scheme (ibt-071-1) must be an ISO 6523 ICD code.",
         "納入場所識別子のスキーム（ibt-071-1）は ISO 6523 ICD のコードでなければなりません。", "ibt-071"),
)  # fmt: skip
"""Every ``ibr-cl-*`` rule but the document type (see :func:`document_type_rule`), in order."""
