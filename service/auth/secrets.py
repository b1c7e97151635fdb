"""Passwords (argon2id) and random tokens (stored only as SHA-256)."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
TOKEN_PREFIX = "jy_"


def hash_password(password: str) -> str:
    """An argon2id hash with a fresh salt."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; False for a missing or malformed hash."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def spend_verification(password: str) -> None:
    """Do the work of a password check against nothing, so that an unknown login (or one
    without a password) takes as long to refuse as a wrong password: no login enumeration."""
    verify_password(_dummy_hash(), password)


def new_token() -> str:
    """A random bearer token, recognisable by its prefix in leak scanners."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token or session id: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()
