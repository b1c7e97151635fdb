"""Who may submit and correct invoices: suppliers. Everyone else reads within their Scope.

Which invoices a caller sees (a supplier its own, a clerk its departments') is the ``Scope``
the repositories apply, not a rule here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.authz import Allowed
from storage.models import Role

SUBMITS = Allowed(Role.SUPPLIER, refusal="refusal.submit", name="submit")
"""Uploading, validating and correcting are the supplier's own acts."""
ENTERS_DATA = Allowed(
    Role.SUPPLIER,
    Role.CLERK,
    refusal="refusal.enter_data",
)
"""Typing in the figures of an invoice without complete data (within the caller's Scope)."""
CONFIRMS_DATA = Allowed(Role.CLERK, refusal="refusal.confirm_data")
"""A clerk's data entry confirms the figures, so that the invoice may be approved."""
READS_INTERNAL = Allowed(
    Role.CLERK,
    Role.ACCOUNTING,
    Role.AUDITOR,
    Role.ADMIN,
    refusal="refusal.internal_comments",
)
"""Comments on approvals, forwards and the like are for city staff, never the supplier."""
OPENS_QUARANTINE = Allowed(
    Role.ADMIN,
    refusal="refusal.quarantine",
)
"""An infected original is never served to a browser, except to an administrator."""

SupplierCaller = Annotated[Principal, Depends(SUBMITS.api)]
SupplierPage = Annotated[BrowserSession, Depends(SUBMITS.page)]
SupplierForm = Annotated[BrowserSession, Depends(SUBMITS.form)]
DataConfirmingForm = Annotated[BrowserSession, Depends(CONFIRMS_DATA.form)]
