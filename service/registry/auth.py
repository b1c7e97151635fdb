"""Who may see the NTA registry held by the city and the malware scan's state: administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.service import BrowserSession
from service.authz import Allowed
from storage.models import Role

READS_REGISTRY = Allowed(Role.ADMIN, refusal="admin.forbidden", name="nta_registry")

RegistryPage = Annotated[BrowserSession, Depends(READS_REGISTRY.page)]
