"""The notification outbox's SQL: the cursor over the audit log, deliveries, attempts, webhooks.

Two workers may run these at once (several ``juryo worker`` processes, or one in each server):
the cursor row is locked while one plans, and a delivery is claimed by a guarded UPDATE that
only one of them can win, so a notification is planned once and sent by one worker at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import (
    AuditEvent,
    BatchItem,
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    InvoiceRecord,
    NotificationCursor,
    PeppolMessage,
    Role,
    Supplier,
    User,
    Webhook,
    utcnow,
)

CURSOR_ID = 1


def events_after_cursor(session: Session, limit: int) -> list[AuditEvent]:
    """The next audit events to plan, oldest first, with the cursor row locked until commit
    (a second planner waits rather than planning the same events)."""
    cursor = session.execute(
        select(NotificationCursor.last_event_id)
        .where(NotificationCursor.id == CURSOR_ID)
        .with_for_update()
    ).scalar_one()
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.id > cursor).order_by(AuditEvent.id).limit(limit)
        )
    )


def move_cursor(session: Session, last_event_id: int) -> None:
    """Everything up to this event is planned (in the transaction that added its deliveries)."""
    session.execute(
        update(NotificationCursor)
        .where(NotificationCursor.id == CURSOR_ID)
        .values(last_event_id=last_event_id)
    )


def add_deliveries(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert deliveries; one whose key exists already is left as it is (planned before)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(Delivery).on_conflict_do_nothing(index_elements=["key"]), list(rows))


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person who reads e-mail: where, in which language, and what they chose not to get."""

    address: str
    language: str
    muted: frozenset[str] = frozenset()


def supplier_people(session: Session, supplier_id: int) -> list[Recipient]:
    """The supplier's active users with an e-mail address, once per address."""
    found = _recipients(session, User.supplier_id == supplier_id)
    seen: dict[str, Recipient] = {}
    for recipient in found:
        seen.setdefault(recipient.address.lower(), recipient)
    return list(seen.values())


def _recipients(session: Session, *where: ColumnElement[bool]) -> list[Recipient]:
    """Active users matching ``where`` who have an e-mail address, oldest first."""
    rows = session.execute(
        select(User.email, User.language, User.muted)
        .where(*where, User.active, User.email.is_not(None))
        .order_by(User.id)
    )
    return [
        Recipient(email, language, frozenset(muted or ()))
        for email, language, muted in rows
        if email  # the WHERE says so; the check tells the type checker
    ]


def person(session: Session, user_id: int) -> Recipient | None:
    """One active user's address and language, if the user has an address."""
    found = _recipients(session, User.id == user_id)
    return found[0] if found else None


def people_with_role(session: Session, role: Role) -> list[Recipient]:
    """Active people of one role who have an e-mail address."""
    return _recipients(session, User.role == role)


def webhooks_for(session: Session, supplier_id: int | None, kind: str) -> list[Webhook]:
    """Active webhooks that asked for ``kind``: the supplier's own, and the city's (which hear
    about every supplier's invoices)."""
    owners = or_(Webhook.supplier_id.is_(None), Webhook.supplier_id == supplier_id)
    found = session.scalars(select(Webhook).where(Webhook.active, owners).order_by(Webhook.id))
    return [hook for hook in found if kind in hook.events]


def invoice(session: Session, invoice_id: int) -> InvoiceRecord | None:
    """The invoice an event is about."""
    return session.get(InvoiceRecord, invoice_id)


def supplier(session: Session, supplier_id: int) -> Supplier | None:
    """The supplier an event is about."""
    return session.get(Supplier, supplier_id)


@dataclass(frozen=True, slots=True)
class PaidInvoice:
    """One line of a remittance notice."""

    invoice_id: int
    number: str | None
    issue_date: dt.date | None
    amount: str


