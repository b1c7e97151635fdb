"""Supplier companies sign themselves up; an administrator approves and links the creditor."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.accounts.service import add_user, check_new_login
from service.auth.principal import Principal
from service.errors import Conflict, NotFound
from service.organisation.service import checked_registration_number
from storage import audit
from storage.models import Role, Supplier, User
from storage.repositories import organisation

SIGNUP_ACTOR = audit.Actor(login="signup", role="supplier")


def sign_up(
    session: Session,
    *,
    registration_number: str,
    company_name: str,
    contact_email: str,
    login: str,
    password: str,
) -> User:
    """A new, not yet approved supplier with its first user (who may dry-run meanwhile)."""
    number = checked_registration_number(registration_number, force=False)
    if organisation.supplier_by_registration(session, number) is not None:
        raise Conflict(f"{number} already has an account: ask a colleague to add you, or the city")
    check_new_login(session, login)
    supplier = organisation.add_supplier(
        session, registration_number=number, name=company_name, approved=False
    )
    supplier.contact_email = contact_email
    created = add_user(
        session,
        actor=SIGNUP_ACTOR,
        login=login,
        role=Role.SUPPLIER,
        department_codes=[],
        supplier_registration=number,
        password=password,
        with_token=False,
    )
    audit.record(
        session,
        actor=SIGNUP_ACTOR,
        action="supplier.signup",
        entity_type="supplier",
        entity_id=supplier.id,
        details={"registration_number": number, "name": company_name, "email": contact_email},
    )
    return created.user


def pending_suppliers(session: Session) -> list[Supplier]:
    """Sign-ups waiting for an administrator."""
    return organisation.pending_suppliers(session)


def approve(
    session: Session,
    *,
    actor: Principal,
    supplier_id: int,
    creditor_number: str | None,
    default_department: str | None,
) -> Supplier:
    """Approve a sign-up and link it to the creditor record (number, default department)."""
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(f"no supplier {supplier_id}")
    if supplier.approved:
        raise Conflict(f"supplier {supplier.registration_number} is approved already")
    if default_department:
        department = organisation.department_by_code(session, default_department)
        if department is None:
            raise NotFound(f"no department {default_department}")
        supplier.default_department = department
    if creditor_number:
        if organisation.supplier_by_creditor_number(session, creditor_number) is not None:
            raise Conflict(f"creditor number {creditor_number} belongs to another supplier")
        supplier.creditor_number = creditor_number
    supplier.approved = True
    audit.record(
        session,
        actor=actor.actor,
        action="supplier.approve",
        entity_type="supplier",
        entity_id=supplier.id,
        details={"creditor_number": creditor_number, "default_department": default_department},
    )
    session.flush()
    return supplier
