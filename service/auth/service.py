"""Signing in: bearer tokens for programs, cookie sessions for people."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.auth.principal import Principal
from service.auth.secrets import new_token, token_hash, verify_password
from storage.models import User, utcnow
from storage.repositories import users


def principal_for_token(session: Session, token: str) -> Principal | None:
    """The caller owning this bearer token, or None."""
    identity = users.identity_by_token_hash(session, token_hash(token))
    return None if identity is None else Principal.of_identity(identity)


def issue_token(session: Session, user: User, *, name: str = "default") -> str:
    """Create a token for ``user``; the plain value is returned once and never stored."""
    token = new_token()
    users.add_token(session, user=user, token_hash=token_hash(token), name=name)
    return token


@dataclass(frozen=True, slots=True)
class BrowserSession:
    """A signed-in browser: the cookie value and the CSRF token its forms must carry."""

    cookie: str
    csrf_token: str
    principal: Principal


def sign_in(session: Session, login: str, password: str, max_age: int) -> BrowserSession | None:
    """Check a password and open a session; None when login or password is wrong."""
    user = users.user_by_login(session, login)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return None
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    users.add_web_session(
        session,
        user=user,
        session_hash=token_hash(cookie),
        csrf_token=csrf,
        expires_at=utcnow() + dt.timedelta(seconds=max_age),
    )
    return BrowserSession(cookie=cookie, csrf_token=csrf, principal=Principal.of(user))


def resume(session: Session, cookie: str) -> BrowserSession | None:
    """The live session behind a cookie, or None when unknown or expired."""
    identity = users.identity_by_session_hash(session, token_hash(cookie))
    if identity is None or identity.csrf_token is None:
        return None
    return BrowserSession(
        cookie=cookie, csrf_token=identity.csrf_token, principal=Principal.of_identity(identity)
    )


def sign_out(session: Session, cookie: str) -> None:
    """End the session behind a cookie."""
    users.end_web_session(session, token_hash(cookie))
