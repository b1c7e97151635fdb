# ruff: noqa: E501  (rule tables: one rule per row, long messages)
"""Peppol BIS Billing 3.0 national rules (2025.5 release, UBL): DE, DK, GR, IS, IT, NL, NO, SE.

Each country's rules apply only where the official Schematron's context says: to the seller's
country, or to the seller's and the buyer's. Those conditions read the document in different
ways (postal address, VAT identifier prefix, tax representative), so each country's gate is a
Python function here and the rules behind it are ordinary rows of :class:`RuleSet`. A document
whose parties are in none of these countries runs no national rule at all.

The ids and flags are the official ones; the messages are juryo's own words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lxml import etree

from parsers.findings import Finding
from parsers.validation._rules import FATAL, NS, WARNING, Predicate, Rule, RuleSet, text
from parsers.validation._xpath2 import date_days

__all__ = [
    "NATIONAL_RULE_SETS",
    "country_of",
    "de_seller_and_buyer",
    "mod11",
    "postal_or_missing",
    "se_orgnr",
    "validate_national",
    "vat_prefix",
    "xpath_number",
]

Element = etree._Element

_SUPPLIER = "/*/cac:AccountingSupplierParty/cac:Party"
_CUSTOMER = "/*/cac:AccountingCustomerParty/cac:Party"
_REPRESENTATIVE = "/*/cac:TaxRepresentativeParty"
_VAT_SCHEME = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']"


@functools.cache
def _xpath(expression: str) -> etree.XPath:
    """Compiled once per expression, like the rule contexts."""
    return etree.XPath(expression, namespaces=NS)


def _strings(node: Element, xpath: etree.XPath) -> list[str]:
    """String values (not normalised) of what ``xpath`` selects."""
    found = xpath(node)
    if not isinstance(found, list):
        return [str(found)]
    return ["".join(e.itertext()) if isinstance(e, Element) else str(e) for e in found]


def _first(node: Element, xpath: etree.XPath) -> str:
    values = _strings(node, xpath)
    return values[0] if values else ""


def _norm(value: str) -> str:
    return " ".join(value.split())


# -- where the parties are ----------------------------------------------------------------

_SUPPLIER_POSTAL = _xpath(f"{_SUPPLIER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode")
_CUSTOMER_POSTAL = _xpath(f"{_CUSTOMER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode")
_REPRESENTATIVE_POSTAL = _xpath(
    f"{_REPRESENTATIVE}/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
)
_SUPPLIER_VAT_SCHEMES = _xpath(f"{_SUPPLIER}/{_VAT_SCHEME}")
_CUSTOMER_VAT_SCHEMES = _xpath(f"{_CUSTOMER}/{_VAT_SCHEME}")
_REPRESENTATIVE_VAT_SCHEMES = _xpath(f"{_REPRESENTATIVE}/{_VAT_SCHEME}")
_SUPPLIER_VAT = _xpath(f"{_SUPPLIER}/{_VAT_SCHEME}/cbc:CompanyID")
_REPRESENTATIVE_VAT = _xpath(f"{_REPRESENTATIVE}/{_VAT_SCHEME}/cbc:CompanyID")

# The official country variables are XPath 2.0 expressions that raise a dynamic error when a
# party repeats what they read (two VAT schemes, two country codes). In XSLT 3.0 an error while
# matching a rule's context counts as "does not match", so those documents get none of the
# country's rules. ``None`` below stands for that error.


def _postal(root: Element, xpath: etree.XPath) -> str | None:
    """Upper-cased, trimmed country code of a postal address ('' when there is none)."""
    values = _strings(root, xpath)
    if len(values) > 1:
        return None
    return _norm(values[0]).upper() if values else ""


def vat_prefix(
    root: Element, schemes: etree.XPath, identifier: str = "cbc:CompanyID"
) -> str | None:
    """The first two characters of the VAT identifier, as read raw ('' when there is none)."""
    prefixes = []
    for scheme in _elements(root, schemes):
        identifiers = scheme.findall(identifier, NS)
        if len(identifiers) > 1:
            return None
        prefixes.append("".join(identifiers[0].itertext())[:2] if identifiers else "")
    if len(prefixes) > 1:
        return None
    return prefixes[0] if prefixes else ""


def _elements(root: Element, xpath: etree.XPath) -> list[Element]:
    found = xpath(root)
    return [e for e in found if isinstance(e, Element)] if isinstance(found, list) else []


def country_of(*readings: str | None, postal: str | None) -> str | None:
    """Peppol's country: the first VAT prefix given, else the address, else 'XX'.

    A reading of ``None`` is an error and ends the search, as it would in XPath; a postal
    reading ('XX' when absent) is used whenever it exists, even blank.
    """
    for prefix in readings:
        if prefix is None:
            return None
        if prefix:
            return _norm(prefix).upper()
    return postal


def postal_or_missing(root: Element, xpath: etree.XPath) -> str | None:
    """Like :func:`_postal`, but 'XX' only when the element is absent."""
    values = _strings(root, xpath)
    if len(values) > 1:
        return None
    return _norm(values[0]).upper() if values else "XX"


def supplier_country(root: Element) -> str | None:
    """Peppol's seller country: VAT prefix, else the tax representative's, else the address."""
    return country_of(
        vat_prefix(root, _SUPPLIER_VAT_SCHEMES),
        vat_prefix(root, _REPRESENTATIVE_VAT_SCHEMES),
        postal=postal_or_missing(root, _SUPPLIER_POSTAL),
    )


def _accounting_supplier_country(root: Element) -> str | None:
    """The seller country without the tax representative (used by GR-R-009)."""
    return country_of(
        vat_prefix(root, _SUPPLIER_VAT_SCHEMES), postal=postal_or_missing(root, _SUPPLIER_POSTAL)
    )


def customer_country(root: Element) -> str | None:
    """Peppol's buyer country: VAT prefix, else the address."""
    return country_of(
        vat_prefix(root, _CUSTOMER_VAT_SCHEMES), postal=postal_or_missing(root, _CUSTOMER_POSTAL)
    )


def de_seller_and_buyer(root: Element) -> bool:
    """Both postal addresses are German (the German rules and two Peppol exemptions)."""
    return _postal(root, _SUPPLIER_POSTAL) == "DE" and _postal(root, _CUSTOMER_POSTAL) == "DE"


def _raw_postal(root: Element, xpath: etree.XPath) -> str | None:
    """The address country exactly as written (the DK and IS rules compare it untrimmed)."""
    values = _strings(root, xpath)
    return None if len(values) > 1 else "".join(values)


# -- value checks -------------------------------------------------------------------------

_DOUBLE = re.compile(r"\s*(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)\s*")


def xpath_number(value: str) -> float | None:
    """XPath ``number()`` of a string; ``None`` for NaN."""
    if not _DOUBLE.fullmatch(value) or value.strip() == "NaN":
        return None
    return float(value.strip().replace("INF", "inf"))


def mod11(value: str) -> bool:
    """Norwegian organisation number check digit (weights 2..7 from the right)."""
    if not value.isascii() or not value.isdigit() or len(value) < 2:
        return False
    body = [int(c) for c in reversed(value[:-1])]
    weighted = sum(d * ((i % 6) + 2) for i, d in enumerate(body))
    return int(value) > 0 and (11 - weighted % 11) % 11 == int(value[-1])


def se_orgnr(value: str) -> bool:
    """Swedish organisation number: digits whose tenth is the Luhn digit of the first nine."""
    if not re.fullmatch(r"[0-9]+", value):
        return False
    main, check = value[:9], value[9:10]
    total = 0
    for position, char in enumerate(reversed(main), start=1):
        digit = int(char)
        total += (digit * 2) % 10 + (digit * 2) // 10 if position % 2 == 1 else digit
    return check.isdigit() and (10 - total % 10) % 10 == int(check)


def greek_tin(value: str) -> bool:
    """Greek TIN (AFM): the ninth digit checks the first eight (powers of two, mod 11 mod 10)."""
    digits = value[:9]
    if len(digits) < 9 or not digits.isascii() or not digits.isdigit():
        return False
    checksum = sum(int(d) << (8 - i) for i, d in enumerate(digits[:8]))
    return checksum % 11 % 10 == int(digits[8])


