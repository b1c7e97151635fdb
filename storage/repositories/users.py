"""Users, their API tokens and their browser sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    ApiToken,
    Department,
    Role,
    SignInFailure,
    Supplier,
    User,
    UserDepartment,
    WebSession,
    login_key,
    utcnow,
)


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a token or session belongs to, read in one or two queries (every request does it)."""

    user_id: int
    login: str
    role: Role
    display_name: str | None
    supplier_id: int | None
    supplier_approved: bool
    supplier_rejected: bool
    departments: tuple[tuple[int, str], ...]
    """(id, code) of a clerk's departments."""
    csrf_token: str | None = None
    """For a browser session: the token its forms must carry."""


_IDENTITY_COLUMNS = (
    User.id,
    User.login,
    User.role,
    User.display_name,
    User.supplier_id,
    Supplier.approved,
    Supplier.rejected_at,
)


def _identity_statement(source: Any, *conditions: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    extra = (WebSession.csrf_token,) if source is WebSession else ()
    return (
        select(*_IDENTITY_COLUMNS, *extra)
        .select_from(source)
        .join(User, source.user_id == User.id)
        .outerjoin(Supplier, Supplier.id == User.supplier_id)
        .where(User.active, *conditions)
    )


# Built once: every request runs one of them (building a statement costs about as much as
# running it).
_BY_TOKEN_HASH = _identity_statement(
    ApiToken, ApiToken.token_hash == bindparam("hash"), ApiToken.revoked_at.is_(None)
)
_BY_SESSION_HASH = _identity_statement(
    WebSession,
    WebSession.session_hash == bindparam("hash"),
    WebSession.expires_at > bindparam("now"),
)
_CLERK_DEPARTMENTS = (
    select(Department.id, Department.code)
    .join(UserDepartment, UserDepartment.department_id == Department.id)
    .where(UserDepartment.user_id == bindparam("user_id"))
    .order_by(Department.code)
)


def _identity(
    session: Session, statement: Select[*tuple[Any, ...]], **values: Any
) -> Identity | None:
    row = session.execute(statement, values).first()
    if row is None:
        return None
    user_id, login, role, display_name, supplier_id, approved, rejected_at = row[:7]
    departments: tuple[tuple[int, str], ...] = ()
    if role is Role.CLERK:
        departments = tuple(
            (department_id, code)
            for department_id, code in session.execute(
                _CLERK_DEPARTMENTS, {"user_id": user_id}
            ).all()
        )
    return Identity(
        user_id=user_id,
        login=login,
        role=role,
        display_name=display_name,
        supplier_id=supplier_id,
        supplier_approved=bool(approved),
        supplier_rejected=rejected_at is not None,
        departments=departments,
        csrf_token=row[7] if len(row) > 7 else None,
    )


def identity_by_token_hash(session: Session, token_hash: str) -> Identity | None:
    """The active user owning an unrevoked token with this hash."""
    return _identity(session, _BY_TOKEN_HASH, hash=token_hash)


def identity_by_session_hash(session: Session, session_hash: str) -> Identity | None:
    """The active user of an unexpired browser session with this hash."""
    return _identity(session, _BY_SESSION_HASH, hash=session_hash, now=utcnow())


def user_by_login(session: Session, login: str) -> User | None:
    """The user with this login in any case or width, departments loaded."""
    return session.execute(
        select(User)
        .where(User.login_key == login_key(login))
        .options(selectinload(User.departments), selectinload(User.supplier))
    ).scalar_one_or_none()


def add_user(
    session: Session,
    *,
    login: str,
    role: Role,
    password_hash: str | None,
    departments: list[Department],
    supplier: Supplier | None,
    display_name: str | None = None,
) -> User:
    """Insert a user; the caller commits."""
    user = User(
        login=login,
        role=role,
        password_hash=password_hash,
        departments=departments,
        supplier=supplier,
        display_name=display_name,
    )
    session.add(user)
    session.flush()
    return user


def add_token(session: Session, *, user: User, token_hash: str, name: str) -> ApiToken:
    """Store a new token's hash."""
    token = ApiToken(user=user, token_hash=token_hash, name=name)
    session.add(token)
    session.flush()
    return token


def add_web_session(
    session: Session, *, user: User, session_hash: str, csrf_token: str, expires_at: dt.datetime
) -> WebSession:
    """Store a new browser session."""
    web_session = WebSession(
        user=user, session_hash=session_hash, csrf_token=csrf_token, expires_at=expires_at
    )
    session.add(web_session)
    session.flush()
    return web_session


def end_web_session(session: Session, session_hash: str) -> None:
    """Forget a browser session (logout)."""
    session.execute(delete(WebSession).where(WebSession.session_hash == session_hash))


def tokens_of_supplier(session: Session, supplier_id: int) -> list[ApiToken]:
    """Every token of every user of a supplier, newest first."""
    return list(
        session.execute(
            select(ApiToken)
            .join(User, ApiToken.user_id == User.id)
            .where(User.supplier_id == supplier_id)
            .options(selectinload(ApiToken.user))
            .order_by(ApiToken.id.desc())
        ).scalars()
    )


def token_of_supplier(session: Session, supplier_id: int, token_id: int) -> ApiToken | None:
    """One token, only if it belongs to a user of this supplier."""
    return session.execute(
        select(ApiToken)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.id == token_id, User.supplier_id == supplier_id)
    ).scalar_one_or_none()


def list_users(session: Session) -> list[User]:
    """Every user, by login, with bindings loaded."""
    return list(
        session.execute(
            select(User)
            .order_by(User.login)
            .options(selectinload(User.departments), selectinload(User.supplier))
        ).scalars()
    )


# --- sign-in failures (throttling) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FailureCount:
    """Failures inside the window and when the oldest of them was, to say when to retry."""

    count: int
    oldest: dt.datetime | None


def _attempt_key(login: str) -> str:
    """The login's key as the failures table holds it (whatever was typed, it fits)."""
    return login_key(login)[:400]


def add_sign_in_attempt(session: Session, *, login: str, address: str) -> int:
    """Store an attempt (counted as a failure until it succeeds); returns its id."""
    attempt = SignInFailure(login_key=_attempt_key(login), address=address[:64], at=utcnow())
    session.add(attempt)
    session.flush()
    return attempt.id


def forget_sign_in_attempt(session: Session, attempt_id: int) -> None:
    """An attempt refused without checking the password does not count."""
    session.execute(delete(SignInFailure).where(SignInFailure.id == attempt_id))


def failures_for_login(session: Session, login: str, since: dt.datetime) -> FailureCount:
    """Failures for this login (any case or width) since ``since``."""
    return _failures(session, SignInFailure.login_key == _attempt_key(login), since)


def failures_from_address(session: Session, address: str, since: dt.datetime) -> FailureCount:
    """Failures from this client address since ``since``."""
    return _failures(session, SignInFailure.address == address[:64], since)


def _failures(session: Session, condition: ColumnElement[bool], since: dt.datetime) -> FailureCount:
    count, oldest = session.execute(
        select(func.count(), func.min(SignInFailure.at)).where(condition, SignInFailure.at >= since)
    ).one()
    return FailureCount(count=count, oldest=oldest)


def clear_sign_in_failures(session: Session, login: str) -> int:
    """Lift a login's lockout (a success or an administrator); returns how many were dropped."""
    result = session.execute(
        delete(SignInFailure).where(SignInFailure.login_key == _attempt_key(login))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def prune_sign_in_failures(session: Session, before: dt.datetime) -> None:
    """Forget failures too old to count any more."""
    session.execute(delete(SignInFailure).where(SignInFailure.at < before))
