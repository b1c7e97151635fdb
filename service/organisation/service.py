"""Departments and suppliers: the checks and audit events around adding them."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from parsers import registration
from service.errors import BadRequest, Conflict, NotFound
from storage import audit
from storage.audit import Actor
from storage.models import Department, Supplier
from storage.repositories import organisation as repo


def add_department(
    session: Session,
    *,
    actor: Actor,
    code: str,
    name: str,
    approval_threshold: Decimal,
    works: bool = False,
) -> Department:
    """Create a department with its approval threshold (JPY)."""
    if approval_threshold < 0:
        raise BadRequest("the approval threshold cannot be negative")
    if repo.department_by_code(session, code) is not None:
        raise Conflict(f"department {code} exists already")
    department = repo.add_department(
        session, code=code, name=name, approval_threshold=approval_threshold, works=works
    )
    audit.record(
        session,
        actor=actor,
        action="department.add",
        entity_type="department",
        entity_id=department.id,
        details={"code": code, "name": name, "threshold": str(approval_threshold)},
    )
    return department


def checked_registration_number(number: str, *, force: bool) -> str:
    """Normalise a registration number; refuse a wrong check digit unless forced."""
    normalized = registration.normalize(number)
    if not registration.is_well_formed(normalized):
        raise BadRequest(f"{number!r} is not T followed by 13 digits")
    if not registration.is_valid(normalized) and not force:
        raise BadRequest(
            f"{normalized} has a wrong check digit; check it with the supplier "
            "(or override explicitly)"
        )
    return normalized


def add_supplier(
    session: Session,
    *,
    actor: Actor,
    registration_number: str,
    name: str,
    default_department_code: str | None = None,
    creditor_number: str | None = None,
    force: bool = False,
) -> Supplier:
    """Register a supplier (creditor); its registration number is checked strictly."""
    number = checked_registration_number(registration_number, force=force)
    if repo.supplier_by_registration(session, number) is not None:
        raise Conflict(f"supplier {number} exists already")
    department = None
    if default_department_code:
        department = repo.department_by_code(session, default_department_code)
        if department is None:
            raise NotFound(f"no department {default_department_code}")
    supplier = repo.add_supplier(
        session,
        registration_number=number,
        name=name,
        default_department=department,
        creditor_number=creditor_number,
    )
    audit.record(
        session,
        actor=actor,
        action="supplier.add",
        entity_type="supplier",
        entity_id=supplier.id,
        reason="check digit overridden" if force and not registration.is_valid(number) else None,
        details={"registration_number": number, "name": name},
    )
    return supplier
