# ruff: noqa: E501  (rule tables: Japanese full-width punctuation, one row per rule)
"""JP PINT calculation rules (``ibr-co-*``): the totals an invoice states must add up.

These decide money, so they are Python over :class:`~decimal.Decimal`, never floats. Each
mirrors the official PINT 1.1.3 test, including how it rounds: sums are rounded to two
decimals with XPath 2.0 ``round`` (halves towards positive infinity), and a zero prepaid or
rounding amount counts as absent (XPath's effective boolean value of ``0`` is false).

The rules sit in the shared pattern (:mod:`parsers.validation.pint_jp_shared`) at the
contexts the official artefact gives them; this module holds their tests and rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

from lxml import etree

from parsers.validation._rules import FATAL, NS, Rule, decimal, text

__all__ = [
    "DOCUMENT_RULES",
    "INVOICE_PERIOD_RULES",
    "LINE_PERIOD_RULES",
    "MONETARY_TOTAL_RULES",
    "SELLER_RULES",
    "TAX_TOTAL_RULES",
    "round2",
]

_HUNDRED = Decimal(100)
_HALF = Decimal("0.5")


def round2(value: Decimal) -> Decimal:
    """XPath 2.0 ``round(value * 100) div 100``: to cents, halves up towards +infinity."""
    return (value * _HUNDRED + _HALF).to_integral_value(rounding=ROUND_FLOOR) / _HUNDRED


def _amounts(nodes: Iterable[object]) -> list[Decimal]:
    """The decimal values of the nodes that carry one (absent ones add nothing)."""
    values = (decimal(n) for n in nodes if isinstance(n, etree._Element))
    return [v for v in values if v is not None]


def _value(node: etree._Element, path: str) -> Decimal | None:
    return decimal(node.find(path, NS))


def _true(nodes: Iterable[etree._Element]) -> bool:
    """XPath 2.0 ``node = true()`` over a sequence: any node reading ``true`` or ``1``."""
    return any(text(n) in ("true", "1") for n in nodes)


_LINE_AMOUNTS = etree.XPath(
    "//cac:InvoiceLine/cbc:LineExtensionAmount | //cac:CreditNoteLine/cbc:LineExtensionAmount",
    namespaces=NS,
)
_DOC_ALLOWANCES = etree.XPath(
    "../cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = 'false'"
    " or normalize-space(cbc:ChargeIndicator) = '0']/cbc:Amount",
    namespaces=NS,
)
_DOC_CHARGES = etree.XPath(
    "../cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = 'true'"
    " or normalize-space(cbc:ChargeIndicator) = '1']/cbc:Amount",
    namespaces=NS,
)
_HAS_DOC_ALLOWANCE = etree.XPath(
    "boolean(../cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = 'false'"
    " or normalize-space(cbc:ChargeIndicator) = '0'])",
    namespaces=NS,
)
_HAS_DOC_CHARGE = etree.XPath(
    "boolean(../cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = 'true'"
    " or normalize-space(cbc:ChargeIndicator) = '1'])",
    namespaces=NS,
)
_TAX_INCLUDED = etree.XPath("../cac:TaxTotal/cbc:TaxIncludedIndicator", namespaces=NS)
_ROOT_TAX_INCLUDED = etree.XPath("cac:TaxTotal/cbc:TaxIncludedIndicator", namespaces=NS)
_FIRST_TAX_TOTAL_IN_DOC_CURRENCY = etree.XPath(
    "cac:TaxTotal[1]/cbc:TaxAmount[@currencyID = /*/cbc:DocumentCurrencyCode]", namespaces=NS
)
_SUBTOTAL_TAX = etree.XPath("cac:TaxSubtotal/cbc:TaxAmount", namespaces=NS)


def _lines_sum(total: etree._Element) -> bool:
    """ibr-co-10: Σ line net amounts (ibt-131) = sum of line net amounts (ibt-106)."""
    stated = _value(total, "cbc:LineExtensionAmount")
    nodes = _LINE_AMOUNTS(total)
    lines = _amounts(nodes if isinstance(nodes, list) else [])
    return stated is not None and stated == round2(sum(lines, Decimal(0)))


def _sum_matches(total: etree._Element, field: str, amounts: etree.XPath, has: etree.XPath) -> bool:
    """ibr-co-11/12: a stated allowance/charge total equals its document-level sum."""
    if total.find(field, NS) is None:
        return not has(total)
    stated = _value(total, field)
    nodes = amounts(total)
    parts = _amounts(nodes if isinstance(nodes, list) else [])
    return stated is not None and stated == round2(sum(parts, Decimal(0)))


def _allowances_sum(total: etree._Element) -> bool:
    """ibr-co-11: sum of document allowances (ibt-107) = Σ allowance amounts (ibt-092)."""
    return _sum_matches(total, "cbc:AllowanceTotalAmount", _DOC_ALLOWANCES, _HAS_DOC_ALLOWANCE)


def _charges_sum(total: etree._Element) -> bool:
    """ibr-co-12: sum of document charges (ibt-108) = Σ charge amounts (ibt-099)."""
    return _sum_matches(total, "cbc:ChargeTotalAmount", _DOC_CHARGES, _HAS_DOC_CHARGE)


def _tax_exclusive(total: etree._Element) -> bool:
    """ibr-co-13: total without tax (ibt-109) = lines (ibt-106) - allowances + charges."""
    included = _TAX_INCLUDED(total)
    if _true(included if isinstance(included, list) else []):
        return True
    exclusive = _value(total, "cbc:TaxExclusiveAmount")
    lines = _value(total, "cbc:LineExtensionAmount")
    has_charge = total.find("cbc:ChargeTotalAmount", NS) is not None
    has_allowance = total.find("cbc:AllowanceTotalAmount", NS) is not None
    if exclusive is None or lines is None:
        return False
    if not has_charge and not has_allowance:
        return exclusive == lines
    charge = _value(total, "cbc:ChargeTotalAmount") if has_charge else Decimal(0)
    allowance = _value(total, "cbc:AllowanceTotalAmount") if has_allowance else Decimal(0)
    if charge is None or allowance is None:
        return False
    return exclusive == round2(lines + charge - allowance)


def _payable(total: etree._Element) -> bool:
    """ibr-co-16: amount due (ibt-115) = total with tax (ibt-112) - paid (ibt-113) + rounding."""
    payable = _value(total, "cbc:PayableAmount")
    inclusive = _value(total, "cbc:TaxInclusiveAmount")
    prepaid = _value(total, "cbc:PrepaidAmount") or Decimal(0)
    rounding = _value(total, "cbc:PayableRoundingAmount") or Decimal(0)
    if payable is None or inclusive is None:
        return False
    due = round2(inclusive - prepaid) if prepaid else inclusive
    paid = round2(payable - rounding) if rounding else payable
    return paid == due


def _tax_total(tax_total: etree._Element) -> bool:
    """ibr-co-14: total tax (ibt-110) = Σ tax category tax amounts (ibt-117)."""
    if tax_total.find("cac:TaxSubtotal", NS) is None:
        return True
    stated = _value(tax_total, "cbc:TaxAmount")
    nodes = _SUBTOTAL_TAX(tax_total)
    parts = _amounts(nodes if isinstance(nodes, list) else [])
    return stated is not None and stated == round2(sum(parts, Decimal(0)))


def _tax_inclusive(root: etree._Element) -> bool:
    """ibr-co-15: total with tax (ibt-112) = total without tax (ibt-109) + total tax (ibt-110)."""
    included = _ROOT_TAX_INCLUDED(root)
    if _true(included if isinstance(included, list) else []):
        return True
    inclusive = _value(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")
    exclusive = _value(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")
    nodes = _FIRST_TAX_TOTAL_IN_DOC_CURRENCY(root)
    taxes = _amounts(nodes if isinstance(nodes, list) else [])
    if inclusive is None or exclusive is None or len(taxes) != 1:
        return False
    return inclusive == round2(exclusive + taxes[0])


_SUPPLIER_IDS = (
    "cac:PartyTaxScheme/cbc:CompanyID or cac:PartyIdentification/cbc:ID"
    " or cac:PartyLegalEntity/cbc:CompanyID"
)

MONETARY_TOTAL_RULES: tuple[Rule, ...] = (
    Rule("ibr-co-10", FATAL, "", _lines_sum,
         "The sum of line net amounts (ibt-106) must equal the total of every invoice line net amount (ibt-131).",
         "明細金額の合計（ibt-106）は、各明細の金額（ibt-131）を足し合わせた額と一致しなければなりません。", "ibt-106"),
    Rule("ibr-co-11", FATAL, "", _allowances_sum,
         "The sum of document level allowances (ibt-107) must equal the total of the document level allowance amounts (ibt-092).",
         "文書レベルの値引き合計（ibt-107）は、各値引き額（ibt-092）の合計と一致しなければなりません。", "ibt-107"),
    Rule("ibr-co-12", FATAL, "", _charges_sum,
         "The sum of document level charges (ibt-108) must equal the total of the document level charge amounts (ibt-099).",
         "文書レベルの追加料金合計（ibt-108）は、各追加料金額（ibt-099）の合計と一致しなければなりません。", "ibt-108"),
    Rule("ibr-co-13", FATAL, "", _tax_exclusive,
         "The total without tax (ibt-109) must equal the sum of line net amounts (ibt-106) less allowances (ibt-107) plus charges (ibt-108).",
         "税抜合計額（ibt-109）は、明細金額の合計（ibt-106）から値引き合計（ibt-107）を引き、追加料金合計（ibt-108）を足した額でなければなりません。", "ibt-109"),
    Rule("ibr-co-16", FATAL, "", _payable,
         "The amount due (ibt-115) must equal the total with tax (ibt-112) less the paid amount (ibt-113) plus the rounding amount (ibt-114).",
         "支払金額（ibt-115）は、税込合計額（ibt-112）から前払額（ibt-113）を引き、端数調整額（ibt-114）を加えた額でなければなりません。", "ibt-115"),
)  # fmt: skip
"""Asserted on ``cac:LegalMonetaryTotal``; the shared pattern sets the context."""

DOCUMENT_RULES: tuple[Rule, ...] = (
    Rule("ibr-co-15", FATAL, "", _tax_inclusive,
         "The total with tax (ibt-112) must equal the total without tax (ibt-109) plus the total tax (ibt-110).",
         "税込合計額（ibt-112）は、税抜合計額（ibt-109）と税額合計（ibt-110）の和でなければなりません。", "ibt-112"),
)  # fmt: skip

TAX_TOTAL_RULES: tuple[Rule, ...] = (
    Rule("ibr-co-14", FATAL, "", _tax_total,
         "The total tax (ibt-110) must equal the sum of the tax amounts per tax category (ibt-117).",
         "税額合計（ibt-110）は、税区分ごとの税額（ibt-117）の合計と一致しなければなりません。", "ibt-110"),
)  # fmt: skip

INVOICE_PERIOD_RULES: tuple[Rule, ...] = (
    Rule("ibr-co-19", FATAL, "", "cbc:StartDate or cbc:EndDate or cbc:DescriptionCode",
         "An invoicing period (ibg-14) must give its start date (ibt-073), its end date (ibt-074), or both.",
         "請求期間（ibg-14）を記載する場合は、開始日（ibt-073）と終了日（ibt-074）の少なくとも一方が必要です。", "ibg-14"),
)  # fmt: skip

LINE_PERIOD_RULES: tuple[Rule, ...] = (
    Rule("ibr-co-20", FATAL, "", "cbc:StartDate or cbc:EndDate",
         "An invoice line period (ibg-26) must give its start date (ibt-134), its end date (ibt-135), or both.",
         "明細期間（ibg-26）を記載する場合は、開始日（ibt-134）と終了日（ibt-135）の少なくとも一方が必要です。", "ibg-26"),
)  # fmt: skip

SELLER_RULES: tuple[Rule, ...] = (
    Rule("ibr-co-26", FATAL, "", _SUPPLIER_IDS,
         "So that the buyer can identify the seller, give the seller identifier (ibt-029), the legal registration identifier (ibt-030) or the tax identifier (ibt-031).",
         "買手が売手を特定できるよう、売手識別子（ibt-029）、法人登録識別子（ibt-030）、税識別子（ibt-031）のいずれかが必要です。", "ibt-029"),
)  # fmt: skip
