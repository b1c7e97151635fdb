"""Users, their API tokens and their browser sessions."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased, selectinload

from storage.models import (
    ApiToken,
    Department,
    PasswordReset,
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


class UserStatus(enum.StrEnum):
    """Where an account stands, as an administrator filters and reads it."""

    ACTIVE = "active"
    PENDING = "pending"
    """A supplier's user whose sign-up no administrator has decided yet."""
    REJECTED = "rejected"
    DEACTIVATED = "deactivated"


def user_status(user: User) -> UserStatus:
    """The status of one loaded user (the same rule as ``_status_condition``)."""
    if not user.active:
        return UserStatus.DEACTIVATED
    if user.supplier is not None and not user.supplier.approved:
        return UserStatus.REJECTED if user.supplier.rejected_at else UserStatus.PENDING
    return UserStatus.ACTIVE


def _status_condition(status: UserStatus) -> ColumnElement[bool]:
    undecided = and_(Supplier.approved.is_(False), Supplier.rejected_at.is_(None))
    rejected = and_(Supplier.approved.is_(False), Supplier.rejected_at.is_not(None))
    return {
        UserStatus.DEACTIVATED: User.active.is_(False),
        UserStatus.PENDING: and_(User.active, undecided),
        UserStatus.REJECTED: and_(User.active, rejected),
        UserStatus.ACTIVE: and_(User.active, or_(User.supplier_id.is_(None), Supplier.approved)),
    }[status]


@dataclass(frozen=True, slots=True)
class UserFilter:
    """What an administrator narrows the user list by; None or empty means any."""

    role: Role | None = None
    status: UserStatus | None = None
    text: str = ""
    """Part of the login or the display name, in any case."""


def list_users(session: Session, criteria: UserFilter | None = None) -> list[User]:
    """The users matching ``criteria``, by login, with bindings loaded."""
    statement = select(User).outerjoin(Supplier, Supplier.id == User.supplier_id)
    if criteria is not None:
        if criteria.role is not None:
            statement = statement.where(User.role == criteria.role)
        if criteria.status is not None:
            statement = statement.where(_status_condition(criteria.status))
        if criteria.text:
            pattern = f"%{_escape_like(login_key(criteria.text))}%"
            statement = statement.where(
                or_(
                    User.login_key.like(pattern, escape="\\"),
                    func.lower(User.display_name).like(pattern, escape="\\"),
                )
            )
    return list(
        session.execute(
            statement.order_by(User.login).options(
                selectinload(User.departments), selectinload(User.supplier)
            )
        ).scalars()
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- an administrator's changes -----------------------------------------------------------------


def lock_active_admins(session: Session) -> None:
    """Row-lock every active administrator (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises writers), so that two changes racing to remove the last two administrators
    are taken one after the other and the second sees the first."""
    session.execute(
        select(User.id)
        .where(User.role == Role.ADMIN, User.active)
        .order_by(User.id)
        .with_for_update()
    )


def _another_active_admin(user_id: int) -> ColumnElement[bool]:
    other = aliased(User)
    return exists().where(other.role == Role.ADMIN, other.active, other.id != user_id)


def deactivate(session: Session, user_id: int) -> bool:
    """Deactivate a user unless it is the last active administrator; whether it was done.

    One guarded UPDATE (after ``lock_active_admins``): the rule holds in the database."""
    result = session.execute(
        update(User)
        .where(
            User.id == user_id,
            User.active,
            or_(User.role != Role.ADMIN, _another_active_admin(user_id)),
        )
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def reactivate(session: Session, user_id: int) -> bool:
    """Let a deactivated user sign in again; whether it was deactivated."""
    result = session.execute(
        update(User)
        .where(User.id == user_id, User.active.is_(False))
        .values(active=True)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def change_role(session: Session, user_id: int, role: Role) -> bool:
    """Give a user another role unless that removes the last active administrator."""
    result = session.execute(
        update(User)
        .where(
            User.id == user_id,
            or_(User.role != Role.ADMIN, ~User.active, _another_active_admin(user_id)),
        )
        .values(role=role)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def set_departments(session: Session, user_id: int, departments: list[Department]) -> None:
    """Bind a user to exactly these departments."""
    session.execute(delete(UserDepartment).where(UserDepartment.user_id == user_id))
    session.add_all(UserDepartment(user_id=user_id, department_id=d.id) for d in departments)
    session.flush()


def end_sessions(session: Session, user_id: int) -> int:
    """Sign a user out of every browser; how many sessions ended."""
    result = session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


# --- password reset codes -----------------------------------------------------------------------


def add_password_reset(
    session: Session, *, user_id: int, code_hash: str, issued_by: str, expires_at: dt.datetime
) -> PasswordReset:
    """Store a new code's hash; earlier unused codes of the user are spent (one live code)."""
    void_password_resets(session, user_id)
    reset = PasswordReset(
        user_id=user_id, code_hash=code_hash, issued_by=issued_by, expires_at=expires_at
    )
    session.add(reset)
    session.flush()
    return reset


def void_password_resets(session: Session, user_id: int) -> None:
    """Spend every unused code of a user, so that none of them works any more."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )


def spend_password_reset(session: Session, code_hash: str) -> int | None:
    """Spend an unused, unexpired code of an active user; its user's id, or None.

    One guarded UPDATE: of two redemptions racing, only one gets the row."""
    now = utcnow()
    return session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.code_hash == code_hash,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
            PasswordReset.user_id.in_(select(User.id).where(User.active)),
        )
        .values(used_at=now)
        .returning(PasswordReset.user_id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()


def set_password_hash(session: Session, user_id: int, password_hash: str) -> None:
    """Replace a user's password."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(password_hash=password_hash)
        .execution_options(synchronize_session=False)
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
