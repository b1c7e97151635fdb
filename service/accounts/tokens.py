"""An approved supplier's own API tokens and colleagues."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.accounts import auth
from service.accounts.service import add_user
from service.auth.principal import Principal
from service.auth.service import issue_token
from service.errors import Forbidden, NotFound
from storage import audit
from storage.models import ApiToken, Role, Supplier, User, utcnow
from storage.repositories import users


def _approved_supplier(session: Session, caller: Principal) -> Supplier:
    if not auth.MANAGES_COMPANY.admits(caller) or caller.supplier_id is None:
        raise Forbidden.said(auth.MANAGES_COMPANY.refusal)
    supplier = session.get_one(Supplier, caller.supplier_id)
    if not supplier.approved:
        raise Forbidden.said("account.not_approved_yet")
    return supplier


def create_token(session: Session, *, caller: Principal, name: str) -> str:
    """A new token for the caller's own software; shown once."""
    _approved_supplier(session, caller)
    user = session.get_one(User, caller.user_id)
    token = issue_token(session, user, name=name)
    audit.record(
        session,
        actor=caller.actor,
        action="token.create",
        entity_type="user",
        entity_id=user.id,
        details={"name": name},
    )
    return token


def list_tokens(session: Session, caller: Principal) -> list[ApiToken]:
    """The tokens of every user of the caller's supplier (hashes are never shown)."""
    supplier = _approved_supplier(session, caller)
    return users.tokens_of_supplier(session, supplier.id)


def revoke_token(session: Session, *, caller: Principal, token_id: int) -> None:
    """Revoke one of the supplier's tokens."""
    supplier = _approved_supplier(session, caller)
    token = users.token_of_supplier(session, supplier.id, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            session,
            actor=caller.actor,
            action="token.revoke",
            entity_type="user",
            entity_id=token.user_id,
            details={"token_id": token_id, "name": token.name},
        )


def add_colleague(
    session: Session, *, caller: Principal, login: str, password: str, display_name: str | None
) -> User:
    """Another person of the same supplier company."""
    supplier = _approved_supplier(session, caller)
    assert supplier.registration_number is not None
    created = add_user(
        session,
        actor=caller.actor,
        login=login,
        role=Role.SUPPLIER,
        department_codes=[],
        supplier_registration=supplier.registration_number,
        password=password,
        display_name=display_name,
        with_token=False,
    )
    return created.user
