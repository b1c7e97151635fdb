"""Signing in: bearer tokens for programs, cookie sessions for people."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from service.auth.principal import Principal
from service.auth.secrets import new_token, spend_verification, token_hash, verify_password
from service.errors import AppError
from storage import audit
from storage.db import transaction
from storage.models import User, utcnow
from storage.repositories import users
from storage.repositories.users import FailureCount

SIGN_IN_ACTOR = audit.Actor(login="sign-in", role="anonymous")


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


@dataclass(frozen=True, slots=True)
class Throttle:
    """How many failed sign-ins a login, and a client address, may have within a window."""

    per_login: int
    per_address: int
    window: dt.timedelta


class SignInThrottled(AppError):
    """Too many failed sign-ins for this login or from this address: retry later."""

    status_code = 429
    error = "too_many_sign_in_failures"

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


def _retry_after(failures: FailureCount, window: dt.timedelta, now: dt.datetime) -> int:
    """Seconds until the oldest counted failure leaves the window (and one more may be tried)."""
    if failures.oldest is None:
        return 1
    return max(1, math.ceil((failures.oldest + window - now).total_seconds()))


def _admit(sessions: sessionmaker[Session], *, login: str, address: str, throttle: Throttle) -> int:
    """Store the attempt, then count: racing attempts each see every one stored before them,
    so no more than the limit pass, on any number of workers. Returns the attempt's id."""
    with transaction(sessions) as session:
        attempt_id = users.add_sign_in_attempt(session, login=login, address=address)
    now = utcnow()
    since = now - throttle.window
    with transaction(sessions) as session:
        by_login = users.failures_for_login(session, login, since)
        by_address = users.failures_from_address(session, address, since)
        limits = ((by_login, throttle.per_login), (by_address, throttle.per_address))
        over = [failures for failures, limit in limits if failures.count > limit]
        if not over:
            users.prune_sign_in_failures(session, since)
            return attempt_id
        users.forget_sign_in_attempt(session, attempt_id)
    raise SignInThrottled(
        "too many failed sign-ins; try again later",
        retry_after_seconds=max(_retry_after(f, throttle.window, now) for f in over),
    )


def _checked_user(session: Session, login: str, password: str) -> User | None:
    """The user when the password is right; the same work is done when there is no such user."""
    user = users.user_by_login(session, login)
    if user is None or not user.active or not user.password_hash:
        spend_verification(password)
        return None
    return user if verify_password(user.password_hash, password) else None


def sign_in(
    sessions: sessionmaker[Session],
    *,
    login: str,
    password: str,
    address: str,
    throttle: Throttle,
    max_age: int,
) -> BrowserSession | None:
    """Check a password and open a session; None when login or password is wrong.

    Raises ``SignInThrottled`` (before any password is checked) past the throttle's limits.
    """
    attempt_id = _admit(sessions, login=login, address=address, throttle=throttle)
    with transaction(sessions) as session:
        user = _checked_user(session, login, password)
        if user is None:
            audit.record(
                session,
                actor=SIGN_IN_ACTOR,
                action="auth.login_failed",
                entity_type="user",
                details={"login": login, "address": address},
            )
            return None
        users.forget_sign_in_attempt(session, attempt_id)
        users.clear_sign_in_failures(session, login)
        return _open_session(session, user, max_age)


def unlock(session: Session, *, actor: audit.Actor, login: str) -> int:
    """Lift a login's sign-in lockout; returns how many failures were forgotten."""
    forgotten = users.clear_sign_in_failures(session, login)
    audit.record(
        session,
        actor=actor,
        action="user.unlock",
        entity_type="user",
        details={"login": login, "failures_forgotten": forgotten},
    )
    return forgotten


def _open_session(session: Session, user: User, max_age: int) -> BrowserSession:
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