def iban(value: str) -> bool:
    """An IBAN-shaped account whose mod-97 check holds (as the XRechnung rules compute it)."""
    compact = re.sub(r"\s", "", value)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}", compact):
        return False
    moved = compact[4:] + compact[:2].upper() + compact[2:4]
    digits = "".join(str(ord(c) - 55) if ord(c) > 64 else str(ord(c) - 48) for c in moved)
    return int(digits) % 97 == 1


# -- building blocks ----------------------------------------------------------------------


def _has(path: str) -> Predicate:
    """The context has a non-blank element at ``path``."""

    def check(node: Element) -> bool:
        return any(_norm(v) for v in _strings(node, _xpath(path)))

    return check


def _exists(path: str) -> Predicate:
    xpath = _xpath(f"boolean({path})")

    def check(node: Element) -> bool:
        return bool(xpath(node))

    return check


def _code(node: Element, path: str = "cbc:PaymentMeansCode") -> str:
    return _first(node, _xpath(path))


@dataclass(frozen=True, slots=True)
class GatedRuleSet:
    """Rules that apply only when ``gate`` holds for the document."""

    name: str
    gate: Callable[[Element], bool]
    rules: RuleSet

    def run(self, root: Element) -> list[Finding]:
        """The rules' findings, or none when the gate is closed."""
        return self.rules.run(root) if self.gate(root) else []


def _gated(name: str, gate: Callable[[Element], bool], rules: Iterable[Rule]) -> GatedRuleSet:
    return GatedRuleSet(name, gate, RuleSet(name, tuple(rules)))


# -- Germany (seller and buyer in DE) -----------------------------------------------------

_DE_VAT_CODES = frozenset({"S", "Z", "E", "AE", "K", "G", "L", "M"})
_DE_TYPE_CODES = frozenset({"326", "380", "384", "389", "381", "875", "876", "877"})
_SKONTO = re.compile(
    r"#SKONTO#TAGE=[0-9]+#PROZENT=[0-9]+\.[0-9]{2}(#BASISBETRAG=-?[0-9]+\.[0-9]{2})?#\Z"
)
_EMAIL_ATOM = r"[a-zA-Z0-9!#$%&\"*+/=?^_`{|}~-]+"
_EMAIL_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_EMAIL = re.compile(rf"{_EMAIL_ATOM}(?:\.{_EMAIL_ATOM})*@(?:{_EMAIL_LABEL}\.)+{_EMAIL_LABEL}")


def _de_016(root: Element) -> bool:
    categories = _strings(
        root,
        _xpath(
            "cac:AllowanceCharge[cbc:ChargeIndicator = 'false' or cbc:ChargeIndicator = 'true']"
            "/cac:TaxCategory/cbc:ID"
            " | cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID"
            " | cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID"
        ),
    )
    if _DE_VAT_CODES.isdisjoint(categories):
        return True
    return root.find("cac:TaxRepresentativeParty", NS) is not None or any(
        _norm(v)
        for v in _strings(
            root, _xpath("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")
        )
    )


def _de_017(root: Element) -> bool:
    return not _DE_TYPE_CODES.isdisjoint(
        _strings(root, _xpath("cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode"))
    )


def _de_018(root: Element) -> bool:
    notes = _strings(root, _xpath("cac:PaymentTerms/cbc:Note[1]"))
    lines = [
        line for note in notes for line in re.split(r"\r?\n", note) if line.strip().startswith("#")
    ]
    if not lines:
        return True
    tokens = [token for note in notes if note for token in re.split(r"#.+#", note)]
    ends_with_break = bool(tokens) and re.match(r"\s*\n", tokens[-1]) is not None
    return all(_SKONTO.search(_norm(line)) for line in lines) and ends_with_break


def _de_022(root: Element) -> bool:
    seen: set[str] = set()
    for reference in root.findall("cac:AdditionalDocumentReference", NS):
        names = set(
            _strings(reference, _xpath("cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename"))
        )
        if names & seen:
            return False
        seen |= names
    return True


def _is_384(root: Element) -> bool:
    values = _strings(root, _xpath("cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode"))
    return any(xpath_number(v) == 384 for v in values)


def _de_026(root: Element) -> bool:
    return (
        not _is_384(root)
        or root.find("cac:BillingReference/cac:InvoiceDocumentReference", NS) is not None
    )


def _has_mandate(root: Element) -> bool:
    return root.find("cac:PaymentMeans/cac:PaymentMandate", NS) is not None


def _de_030(root: Element) -> bool:
    return not _has_mandate(root) or _exists(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID[@schemeID = 'SEPA']"
        " | cac:PayeeParty/cac:PartyIdentification/cbc:ID[@schemeID = 'SEPA']"
    )(root)


def _de_031(root: Element) -> bool:
    return not _has_mandate(root) or _exists(
        "cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"
    )(root)


def _de_027(contact: Element) -> bool:
    return len(re.findall(r"[0-9]", _norm(_first(contact, _xpath("cbc:Telephone"))))) >= 3


def _de_028(contact: Element) -> bool:
    return _EMAIL.fullmatch(_norm(_first(contact, _xpath("cbc:ElectronicMail")))) is not None


def _de_019(means: Element) -> bool:
    return _norm(_code(means)) != "58" or iban(
        _first(means, _xpath("cac:PayeeFinancialAccount/cbc:ID"))
    )


def _de_020(means: Element) -> bool:
    return iban(_first(means, _xpath("cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")))


def _means(codes: str) -> str:
    """PaymentMeans whose code equals one of ``codes`` as numbers (XPath ``= (30, 58)``)."""
    condition = " or ".join(f"number(cbc:PaymentMeansCode) = {code}" for code in codes.split())
    return f"/*/cac:PaymentMeans[{condition}]"


