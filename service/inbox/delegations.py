"""Delegations: a clerk names another clerk of the same department to approve in their stead
for a date range. A clerk sets and ends their own; an administrator anyone's, on the clerk's
behalf, by the same rules. The API and the page both call these; every change is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service import clock
from service.auth.principal import Principal
from service.errors import BadRequest, Forbidden, NotFound
from service.inbox import auth
from storage import audit
from storage.models import Delegation, login_key
from storage.repositories import inbox as repo
from storage.repositories import users


def _delegating_clerk(session: Session, caller: Principal, clerk: str | None) -> Principal:
    """Whose delegation this is: the caller's own, or, for an administrator, the named clerk's.
    A clerk naming another clerk is refused."""
    if not auth.MANAGES_DELEGATIONS.admits(caller):
        if clerk and login_key(clerk) != login_key(caller.login):
            raise Forbidden.said("delegations.forbidden")
        return caller
    if not clerk:
        raise BadRequest.said("delegations.clerk_needed")
    found = users.user_by_login(session, clerk)
    if found is None or not found.active:
        raise NotFound.said("delegations.not_a_clerk", login=clerk)
    giver = Principal.of(found)
    if not auth.CLERK.admits(giver):
        raise BadRequest.said("delegations.not_a_clerk", login=clerk)
    return giver


def add_delegation(
    session: Session,
    *,
    caller: Principal,
    substitute: str,
    department_code: str,
    starts_on: dt.date,
    ends_on: dt.date,
    clerk: str | None = None,
) -> Delegation:
    """Name another clerk of one of the delegating clerk's departments to approve in their
    stead from ``starts_on`` to ``ends_on``; audited."""
    if ends_on < starts_on:
        raise BadRequest.said("delegations.bad_range")
    giver = _delegating_clerk(session, caller, clerk)
    try:
        department = auth.own_department(session, giver, department_code)
    except NotFound:
        raise NotFound.said("delegations.no_department", department=department_code) from None
    stand_in = repo.clerk_in_department(session, substitute, department.id)
    if stand_in is None or stand_in.id == giver.user_id:
        raise BadRequest.said(
            "delegations.bad_substitute",
            substitute=substitute,
            department=department_code,
        )
    delegation = repo.add_delegation(
        session,
        clerk_id=giver.user_id,
        substitute_id=stand_in.id,
        department_id=department.id,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    details = {
        "clerk": giver.login,
        "substitute": substitute,
        "department": department_code,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
    }
    _record(session, caller, "delegation.add", delegation.id, details)
    return delegation


def withdraw_delegation(session: Session, *, caller: Principal, delegation_id: int) -> None:
    """End a delegation the caller gave, or any one for an administrator (404 for anyone
    else's, as for something out of scope); audited."""
    if not repo.delete_delegation(session, delegation_id, _whose(caller)):
        raise NotFound.said("delegations.not_found", id=delegation_id)
    _record(session, caller, "delegation.delete", delegation_id, None)


def _record(
    session: Session, caller: Principal, action: str, delegation_id: int, details: object
) -> None:
    audit.record(
        session,
        actor=caller.actor,
        action=action,
        entity_type="delegation",
        entity_id=delegation_id,
        details=details if isinstance(details, dict) else None,
    )


@dataclass(frozen=True, slots=True)
class DelegationView:
    """A delegation as the page lists it: who, for whom, where, when, and whether it is on."""

    id: int
    clerk: str
    substitute: str
    department: str
    starts_on: dt.date
    ends_on: dt.date
    current: bool


def _whose(caller: Principal) -> int | None:
    """Whose delegations the caller sees: their own, or everyone's (None) for an administrator."""
    return None if auth.MANAGES_DELEGATIONS.admits(caller) else caller.user_id


def visible_delegations(session: Session, caller: Principal) -> list[Delegation]:
    """The delegations the caller gave or received; every one for an administrator."""
    return repo.delegations_of(session, _whose(caller))


def delegation_views(session: Session, caller: Principal) -> list[DelegationView]:
    """``visible_delegations`` with logins and department codes, for the page."""
    today = clock.today()
    return [
        DelegationView(
            id=row.id,
            clerk=clerk,
            substitute=substitute,
            department=department,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            current=row.starts_on <= today <= row.ends_on,
        )
        for row, clerk, substitute, department in repo.delegations_named(session, _whose(caller))
    ]
