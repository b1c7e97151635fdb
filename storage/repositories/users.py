"""Users, their API tokens and their browser sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from storage.models import ApiToken, Department, Supplier, User, WebSession, utcnow


def user_by_login(session: Session, login: str) -> User | None:
    """The user with this login, departments loaded."""
    return session.execute(
        select(User)
        .where(User.login == login)
        .options(selectinload(User.departments), selectinload(User.supplier))
    ).scalar_one_or_none()


def add_user(
    session: Session,
    *,
    login: str,
    role: str,
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


def user_by_token_hash(session: Session, token_hash: str) -> User | None:
    """The active user owning an unrevoked token with this hash."""
    return session.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None), User.active)
        .options(selectinload(User.departments), selectinload(User.supplier))
    ).scalar_one_or_none()


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


def live_web_session(session: Session, session_hash: str) -> WebSession | None:
    """The unexpired session with this hash, its active user and departments loaded."""
    return session.execute(
        select(WebSession)
        .join(User, WebSession.user_id == User.id)
        .where(
            WebSession.session_hash == session_hash,
            WebSession.expires_at > utcnow(),
            User.active,
        )
        .options(
            selectinload(WebSession.user).selectinload(User.departments),
            selectinload(WebSession.user).selectinload(User.supplier),
        )
    ).scalar_one_or_none()


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