def paid_by_supplier(session: Session, batch_id: int) -> dict[int, list[PaidInvoice]]:
    """What a paid batch paid each supplier, invoice by invoice."""
    rows = session.execute(
        select(BatchItem)
        .where(BatchItem.batch_id == batch_id)
        .order_by(BatchItem.supplier_id, BatchItem.invoice_id)
    ).scalars()
    found: dict[int, list[PaidInvoice]] = {}
    for item in rows:
        line = PaidInvoice(item.invoice_id, item.invoice_number, item.issue_date, str(item.amount))
        found.setdefault(item.supplier_id, []).append(line)
    return found


def claim_due(
    session: Session, *, now: dt.datetime, lease_until: dt.datetime, limit: int
) -> list[Delivery]:
    """Deliveries due now that no other worker holds, claimed until ``lease_until``.

    The claim is an UPDATE guarded by the same condition, so of two workers that chose one
    delivery only one claims it; a worker that dies loses its claim when the lease ends.
    """
    free = or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now)
    due = (
        (Delivery.status == DeliveryStatus.PENDING)
        & (Delivery.next_attempt_at <= now)
        & (Delivery.channel != DeliveryChannel.PEPPOL)  # the access point takes those
        & free
    )
    candidates = list(
        session.scalars(
            select(Delivery.id)
            .where(due)
            .order_by(Delivery.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)  # PostgreSQL: pass over rows another is claiming
        )
    )
    if not candidates:
        return []
    claimed = session.scalars(
        update(Delivery)
        .where(Delivery.id.in_(candidates), due)
        .values(claimed_until=lease_until)
        .returning(Delivery.id)
    ).all()
    return list(session.scalars(select(Delivery).where(Delivery.id.in_(claimed))))


def record_attempt(
    session: Session,
    delivery_id: int,
    *,
    ok: bool,
    detail: str,
    next_attempt_at: dt.datetime | None,
) -> Delivery:
    """Log one try; a success is sent, a failure waits until ``next_attempt_at`` or (None)
    is given up. The claim ends either way."""
    delivery = session.get_one(Delivery, delivery_id, with_for_update=True)
    session.add(DeliveryAttempt(delivery_id=delivery_id, ok=ok, detail=detail[:2000]))
    delivery.attempts += 1
    delivery.claimed_until = None
    if ok:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = utcnow()
        delivery.last_error = None
    else:
        delivery.last_error = detail[:2000]
        if next_attempt_at is None:
            delivery.status = DeliveryStatus.DEAD
        else:
            delivery.next_attempt_at = next_attempt_at
    return delivery


def count_webhook_outcome(
    session: Session, webhook_id: int, *, ok: bool, disable_after: int
) -> bool:
    """Count a webhook's consecutive failures (a success resets them); True when this failure
    disabled it. The guarded UPDATE disables it once, however many workers fail at once."""
    if ok:
        session.execute(
            update(Webhook).where(Webhook.id == webhook_id).values(consecutive_failures=0)
        )
        return False
    session.execute(
        update(Webhook)
        .where(Webhook.id == webhook_id)
        .values(consecutive_failures=Webhook.consecutive_failures + 1)
    )
    disabled = session.execute(
        update(Webhook)
        .where(
            Webhook.id == webhook_id,
            Webhook.active,
            Webhook.consecutive_failures >= disable_after,
        )
        .values(active=False, disabled_at=utcnow())
    )
    return bool(disabled.rowcount)  # type: ignore[attr-defined]


def deliveries_page(
    session: Session,
    *,
    webhook_ids: list[int] | None,
    status: DeliveryStatus | None,
    kind: str | None,
    before_id: int | None,
    limit: int,
) -> list[Delivery]:
    """The delivery log, newest first, a page at a time (``before_id``: after the last row
    shown); ``webhook_ids`` limits it to deliveries to those webhooks."""
    query = select(Delivery).order_by(Delivery.id.desc()).limit(limit)
    if webhook_ids is not None:
        query = query.where(Delivery.webhook_id.in_(webhook_ids))
    if status is not None:
        query = query.where(Delivery.status == status)
    if kind:
        query = query.where(Delivery.kind == kind)
    if before_id is not None:
        query = query.where(Delivery.id < before_id)
    return list(session.scalars(query))


