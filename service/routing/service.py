"""Which department's inbox an invoice lands in, and why."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage.models import Department, Supplier
from storage.repositories import organisation
from storage.repositories.organisation import RoutingMatch

TRIAGE_CODE = "triage"


class RoutingRule(enum.StrEnum):
    """The rules, in the order they are tried (and ``forwarded`` for a clerk's hand)."""

    BUYER_REFERENCE = "buyer_reference"
    PURCHASE_ORDER = "purchase_order"
    SUPPLIER_DEFAULT = "supplier_default"
    TRIAGE = "triage"
    FORWARDED = "forwarded"


EXPLANATIONS: dict[RoutingRule, tuple[str, str]] = {
    # rule: (Japanese, English); {department}, {buyer_reference}, {order_reference} filled in
    RoutingRule.BUYER_REFERENCE: (
        "買手参照（BT-10）「{buyer_reference}」が部署コード {department} を指しています。",
        "The buyer reference (BT-10) '{buyer_reference}' names department {department}.",
    ),
    RoutingRule.PURCHASE_ORDER: (
        "注文番号（BT-13）「{order_reference}」が発注台帳で部署 {department} に登録されています。",
        "The order reference (BT-13) '{order_reference}' is registered to {department} in the "
        "purchase-order register.",
    ),
    RoutingRule.SUPPLIER_DEFAULT: (
        "買手参照・注文番号で部署を特定できないため、"
        "事業者の既定部署 {department} に配付しました。",
        "Neither buyer reference nor order reference named a department, so the invoice went "
        "to the supplier's default department {department}.",
    ),
    RoutingRule.TRIAGE: (
        "部署を特定できないため、振分け（{department}）に配付しました。会計課が手作業で転送します。",
        "No rule named a department, so the invoice waits in the triage inbox ({department}) "
        "for central accounting to forward it.",
    ),
    RoutingRule.FORWARDED: (
        "担当職員が部署 {department} に転送しました。",
        "A clerk forwarded the invoice to {department}.",
    ),
}


def explain(
    rule: RoutingRule,
    *,
    department: str,
    buyer_reference: str | None,
    order_reference: str | None,
) -> tuple[str, str]:
    """Why the invoice is where it is, in Japanese and English."""
    ja, en = EXPLANATIONS[rule]
    values = {
        "department": department,
        "buyer_reference": buyer_reference or "",
        "order_reference": order_reference or "",
    }
    return ja.format(**values), en.format(**values)


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """The chosen department and the rule that chose it."""

    department: Department
    rule: RoutingRule


def route(
    session: Session,
    *,
    buyer_reference: str | None,
    order_reference: str | None,
    supplier: Supplier,
) -> RoutingDecision:
    """BT-10 naming a department, else BT-13 in the purchase-order register, else the
    supplier's default department, else the triage inbox."""
    found = organisation.routing_department(
        session, code=buyer_reference, po_number=order_reference, fallback_code=TRIAGE_CODE
    )
    if found is not None and found[1] is not RoutingMatch.FALLBACK:
        department, match = found
        if match is RoutingMatch.PURCHASE_ORDER:
            return RoutingDecision(department, RoutingRule.PURCHASE_ORDER)
        return RoutingDecision(department, RoutingRule.BUYER_REFERENCE)
    if supplier.default_department is not None:
        return RoutingDecision(supplier.default_department, RoutingRule.SUPPLIER_DEFAULT)
    if found is None:
        raise RuntimeError("the triage department is missing; run the migrations")
    return RoutingDecision(found[0], RoutingRule.TRIAGE)
