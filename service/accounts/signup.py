"""Supplier companies sign themselves up; an administrator approves and links the creditor."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service import forms
from service.accounts.service import add_user, check_new_login
from service.auth.principal import Principal
from service.errors import BadRequest, Conflict, NotFound
from service.i18n import Phrase
from service.organisation.service import checked_registration_number
from storage import audit
from storage.models import Role, Supplier, User, utcnow
from storage.repositories import organisation

SIGNUP_ACTOR = audit.Actor(login="signup", role="supplier")


def state(supplier: Supplier) -> str:
    """``pending``, ``approved`` or ``rejected``: what an admin decided about the sign-up."""
    if supplier.approved:
        return "approved"
    return "rejected" if supplier.rejected_at is not None else "pending"


def _about(supplier: Supplier) -> dict[str, object]:
    """What a refusal about a sign-up names: its number, company name and state (the state in
    the reader's language)."""
    return {
        "number": supplier.registration_number or str(supplier.id),
        "name": supplier.name,
        "state": Phrase(f"supplier.state.{state(supplier)}"),
    }


def sign_up(
    session: Session,
    *,
    registration_number: str,
    company_name: str,
    contact_email: str,
    login: str,
    password: str,
    language: str = "ja",
) -> User:
    """A new, not yet approved supplier with its first user (who may dry-run meanwhile); the
    user's notifications go to the contact address, in the language of the sign-up."""
    number = checked_registration_number(registration_number, force=False, own=True)
    existing = organisation.supplier_by_registration(session, number)
    if existing is not None:
        taken = Conflict.said("signup.number_taken", **_about(existing))
        taken.extra["existing_supplier"] = existing.name
        raise taken
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
    created.user.email, created.user.language = contact_email, language
    audit.record(
        session,
        actor=SIGNUP_ACTOR,
        action="supplier.signup",
        entity_type="supplier",
        entity_id=supplier.id,
        details={"registration_number": number, "name": company_name, "email": contact_email},
    )
    return created.user


def company_of(session: Session, caller: Principal) -> Supplier | None:
    """The caller's supplier company, for its sign-up state and an admin's rejection reason."""
    if caller.supplier_id is None:
        return None
    return session.get(Supplier, caller.supplier_id)


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
    supplier = organisation.supplier_locked(session, supplier_id)
    if supplier is None:
        raise NotFound(f"no supplier {supplier_id}")
    if supplier.approved:
        raise Conflict.said("admin.suppliers.not_pending", **_about(supplier))
    default_department = forms.code(default_department or "") or None
    creditor_number = forms.code(creditor_number or "") or None
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
    supplier.rejected_at = supplier.rejection_reason = None
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


def reject(session: Session, *, actor: Principal, supplier_id: int, reason: str) -> Supplier:
    """Refuse a pending sign-up with a reason the applicant reads when signing in.

    The row stays (its number stays taken, so a second try names this account) and may still
    be approved later, should the administrator change their mind."""
    reason = reason.strip()
    if not reason:
        raise BadRequest.said("admin.suppliers.reason_empty")
    supplier = organisation.supplier_locked(session, supplier_id)
    if supplier is None:
        raise NotFound(f"no supplier {supplier_id}")
    if state(supplier) != "pending":
        raise Conflict.said("admin.suppliers.not_pending", **_about(supplier))
    supplier.rejected_at, supplier.rejection_reason = utcnow(), reason
    audit.record(
        session,
        actor=actor.actor,
        action="supplier.reject",
        entity_type="supplier",
        entity_id=supplier.id,
        reason=reason,
        details={"registration_number": supplier.registration_number},
    )
    session.flush()
    return supplier
