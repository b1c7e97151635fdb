"""The notification worker: plan new audit events into deliveries, then send what is due.

It runs as ``juryo worker`` (one or many processes, on any machine that reaches the database)
and, for the embedded default, inside ``juryo serve``. Delivery is at least once: a worker
killed between sending and recording sends again after its claim's lease ends, with the same
idempotency key, so receivers can drop the repeat.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from dataclasses import dataclass

from service import clock
from service.notifications import channels, mail, plan
from service.notifications.messages import render, webhook_body
from service.runtime import Runtime
from service.settings import Settings
from storage import audit
from storage.models import Delivery, DeliveryChannel, Webhook, utcnow
from storage.repositories import notifications as repo

log = logging.getLogger(__name__)

PLAN_BATCH = 500
SEND_BATCH = 50
SEND_ROUNDS = 20
"""Batches one round sends at most: a backlog drains without starving the planning."""


@dataclass(frozen=True, slots=True)
class WorkDone:
    """What one round did."""

    planned: int
    sent: int
    failed: int


def plan_new_events(runtime: Runtime) -> tuple[int, int]:
    """Plan the events since the cursor (at most one batch), in one transaction; (events
    read, deliveries planned)."""
    email = runtime.settings.smtp_host is not None
    with runtime.sessions.begin() as session:
        events = repo.events_after_cursor(session, PLAN_BATCH)
        if not events:
            return 0, 0
        rows = [row for event in events for row in plan.deliveries(session, event, email=email)]
        repo.add_deliveries(session, rows)
        repo.move_cursor(session, events[-1].id)
        return len(events), len(rows)


def plan_digests(runtime: Runtime) -> int:
    """Once a Tokyo day, from ``JURYO_DIGEST_HOUR``: the daily digests (one worker plans
    them; the others find the day taken)."""
    now = clock.now()
    if now.hour < runtime.settings.digest_hour or runtime.settings.smtp_host is None:
        return 0
    with runtime.sessions.begin() as session:
        if not repo.claim_digest_day(session, now.date()):
            return 0
        rows = plan.digests(session, now.date())
        repo.add_deliveries(session, rows)
        return len(rows)


def retry_at(settings: Settings, attempts: int) -> dt.datetime | None:
    """When to try again after ``attempts`` failures: exponential back-off with jitter (half
    to all of the doubled delay, so failed receivers are not hit by every worker at once), or
    None once the attempts are used up."""
    if attempts >= settings.notification_max_attempts:
        return None
    delay = min(
        settings.notification_retry_seconds * 2 ** (attempts - 1),
        settings.notification_retry_cap_seconds,
    )
    return utcnow() + dt.timedelta(seconds=delay * random.uniform(0.5, 1.0))


def _send(settings: Settings, delivery: Delivery, hook: Webhook | None) -> str:
    """Send one delivery; the outcome's description, or ``DeliveryFailed``."""
    if delivery.channel is DeliveryChannel.EMAIL:
        assert delivery.address is not None
        message = render(
            delivery.kind, delivery.payload, delivery.language, public_url=settings.public_url
        )
        return mail.send(settings, delivery.address, message, delivery.language, delivery.key)
    if hook is None or not hook.active:
        raise channels.DeliveryFailed("the webhook is disabled or gone")
    created = delivery.created_at.isoformat(timespec="seconds")
    body = webhook_body(delivery.key, delivery.kind, created, delivery.payload)
    return channels.post_webhook(
        settings,
        url=hook.url,
        secret=hook.secret,
        body=body,
        key=delivery.key,
        private_allowed=hook.supplier_id is None or settings.webhook_allow_private,
    )


def send_due(runtime: Runtime) -> tuple[int, int]:
    """Claim what is due, send each outside any transaction, record each outcome; (sent, failed)."""
    now = utcnow()
    lease = dt.timedelta(seconds=runtime.settings.notification_lease_seconds)
    with runtime.sessions.begin() as session:
        claimed = repo.claim_due(session, now=now, lease_until=now + lease, limit=SEND_BATCH)
        hooks = {d.id: session.get(Webhook, d.webhook_id) for d in claimed if d.webhook_id}
        session.expunge_all()
    sent = failed = 0
    for delivery in claimed:
        hook = hooks.get(delivery.id)
        try:
            detail, ok = _send(runtime.settings, delivery, hook), True
        except channels.DeliveryFailed as exc:
            detail, ok = str(exc), False
        _record(runtime, delivery, hook, ok=ok, detail=detail)
        sent, failed = sent + ok, failed + (not ok)
    return sent, failed


def _record(
    runtime: Runtime, delivery: Delivery, hook: Webhook | None, *, ok: bool, detail: str
) -> None:
    """Log the attempt; a webhook failing too often in a row is disabled, and that is audited
    (which tells its owner)."""
    settings = runtime.settings
    with runtime.sessions.begin() as session:
        retry = None if ok else retry_at(settings, delivery.attempts + 1)
        repo.record_attempt(session, delivery.id, ok=ok, detail=detail, next_attempt_at=retry)
        if hook is None:
            return
        if repo.count_webhook_outcome(
            session, hook.id, ok=ok, disable_after=settings.webhook_disable_after
        ):
            audit.record(
                session,
                actor=audit.SYSTEM,
                action="webhook.disable",
                entity_type="webhook",
                entity_id=hook.id,
                reason=detail,
                details={"url": hook.url, "failures": settings.webhook_disable_after},
            )


def run_once(runtime: Runtime) -> WorkDone:
    """One round: plan everything new, then send what is due (up to ``SEND_ROUNDS`` batches)."""
    planned, read = 0, PLAN_BATCH
    while read == PLAN_BATCH:  # a shorter batch reached the end of the log
        read, added = plan_new_events(runtime)
        planned += added
    planned += plan_digests(runtime)
    sent = failed = 0
    for _ in range(SEND_ROUNDS):  # drain what is due, in batches, but not for ever
        batch_sent, batch_failed = send_due(runtime)
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_sent + batch_failed < SEND_BATCH:
            break
    return WorkDone(planned, sent, failed)


async def work_periodically(runtime: Runtime) -> None:
    """Until cancelled: a round in a worker thread (sockets and the database block), then a
    pause. A failure is logged and the next round tries again."""
    while True:
        try:
            done = await asyncio.to_thread(run_once, runtime)
        except Exception:  # an outage must not end the loop for good
            log.exception("notification round failed")
        else:
            if done.sent or done.failed:
                log.info("notifications: %s", done)
        await asyncio.sleep(runtime.settings.notification_interval_seconds)
