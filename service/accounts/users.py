"""An administrator manages the users: deactivate, reactivate, role and departments, and a
one-time code with which a user sets a new password. Every change is an audit event.

The rule "an administrator never deactivates themself, nor removes the last active
administrator" holds in the database: the active administrators are row-locked and the change
is one guarded UPDATE, so two administrators racing to remove each other cannot both pass.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service import forms
from service.accounts import auth
from service.auth.principal import Principal
from service.auth.secrets import hash_password, token_hash
from service.errors import BadRequest, Conflict, NotFound
from storage import audit
from storage.models import Department, Role, User, utcnow
from storage.repositories import organisation, users
from storage.repositories.users import UserFilter

RESET_VALID_FOR = dt.timedelta(hours=24)
"""How long a password reset code may be redeemed."""
RESET_PATH = "/password-reset"


def list_users(session: Session, criteria: UserFilter) -> list[User]:
    """The users an administrator asked for, by login."""
    return users.list_users(session, criteria)


def user_named(session: Session, login: str) -> User:
    """The user with this login (any case or width); 404 when there is none."""
    user = users.user_by_login(session, forms.code(login))
    if user is None:
        raise NotFound.said("admin.users.no_such_user", login=login)
    return user


def _record(
    session: Session, caller: Principal, action: str, user: User, **details: object
) -> None:
    audit.record(
        session,
        actor=caller.actor,
        action=action,
        entity_type="user",
        entity_id=user.id,
        details={"login": user.login, **details},
    )


def deactivate(session: Session, *, caller: Principal, login: str) -> User:
    """Stop a user signing in; their sessions end, their tokens are refused at once, and an
    outstanding reset code is spent."""
    user = user_named(session, login)
    if user.id == caller.user_id:
        raise Conflict.said("admin.users.not_yourself")
    if not user.active:
        return user
    users.lock_active_admins(session)
    if not users.deactivate(session, user.id):
        raise Conflict.said("admin.users.last_admin")
    ended = users.end_sessions(session, user.id)
    users.void_password_resets(session, user.id)  # reactivation must not revive an old code
    _record(session, caller, "user.deactivate", user, sessions_ended=ended)
    session.refresh(user)
    return user


def reactivate(session: Session, *, caller: Principal, login: str) -> User:
    """Let a deactivated user sign in again (with the password or a new reset code)."""
    user = user_named(session, login)
    if users.reactivate(session, user.id):
        _record(session, caller, "user.reactivate", user)
        session.refresh(user)
    return user


def _departments(session: Session, codes: list[str]) -> list[Department]:
    found = []
    for code in codes:
        department = organisation.department_by_code(session, forms.code(code))
        if department is None:
            raise NotFound.said("admin.users.no_such_department", code=code)
        found.append(department)
    return found


def change(
    session: Session,
    *,
    caller: Principal,
    login: str,
    role: Role | None,
    department_codes: list[str] | None,
) -> User:
    """Give a user another staff role or other departments, by the rules a new user follows:
    a supplier's user stays one, a clerk needs a department, nobody else has any."""
    user = user_named(session, login)
    current = Role(user.role)
    new_role = current if role is None else role
    if auth.is_staff(current) != auth.is_staff(new_role):
        raise BadRequest.said("admin.users.supplier_stays")
    codes = [d.code for d in user.departments] if department_codes is None else department_codes
    if not auth.binds_departments(new_role):
        codes = [] if department_codes is None else codes
        if codes:
            raise BadRequest.said("admin.users.only_clerks_departments")
    elif not codes:
        raise BadRequest.said("admin.users.clerk_needs_department")
    departments = _departments(session, codes)
    if new_role is not current:
        if user.id == caller.user_id:
            raise Conflict.said("admin.users.not_yourself")
        users.lock_active_admins(session)
        if not users.change_role(session, user.id, new_role):
            raise Conflict.said("admin.users.last_admin")
    users.set_departments(session, user.id, departments)
    details = {"role": new_role.value, "departments": [d.code for d in departments]}
    _record(session, caller, "user.change", user, previous_role=current.value, **details)
    session.refresh(user)
    session.expire(user, ["departments"])
    return user


@dataclass(frozen=True, slots=True)
class IssuedReset:
    """A reset code as the administrator sees it, once: only its hash is stored."""

    login: str
    code: str
    path: str
    expires_at: dt.datetime


def issue_reset(session: Session, *, caller: Principal, login: str) -> IssuedReset:
    """A one-time code (and the page that redeems it) for a user's new password; an earlier
    unused code of theirs is spent, so only the newest works."""
    user = user_named(session, login)
    if not user.active:
        raise Conflict.said("admin.users.reset_inactive")
    code = secrets.token_urlsafe(18)
    expires_at = utcnow() + RESET_VALID_FOR
    users.add_password_reset(
        session,
        user_id=user.id,
        code_hash=token_hash(code),
        issued_by=caller.login,
        expires_at=expires_at,
    )
    _record(session, caller, "user.password_reset", user, expires_at=expires_at.isoformat())
    return IssuedReset(
        login=user.login, code=code, path=f"{RESET_PATH}?code={code}", expires_at=expires_at
    )


def redeem_reset(session: Session, *, code: str, password: str) -> str:
    """Set a new password with a reset code: the code is spent, the old password stops
    working, and every browser session of the user ends. Returns the login."""
    if not 10 <= len(password) <= 200:
        raise BadRequest.said("reset.password_length")
    user_id = users.spend_password_reset(session, token_hash(code.strip()))
    if user_id is None:
        raise BadRequest.said("reset.code_invalid")
    users.set_password_hash(session, user_id, hash_password(password))
    users.end_sessions(session, user_id)
    user = session.get_one(User, user_id)
    session.refresh(user)
    users.clear_sign_in_failures(session, user.login)
    actor = audit.Actor(login=user.login, role=Role(user.role).value, user_id=user.id)
    audit.record(
        session,
        actor=actor,
        action="user.password_set",
        entity_type="user",
        entity_id=user.id,
        details={"login": user.login},
    )
    return user.login