_DE_RULES = (
    Rule("DE-R-001", FATAL, "/*", "cac:PaymentMeans",
         "German seller and buyer: the payment instructions (BG-16) are required.",
         "売手・買手ともにドイツの場合、支払指示（BG-16）が必要です。", "BG-16"),
    Rule("DE-R-015", FATAL, "/*", _has("cbc:BuyerReference"),
         "German seller and buyer: the buyer reference (BT-10) is required.",
         "売手・買手ともにドイツの場合、買手参照（BT-10）が必要です。", "BT-10"),
    Rule("DE-R-016", FATAL, "/*", _de_016,
         "German seller and buyer: with VAT category S, Z, E, AE, K, G, L or M, give the seller's VAT or tax registration identifier (BT-31/BT-32) or a tax representative (BG-11).",
         "売手・買手ともにドイツで税区分 S・Z・E・AE・K・G・L・M を使う場合、売手の VAT 番号・税務登録番号（BT-31/BT-32）または税務代理人（BG-11）が必要です。", "BT-31"),
    Rule("DE-R-017", WARNING, "/*", _de_017,
         "German seller and buyer: the invoice type code (BT-3) should be 326, 380, 384, 389, 381, 875, 876 or 877.",
         "売手・買手ともにドイツの場合、請求書タイプコード（BT-3）は 326・380・384・389・381・875・876・877 のいずれかが望まれます。", "BT-3"),
    Rule("DE-R-018", FATAL, "/*", _de_018,
         "German seller and buyer: each cash-discount (Skonto) line in the payment terms (BT-20) must read #SKONTO#TAGE=n#PROZENT=n.nn#[BASISBETRAG=n.nn#] and end with a line break.",
         "売手・買手ともにドイツの場合、支払条件（BT-20）の早期支払割引（Skonto）の行は #SKONTO#TAGE=n#PROZENT=n.nn#（必要なら BASISBETRAG=n.nn#）の形で書き、改行で終えなければなりません。", "BT-20"),
    Rule("DE-R-022", FATAL, "/*", _de_022,
         "German seller and buyer: attached documents (BT-125) must have distinct file names.",
         "売手・買手ともにドイツの場合、添付文書（BT-125）のファイル名は重複してはなりません。", "BT-125"),
    Rule("DE-R-026", WARNING, "/*", _de_026,
         "German seller and buyer: a corrected invoice (type 384) should reference the preceding invoice (BG-3).",
         "売手・買手ともにドイツの場合、訂正請求書（タイプ 384）には先行請求書の参照（BG-3）が望まれます。", "BG-3"),
    Rule("DE-R-030", FATAL, "/*", _de_030,
         "German seller and buyer: with a direct debit (BG-19), the bank-assigned creditor identifier (BT-90) is required.",
         "売手・買手ともにドイツで口座振替（BG-19）を使う場合、債権者識別子（BT-90）が必要です。", "BT-90"),
    Rule("DE-R-031", FATAL, "/*", _de_031,
         "German seller and buyer: with a direct debit (BG-19), the debited account (BT-91) is required.",
         "売手・買手ともにドイツで口座振替（BG-19）を使う場合、引落口座（BT-91）が必要です。", "BT-91"),
    Rule("DE-R-002", FATAL, "/*/cac:AccountingSupplierParty", "cac:Party/cac:Contact",
         "German seller and buyer: the seller contact (BG-6) is required.",
         "売手・買手ともにドイツの場合、売手の連絡先（BG-6）が必要です。", "BG-6"),
    Rule("DE-R-003", FATAL, f"{_SUPPLIER}/cac:PostalAddress", _has("cbc:CityName"),
         "German seller and buyer: the seller's city (BT-37) is required.",
         "売手・買手ともにドイツの場合、売手の市区町村（BT-37）が必要です。", "BT-37"),
    Rule("DE-R-004", FATAL, f"{_SUPPLIER}/cac:PostalAddress", _has("cbc:PostalZone"),
         "German seller and buyer: the seller's post code (BT-38) is required.",
         "売手・買手ともにドイツの場合、売手の郵便番号（BT-38）が必要です。", "BT-38"),
    Rule("DE-R-005", FATAL, f"{_SUPPLIER}/cac:Contact", _has("cbc:Name"),
         "German seller and buyer: the seller's contact point (BT-41) is required.",
         "売手・買手ともにドイツの場合、売手の担当者（BT-41）が必要です。", "BT-41"),
    Rule("DE-R-006", FATAL, f"{_SUPPLIER}/cac:Contact", _has("cbc:Telephone"),
         "German seller and buyer: the seller's contact telephone (BT-42) is required.",
         "売手・買手ともにドイツの場合、売手の連絡先電話番号（BT-42）が必要です。", "BT-42"),
    Rule("DE-R-007", FATAL, f"{_SUPPLIER}/cac:Contact", _has("cbc:ElectronicMail"),
         "German seller and buyer: the seller's contact e-mail (BT-43) is required.",
         "売手・買手ともにドイツの場合、売手の連絡先メールアドレス（BT-43）が必要です。", "BT-43"),
    Rule("DE-R-027", WARNING, f"{_SUPPLIER}/cac:Contact", _de_027,
         "German seller and buyer: the seller's telephone (BT-42) should contain at least three digits.",
         "売手・買手ともにドイツの場合、売手の電話番号（BT-42）には数字が3つ以上あることが望まれます。", "BT-42"),
    Rule("DE-R-028", WARNING, f"{_SUPPLIER}/cac:Contact", _de_028,
         "German seller and buyer: the seller's e-mail (BT-43) should be a well-formed address with one @.",
         "売手・買手ともにドイツの場合、売手のメールアドレス（BT-43）は @ を1つ含む正しい形式が望まれます。", "BT-43"),
    Rule("DE-R-008", FATAL, f"{_CUSTOMER}/cac:PostalAddress", _has("cbc:CityName"),
         "German seller and buyer: the buyer's city (BT-52) is required.",
         "売手・買手ともにドイツの場合、買手の市区町村（BT-52）が必要です。", "BT-52"),
    Rule("DE-R-009", FATAL, f"{_CUSTOMER}/cac:PostalAddress", _has("cbc:PostalZone"),
         "German seller and buyer: the buyer's post code (BT-53) is required.",
         "売手・買手ともにドイツの場合、買手の郵便番号（BT-53）が必要です。", "BT-53"),
    Rule("DE-R-010", FATAL, "/*/cac:Delivery/cac:DeliveryLocation/cac:Address", _has("cbc:CityName"),
         "German seller and buyer: a delivery address (BG-15) needs its city (BT-77).",
         "売手・買手ともにドイツの場合、納入先住所（BG-15）には市区町村（BT-77）が必要です。", "BT-77"),
    Rule("DE-R-011", FATAL, "/*/cac:Delivery/cac:DeliveryLocation/cac:Address", _has("cbc:PostalZone"),
         "German seller and buyer: a delivery address (BG-15) needs its post code (BT-78).",
         "売手・買手ともにドイツの場合、納入先住所（BG-15）には郵便番号（BT-78）が必要です。", "BT-78"),
    Rule("DE-R-019", WARNING, _means("30 58"), _de_019,
         "German seller and buyer: with SEPA credit transfer (code 58) the payment account (BT-84) should be a valid IBAN.",
         "売手・買手ともにドイツで SEPA 振込（コード 58）の場合、振込先口座（BT-84）は有効な IBAN が望まれます。", "BT-84"),
    Rule("DE-R-023-1", FATAL, _means("30 58"), "cac:PayeeFinancialAccount",
         "German seller and buyer: a credit transfer (code 30 or 58) needs the credit transfer group (BG-17).",
         "売手・買手ともにドイツで振込（コード 30・58）の場合、振込情報（BG-17）が必要です。", "BG-17"),
    Rule("DE-R-023-2", FATAL, _means("30 58"), "not(cac:CardAccount) and not(cac:PaymentMandate)",
         "German seller and buyer: a credit transfer (code 30 or 58) must not carry card (BG-18) or direct debit (BG-19) data.",
         "売手・買手ともにドイツで振込（コード 30・58）の場合、カード情報（BG-18）や口座振替情報（BG-19）を含めてはなりません。", "BG-17"),
    Rule("DE-R-024-1", FATAL, _means("48 54 55"), "cac:CardAccount",
         "German seller and buyer: a card payment (code 48, 54 or 55) needs the payment card group (BG-18).",
         "売手・買手ともにドイツでカード払い（コード 48・54・55）の場合、カード情報（BG-18）が必要です。", "BG-18"),
    Rule("DE-R-024-2", FATAL, _means("48 54 55"), "not(cac:PayeeFinancialAccount) and not(cac:PaymentMandate)",
         "German seller and buyer: a card payment (code 48, 54 or 55) must not carry credit transfer (BG-17) or direct debit (BG-19) data.",
         "売手・買手ともにドイツでカード払い（コード 48・54・55）の場合、振込情報（BG-17）や口座振替情報（BG-19）を含めてはなりません。", "BG-18"),
    Rule("DE-R-020", WARNING, _means("59"), _de_020,
         "German seller and buyer: with SEPA direct debit (code 59) the debited account (BT-91) should be a valid IBAN.",
         "売手・買手ともにドイツで SEPA 口座振替（コード 59）の場合、引落口座（BT-91）は有効な IBAN が望まれます。", "BT-91"),
    Rule("DE-R-025-1", FATAL, _means("59"), "cac:PaymentMandate",
         "German seller and buyer: a direct debit (code 59) needs the direct debit group (BG-19).",
         "売手・買手ともにドイツで口座振替（コード 59）の場合、口座振替情報（BG-19）が必要です。", "BG-19"),
    Rule("DE-R-025-2", FATAL, _means("59"), "not(cac:PayeeFinancialAccount) and not(cac:CardAccount)",
         "German seller and buyer: a direct debit (code 59) must not carry credit transfer (BG-17) or card (BG-18) data.",
         "売手・買手ともにドイツで口座振替（コード 59）の場合、振込情報（BG-17）やカード情報（BG-18）を含めてはなりません。", "BG-19"),
    Rule("DE-R-014", FATAL, "/*/cac:TaxTotal/cac:TaxSubtotal", _has("cac:TaxCategory/cbc:Percent"),
         "German seller and buyer: each VAT breakdown needs its category rate (BT-119).",
         "売手・買手ともにドイツの場合、税内訳ごとに税率（BT-119）が必要です。", "BT-119"),
)  # fmt: skip


# -- Denmark (seller in DK; most rules also need the buyer in DK) -------------------------

_DK_MEANS = frozenset("1 10 31 42 48 49 50 58 59 93 97".split())
_DK_UNSPSC = frozenset({"19.05.01", "19.0501", "26.08.01", "26.0801"})


def _dk_supplier(root: Element) -> bool:
    return _raw_postal(root, _SUPPLIER_POSTAL) == "DK"


def _dk_both(root: Element) -> bool:
    return _dk_supplier(root) and _raw_postal(root, _CUSTOMER_POSTAL) == "DK"


def _dk_014(root: Element) -> bool:
    ids = root.findall(
        "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS
    )
    return not ids or _norm(ids[0].get("schemeID") or "") == "0184"


