"""Who may register webhooks and read the delivery log: a supplier for its own webhooks, an
administrator for the city's and for every delivery."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.authz import Allowed
from storage.models import Role

MANAGES_WEBHOOKS = Allowed(Role.SUPPLIER, Role.ADMIN, refusal="notify.forbidden", name="webhooks")

WebhookCaller = Annotated[Principal, Depends(MANAGES_WEBHOOKS.api)]
WebhookPage = Annotated[BrowserSession, Depends(MANAGES_WEBHOOKS.page)]
WebhookForm = Annotated[BrowserSession, Depends(MANAGES_WEBHOOKS.form)]


def owner_of(caller: Principal) -> int | None:
    """Whose webhooks the caller manages: its supplier's, or (an administrator) the city's."""
    return caller.supplier_id if caller.role is Role.SUPPLIER else None


def sees_every_delivery(caller: Principal) -> bool:
    """Administrators read the whole log; a supplier only its own webhooks' deliveries."""
    return caller.role is Role.ADMIN
