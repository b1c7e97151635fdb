"""Who may manage accounts: administrators approve sign-ups; a supplier's users manage the
company's tokens and colleagues (once approved, which ``service.accounts.tokens`` checks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.authz import Allowed
from storage.models import Role

APPROVES = Allowed(Role.ADMIN, refusal="refusal.approve_signups", name="approve_signups")
SUPPLIER_ACCOUNT = Allowed(Role.SUPPLIER, refusal="refusal.company_account", name="company_account")
MANAGES_COMPANY = Allowed(Role.SUPPLIER, refusal="refusal.manage_company")
"""The services' own guard: a supplier's user manages the company's tokens and colleagues."""

AdminCaller = Annotated[Principal, Depends(APPROVES.api)]
AdminPage = Annotated[BrowserSession, Depends(APPROVES.page)]
AdminForm = Annotated[BrowserSession, Depends(APPROVES.form)]
SupplierCaller = Annotated[Principal, Depends(SUPPLIER_ACCOUNT.api)]
SupplierPage = Annotated[BrowserSession, Depends(SUPPLIER_ACCOUNT.page)]
SupplierForm = Annotated[BrowserSession, Depends(SUPPLIER_ACCOUNT.form)]


def is_staff(role: Role) -> bool:
    """Whether a role is the city's staff: a supplier's user never becomes staff, nor the
    reverse, since a supplier user is bound to its company and staff to none."""
    return role is not Role.SUPPLIER


def binds_departments(role: Role) -> bool:
    """Whether a role is bound to departments (a clerk needs at least one; nobody else has any)."""
    return role is Role.CLERK