def _dk_016(root: Element) -> bool:
    if etree.QName(root).localname != "CreditNote" or not _dk_both(root):
        return True
    payable = xpath_number(_first(root, _xpath("cac:LegalMonetaryTotal/cbc:PayableAmount/text()")))
    return payable is None or payable >= 0


def _dk_013(identification: Element) -> bool:
    ids = identification.findall("cbc:ID", NS)
    return not ids or _norm(ids[0].get("schemeID") or "") != ""


def _payment_id(means: Element) -> str:
    return _first(means, _xpath("cbc:PaymentID"))


def _dk_006(means: Element) -> bool:
    if _code(means) not in ("31", "42"):
        return True
    return _has("cac:PayeeFinancialAccount/cbc:ID")(means) and _has(
        "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
    )(means)


def _dk_007(means: Element) -> bool:
    if _code(means) != "49":
        return True
    return _has("cac:PaymentMandate/cbc:ID")(means) and _has(
        "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"
    )(means)


def _dk_008(means: Element) -> bool:
    if _code(means) != "50":
        return True
    account = _first(means, _xpath("cac:PayeeFinancialAccount/cbc:ID"))
    return (
        _payment_id(means)[:3] in ("01#", "04#", "15#")
        and re.fullmatch(r"[0-9]{7,8}", account) is not None
    )


def _dk_009(means: Element) -> bool:
    payment_id = _payment_id(means)
    return _code(means) != "50" or payment_id[:3] not in ("04#", "15#") or len(payment_id) == 19


def _dk_010(means: Element) -> bool:
    if _code(means) != "93":
        return True
    account = _first(means, _xpath("cac:PayeeFinancialAccount/cbc:ID/text()"))
    return _payment_id(means)[:3] in ("71#", "73#", "75#") and len(account) == 8


def _dk_011(means: Element) -> bool:
    payment_id = _payment_id(means)
    return (
        _code(means) != "93" or payment_id[:3] not in ("71#", "75#") or len(payment_id) in (18, 19)
    )


def _dk_003(line: Element) -> bool:
    path = "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode"
    if "TST" not in _strings(line, _xpath(f"{path}/@listID")):
        return True
    return not _DK_UNSPSC.isdisjoint(_strings(line, _xpath(f"{path}/@listVersionID")))


def _dk_004(charge: Element) -> bool:
    if "ZZZ" not in _strings(charge, _xpath("cbc:AllowanceChargeReasonCode")):
        return True
    reasons = _strings(charge, _xpath("cbc:AllowanceChargeReason"))
    reason = reasons[0] if reasons else ""
    number = xpath_number(reason)
    four_digits = len(_norm(reason)) == 4 and number is not None and 0 <= number <= 9999
    hashed = (
        bool(reasons) and "#" in reason and not reason.startswith("#") and not reason.endswith("#")
    )
    return four_digits or hashed


_DK_PARTY_IDS = (
    "/*/cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification"
    " | /*/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification"
)

_DK_SUPPLIER_RULES = (
    Rule("DK-R-002", FATAL, "/*", _has("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID/text()"),
         "Danish seller: the legal registration identifier (CVR number, BT-30) is required.",
         "売手がデンマークの場合、法人登録番号（CVR 番号、BT-30）が必要です。", "BT-30"),
    Rule("DK-R-014", FATAL, "/*", _dk_014,
         "Danish seller: the seller's legal registration identifier (BT-30) must use scheme 0184 (CVR).",
         "売手がデンマークの場合、売手の法人登録番号（BT-30）のスキームは 0184（CVR）でなければなりません。", "BT-30"),
    Rule("DK-R-016", FATAL, "/*", _dk_016,
         "Danish seller and buyer: a credit note must not have a negative amount due (BT-115).",
         "売手・買手ともにデンマークの場合、クレジットノートの支払金額（BT-115）は負であってはなりません。", "BT-115"),
)  # fmt: skip

_DK_BOTH_RULES = (
    Rule("DK-R-013", FATAL, _DK_PARTY_IDS, _dk_013,
         "Danish seller and buyer: a party identifier (BT-29/BT-46) must state its scheme.",
         "売手・買手ともにデンマークの場合、当事者識別子（BT-29/BT-46）にはスキームを指定しなければなりません。", "BT-29"),
    Rule("DK-R-005", FATAL, "/inv:Invoice/cac:PaymentMeans", lambda means: _code(means) in _DK_MEANS,
         "Danish seller and buyer: the payment means code (BT-81) must be 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 or 97.",
         "売手・買手ともにデンマークの場合、支払手段コード（BT-81）は 1・10・31・42・48・49・50・58・59・93・97 のいずれかでなければなりません。", "BT-81"),
    Rule("DK-R-006", FATAL, "/inv:Invoice/cac:PaymentMeans", _dk_006,
         "Danish seller and buyer: payment means 31 or 42 need both the account (BT-84) and the bank registration number.",
         "売手・買手ともにデンマークで支払手段 31・42 の場合、口座番号（BT-84）と銀行登録番号の両方が必要です。", "BT-84"),
    Rule("DK-R-007", FATAL, "/inv:Invoice/cac:PaymentMeans", _dk_007,
         "Danish seller and buyer: payment means 49 needs the mandate reference (BT-89) and the debited account (BT-91).",
         "売手・買手ともにデンマークで支払手段 49 の場合、マンデート参照（BT-89）と引落口座（BT-91）が必要です。", "BT-89"),
    Rule("DK-R-008", FATAL, "/inv:Invoice/cac:PaymentMeans", _dk_008,
         "Danish seller and buyer: giro payment (50) needs a payment id starting 01#, 04# or 15# and a giro account of 7 or 8 digits.",
         "売手・買手ともにデンマークでジロ払い（50）の場合、01#・04#・15# で始まる支払 ID と 7〜8 桁のジロ口座番号が必要です。", "BT-83"),
    Rule("DK-R-009", FATAL, "/inv:Invoice/cac:PaymentMeans", _dk_009,
         "Danish seller and buyer: a giro payment id starting 04# or 15# must carry a 16-digit instruction id (19 characters in all).",
         "売手・買手ともにデンマークで 04#・15# で始まるジロ支払 ID には16桁の指図番号が必要です（全体で19文字）。", "BT-83"),
    Rule("DK-R-010", FATAL, "/inv:Invoice/cac:PaymentMeans", _dk_010,
         "Danish seller and buyer: FIK payment (93) needs a payment id starting 71#, 73# or 75# and a creditor number of exactly 8 characters.",
         "売手・買手ともにデンマークで FIK 払い（93）の場合、71#・73#・75# で始まる支払 ID とちょうど8文字の債権者番号が必要です。", "BT-83"),
    Rule("DK-R-011", FATAL, "/inv:Invoice/cac:PaymentMeans", _dk_011,
         "Danish seller and buyer: an FIK payment id starting 71# or 75# must carry a 15- or 16-digit instruction id.",
         "売手・買手ともにデンマークで 71#・75# で始まる FIK 支払 ID には15〜16桁の指図番号が必要です。", "BT-83"),
    Rule("DK-R-003", WARNING, "/*/cac:InvoiceLine | /*/cac:CreditNoteLine", _dk_003,
         "Danish seller and buyer: an UNSPSC item classification should be version 19.05.01 or 26.08.01.",
         "売手・買手ともにデンマークの場合、UNSPSC の品目分類はバージョン 19.05.01 または 26.08.01 が望まれます。", "BT-158"),
    Rule("DK-R-004", FATAL, "//cac:AllowanceCharge", _dk_004,
         "Danish seller and buyer: a non-VAT tax (reason code ZZZ) must name its 4-digit tax category, or a text with # inside (not first or last), in the reason.",
         "売手・買手ともにデンマークで VAT 以外の税（理由コード ZZZ）の場合、理由には4桁の税区分、または先頭・末尾以外に # を含む文字列を記載しなければなりません。", "BT-97"),
)  # fmt: skip


# -- Greece (seller in GR/EL; some rules also need the buyer in GR/EL) --------------------

_GREEK = ("GR", "EL")
_GR_DOCUMENT_TYPES = frozenset({"1.1", "1.6", "2.1", "2.4", "5.1", "5.2", ""})
_GR_DATE = re.compile(r"^(0?[1-9]|[12][0-9]|3[01])[-\\/ ]?(0?[1-9]|1[0-2])[-\\/ ]?(19|20)[0-9]{2}")
_GR_VAT = "cac:PartyTaxScheme[count(cac:TaxScheme/cbc:ID) = 1 and normalize-space(cac:TaxScheme/cbc:ID) = 'VAT']/cbc:CompanyID"


