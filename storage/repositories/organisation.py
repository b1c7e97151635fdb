"""Departments and suppliers (creditors): the city's side and the suppliers' side."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from storage.models import Department, DepartmentAlias, PurchaseOrder, Supplier

# The routing lookups, which every upload runs, built once: building a statement costs
# about as much as running it.
_BY_CODE = select(Department).where(Department.code == bindparam("code"))
_BY_CODE_OR_ALIAS = (
    select(Department)
    .outerjoin(DepartmentAlias, DepartmentAlias.department_id == Department.id)
    .where(or_(Department.code == bindparam("code"), DepartmentAlias.alias == bindparam("code")))
    .order_by(Department.code != bindparam("code"))  # an exact code beats someone's alias
    .limit(1)
)
_BY_PURCHASE_ORDER = (
    select(Department)
    .join(PurchaseOrder, PurchaseOrder.department_id == Department.id)
    .where(PurchaseOrder.po_number == bindparam("po_number"))
)


def department_by_code(session: Session, code: str) -> Department | None:
    """The department with this code, if any."""
    return session.execute(_BY_CODE, {"code": code}).scalar_one_or_none()


def department_by_code_or_alias(session: Session, code: str) -> Department | None:
    """The department this code or alias names (codes are matched exactly, after trimming)."""
    return session.execute(_BY_CODE_OR_ALIAS, {"code": code.strip()}).scalar_one_or_none()


def list_departments(session: Session) -> list[Department]:
    """Every department, by code, aliases loaded."""
    return list(
        session.execute(
            select(Department).order_by(Department.code).options(selectinload(Department.aliases))
        ).scalars()
    )


def add_department(
    session: Session, *, code: str, name: str, approval_threshold: Decimal, works: bool = False
) -> Department:
    """Insert a department; the caller commits."""
    department = Department(
        code=code, name=name, approval_threshold=approval_threshold, works_contracts=works
    )
    session.add(department)
    session.flush()
    return department


_SUPPLIER_FOR_ROUTING = (
    select(Supplier)
    .where(Supplier.id == bindparam("supplier_id"))
    .options(joinedload(Supplier.default_department))
)


def supplier_for_routing(session: Session, supplier_id: int) -> Supplier:
    """A supplier with its default department loaded (read on every upload)."""
    return session.execute(_SUPPLIER_FOR_ROUTING, {"supplier_id": supplier_id}).scalar_one()


def supplier_by_registration(session: Session, registration_number: str) -> Supplier | None:
    """The supplier with this qualified-invoice registration number, if any."""
    return session.execute(
        select(Supplier).where(Supplier.registration_number == registration_number)
    ).scalar_one_or_none()


def add_supplier(
    session: Session,
    *,
    registration_number: str | None,
    name: str,
    default_department: Department | None = None,
    creditor_number: str | None = None,
    approved: bool = True,
) -> Supplier:
    """Insert a supplier; the caller commits."""
    supplier = Supplier(
        registration_number=registration_number,
        name=name,
        default_department=default_department,
        creditor_number=creditor_number,
        approved=approved,
    )
    session.add(supplier)
    session.flush()
    return supplier


def pending_suppliers(session: Session) -> list[Supplier]:
    """Suppliers waiting for an administrator's approval, oldest first."""
    return list(
        session.execute(
            select(Supplier).where(Supplier.approved.is_(False)).order_by(Supplier.id)
        ).scalars()
    )


def supplier_by_creditor_number(session: Session, creditor_number: str) -> Supplier | None:
    """The supplier with this creditor number, if any."""
    return session.execute(
        select(Supplier).where(Supplier.creditor_number == creditor_number)
    ).scalar_one_or_none()


def department_by_purchase_order(session: Session, po_number: str) -> Department | None:
    """The department that placed this purchase order, per the register."""
    return session.execute(
        _BY_PURCHASE_ORDER, {"po_number": po_number.strip()}
    ).scalar_one_or_none()


def upsert_purchase_orders(session: Session, rows: list[tuple[str, Department]]) -> int:
    """Register (or re-assign) purchase orders; returns how many rows were written."""
    existing = {
        po.po_number: po
        for po in session.execute(
            select(PurchaseOrder).where(PurchaseOrder.po_number.in_([n for n, _ in rows]))
        ).scalars()
    }
    for number, department in rows:  # a number listed twice: the last row wins
        found = existing.get(number)
        if found is None:
            existing[number] = PurchaseOrder(po_number=number, department=department)
            session.add(existing[number])
        else:
            found.department = department
    session.flush()
    return len(rows)


def list_purchase_orders(session: Session, *, limit: int, offset: int) -> list[PurchaseOrder]:
    """The register, by number."""
    return list(
        session.execute(
            select(PurchaseOrder).order_by(PurchaseOrder.po_number).limit(limit).offset(offset)
        ).scalars()
    )


def add_alias(session: Session, department: Department, alias: str) -> DepartmentAlias:
    """Another code that names the department in BT-10."""
    row = DepartmentAlias(department=department, alias=alias)
    session.add(row)
    session.flush()
    return row


def alias_row(session: Session, alias: str) -> DepartmentAlias | None:
    """The alias row, if any."""
    return session.execute(
        select(DepartmentAlias).where(DepartmentAlias.alias == alias)
    ).scalar_one_or_none()
