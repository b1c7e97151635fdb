"""Which department's inbox an invoice lands in, and why."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage.models import Department, Supplier
from storage.repositories import organisation

TRIAGE_CODE = "triage"


class RoutingRule(enum.StrEnum):
    """The rules, in the order they are tried."""

    BUYER_REFERENCE = "buyer_reference"
    SUPPLIER_DEFAULT = "supplier_default"
    TRIAGE = "triage"


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """The chosen department and the rule that chose it."""

    department: Department
    rule: RoutingRule


def route(session: Session, *, buyer_reference: str | None, supplier: Supplier) -> RoutingDecision:
    """BT-10 naming a department, else the supplier's default, else the triage inbox."""
    if buyer_reference:
        department = organisation.department_by_code_or_alias(session, buyer_reference)
        if department is not None:
            return RoutingDecision(department, RoutingRule.BUYER_REFERENCE)
    if supplier.default_department is not None:
        return RoutingDecision(supplier.default_department, RoutingRule.SUPPLIER_DEFAULT)
    triage = organisation.department_by_code(session, TRIAGE_CODE)
    if triage is None:
        raise RuntimeError("the triage department is missing; run the migrations")
    return RoutingDecision(triage, RoutingRule.TRIAGE)