def _gr_sender(root: Element) -> bool:
    return supplier_country(root) in _GREEK


def _gr_both(root: Element) -> bool:
    return _gr_sender(root) and customer_country(root) in _GREEK


def _gr_located(root: Element) -> bool:
    return "GR" in _strings(root, _SUPPLIER_POSTAL)


def _segments(number: Element) -> list[str]:
    value = "".join(number.itertext())
    return value.split("|") if value else []


def _segment(number: Element, index: int) -> str | None:
    segments = _segments(number)
    return segments[index] if index < len(segments) else None


def _gr_001_2(number: Element) -> bool:
    tin = _segment(number, 0)
    if tin is None or len(_norm(tin)) != 9 or not greek_tin(tin):
        return False
    root = number.getroottree().getroot()
    owners = _strings(root, _SUPPLIER_VAT) + _strings(root, _REPRESENTATIVE_VAT)
    return tin in {owner[2:11] for owner in owners}


def _gr_001_3(number: Element) -> bool:
    date = _segment(number, 1)
    if date is None or not _norm(date) or not _GR_DATE.search(date):
        return False
    issue = _first(number.getroottree().getroot(), _xpath("/*/cbc:IssueDate")).split("-")
    parts = date.split("/")
    return len(parts) >= 3 and len(issue) >= 3 and parts[:3] == issue[:3][::-1]


def _gr_001_4(number: Element) -> bool:
    serial = _segment(number, 2)
    return serial is not None and re.fullmatch(r"\s*\+?[0-9]+\s*", serial) is not None


def _gr_001_5(number: Element) -> bool:
    kind = _segment(number, 3)
    return kind is not None and bool(_norm(kind)) and kind in _GR_DOCUMENT_TYPES


def _non_empty_segment(index: int) -> Predicate:
    def check(number: Element) -> bool:
        return bool(_segment(number, index))

    return check


def _gr_vat_number(party: Element) -> bool:
    values = _strings(party, _xpath(_GR_VAT))
    return len(values) == 1 and values[0][:2] == "EL" and greek_tin(values[0][2:])


def _gr_009(endpoint: Element) -> bool:
    return endpoint.get("schemeID") == "9933" and greek_tin("".join(endpoint.itertext()))


def _mark_count(root: Element, description: str) -> int:
    found = _xpath(
        f"count(cac:AdditionalDocumentReference[cbc:DocumentDescription = '{description}'])"
    )(root)
    return int(found) if isinstance(found, float) else 0


_GR_SENDER_RULES = (
    Rule("GR-R-001-1", FATAL, "/*/cbc:ID", lambda number: len(_segments(number)) == 6,
         "Greek seller: the invoice number (BT-1) must have 6 segments separated by |.",
         "売手がギリシャの場合、請求書番号（BT-1）は | で区切った6つの部分で構成しなければなりません。", "BT-1"),
    Rule("GR-R-001-2", FATAL, "/*/cbc:ID", _gr_001_2,
         "Greek seller: the first segment of the invoice number must be a valid TIN equal to the seller's or the tax representative's.",
         "売手がギリシャの場合、請求書番号の1番目の部分は有効な TIN で、売手または税務代理人の TIN と一致しなければなりません。", "BT-1"),
    Rule("GR-R-001-3", FATAL, "/*/cbc:ID", _gr_001_3,
         "Greek seller: the second segment of the invoice number must be the issue date (day/month/year).",
         "売手がギリシャの場合、請求書番号の2番目の部分は発行日（日/月/年）でなければなりません。", "BT-1"),
    Rule("GR-R-001-4", FATAL, "/*/cbc:ID", _gr_001_4,
         "Greek seller: the third segment of the invoice number must be a non-negative whole number.",
         "売手がギリシャの場合、請求書番号の3番目の部分は0以上の整数でなければなりません。", "BT-1"),
    Rule("GR-R-001-5", FATAL, "/*/cbc:ID", _gr_001_5,
         "Greek seller: the fourth segment of the invoice number must be a Greek document type (1.1, 1.6, 2.1, 2.4, 5.1, 5.2).",
         "売手がギリシャの場合、請求書番号の4番目の部分はギリシャの文書種別（1.1・1.6・2.1・2.4・5.1・5.2）でなければなりません。", "BT-1"),
    Rule("GR-R-001-6", FATAL, "/*/cbc:ID", _non_empty_segment(4),
         "Greek seller: the fifth segment of the invoice number must not be empty.",
         "売手がギリシャの場合、請求書番号の5番目の部分は空であってはなりません。", "BT-1"),
    Rule("GR-R-001-7", FATAL, "/*/cbc:ID", _non_empty_segment(5),
         "Greek seller: the sixth segment of the invoice number must not be empty.",
         "売手がギリシャの場合、請求書番号の6番目の部分は空であってはなりません。", "BT-1"),
    Rule("GR-R-002", FATAL, _SUPPLIER, lambda party: bool(_first(party, _xpath("cac:PartyName/cbc:Name"))),
         "Greek seller: give the seller's full registered name (BT-27).",
         "売手がギリシャの場合、登録された売手の正式名称（BT-27）が必要です。", "BT-27"),
    Rule("GR-S-011", WARNING, _SUPPLIER, _gr_vat_number,
         "Greek seller: the seller's VAT identifier (BT-31) should be given once, as EL followed by a valid TIN.",
         "売手がギリシャの場合、売手の VAT 番号（BT-31）は EL に有効な TIN を続けた形で1つ指定することが望まれます。", "BT-31"),
    Rule("GR-R-003", FATAL, f"{_SUPPLIER}/{_GR_VAT}",
         lambda vat: "".join(vat.itertext())[:2] == "EL" and greek_tin("".join(vat.itertext())[2:]),
         "Greek seller: the seller's VAT identifier (BT-31) must start with EL followed by a valid TIN.",
         "売手がギリシャの場合、売手の VAT 番号（BT-31）は EL で始まり有効な TIN が続かなければなりません。", "BT-31"),
    Rule("GR-R-008-3", FATAL, "/*/cac:AdditionalDocumentReference[cbc:DocumentDescription = '##INVOICE|URL##']",
         _has("cac:Attachment/cac:ExternalReference/cbc:URI"),
         "Greek seller: the invoice URL reference must carry its external URI.",
         "売手がギリシャの場合、請求書 URL の文書参照には外部 URI が必要です。", "BT-124"),
    Rule("GR-R-005", FATAL, _CUSTOMER, lambda party: bool(_first(party, _xpath("cac:PartyName/cbc:Name"))),
         "Greek seller: give the buyer's full name (BT-44).",
         "売手がギリシャの場合、買手の正式名称（BT-44）が必要です。", "BT-44"),
)  # fmt: skip

_GR_LOCATED_RULES = (
    Rule("GR-R-004-1", FATAL, "/*", lambda root: _mark_count(root, "##M.AR.K##") == 1,
         "Greek seller: exactly one MARK number reference is required.",
         "売手がギリシャの場合、MARK 番号の参照がちょうど1つ必要です。", "BT-122"),
    Rule("GR-S-008-1", WARNING, "/*", lambda root: _mark_count(root, "##INVOICE|URL##") == 1,
         "Greek seller: one invoice URL reference is expected.",
         "売手がギリシャの場合、請求書 URL の参照が1つあることが望まれます。", "BT-122"),
    Rule("GR-R-008-2", FATAL, "/*", lambda root: _mark_count(root, "##INVOICE|URL##") <= 1,
         "Greek seller: at most one invoice URL reference is allowed.",
         "売手がギリシャの場合、請求書 URL の参照は1つまでです。", "BT-122"),
    Rule("GR-R-004-2", FATAL, "/*/cac:AdditionalDocumentReference[cbc:DocumentDescription = '##M.AR.K##']/cbc:ID",
         lambda mark: re.match(r"[1-9]", "".join(mark.itertext())) is not None,
         "Greek seller: the MARK number must be a positive whole number.",
         "売手がギリシャの場合、MARK 番号は正の整数でなければなりません。", "BT-122"),
)  # fmt: skip

