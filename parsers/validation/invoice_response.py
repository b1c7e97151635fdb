# ruff: noqa: E501  (rule tables: one rule per row)
"""Peppol Invoice Response (BIS Invoice Response 3, transaction T111) rules, 2025.5 release.

Restated from the official Schematron (OpenPEPPOL/poacc-upgrade-3, T111) with its rule ids and
flags, in three groups as published:

- ``PEPPOL-COMMON-*``: no empty elements, no schema location, dates written YYYY-MM-DD, and
  the check digits of the ICD identifiers, which are the Peppol BIS Billing ones
  (:mod:`parsers.validation.peppol`) plus R048 (an Italian VAT number as endpoint, 9906) and
  without R042 (Danish CVR), which T111 does not carry.
- ``PEPPOL-T111-B*``: the data model. Here it is declared once as a tree (:data:`MODEL`) and the
  rules are derived from it: each child an element must have, and, for the elements the model
  closes, one rule refusing any child it does not name. The official Schematron reaches the same
  verdict through rule order (a node is judged only by the first rule of its pattern whose
  context matches it, so the catch-all ``.../*`` sees only the children no earlier rule named);
  juryo's engine checks every rule, so the catch-all contexts name their exclusions instead.
- ``PEPPOL-T111-R*``: the status and clarification rules. Where one ``cac:Status`` carries both an
  OTH and a PPD code, the official first-match order judges it by R002 only; R004/R005 exclude it
  here for the same verdict. R005 is restated as published: its test, ``exists(/cbc:ResponseCode
  = 'PD')``, asks whether a boolean exists, which is always true, so it never fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from parsers.findings import Finding
from parsers.validation._rules import FATAL, WARNING, Predicate, Rule, RuleSet, text
from parsers.validation.peppol import EAS, ICD_CHECKS, identifier_context, iso_date, partita_iva
from schemas.codelists import codes
from schemas.pint_jp_codes import ICD as ICD_2025_11

__all__ = ["INVOICE_RESPONSE", "MODEL", "RELEASE", "RULES", "validate_invoice_response"]

RELEASE = "2025.5"
"""The Peppol release whose T111 rules and code lists are implemented here."""

CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:invoice_response:3"
PROFILE = "urn:fdc:peppol.eu:poacc:bis:invoice_response:3"

# -- code lists (2025.5) ---------------------------------------------------------------

ICD = ICD_2025_11 - codes("0241 0242 0243 0244 0245 0246 0247 0248")
"""ISO 6523 ICD as T111 2025.5 lists it: the codes up to 0240 (later ones came after it)."""
STATUSES = codes("AB IP UQ CA RE AP PD")
"""Invoice status codes, T111's subset of UNCL 4343."""
REASONS = codes("NON REF LEG REC QUA DEL PRI QTY ITM PAY UNR FIN PPD OTH")
"""OpenPeppol status clarification reasons (listID OPStatusReason)."""
ACTIONS = codes("NOA PIN NIN CNF CNP CNA OTH")
"""OpenPeppol status clarification actions (listID OPStatusAction)."""
LIST_IDS = codes("OPStatusAction OPStatusReason")
_UNCL1001_RANGES = (
    (1, 470), (481, 491), (493, 499), (520, 539), (550, 554), (575, 589), (610, 610),
    (621, 659), (700, 751), (760, 761), (763, 766), (770, 770), (775, 775), (780, 799),
    (810, 812), (820, 825), (830, 830), (833, 833), (840, 841), (850, 853), (855, 856),
    (860, 865), (870, 870), (890, 890), (895, 896), (901, 901), (910, 911), (913, 917),
    (925, 927), (929, 938), (940, 941), (950, 955), (960, 966), (970, 972), (974, 979),
    (990, 991), (995, 996), (998, 998), (1999, 1999),
)  # fmt: skip
UNCL1001 = frozenset(str(n) for low, high in _UNCL1001_RANGES for n in range(low, high + 1))
"""UNCL 1001 document name codes, the full list T111 accepts for the referenced document."""


# -- the data model ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Element:
    """One element of the T111 data model and what the ``B`` rules ask of it.

    ``required`` pairs a child the element must have with the rule id that asks for it;
    ``children`` are the elements the model has under it; ``closed_by`` is the rule id that
    refuses any other child (``None`` where the Schematron leaves the children unchecked).
    """

    name: str
    label_en: str = ""
    label_ja: str = ""
    required: tuple[tuple[str, str], ...] = ()
    children: tuple[Element, ...] = ()
    closed_by: str | None = None


