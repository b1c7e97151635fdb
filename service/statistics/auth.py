"""Who reads the monthly statistics: accounting, auditors and administrators for the whole
city, clerks for their own departments (their ``Scope``); suppliers never."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.authz import Allowed
from storage.models import Role

READS_STATISTICS = Allowed(
    Role.ACCOUNTING,
    Role.AUDITOR,
    Role.ADMIN,
    Role.CLERK,
    refusal="statistics.refused",
    name="statistics",
)
"""The figures themselves are filtered by the caller's scope: a clerk's are its departments'."""

StatisticsReader = Annotated[Principal, Depends(READS_STATISTICS.api)]
StatisticsPage = Annotated[BrowserSession, Depends(READS_STATISTICS.page)]
