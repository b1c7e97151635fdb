"""Who may use the inbox: clerks decide, the ledger readers see what is overdue.

Which invoices a clerk sees is the ``Scope`` of the clerk's departments, not a rule here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.authz import Allowed
from service.errors import NotFound
from storage.models import Department, Role
from storage.repositories import organisation

CLERK = Allowed(Role.CLERK, refusal="refusal.inbox", name="inbox")
"""The inbox, decisions on an invoice of one's departments, and delegations."""
DECIDES = Allowed(Role.CLERK, refusal="refusal.decide")
"""The decision services' own guard (what the API and pages already admitted)."""
SETS_WORKS = Allowed(Role.CLERK, Role.ADMIN, refusal="refusal.set_works")
"""Overriding the 40-day works setting of one invoice."""
REASSIGNS = Allowed(Role.ADMIN, refusal="refusal.inboxes", name="inboxes")
"""Seeing the pending invoices of any department, and moving one to another department."""
READS_LEDGER = Allowed(
    Role.ACCOUNTING,
    Role.AUDITOR,
    Role.ADMIN,
    refusal="refusal.overdue",
)

DELEGATES = Allowed(
    Role.CLERK,
    Role.ADMIN,
    refusal="delegations.forbidden",
    name="delegations",
)
"""Seeing, setting and ending delegations: a clerk their own, an administrator anyone's."""
MANAGES_DELEGATIONS = Allowed(Role.ADMIN, refusal="delegations.forbidden")
"""Setting and ending a delegation on a clerk's behalf, and seeing every one."""

ClerkCaller = Annotated[Principal, Depends(CLERK.api)]
ClerkPage = Annotated[BrowserSession, Depends(CLERK.page)]
ClerkForm = Annotated[BrowserSession, Depends(CLERK.form)]
LedgerCaller = Annotated[Principal, Depends(READS_LEDGER.api)]
AdminCaller = Annotated[Principal, Depends(REASSIGNS.api)]
AdminPage = Annotated[BrowserSession, Depends(REASSIGNS.page)]
AdminForm = Annotated[BrowserSession, Depends(REASSIGNS.form)]
DelegationCaller = Annotated[Principal, Depends(DELEGATES.api)]
DelegationPage = Annotated[BrowserSession, Depends(DELEGATES.page)]
DelegationForm = Annotated[BrowserSession, Depends(DELEGATES.form)]


def own_department(session: Session, caller: Principal, code: str) -> Department:
    """The department ``code``, if it is one of the clerk's; 404 whether it is missing or
    simply not theirs, as for an invoice out of scope."""
    found = organisation.department_by_code(session, code)
    if found is None or found.id not in caller.department_ids:
        raise NotFound(f"no department {code} among yours")
    return found