_GR_ENDPOINT_RULES = (
    Rule("GR-R-009", FATAL, f"{_SUPPLIER}/cbc:EndpointID", _gr_009,
         "Greek seller: the electronic address (BT-34) must be a valid TIN under scheme 9933.",
         "売手がギリシャの場合、電子アドレス（BT-34）はスキーム 9933 の有効な TIN でなければなりません。", "BT-34"),
)  # fmt: skip

_GR_BOTH_RULES = (
    Rule("GR-R-006", FATAL, _CUSTOMER, _gr_vat_number,
         "Greek seller and buyer: give the buyer's VAT identifier (BT-48) once, as EL followed by a valid TIN.",
         "売手・買手ともにギリシャの場合、買手の VAT 番号（BT-48）を EL に有効な TIN を続けた形で1つ指定しなければなりません。", "BT-48"),
    Rule("GR-R-010", FATAL, f"{_CUSTOMER}/cbc:EndpointID", _gr_009,
         "Greek seller and buyer: the buyer's electronic address (BT-49) must be a valid TIN under scheme 9933.",
         "売手・買手ともにギリシャの場合、買手の電子アドレス（BT-49）はスキーム 9933 の有効な TIN でなければなりません。", "BT-49"),
)  # fmt: skip


# -- Iceland (seller in IS; two rules also need the buyer in IS) --------------------------


def _is_supplier(root: Element) -> bool:
    return _raw_postal(root, _SUPPLIER_POSTAL) == "IS"


def _is_both(root: Element) -> bool:
    return _is_supplier(root) and _raw_postal(root, _CUSTOMER_POSTAL) == "IS"


def _is_account(code: str) -> Predicate:
    def check(root: Element) -> bool:
        means = f"cac:PaymentMeans[cbc:PaymentMeansCode = '{code}']"
        if root.xpath(f"not({means})", namespaces=NS):
            return True
        accounts = _strings(root, _xpath(f"{means}/cac:PayeeFinancialAccount/cbc:ID"))
        return bool(accounts) and len(_norm(accounts[0])) == 12

    return check


_EINDAGI = "cac:AdditionalDocumentReference[cbc:DocumentDescription = 'EINDAGI']"


def _is_008(root: Element) -> bool:
    if not root.xpath(_EINDAGI, namespaces=NS):
        return True
    value = _first(root, _xpath(f"{_EINDAGI}/cbc:ID"))
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    year, month, day = value.split("-")
    return date_days(int(year), int(month), int(day)) is not None


def _is_010(root: Element) -> bool:
    if not root.xpath(_EINDAGI, namespaces=NS):
        return True
    due = _strings(root, _xpath("cbc:DueDate"))
    final = _strings(root, _xpath(f"{_EINDAGI}/cbc:ID"))
    return any(d <= f for d in due for f in final)


_IS_SUPPLIER_RULES = (
    Rule("IS-R-001", WARNING, "/*", lambda root: _norm(_code(root, "cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode")) in ("380", "381"),
         "Icelandic seller: the document type (BT-3) should be 380 or 381.",
         "売手がアイスランドの場合、文書タイプ（BT-3）は 380 または 381 が望まれます。", "BT-3"),
    Rule("IS-R-002", FATAL, "/*", "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID[@schemeID = '0196']",
         "Icelandic seller: the seller's Icelandic legal identifier (kennitala, scheme 0196, BT-30) is required.",
         "売手がアイスランドの場合、売手のアイスランド法人番号（kennitala、スキーム 0196、BT-30）が必要です。", "BT-30"),
    Rule("IS-R-003", FATAL, "/*", "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:StreetName and cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:PostalZone",
         "Icelandic seller: the seller's street (BT-35) and post code (BT-38) are required.",
         "売手がアイスランドの場合、売手の番地（BT-35）と郵便番号（BT-38）が必要です。", "BT-35"),
    Rule("IS-R-006", FATAL, "/*", _is_account("9"),
         "Icelandic seller: payment means 9 needs a 12-digit account (BT-84).",
         "売手がアイスランドで支払手段 9 の場合、12桁の口座番号（BT-84）が必要です。", "BT-84"),
    Rule("IS-R-007", FATAL, "/*", _is_account("42"),
         "Icelandic seller: payment means 42 needs a 12-digit account (BT-84).",
         "売手がアイスランドで支払手段 42 の場合、12桁の口座番号（BT-84）が必要です。", "BT-84"),
    Rule("IS-R-008", FATAL, "/*", _is_008,
         "Icelandic seller: the final due date (EINDAGI document reference) must be a date written YYYY-MM-DD.",
         "売手がアイスランドの場合、最終期日（EINDAGI の文書参照）は YYYY-MM-DD 形式の日付でなければなりません。", "BT-122"),
    Rule("IS-R-009", FATAL, "/*", f"not({_EINDAGI}) or cbc:DueDate",
         "Icelandic seller: with a final due date (EINDAGI), the payment due date (BT-9) is required.",
         "売手がアイスランドで最終期日（EINDAGI）がある場合、支払期日（BT-9）が必要です。", "BT-9"),
    Rule("IS-R-010", FATAL, "/*", _is_010,
         "Icelandic seller: the final due date (EINDAGI) must not be before the payment due date (BT-9).",
         "売手がアイスランドの場合、最終期日（EINDAGI）は支払期日（BT-9）より前であってはなりません。", "BT-9"),
)  # fmt: skip

_IS_BOTH_RULES = (
    Rule("IS-R-004", FATAL, "/*/cac:AccountingCustomerParty", "cac:Party/cac:PartyLegalEntity/cbc:CompanyID[@schemeID = '0196']",
         "Icelandic seller and buyer: the buyer's Icelandic legal identifier (kennitala, scheme 0196, BT-47) is required.",
         "売手・買手ともにアイスランドの場合、買手のアイスランド法人番号（kennitala、スキーム 0196、BT-47）が必要です。", "BT-47"),
    Rule("IS-R-005", FATAL, "/*/cac:AccountingCustomerParty", "cac:Party/cac:PostalAddress/cbc:StreetName and cac:Party/cac:PostalAddress/cbc:PostalZone",
         "Icelandic seller and buyer: the buyer's street (BT-50) and post code (BT-53) are required.",
         "売手・買手ともにアイスランドの場合、買手の番地（BT-50）と郵便番号（BT-53）が必要です。", "BT-50"),
)  # fmt: skip


# -- Italy and Norway (seller country as Peppol reads it) ---------------------------------

_IT_RULES = (
    Rule("IT-R-001", FATAL, f"{_SUPPLIER}/cac:PartyTaxScheme[count(cac:TaxScheme/cbc:ID) <= 1 and normalize-space(cac:TaxScheme/cbc:ID) != 'VAT']",
         lambda scheme: re.fullmatch(r"[A-Z0-9]{11,16}", _norm(_first(scheme, _xpath("cbc:CompanyID")))) is not None,
         "Italian seller: the tax registration identifier (BT-32) must be 11 to 16 capital letters or digits.",
         "売手がイタリアの場合、税務登録番号（BT-32）は英大文字または数字で11〜16文字でなければなりません。", "BT-32"),
    Rule("IT-R-002", FATAL, _SUPPLIER, "cac:PostalAddress/cbc:StreetName",
         "Italian seller: the first address line (BT-35) is required.",
         "売手がイタリアの場合、住所1行目（BT-35）が必要です。", "BT-35"),
    Rule("IT-R-003", FATAL, _SUPPLIER, "cac:PostalAddress/cbc:CityName",
         "Italian seller: the city (BT-37) is required.",
         "売手がイタリアの場合、市区町村（BT-37）が必要です。", "BT-37"),
    Rule("IT-R-004", FATAL, _SUPPLIER, "cac:PostalAddress/cbc:PostalZone",
         "Italian seller: the post code (BT-38) is required.",
         "売手がイタリアの場合、郵便番号（BT-38）が必要です。", "BT-38"),
)  # fmt: skip

_NO_VAT = "cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'VAT']/cbc:CompanyID"


def _no_001(party: Element) -> bool:
    values = _strings(party, _xpath(_NO_VAT))
    if "NO" not in {v[:2] for v in values}:
        return True
    value = values[0] if values else ""
    return re.fullmatch(r"[0-9]{9}MVA", value[2:]) is not None and mod11(value[2:11])