def attempts_of(session: Session, delivery_id: int) -> list[DeliveryAttempt]:
    """Every try at one delivery, oldest first."""
    return list(
        session.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id == delivery_id)
            .order_by(DeliveryAttempt.id)
        )
    )


def send_again(session: Session, delivery_id: int, now: dt.datetime) -> bool:
    """Put a delivery back in the queue now (sent or given up: a person asked for it)."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=DeliveryStatus.PENDING, next_attempt_at=now, claimed_until=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def webhooks_of(session: Session, supplier_id: int | None) -> list[Webhook]:
    """One owner's webhooks (None: the city's own), oldest first."""
    owner = (
        Webhook.supplier_id.is_(None) if supplier_id is None else Webhook.supplier_id == supplier_id
    )
    return list(session.scalars(select(Webhook).where(owner).order_by(Webhook.id)))


def webhook_of(session: Session, webhook_id: int, supplier_id: int | None) -> Webhook | None:
    """One webhook, if it belongs to that owner (None: the city's own)."""
    hook = session.get(Webhook, webhook_id, with_for_update=True)
    return hook if hook is not None and hook.supplier_id == supplier_id else None


def delivery(session: Session, delivery_id: int) -> Delivery | None:
    """One delivery by id."""
    return session.get(Delivery, delivery_id)


@dataclass(frozen=True, slots=True)
class Preferences:
    """One person's choices: the address (None: no e-mail), the language, what is muted."""

    email: str | None
    language: str
    muted: list[str]


def set_preferences(session: Session, user_id: int, chosen: Preferences) -> None:
    """Store one person's notification choices."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(email=chosen.email, language=chosen.language, muted=chosen.muted)
    )


def preferences(session: Session, user_id: int) -> Preferences:
    """One person's notification choices."""
    row = session.execute(
        select(User.email, User.language, User.muted).where(User.id == user_id)
    ).one()
    return Preferences(row.email, row.language, list(row.muted or []))


def claim_digest_day(session: Session, day: dt.date) -> bool:
    """True for the one worker that moves the digest day to ``day`` (a guarded UPDATE: two
    workers at the same moment plan one set of digests)."""
    result = session.execute(
        update(NotificationCursor)
        .where(
            NotificationCursor.id == CURSOR_ID,
            or_(NotificationCursor.digest_on.is_(None), NotificationCursor.digest_on < day),
        )
        .values(digest_on=day)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def digest_readers(session: Session, roles: Sequence[Role]) -> list[User]:
    """Active people of these roles with an e-mail address."""
    return list(
        session.scalars(
            select(User)
            .where(User.role.in_(roles), User.active, User.email.is_not(None))
            .order_by(User.id)
        )
    )


def language_of_address(session: Session, supplier_id: int, address: str) -> str:
    """The language of the supplier's user who reads ``address`` (Japanese when none does)."""
    found = session.scalars(
        select(User.language).where(
            User.supplier_id == supplier_id, func.lower(User.email) == address.lower()
        )
    ).first()
    return found or "ja"


def peppol_message(session: Session, invoice_id: int) -> PeppolMessage | None:
    """The Peppol message an invoice came in, if it came through the access point."""
    return session.scalars(
        select(PeppolMessage).where(PeppolMessage.invoice_id == invoice_id).limit(1)
    ).first()


def peppol_waiting(session: Session, limit: int) -> list[Delivery]:
    """Invoice Responses waiting for the access point, oldest first."""
    return list(
        session.scalars(
            select(Delivery)
            .where(
                Delivery.channel == DeliveryChannel.PEPPOL,
                Delivery.status == DeliveryStatus.PENDING,
            )
            .order_by(Delivery.id)
            .limit(limit)
        )
    )


def take_peppol(session: Session, delivery_id: int, by: str) -> bool:
    """The access point took a response: sent, once (a guarded UPDATE; a second ack finds it
    taken and changes nothing)."""
    taken = session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.channel == DeliveryChannel.PEPPOL,
            Delivery.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.SENT, sent_at=utcnow(), attempts=Delivery.attempts + 1)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        return False
    session.add(DeliveryAttempt(delivery_id=delivery_id, ok=True, detail=f"taken by {by}"))
    return True
