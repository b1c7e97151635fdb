"""The rules for webhooks, the delivery log and one's own notification settings.

A supplier manages its own webhooks and reads their deliveries; an administrator manages the
city's webhooks and reads every delivery. Another owner's webhook or delivery is answered as
absent (404), so ids reveal nothing. Every change is audited.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy.orm import Session

from service.auth.principal import Principal
from service.errors import NotFound, Unprocessable
from service.i18n import LANGUAGES
from service.notifications import auth
from service.notifications.channels import url_problem
from service.notifications.plan import MUTABLE, WEBHOOK_EVENTS
from service.settings import Settings
from storage import audit
from storage.models import Delivery, DeliveryStatus, Webhook, utcnow
from storage.repositories import notifications as repo

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
"""An address a mail relay can take: one @, a dotted domain, no spaces."""


def add_webhook(
    session: Session, *, caller: Principal, url: str, events: list[str], settings: Settings
) -> Webhook:
    """Register a webhook with a new secret (read it from the result, once)."""
    unknown = sorted(set(events) - set(WEBHOOK_EVENTS))
    if unknown or not events:
        raise Unprocessable.said("notify.events.unknown", known=", ".join(WEBHOOK_EVENTS))
    owner = auth.owner_of(caller)
    problem = url_problem(url, private_allowed=owner is None or settings.webhook_allow_private)
    if problem is not None:
        raise Unprocessable.said(problem.key, host=problem.host, address=problem.address)
    hook = Webhook(
        supplier_id=owner,
        url=url,
        events=[event for event in WEBHOOK_EVENTS if event in events],
        secret=secrets.token_hex(32),
    )
    session.add(hook)
    session.flush()
    _audit(session, caller, "webhook.add", hook, {"url": url, "events": hook.events})
    return hook


def _owned(session: Session, caller: Principal, webhook_id: int) -> Webhook:
    hook = repo.webhook_of(session, webhook_id, auth.owner_of(caller))
    if hook is None:
        raise NotFound(f"no webhook {webhook_id} of yours")
    return hook


def remove_webhook(session: Session, *, caller: Principal, webhook_id: int) -> None:
    """Delete a webhook and its queued deliveries (the audit log keeps that it existed)."""
    hook = _owned(session, caller, webhook_id)
    _audit(session, caller, "webhook.delete", hook, {"url": hook.url})
    session.delete(hook)


def enable_webhook(session: Session, *, caller: Principal, webhook_id: int) -> Webhook:
    """Turn a disabled webhook on again, with its failure count at zero."""
    hook = _owned(session, caller, webhook_id)
    hook.active, hook.consecutive_failures, hook.disabled_at = True, 0, None
    _audit(session, caller, "webhook.enable", hook, {"url": hook.url})
    return hook


def visible_delivery(session: Session, caller: Principal, delivery_id: int) -> Delivery:
    """A delivery the caller may read: any for an administrator, else one to its own
    webhooks."""
    delivery = repo.delivery(session, delivery_id)
    if delivery is not None and not auth.sees_every_delivery(caller):
        own = {hook.id for hook in repo.webhooks_of(session, auth.owner_of(caller))}
        delivery = delivery if delivery.webhook_id in own else None
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id} you may see")
    return delivery


def send_again(session: Session, *, caller: Principal, delivery_id: int) -> Delivery:
    """Queue a delivery again now (a person decided the receiver is ready)."""
    delivery = visible_delivery(session, caller, delivery_id)
    repo.send_again(session, delivery.id, utcnow())
    audit.record(
        session,
        actor=caller.actor,
        action="delivery.resend",
        entity_type="delivery",
        entity_id=delivery.id,
        details={"kind": delivery.kind, "was": str(delivery.status)},
    )
    session.refresh(delivery)
    assert delivery.status is DeliveryStatus.PENDING
    return delivery


def set_my_notifications(session: Session, *, caller: Principal, chosen: repo.Preferences) -> None:
    """Where the caller's own notification e-mails go (None: none), their language, and the
    notices muted (never a statutory one)."""
    if chosen.email is not None and not EMAIL.fullmatch(chosen.email):
        raise Unprocessable.said("notify.email.invalid", value=chosen.email)
    if chosen.language not in LANGUAGES:
        raise Unprocessable.said("notify.language.invalid", value=chosen.language)
    unknown = sorted(set(chosen.muted) - set(MUTABLE))
    if unknown:
        raise Unprocessable.said("notify.muted.statutory", kinds=", ".join(unknown))
    muted = [kind for kind in MUTABLE if kind in chosen.muted]
    repo.set_preferences(
        session, caller.user_id, repo.Preferences(chosen.email, chosen.language, muted)
    )
    audit.record(
        session,
        actor=caller.actor,
        action="user.notifications",
        entity_type="user",
        entity_id=caller.user_id,
        details={"email": chosen.email, "language": chosen.language, "muted": muted},
    )


def _audit(
    session: Session, caller: Principal, action: str, hook: Webhook, details: dict[str, object]
) -> None:
    audit.record(
        session,
        actor=caller.actor,
        action=action,
        entity_type="webhook",
        entity_id=hook.id,
        details={"owner": hook.supplier_id, **details},
    )