def _leaves(*names: str) -> tuple[Element, ...]:
    return tuple(Element(name) for name in names)


def _identification(rule_id: str, where_en: str, where_ja: str) -> Element:
    return Element(
        "cac:PartyIdentification", f"The {where_en} identification", f"{where_ja}の識別子",
        required=((rule_id, "cbc:ID"),), children=_leaves("cbc:ID"),
    )  # fmt: skip


def _legal_entity(required_id: str, closed_id: str, where_en: str, where_ja: str) -> Element:
    return Element(
        "cac:PartyLegalEntity", f"The {where_en} legal entity", f"{where_ja}の法人情報",
        required=((required_id, "cbc:RegistrationName"),),
        children=_leaves("cbc:RegistrationName"), closed_by=closed_id,
    )  # fmt: skip


def _named_party(tag: str, ids: tuple[str, str, str, str], where_en: str, where_ja: str) -> Element:
    """IssuerParty / RecipientParty: a party name, optionally identified."""
    party_name, closed, identification, name = ids
    return Element(
        tag, f"The {where_en}", where_ja,
        required=((party_name, "cac:PartyName"),),
        children=(
            _identification(identification, where_en, where_ja),
            Element("cac:PartyName", f"The {where_en} name", f"{where_ja}の名称",
                    required=((name, "cbc:Name"),), children=_leaves("cbc:Name")),
        ),
        closed_by=closed,
    )  # fmt: skip


MODEL = Element(
    "ar:ApplicationResponse", "The Invoice Response", "インボイス応答",
    required=(
        ("PEPPOL-T111-B00101", "cbc:CustomizationID"),
        ("PEPPOL-T111-B00102", "cbc:ProfileID"),
        ("PEPPOL-T111-B00103", "cbc:ID"),
        ("PEPPOL-T111-B00104", "cbc:IssueDate"),
        ("PEPPOL-T111-B00105", "cac:SenderParty"),
        ("PEPPOL-T111-B00106", "cac:ReceiverParty"),
        ("PEPPOL-T111-B00107", "cac:DocumentResponse"),
    ),
    children=(
        *_leaves("cbc:CustomizationID", "cbc:ProfileID", "cbc:ID", "cbc:IssueDate",
                 "cbc:IssueTime", "cbc:Note"),
        Element(
            "cac:SenderParty", "The sender (the buyer)", "送信者（買手）",
            required=(("PEPPOL-T111-B00801", "cbc:EndpointID"),
                      ("PEPPOL-T111-B00802", "cac:PartyLegalEntity")),
            children=(
                Element("cbc:EndpointID"),
                _identification("PEPPOL-T111-B01101", "sender's", "送信者"),
                _legal_entity("PEPPOL-T111-B01401", "PEPPOL-T111-B01402", "sender's", "送信者"),
                Element("cac:Contact", "The sender's contact", "送信者の連絡先",
                        children=_leaves("cbc:Name", "cbc:Telephone", "cbc:ElectronicMail"),
                        closed_by="PEPPOL-T111-B01601"),
            ),
            closed_by="PEPPOL-T111-B00803",
        ),
        Element(
            "cac:ReceiverParty", "The receiver (the seller)", "受信者（売手）",
            required=(("PEPPOL-T111-B02001", "cbc:EndpointID"),
                      ("PEPPOL-T111-B02002", "cac:PartyLegalEntity")),
            children=(
                Element("cbc:EndpointID"),
                _identification("PEPPOL-T111-B02301", "receiver's", "受信者"),
                _legal_entity("PEPPOL-T111-B02601", "PEPPOL-T111-B02602", "receiver's", "受信者"),
            ),
            closed_by="PEPPOL-T111-B02003",
        ),
        Element(
            "cac:DocumentResponse", "The document response", "文書応答",
            required=(("PEPPOL-T111-B02801", "cac:Response"),
                      ("PEPPOL-T111-B02802", "cac:DocumentReference")),
            children=(
                Element(
                    "cac:Response", "The response", "応答",
                    required=(("PEPPOL-T111-B02901", "cbc:ResponseCode"),),
                    children=(
                        *_leaves("cbc:ResponseCode", "cbc:EffectiveDate"),
                        Element(
                            "cac:Status", "The status clarification", "ステータスの説明",
                            children=(
                                *_leaves("cbc:StatusReasonCode", "cbc:StatusReason"),
                                Element("cac:Condition", "The status condition", "ステータスの条件",
                                        required=(("PEPPOL-T111-B03601", "cbc:AttributeID"),),
                                        children=_leaves("cbc:AttributeID", "cbc:Description"),
                                        closed_by="PEPPOL-T111-B03602"),
                            ),
                            closed_by="PEPPOL-T111-B03201",
                        ),
                    ),
                    closed_by="PEPPOL-T111-B02902",
                ),
                Element(
                    "cac:DocumentReference", "The invoice reference", "請求書の参照",
                    required=(("PEPPOL-T111-B03901", "cbc:ID"),
                              ("PEPPOL-T111-B03902", "cbc:DocumentTypeCode")),
                    children=_leaves("cbc:ID", "cbc:IssueDate", "cbc:DocumentTypeCode"),
                    closed_by="PEPPOL-T111-B03903",
                ),
                _named_party("cac:IssuerParty", ("PEPPOL-T111-B04301", "PEPPOL-T111-B04302",
                             "PEPPOL-T111-B04401", "PEPPOL-T111-B04701"), "issuer", "発行者"),
                _named_party("cac:RecipientParty", ("PEPPOL-T111-B04901", "PEPPOL-T111-B04902",
                             "PEPPOL-T111-B05001", "PEPPOL-T111-B05301"), "recipient", "受領者"),
            ),
            closed_by="PEPPOL-T111-B02803",
        ),
    ),
    closed_by="PEPPOL-T111-B00109",
)  # fmt: skip
"""The T111 data model, as far as its Schematron checks it."""