_NO_RULES = (
    Rule("NO-R-002", WARNING, _SUPPLIER,
         lambda party: _norm(_first(party, _xpath("cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'TAX']/cbc:CompanyID"))) == "Foretaksregisteret",
         "Norwegian seller: most sellers must state \"Foretaksregisteret\" as tax registration (BT-32), as the Norwegian business register act requires.",
         "売手がノルウェーの場合、多くの事業者は税務登録（BT-32）として「Foretaksregisteret」を記載する必要があります（ノルウェー企業登記法）。", "BT-32"),
    Rule("NO-R-001", FATAL, _SUPPLIER, _no_001,
         "Norwegian seller: the VAT identifier (BT-31) must be NO, a valid 9-digit organisation number, then MVA.",
         "売手がノルウェーの場合、VAT 番号（BT-31）は NO、有効な9桁の組織番号、MVA の順でなければなりません。", "BT-31"),
)  # fmt: skip


# -- the Netherlands (seller in NL; some rules also need the buyer or representative) -----


def _nl(xpath: etree.XPath) -> Callable[[Element], bool]:
    def check(root: Element) -> bool:
        return _postal(root, xpath) == "NL"

    return check


_nl_supplier = _nl(_SUPPLIER_POSTAL)
_nl_customer = _nl(_CUSTOMER_POSTAL)
_nl_representative = _nl(_REPRESENTATIVE_POSTAL)


def _nl_both(root: Element) -> bool:
    return _nl_supplier(root) and _nl_customer(root)


def _nl_with_representative(root: Element) -> bool:
    return _nl_supplier(root) and _nl_representative(root)


def _kvk_or_oin(company_id: Element) -> bool:
    return company_id.get("schemeID") in ("0106", "0190") and bool(text(company_id))


