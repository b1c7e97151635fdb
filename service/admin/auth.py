"""Who may administer departments, routing, the purchase-order register and users, and who
may read the whole audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.authz import Allowed
from storage.models import Role

ADMINISTERS = Allowed(Role.ADMIN, refusal="admin.forbidden", name="administer")

AdminCaller = Annotated[Principal, Depends(ADMINISTERS.api)]
AdminPage = Annotated[BrowserSession, Depends(ADMINISTERS.page)]
AdminForm = Annotated[BrowserSession, Depends(ADMINISTERS.form)]
READS_AUDIT = Allowed(Role.AUDITOR, Role.ADMIN, refusal="audit.forbidden", name="read_audit")
"""The whole audit log is not scoped by invoice: only auditors and admins read it."""

AuditCaller = Annotated[Principal, Depends(READS_AUDIT.api)]
AuditPage = Annotated[BrowserSession, Depends(READS_AUDIT.page)]
