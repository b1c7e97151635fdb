"""Who may pay: accounting makes and pays batches, auditors read them; bank accounts are
read by administrators and accounting, and kept by administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.authz import Allowed
from storage.models import Role

PAYS = Allowed(Role.ACCOUNTING, refusal="refusal.pay", name="pay")
READS_BATCHES = Allowed(Role.ACCOUNTING, Role.AUDITOR, refusal="refusal.read_batches")
READS_CREDITORS = Allowed(
    Role.ADMIN,
    Role.ACCOUNTING,
    refusal="refusal.read_creditors",
    name="read_creditors",
)
KEEPS_CREDITORS = Allowed(Role.ADMIN, refusal="refusal.keep_creditors")

Accountant = Annotated[Principal, Depends(PAYS.api)]
AccountantPage = Annotated[BrowserSession, Depends(PAYS.page)]
AccountantForm = Annotated[BrowserSession, Depends(PAYS.form)]
BatchReader = Annotated[Principal, Depends(READS_BATCHES.api)]
CreditorReader = Annotated[Principal, Depends(READS_CREDITORS.api)]
CreditorReaderPage = Annotated[BrowserSession, Depends(READS_CREDITORS.page)]
CreditorKeeper = Annotated[Principal, Depends(KEEPS_CREDITORS.api)]
CreditorKeeperForm = Annotated[BrowserSession, Depends(KEEPS_CREDITORS.form)]