def _model_rules(element: Element, parent: str = "") -> list[Rule]:
    """The ``B`` rules the model implies: required children, then the closed-content rule."""
    path = f"{parent}/{element.name}"
    rules = [
        Rule(rule_id, FATAL, path, child,
             f"{element.label_en} must contain {child}.",
             f"{element.label_ja}には {child} が必要です。")
        for rule_id, child in element.required
    ]  # fmt: skip
    if element.closed_by is not None:
        others = " or ".join(f"self::{child.name}" for child in element.children)
        rules.append(
            Rule(element.closed_by, FATAL, f"{path}/*[not({others})]", "false()",
                 f"{element.label_en} holds an element the Invoice Response data model does not have; leave it out.",
                 f"{element.label_ja}に、インボイス応答のデータモデルにない要素があります。削除してください。")
        )  # fmt: skip
    for child in element.children:
        rules.extend(_model_rules(child, path))
    return rules


# -- predicates ----------------------------------------------------------------------------


def _own_text(node: etree._Element) -> str:
    """``normalize-space(text())``: the element's own text, not its descendants'."""
    return " ".join((node.text or "").split())


def _own_text_in(values: frozenset[str]) -> Predicate:
    def check(node: etree._Element) -> bool:
        return _own_text(node) in values

    return check


def _scheme_absent_or_in(values: frozenset[str]) -> Predicate:
    def check(node: etree._Element) -> bool:
        scheme = node.get("schemeID")
        return scheme is None or scheme in values

    return check


def _list_id_absent_or_known(node: etree._Element) -> bool:
    list_id = node.get("listID")
    return list_id is None or list_id in LIST_IDS


def _first_code_in(values: frozenset[str]) -> Predicate:
    """The status's (first) clarification code, space-normalised, is one of ``values``."""

    def check(node: etree._Element) -> bool:
        return text(node.find("cbc:StatusReasonCode", _CBC)) in values

    return check


_CBC = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}

# -- the rules -------------------------------------------------------------------------------

_T111_IDENTIFIERS = (
    "PEPPOL-COMMON-R040", "PEPPOL-COMMON-R041", "PEPPOL-COMMON-R043", "PEPPOL-COMMON-R044",
    "PEPPOL-COMMON-R045", "PEPPOL-COMMON-R046", "PEPPOL-COMMON-R047", "PEPPOL-COMMON-R049",
    "PEPPOL-COMMON-R050",
)  # fmt: skip
_DATES = " | ".join(
    f"//cbc:{name}"
    for name in (
        "IssueDate",
        "DueDate",
        "TaxPointDate",
        "StartDate",
        "EndDate",
        "ActualDeliveryDate",
    )
)
_ROOT = "/ar:ApplicationResponse"
_PARTY_IDS = " | ".join(
    f"{_ROOT}/{party}/cac:PartyIdentification/cbc:ID"
    for party in ("cac:SenderParty", "cac:ReceiverParty",
                  "cac:DocumentResponse/cac:IssuerParty", "cac:DocumentResponse/cac:RecipientParty")
)  # fmt: skip
_NO_SCHEMA_LOCATION = "not(@*[local-name() = 'schemaLocation'])"
_STATUS_CODE = f"{_ROOT}/cac:DocumentResponse/cac:Response/cac:Status/cbc:StatusReasonCode"


