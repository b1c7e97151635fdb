"""Departments and suppliers (creditors): the city's side and the suppliers' side."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import bindparam, case, literal, or_, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from storage.models import Department, DepartmentAlias, PurchaseOrder, Supplier

_BY_CODE = select(Department).where(Department.code == bindparam("code"))


def department_by_code(session: Session, code: str) -> Department | None:
    """The department with this code, if any."""
    return session.execute(_BY_CODE, {"code": code}).scalar_one_or_none()


class RoutingMatch(enum.IntEnum):
    """What named the department that routing found, best first."""

    CODE = 0
    ALIAS = 1
    PURCHASE_ORDER = 2
    FALLBACK = 3


_CANDIDATES = union_all(
    select(
        Department.id.label("department_id"),
        case(
            (Department.code == bindparam("code"), literal(RoutingMatch.CODE.value)),
            else_=literal(RoutingMatch.ALIAS.value),
        ).label("match"),
    )
    .outerjoin(DepartmentAlias, DepartmentAlias.department_id == Department.id)
    .where(or_(Department.code == bindparam("code"), DepartmentAlias.alias == bindparam("code"))),
    select(PurchaseOrder.department_id, literal(RoutingMatch.PURCHASE_ORDER.value)).where(
        PurchaseOrder.po_number == bindparam("po_number")
    ),
    select(Department.id, literal(RoutingMatch.FALLBACK.value)).where(
        Department.code == bindparam("fallback")
    ),
).subquery()
_ROUTING = (
    select(Department, _CANDIDATES.c.match)
    .join(_CANDIDATES, _CANDIDATES.c.department_id == Department.id)
    .order_by(_CANDIDATES.c.match)
    .limit(1)
)


def routing_department(
    session: Session, *, code: str | None, po_number: str | None, fallback_code: str
) -> tuple[Department, RoutingMatch] | None:
    """The department whose code or alias is ``code`` (an exact code first), else the one that
    placed purchase order ``po_number``, else the one coded ``fallback_code``; and which it was.

    One query built once, as every upload is routed: building a statement costs about as much
    as running it, and a reference that names nothing would otherwise cost a query per rule.
    """
    row = session.execute(
        _ROUTING,
        {
            "code": code.strip() if code else None,
            "po_number": po_number.strip() if po_number else None,
            "fallback": fallback_code,
        },
    ).first()
    return None if row is None else (row[0], RoutingMatch(row[1]))


def list_departments(session: Session) -> list[Department]:
    """Every department, by code, aliases loaded."""
    return list(
        session.execute(
            select(Department).order_by(Department.code).options(selectinload(Department.aliases))
        ).scalars()
    )


def department_codes(session: Session) -> list[str]:
    """Every department's code, in order: a search form's choices (no rows built for them)."""
    return list(session.scalars(select(Department.code).order_by(Department.code)))


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
    """Suppliers waiting for an administrator's decision (not approved, not rejected), oldest
    first."""
    return list(
        session.execute(
            select(Supplier)
            .where(Supplier.approved.is_(False), Supplier.rejected_at.is_(None))
            .order_by(Supplier.id)
        ).scalars()
    )


def supplier_locked(session: Session, supplier_id: int) -> Supplier | None:
    """A supplier locked for an administrator's decision (two admins deciding at once wait)."""
    return session.execute(
        select(Supplier).where(Supplier.id == supplier_id).with_for_update()
    ).scalar_one_or_none()


def supplier_by_creditor_number(session: Session, creditor_number: str) -> Supplier | None:
    """The supplier with this creditor number, if any."""
    return session.execute(
        select(Supplier).where(Supplier.creditor_number == creditor_number)
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
