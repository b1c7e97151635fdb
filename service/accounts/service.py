"""User accounts: who may sign in, with which role, bound to what."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from parsers import registration
from service import forms
from service.accounts.schemas import LOGIN_RULE
from service.auth.secrets import hash_password
from service.auth.service import issue_token
from service.errors import BadRequest, Conflict, NotFound
from storage import audit
from storage.audit import Actor
from storage.models import Department, Role, User
from storage.repositories import organisation, users


class LoginTaken(Conflict):
    """Another user has this login, perhaps in another case or width."""


def check_new_login(session: Session, login: str) -> None:
    """The one rule for a new login (in its one form, ``forms.code``): safe ASCII characters,
    and no user with the same key."""
    login = forms.code(login)
    if not LOGIN_RULE.fullmatch(login):
        raise BadRequest(
            f"the login {login!r} is not 3 to 120 of the characters A-Z a-z 0-9 . _ @ -"
        )
    if users.user_by_login(session, login) is not None:
        raise LoginTaken(f"the login {login} is taken (case and width do not count)")


@dataclass(frozen=True, slots=True)
class NewUser:
    """A created user and its first API token (shown once), if one was asked for."""

    user: User
    token: str | None


def add_user(
    session: Session,
    *,
    actor: Actor,
    login: str,
    role: Role,
    department_codes: list[str],
    supplier_registration: str | None,
    password: str | None,
    display_name: str | None = None,
    with_token: bool = True,
) -> NewUser:
    """Create a user bound as its role requires, and issue its first token if asked."""
    login = forms.code(login)
    check_new_login(session, login)
    if role is Role.CLERK and not department_codes:
        raise BadRequest.said("accounts.clerk_needs_department")
    if role is not Role.CLERK and department_codes:
        raise BadRequest("only clerks are bound to departments")
    if (role is Role.SUPPLIER) != (supplier_registration is not None):
        raise BadRequest("a supplier user needs --supplier, and only a supplier user")
    departments: list[Department] = []
    for code in department_codes:
        department = organisation.department_by_code(session, code)
        if department is None:
            raise NotFound(f"no department {code}")
        departments.append(department)
    supplier = None
    if supplier_registration is not None:
        supplier = organisation.supplier_by_registration(
            session, registration.normalize(supplier_registration)
        )
        if supplier is None:
            raise NotFound(f"no supplier {supplier_registration}")
    user = users.add_user(
        session,
        login=login,
        role=role,
        password_hash=hash_password(password) if password else None,
        departments=departments,
        supplier=supplier,
        display_name=display_name,
    )
    token = issue_token(session, user) if with_token else None
    audit.record(
        session,
        actor=actor,
        action="user.add",
        entity_type="user",
        entity_id=user.id,
        details={"login": login, "role": role.value, "departments": department_codes},
    )
    return NewUser(user=user, token=token)
