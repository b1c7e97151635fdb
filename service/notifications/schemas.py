"""The notification API's shapes: webhooks, deliveries and their attempts, one's own settings."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from storage.models import Delivery, DeliveryAttempt, Webhook


class WebhookIn(BaseModel):
    """A URL to call and the event types it wants."""

    url: str = Field(max_length=2000, examples=["https://erp.example.co.jp/juryo-events"])
    events: list[str] = Field(
        min_length=1, examples=[["invoice.returned", "invoice.paid"]], description="Event types."
    )


class WebhookOut(BaseModel):
    """A registered webhook (its secret is shown once, when it is made)."""

    id: int
    url: str
    events: list[str]
    active: bool
    consecutive_failures: int
    disabled_at: dt.datetime | None

    @classmethod
    def of(cls, hook: Webhook) -> WebhookOut:
        """From the row."""
        return cls(
            id=hook.id,
            url=hook.url,
            events=list(hook.events),
            active=hook.active,
            consecutive_failures=hook.consecutive_failures,
            disabled_at=hook.disabled_at,
        )


class WebhookCreated(WebhookOut):
    """The new webhook and its signing secret: keep it, juryo shows it only now."""

    secret: str


class AttemptOut(BaseModel):
    """One try at a delivery."""

    at: dt.datetime
    ok: bool
    detail: str

    @classmethod
    def of(cls, attempt: DeliveryAttempt) -> AttemptOut:
        """From the row."""
        return cls(at=attempt.at, ok=attempt.ok, detail=attempt.detail)


class DeliveryOut(BaseModel):
    """One notification to one recipient: where it stands and every try."""

    id: int
    key: str = Field(description="The idempotency key the receiver sees.")
    kind: str
    channel: Literal["email", "webhook"]
    address: str | None
    webhook_id: int | None
    status: Literal["pending", "sent", "dead"]
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    sent_at: dt.datetime | None
    created_at: dt.datetime
    log: list[AttemptOut]

    @classmethod
    def of(cls, delivery: Delivery, log: list[DeliveryAttempt]) -> DeliveryOut:
        """From the row and its attempts."""
        return cls(
            id=delivery.id,
            key=delivery.key,
            kind=delivery.kind,
            channel=delivery.channel.value,
            address=delivery.address,
            webhook_id=delivery.webhook_id,
            status=delivery.status.value,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            last_error=delivery.last_error,
            sent_at=delivery.sent_at,
            created_at=delivery.created_at,
            log=[AttemptOut.of(a) for a in log],
        )


class MyNotificationsIn(BaseModel):
    """Where one's own notification e-mails go, and in which language (no address: none)."""

    email: str | None = Field(default=None, max_length=320)
    language: Literal["ja", "en"] = "ja"
    muted: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Notices not to send by e-mail. The statutory ones (invoice.returned, "
        "invoice.rejected, invoice.paid) cannot be muted.",
        examples=[["invoice.received", "digest.daily"]],
    )


class MyNotificationsOut(MyNotificationsIn):
    """One's own notification settings."""