def _nl_007(total: Element) -> bool:
    root = total.getroottree().getroot()
    payable = _first(total, _xpath("cbc:PayableAmount"))
    amount = (
        xpath_number(payable) if re.fullmatch(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*", payable) else None
    )
    if amount is not None:
        invoice = etree.QName(root).localname == "Invoice"
        if (invoice and amount <= 0) or (not invoice and amount >= 0):
            return True
    return bool(root.xpath("//cac:PaymentMeans", namespaces=NS))


_NL_ADDRESS = "cbc:StreetName and cbc:CityName and cbc:PostalZone"

_NL_SUPPLIER_RULES = (
    Rule("NL-R-001", FATAL, "//cbc:CreditNoteTypeCode", "/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
         "Dutch seller: a credit note must reference the invoice it corrects (BT-25).",
         "売手がオランダの場合、クレジットノートには対象の請求書の参照（BT-25）が必要です。", "BT-25"),
    Rule("NL-R-002", FATAL, f"{_SUPPLIER}/cac:PostalAddress", _NL_ADDRESS,
         "Dutch seller: the seller's address needs street (BT-35), city (BT-37) and post code (BT-38).",
         "売手がオランダの場合、売手の住所には番地（BT-35）・市区町村（BT-37）・郵便番号（BT-38）が必要です。", "BG-5"),
    Rule("NL-R-003", FATAL, f"{_SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", _kvk_or_oin,
         "Dutch seller: the seller's legal registration identifier (BT-30) must be a KVK or OIN number (scheme 0106 or 0190).",
         "売手がオランダの場合、売手の法人登録番号（BT-30）は KVK または OIN（スキーム 0106・0190）でなければなりません。", "BT-30"),
    Rule("NL-R-007", FATAL, "//cac:LegalMonetaryTotal", _nl_007,
         "Dutch seller: when the buyer has to pay, the payment means (BG-16) are required.",
         "売手がオランダで買手に支払いがある場合、支払手段（BG-16）が必要です。", "BG-16"),
    Rule("NL-R-009", FATAL, "//cac:OrderLineReference/cbc:LineID", "/*/cac:OrderReference/cbc:ID",
         "Dutch seller: a referenced order line (BT-132) needs the order reference (BT-13) on the document.",
         "売手がオランダで注文明細参照（BT-132）を使う場合、文書レベルの注文参照（BT-13）が必要です。", "BT-13"),
)  # fmt: skip

_NL_BOTH_RULES = (
    Rule("NL-R-004", FATAL, f"{_CUSTOMER}/cac:PostalAddress", _NL_ADDRESS,
         "Dutch seller and buyer: the buyer's address needs street (BT-50), city (BT-52) and post code (BT-53).",
         "売手・買手ともにオランダの場合、買手の住所には番地（BT-50）・市区町村（BT-52）・郵便番号（BT-53）が必要です。", "BG-8"),
    Rule("NL-R-005", FATAL, f"{_CUSTOMER}/cac:PartyLegalEntity/cbc:CompanyID", _kvk_or_oin,
         "Dutch seller and buyer: the buyer's legal registration identifier (BT-47) must be a KVK or OIN number (scheme 0106 or 0190).",
         "売手・買手ともにオランダの場合、買手の法人登録番号（BT-47）は KVK または OIN（スキーム 0106・0190）でなければなりません。", "BT-47"),
    Rule("NL-R-008", FATAL, "//cac:PaymentMeans",
         lambda means: _norm(_code(means)) in ("30", "48", "49", "57", "58", "59"),
         "Dutch seller and buyer: the payment means code (BT-81) must be 30, 48, 49, 57, 58 or 59.",
         "売手・買手ともにオランダの場合、支払手段コード（BT-81）は 30・48・49・57・58・59 のいずれかでなければなりません。", "BT-81"),
)  # fmt: skip

_NL_REPRESENTATIVE_RULES = (
    Rule("NL-R-006", FATAL, "//cac:TaxRepresentativeParty/cac:PostalAddress", _NL_ADDRESS,
         "Dutch seller with a Dutch tax representative: the representative's address needs street, city and post code (BG-12).",
         "売手・税務代理人ともにオランダの場合、税務代理人の住所には番地・市区町村・郵便番号（BG-12）が必要です。", "BG-12"),
)  # fmt: skip


# -- Sweden (seller address in SE; SE-R-006 also needs a Swedish VAT identifier) -----------
# The official contexts test these conditions inside predicates with absolute paths, i.e. on the
# whole document; here the document-wide conditions are gates, the party-local ones stay.

_SE_PARTY = "//cac:AccountingSupplierParty/cac:Party"
_SE_POSTAL = "cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE'"
_SE_VAT = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT'][substring(cbc:CompanyID, 1, 2) = 'SE']"
_SE_REGISTERED = f"//cac:AccountingSupplierParty/cac:Party[{_SE_POSTAL} and {_SE_VAT}]"
_SE_CUSTOMER = f"//cac:AccountingCustomerParty/cac:Party[{_SE_POSTAL}]"
_SE_GIRO = (
    "//cac:PaymentMeans[count(cbc:PaymentMeansCode) = 1 and normalize-space(cbc:PaymentMeansCode) = '30'"
    " and count(cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID) = 1"
    " and normalize-space(cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID) = '{kind}']"
    "/cac:PayeeFinancialAccount/cbc:ID"
)
_SE_VAT_ID = "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID"


def _se_vat_value(party: Element) -> str:
    return _first(party, _xpath(_SE_VAT_ID))


def _numeric(value: str) -> bool:
    return xpath_number(value) is not None


def _se_005(company: Element) -> bool:
    """Only tax registrations other than VAT are asserted; a scheme without an id is one."""
    schemes = _strings(company, _xpath("../cac:TaxScheme/cbc:ID"))
    if len(schemes) > 1 or _norm("".join(schemes)).upper() == "VAT":
        return True  # several scheme ids: the official context cannot match; none reads as ''

    return _norm("".join(company.itertext())).upper() == "GODKÄND FÖR F-SKATT"


def _se_006(category: Element) -> bool:
    return xpath_number(_first(category, _xpath("cbc:Percent"))) in (25.0, 12.0, 6.0)


_SE_RULES = (
    Rule("SE-R-001", FATAL, _SE_REGISTERED, lambda party: len(_norm(_se_vat_value(party))) == 14,
         "Swedish seller: the Swedish VAT identifier (BT-31) must be 14 characters long.",
         "売手がスウェーデンの場合、スウェーデンの VAT 番号（BT-31）は14文字でなければなりません。", "BT-31"),
    Rule("SE-R-002", FATAL, _SE_REGISTERED, lambda party: _numeric(_se_vat_value(party)[2:14]),
         "Swedish seller: the last 12 characters of the Swedish VAT identifier (BT-31) must be digits.",
         "売手がスウェーデンの場合、スウェーデンの VAT 番号（BT-31）の末尾12文字は数字でなければなりません。", "BT-31"),
    Rule("SE-R-003", FATAL, f"{_SE_PARTY}/cac:PartyLegalEntity[../{_SE_POSTAL} and cbc:CompanyID]",
         lambda entity: _numeric(_first(entity, _xpath("cbc:CompanyID"))),
         "Swedish seller: the organisation number (BT-30) must be numeric.",
         "売手がスウェーデンの場合、組織番号（BT-30）は数字でなければなりません。", "BT-30"),
    Rule("SE-R-004", FATAL, f"{_SE_PARTY}/cac:PartyLegalEntity[../{_SE_POSTAL} and cbc:CompanyID]",
         lambda entity: len(_norm(_first(entity, _xpath("cbc:CompanyID")))) == 10,
         "Swedish seller: the organisation number (BT-30) must be 10 characters long.",
         "売手がスウェーデンの場合、組織番号（BT-30）は10文字でなければなりません。", "BT-30"),
    Rule("SE-R-013", FATAL, f"{_SE_PARTY}/cac:PartyLegalEntity[../{_SE_POSTAL} and cbc:CompanyID]",
         lambda entity: se_orgnr(_norm(_first(entity, _xpath("cbc:CompanyID")))),
         "Swedish seller: the last digit of the organisation number (BT-30) fails the Luhn check.",
         "売手がスウェーデンの場合、組織番号（BT-30）の最後の桁がルーン検査に合いません。", "BT-30"),
    Rule("SE-R-005", FATAL,
         f"{_SE_PARTY}[{_SE_POSTAL} and cac:PartyLegalEntity/cbc:CompanyID]/cac:PartyTaxScheme/cbc:CompanyID",
         _se_005,
         "Swedish seller: a tax registration (BT-32) must read \"Godkänd för F-skatt\".",
         "売手がスウェーデンの場合、税務登録（BT-32）は「Godkänd för F-skatt」でなければなりません。", "BT-32"),
)  # fmt: skip

_SE_REGISTERED_RULES = (
    Rule("SE-R-006", FATAL, "//cac:TaxCategory[cbc:ID = 'S'] | //cac:ClassifiedTaxCategory[cbc:ID = 'S']",
         _se_006,
         "Swedish seller: the standard VAT rate must be 25, 12 or 6 %.",
         "売手がスウェーデンの場合、標準税率は 25・12・6 % のいずれかでなければなりません。", "BT-119"),
)  # fmt: skip

_SE_LOCATED_RULES = (
    Rule("SE-R-007", WARNING, _SE_GIRO.format(kind="SE:PLUSGIRO"),
         lambda account: _numeric(_norm("".join(account.itertext()))),
         "Swedish seller: a Plusgiro account (BT-84) should be numeric.",
         "売手がスウェーデンの場合、Plusgiro の口座番号（BT-84）は数字が望まれます。", "BT-84"),
    Rule("SE-R-010", WARNING, _SE_GIRO.format(kind="SE:PLUSGIRO"),
         lambda account: 2 <= len(_norm("".join(account.itertext()))) <= 8,
         "Swedish seller: a Plusgiro account (BT-84) should have 2 to 8 characters.",
         "売手がスウェーデンの場合、Plusgiro の口座番号（BT-84）は2〜8文字が望まれます。", "BT-84"),
    Rule("SE-R-008", WARNING, _SE_GIRO.format(kind="SE:BANKGIRO"),
         lambda account: _numeric(_norm("".join(account.itertext()))),
         "Swedish seller: a Bankgiro account (BT-84) should be numeric.",
         "売手がスウェーデンの場合、Bankgiro の口座番号（BT-84）は数字が望まれます。", "BT-84"),
    Rule("SE-R-009", WARNING, _SE_GIRO.format(kind="SE:BANKGIRO"),
         lambda account: len(_norm("".join(account.itertext()))) in (7, 8),
         "Swedish seller: a Bankgiro account (BT-84) should have 7 or 8 characters.",
         "売手がスウェーデンの場合、Bankgiro の口座番号（BT-84）は7〜8文字が望まれます。", "BT-84"),
    Rule("SE-R-011", WARNING,
         "//cac:PaymentMeans[cbc:PaymentMeansCode = '50' or cbc:PaymentMeansCode = '56']", "false()",
         "Swedish seller: Bankgiro or Plusgiro should be given as payment means 30 with branch SE:BANKGIRO or SE:PLUSGIRO.",
         "売手がスウェーデンの場合、Bankgiro・Plusgiro は支払手段 30 と支店 ID SE:BANKGIRO・SE:PLUSGIRO で示すことが望まれます。", "BT-81"),
    Rule("SE-R-012", WARNING,
         f"//cac:PaymentMeans[{_SE_CUSTOMER} and cbc:PaymentMeansCode = '31']", "false()",
         "Swedish seller and buyer: a domestic credit transfer should use payment means code 30.",
         "売手・買手ともにスウェーデンの場合、国内振込には支払手段コード 30 を使うことが望まれます。", "BT-81"),
)  # fmt: skip


_SE_ANY_SUPPLIER = _xpath(
    "//cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
)


def _se_located(root: Element) -> bool:
    """Every Swedish context asks for a seller address in SE (at any depth, as they are written)."""
    return "SE" in _strings(root, _SE_ANY_SUPPLIER)


_SE_REGISTERED_SUPPLIER = _xpath(f"boolean({_SE_REGISTERED})")


def _se_registered(root: Element) -> bool:
    """A seller with an address in SE and a VAT identifier starting SE (SE-R-006's condition)."""
    return bool(_SE_REGISTERED_SUPPLIER(root))


NATIONAL_RULE_SETS: tuple[GatedRuleSet, ...] = (
    _gated("DE", de_seller_and_buyer, _DE_RULES),
    _gated("DK", _dk_supplier, _DK_SUPPLIER_RULES),
    _gated("DK+DK", _dk_both, _DK_BOTH_RULES),
    _gated("GR", _gr_sender, _GR_SENDER_RULES),
    _gated("GR located", lambda root: _gr_sender(root) and _gr_located(root), _GR_LOCATED_RULES),
    _gated(
        "GR endpoint", lambda root: _accounting_supplier_country(root) in _GREEK, _GR_ENDPOINT_RULES
    ),
    _gated("GR+GR", _gr_both, _GR_BOTH_RULES),
    _gated("IS", _is_supplier, _IS_SUPPLIER_RULES),
    _gated("IS+IS", _is_both, _IS_BOTH_RULES),
    _gated("IT", lambda root: supplier_country(root) == "IT", _IT_RULES),
    _gated("NL", _nl_supplier, _NL_SUPPLIER_RULES),
    _gated("NL+NL", _nl_both, _NL_BOTH_RULES),
    _gated("NL+representative", _nl_with_representative, _NL_REPRESENTATIVE_RULES),
    _gated("NO", lambda root: supplier_country(root) == "NO", _NO_RULES),
    _gated("SE", _se_located, _SE_RULES),
    _gated("SE located", _se_located, _SE_LOCATED_RULES),
    _gated("SE registered", _se_registered, _SE_REGISTERED_RULES),
)
"""Every national rule of the 2025.5 release for UBL, grouped by the condition that opens it."""


_NATIONAL_COUNTRIES = frozenset({"DE", "DK", "GR", "EL", "IS", "IT", "NL", "NO", "SE"})
_COUNTRY_HINTS = _xpath(
    "//cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
    " | //cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
    f" | {_REPRESENTATIVE}/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
    f" | {_SUPPLIER}/{_VAT_SCHEME}/cbc:CompanyID | {_CUSTOMER}/{_VAT_SCHEME}/cbc:CompanyID"
    f" | {_REPRESENTATIVE}/{_VAT_SCHEME}/cbc:CompanyID"
)


def _may_be_national(root: Element) -> bool:
    """Cheap precondition: every gate needs one of these countries in an address or VAT prefix.

    Most documents juryo receives (Japanese ones) then cost one XPath and no gate at all.
    """
    hints = {_norm(value[:2]).upper() for value in _strings(root, _COUNTRY_HINTS)}
    return not hints.isdisjoint(_NATIONAL_COUNTRIES)


def validate_national(root: Element) -> list[Finding]:
    """Findings of the national rules whose country conditions the document meets."""
    if not _may_be_national(root):
        return []
    return [finding for rule_set in NATIONAL_RULE_SETS for finding in rule_set.run(root)]
