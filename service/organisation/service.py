"""Departments and suppliers: the checks and audit events around adding them."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy.orm import Session

from parsers import registration
from service import forms
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
    """Create a department with its approval threshold (JPY); its code in its one form."""
    code = forms.code(code)
    if approval_threshold < 0:
        raise BadRequest("the approval threshold cannot be negative")
    if repo.department_by_code(session, code) is not None:
        raise Conflict.said("org.department_exists", code=code)
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


def checked_registration_number(number: str, *, force: bool, own: bool = False) -> str:
    """Normalise a registration number; refuse a wrong check digit unless forced. ``own``: the
    supplier typed its own number, so the refusal asks it to check, not to ask the supplier."""
    normalized = registration.normalize(number)
    if not registration.is_well_formed(normalized):
        raise BadRequest.said("reg.malformed", value=number)
    if not registration.is_valid(normalized) and not force:
        raise BadRequest.said(
            "reg.check_digit_own" if own else "reg.check_digit", number=normalized
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
    default_department_code = forms.code(default_department_code or "") or None
    creditor_number = forms.code(creditor_number or "") or None
    if repo.supplier_by_registration(session, number) is not None:
        raise Conflict.said("org.supplier_exists", number=number)
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


def add_alias(session: Session, *, actor: Actor, code: str, alias: str) -> None:
    """Let suppliers name a department by another code in BT-10."""
    department = repo.department_by_code(session, code)
    if department is None:
        raise NotFound(f"no department {code}")
    alias = alias.strip()
    if not alias:
        raise BadRequest("the alias is empty")
    if repo.alias_row(session, alias) is not None or repo.department_by_code(session, alias):
        raise Conflict(f"{alias} already names a department")
    repo.add_alias(session, department, alias)
    audit.record(
        session,
        actor=actor,
        action="routing.alias.add",
        entity_type="department",
        entity_id=department.id,
        details={"code": code, "alias": alias},
    )


def remove_alias(session: Session, *, actor: Actor, alias: str) -> None:
    """Stop routing by an alias."""
    row = repo.alias_row(session, alias)
    if row is None:
        raise NotFound(f"no alias {alias}")
    department_id = row.department_id
    session.delete(row)
    audit.record(
        session,
        actor=actor,
        action="routing.alias.remove",
        entity_type="department",
        entity_id=department_id,
        details={"alias": alias},
    )


def update_department(
    session: Session,
    *,
    actor: Actor,
    code: str,
    name: str | None,
    approval_threshold: Decimal | None,
    works: bool | None,
) -> Department:
    """Change a department's name, threshold or works setting."""
    department = repo.department_by_code(session, code)
    if department is None:
        raise NotFound(f"no department {code}")
    changes: dict[str, str] = {}
    if name is not None:
        department.name, changes["name"] = name, name
    if approval_threshold is not None:
        if approval_threshold < 0:
            raise BadRequest("the approval threshold cannot be negative")
        department.approval_threshold = approval_threshold
        changes["threshold"] = str(approval_threshold)
    if works is not None:
        department.works_contracts, changes["works"] = works, str(works)
    audit.record(
        session,
        actor=actor,
        action="department.update",
        entity_type="department",
        entity_id=department.id,
        details=changes,
    )
    return department


MAX_CSV_BYTES = 20 * 1024 * 1024


def import_purchase_orders(session: Session, *, actor: Actor, data: bytes) -> int:
    """Load ``po_number,department_code`` rows (UTF-8 CSV) into the register; all or nothing."""
    if not data:
        raise BadRequest("the CSV is empty")
    if len(data) > MAX_CSV_BYTES:
        raise BadRequest("the CSV is larger than 20 MiB; split it")
    try:
        csv_text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest.said("po.not_utf8") from None
    rows: list[tuple[str, Department]] = []
    problems: list[tuple[str, dict[str, object]]] = []
    departments = {d.code: d for d in repo.list_departments(session)}
    try:
        lines = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"), newline="")))
    except csv.Error as exc:
        raise BadRequest.said("po.not_csv", detail=str(exc)) from None
    for line_number, fields in enumerate(lines, start=1):
        if not fields or not any(f.strip() for f in fields):
            continue
        if line_number == 1 and [f.strip().lower() for f in fields] == [
            "po_number",
            "department_code",
        ]:
            continue
        if len(fields) != 2:
            problems.append(("po.columns", {"line": line_number}))
            continue
        number, code = forms.code(fields[0]), forms.code(fields[1])
        if not number or len(number) > 200:
            problems.append(("po.bad_number", {"line": line_number}))
        elif code not in departments:
            problems.append(("po.no_department", {"line": line_number, "code": code}))
        else:
            rows.append((number, departments[code]))
    if problems:
        raise BadRequest.listing(problems[:20])
    count = repo.upsert_purchase_orders(session, rows) if rows else 0
    audit.record(
        session,
        actor=actor,
        action="routing.purchase_orders.import",
        entity_type="purchase_orders",
        details={"rows": count},
    )
    return count