def _endpoint_rules(
    party: str, present: str, known: str, who_en: str, who_ja: str
) -> tuple[Rule, ...]:
    context = f"{_ROOT}/{party}/cbc:EndpointID"
    return (
        Rule(present, FATAL, context, "@schemeID",
             f"The {who_en}'s electronic address needs its scheme (schemeID).",
             f"{who_ja}の電子アドレスにはスキーム（schemeID）が必要です。"),
        Rule(known, FATAL, context, _scheme_absent_or_in(EAS),
             f"The {who_en}'s electronic address scheme must be an EAS code.",
             f"{who_ja}の電子アドレスのスキームは EAS コードリストの値でなければなりません。"),
    )  # fmt: skip


COMMON_RULES: tuple[Rule, ...] = (
    Rule("PEPPOL-COMMON-R001", FATAL, "//*[not(*) and not(normalize-space())]", "false()",
         "The document has an empty element; leave optional elements out instead.",
         "空の要素を含めてはなりません。省略可能な要素は省いてください。"),
    Rule("PEPPOL-COMMON-R003", WARNING, "/*", _NO_SCHEMA_LOCATION,
         "The document should not point to a schema location.",
         "文書にスキーマの場所（schemaLocation）を含めるべきではありません。"),
    Rule("PEPPOL-COMMON-R030", FATAL, _DATES, iso_date,
         "A date must be written YYYY-MM-DD.",
         "日付は YYYY-MM-DD 形式でなければなりません。"),
    *(
        Rule(rule_id, severity, identifier_context(scheme, endpoint_only), check, en, ja)
        for rule_id, severity, scheme, endpoint_only, check, en, ja in ICD_CHECKS
        if rule_id in _T111_IDENTIFIERS
    ),
    Rule("PEPPOL-COMMON-R048", WARNING, identifier_context("9906", endpoint_only=True), partita_iva,
         "An Italian VAT number (Partita IVA, scheme 9906) should be IT and 11 digits with a valid check digit.",
         "イタリア VAT 番号 Partita IVA（9906）の形式が正しくありません。"),
)  # fmt: skip

VALUE_RULES: tuple[Rule, ...] = (
    Rule("PEPPOL-T111-B00108", FATAL, _ROOT, _NO_SCHEMA_LOCATION,
         "The Invoice Response must not point to a schema location.",
         "インボイス応答にスキーマの場所（schemaLocation）を含めてはなりません。"),
    Rule("PEPPOL-T111-B00301", FATAL, f"{_ROOT}/cbc:ProfileID", _own_text_in(frozenset({PROFILE})),
         f"The business process (ProfileID) must be {PROFILE}.",
         f"ビジネスプロセス（ProfileID）は {PROFILE} でなければなりません。"),
    *_endpoint_rules("cac:SenderParty", "PEPPOL-T111-B00901", "PEPPOL-T111-B00902", "sender", "送信者"),
    *_endpoint_rules("cac:ReceiverParty", "PEPPOL-T111-B02101", "PEPPOL-T111-B02102", "receiver", "受信者"),
    *(
        Rule(rule_id, FATAL, f"{_ROOT}/{party}/cac:PartyIdentification/cbc:ID", _scheme_absent_or_in(ICD),
             f"The {who_en}'s identifier scheme must be an ISO 6523 ICD code.",
             f"{who_ja}の識別子のスキームは ISO 6523 ICD のコードでなければなりません。")
        for rule_id, party, who_en, who_ja in (
            ("PEPPOL-T111-B01201", "cac:SenderParty", "sender", "送信者"),
            ("PEPPOL-T111-B02401", "cac:ReceiverParty", "receiver", "受信者"),
            ("PEPPOL-T111-B04501", "cac:DocumentResponse/cac:IssuerParty", "issuer", "発行者"),
            ("PEPPOL-T111-B05101", "cac:DocumentResponse/cac:RecipientParty", "recipient", "受領者"),
        )
    ),
    Rule("PEPPOL-T111-B03001", FATAL, f"{_ROOT}/cac:DocumentResponse/cac:Response/cbc:ResponseCode",
         _own_text_in(STATUSES),
         "The status code must be one of AB, IP, UQ, CA, RE, AP or PD (UNCL 4343, T111 subset).",
         "ステータスコードは AB、IP、UQ、CA、RE、AP、PD のいずれか（UNCL 4343 の T111 サブセット）でなければなりません。"),
    Rule("PEPPOL-T111-B03301", FATAL, _STATUS_CODE, _own_text_in(REASONS | ACTIONS),
         "The clarification code must be an OpenPeppol status reason or status action code.",
         "説明コードは OpenPeppol のステータス理由コードまたはステータスアクションコードでなければなりません。"),
    Rule("PEPPOL-T111-B03302", FATAL, _STATUS_CODE, "@listID",
         "The clarification code must say its list (listID).",
         "説明コードにはコードリスト（listID）を指定しなければなりません。"),
    Rule("PEPPOL-T111-B03303", FATAL, _STATUS_CODE, _list_id_absent_or_known,
         "The clarification code's list must be OPStatusReason or OPStatusAction.",
         "説明コードのコードリストは OPStatusReason または OPStatusAction でなければなりません。"),
    Rule("PEPPOL-T111-B04201", FATAL,
         f"{_ROOT}/cac:DocumentResponse/cac:DocumentReference/cbc:DocumentTypeCode",
         _own_text_in(UNCL1001),
         "The referenced document's type must be a UNCL 1001 document name code.",
         "参照する文書の種類は UNCL 1001 の文書名コードでなければなりません。"),
)  # fmt: skip

