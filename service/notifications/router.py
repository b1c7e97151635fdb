"""The notification API: webhooks, the delivery log with "send again", one's own settings."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from service.deps import ApiCaller, DbSession, ReadSession, RowId, SettingsDep
from service.errors import responses
from service.notifications import auth, service
from service.notifications.auth import WebhookCaller
from service.notifications.schemas import (
    DeliveryOut,
    MyNotificationsIn,
    MyNotificationsOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)
from storage.models import DeliveryStatus
from storage.repositories import notifications as repo

router = APIRouter(prefix="/api/v1", tags=["notifications"])


@router.get("/webhooks", responses=responses(401, 403))
def list_webhooks(caller: WebhookCaller, session: ReadSession) -> list[WebhookOut]:
    """Your webhooks (a supplier's own; for an administrator, the city's)."""
    return [WebhookOut.of(h) for h in repo.webhooks_of(session, auth.owner_of(caller))]


@router.post("/webhooks", status_code=201, responses=responses(401, 403, 422))
def add_webhook(
    body: WebhookIn, caller: WebhookCaller, session: DbSession, settings: SettingsDep
) -> WebhookCreated:
    """Register a URL for event types. Each call is a POST of JSON signed in the header
    `Juryo-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>` with the secret
    returned here (shown once); `Idempotency-Key` repeats on a retry of the same event."""
    hook = service.add_webhook(
        session, caller=caller, url=body.url, events=body.events, settings=settings
    )
    return WebhookCreated(**WebhookOut.of(hook).model_dump(), secret=hook.secret)


@router.delete("/webhooks/{webhook_id}", status_code=204, responses=responses(401, 403, 404))
def remove_webhook(webhook_id: RowId, caller: WebhookCaller, session: DbSession) -> Response:
    """Delete one of your webhooks."""
    service.remove_webhook(session, caller=caller, webhook_id=webhook_id)
    return Response(status_code=204)


@router.post("/webhooks/{webhook_id}/enable", responses=responses(401, 403, 404))
def enable_webhook(webhook_id: RowId, caller: WebhookCaller, session: DbSession) -> WebhookOut:
    """Turn on a webhook juryo disabled after repeated failures."""
    return WebhookOut.of(service.enable_webhook(session, caller=caller, webhook_id=webhook_id))


@router.get("/deliveries", responses=responses(401, 403))
def list_deliveries(
    caller: WebhookCaller,
    session: ReadSession,
    status: Literal["pending", "sent", "dead"] | None = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    before_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DeliveryOut]:
    """The delivery log, newest first: every delivery for an administrator, the deliveries to
    your own webhooks for a supplier. Page on with `before_id` = the last id shown."""
    own = None
    if not auth.sees_every_delivery(caller):
        own = [hook.id for hook in repo.webhooks_of(session, auth.owner_of(caller))]
    found = repo.deliveries_page(
        session,
        webhook_ids=own,
        status=None if status is None else DeliveryStatus(status),
        kind=kind,
        before_id=before_id,
        limit=limit,
    )
    return [DeliveryOut.of(d, repo.attempts_of(session, d.id)) for d in found]


@router.post("/deliveries/{delivery_id}/resend", responses=responses(401, 403, 404))
def send_again(delivery_id: RowId, caller: WebhookCaller, session: DbSession) -> DeliveryOut:
    """Queue a delivery again now, whatever became of it."""
    delivery = service.send_again(session, caller=caller, delivery_id=delivery_id)
    return DeliveryOut.of(delivery, repo.attempts_of(session, delivery.id))


@router.get("/me/notifications", responses=responses(401))
def my_notifications(caller: ApiCaller, session: ReadSession) -> MyNotificationsOut:
    """Where your notification e-mails go, their language, and the notices you muted."""
    mine = repo.preferences(session, caller.user_id)
    return MyNotificationsOut.model_validate(
        {"email": mine.email, "language": mine.language, "muted": mine.muted}
    )


@router.put("/me/notifications", responses=responses(401, 422))
def set_my_notifications(
    body: MyNotificationsIn, caller: ApiCaller, session: DbSession
) -> MyNotificationsOut:
    """Set where your notification e-mails go (no address: none), their language, and the
    notices you do not want (statutory ones cannot be muted: 422)."""
    chosen = repo.Preferences(body.email, body.language, body.muted)
    service.set_my_notifications(session, caller=caller, chosen=chosen)
    session.flush()
    return my_notifications(caller, session)