_OTH = "cbc:StatusReasonCode = 'OTH'"
_PPD_ONLY = f"//cac:Status[cbc:StatusReasonCode = 'PPD' and not({_OTH})]"
_ACTION = "cbc:StatusReasonCode/@listID = 'OPStatusAction'"

STATUS_RULES: tuple[Rule, ...] = (
    Rule("PEPPOL-T111-R001", FATAL,
         "//cac:Response[contains(' CA UQ RE ', concat(' ', normalize-space(cbc:ResponseCode), ' '))]",
         "cac:Status/cbc:StatusReasonCode",
         "Statuses CA, UQ and RE need a clarification code saying why.",
         "ステータスが CA、UQ、RE の場合は、理由を示す説明コードが必要です。"),
    Rule("PEPPOL-T111-R002", WARNING, f"//cac:Status[{_OTH}]", "cbc:StatusReason",
         "With clarification code OTH, the reason should be given in words.",
         "説明コードが OTH の場合は、理由を文章で記載すべきです。"),
    Rule("PEPPOL-T111-R003", FATAL, "//cbc:CustomizationID",
         f"starts-with(normalize-space(.), '{CUSTOMIZATION}')",
         f"The specification identifier (CustomizationID) must start with {CUSTOMIZATION}.",
         f"仕様識別子（CustomizationID）は {CUSTOMIZATION} で始まらなければなりません。"),
    Rule("PEPPOL-T111-R004", FATAL, _PPD_ONLY, "cbc:StatusReason",
         "A partial payment (clarification PPD) must say in words what was paid.",
         "一部支払（説明コード PPD）の場合は、その内容を文章で記載しなければなりません。"),
    Rule("PEPPOL-T111-R005", FATAL, _PPD_ONLY, "true()",
         "Clarification PPD goes with status PD only.",
         "説明コード PPD はステータス PD とのみ使用できます。"),
    Rule("PEPPOL-T111-R006", FATAL, f"//cac:Status[{_ACTION}]", _first_code_in(ACTIONS),
         "A code listed as OPStatusAction must be one of that list's codes.",
         "OPStatusAction と指定した説明コードは、そのコードリストの値でなければなりません。"),
    Rule("PEPPOL-T111-R007", FATAL,
         f"//cac:Status[cbc:StatusReasonCode/@listID = 'OPStatusReason' and not({_ACTION})]",
         _first_code_in(REASONS),
         "A code listed as OPStatusReason must be one of that list's codes.",
         "OPStatusReason と指定した説明コードは、そのコードリストの値でなければなりません。"),
)  # fmt: skip

RULES: tuple[Rule, ...] = (*COMMON_RULES, *_model_rules(MODEL), *VALUE_RULES, *STATUS_RULES)

INVOICE_RESPONSE = RuleSet("peppol-t111", RULES)


def validate_invoice_response(root: etree._Element) -> list[Finding]:
    """Peppol Invoice Response (T111) findings for an ApplicationResponse."""
    return INVOICE_RESPONSE.run(root)
