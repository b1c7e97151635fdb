"""The append-only audit log: every event carries the hash of the one before it.

Appends lock the single ``audit_head`` row, so concurrent workers extend one chain instead of
forking it. Ids are consecutive, so a deleted event leaves a gap; each hash covers the event's
id and content and the previous hash, so an edited or reordered event breaks the chain; the head
remembers the newest hash, so a deleted tail is noticed too. Triggers in the migration refuse
UPDATE and DELETE; ``verify`` catches whoever bypasses them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from storage.models import AuditEvent, AuditHead, utcnow

GENESIS_HASH = "0" * 64
HEAD_ID = 1


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did it: a user, or the system itself (``user_id`` None)."""

    login: str
    role: str
    user_id: int | None = None


SYSTEM = Actor(login="system", role="system")


def _jsonable(details: Mapping[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(dict(details), default=str))
    return loaded


def event_hash(
    *,
    event_id: int,
    occurred_at: dt.datetime,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str | None,
    reason: str | None,
    details: Mapping[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 over a canonical JSON rendering of everything the event says."""
    payload = {
        "id": event_id,
        "at": occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "user_id": actor.user_id,
        "login": actor.login,
        "role": actor.role,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "reason": reason,
        "details": details,
        "prev": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


_LOCK_HEAD = (
    select(AuditHead.last_event_id, AuditHead.last_hash)
    .where(AuditHead.id == HEAD_ID)
    .with_for_update()
)
_APPEND = insert(AuditEvent)
_MOVE_HEAD = (
    update(AuditHead)
    .where(AuditHead.id == HEAD_ID)
    .values(last_event_id=bindparam("event_id"), last_hash=bindparam("event_hash"))
)


@dataclass(frozen=True, slots=True)
class Event:
    """One event to append: who did what to which entity, why, with which details."""

    actor: Actor
    action: str
    entity_type: str
    entity_id: str | int | None = None
    reason: str | None = None
    details: Mapping[str, Any] | None = None


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str | int | None = None,
    reason: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Append one event in the caller's transaction (it commits or rolls back with the change)."""
    record_many(session, [Event(actor, action, entity_type, entity_id, reason, details)])


def record_many(session: Session, events: Sequence[Event]) -> None:
    """Append events in this order, in the caller's transaction, under ONE lock of the head.

    Three statements built once and run on the connection, past the ORM: every change juryo
    makes passes through here, and building them and the ORM's bulk-statement handling per call
    cost more than running them (measured on the upload path). A bulk channel's group appends
    its events in one INSERT of many rows: the ids stay consecutive and the chain unbroken.
    """
    if not events:
        return
    connection = session.connection()
    last_event_id, last_hash = connection.execute(_LOCK_HEAD).one()
    rows = []
    for event in events:
        last_event_id += 1
        row = _event_row(event, last_event_id, last_hash)
        last_hash = row["hash"]
        rows.append(row)
    connection.execute(_APPEND, rows)
    connection.execute(_MOVE_HEAD, {"event_id": last_event_id, "event_hash": last_hash})


def _event_row(event: Event, event_id: int, prev_hash: str) -> dict[str, Any]:
    clean = _jsonable(event.details or {})
    entity = None if event.entity_id is None else str(event.entity_id)
    occurred_at = utcnow()
    actor = event.actor
    digest = event_hash(
        event_id=event_id,
        occurred_at=occurred_at,
        actor=actor,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=entity,
        reason=event.reason,
        details=clean,
        prev_hash=prev_hash,
    )
    return {
        "id": event_id,
        "occurred_at": occurred_at,
        "actor_user_id": actor.user_id,
        "actor_login": actor.login,
        "actor_role": actor.role,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": entity,
        "reason": event.reason,
        "details": clean,
        "prev_hash": prev_hash,
        "hash": digest,
    }


@dataclass(frozen=True, slots=True)
class Link:
    """One point of the chain: an event id and its hash (``GENESIS`` before the first event)."""

    event_id: int
    hash: str


GENESIS = Link(0, GENESIS_HASH)


def head(session: Session) -> Link:
    """The newest event as the head row names it (without locking: a reader's view)."""
    row = session.execute(
        select(AuditHead.last_event_id, AuditHead.last_hash).where(AuditHead.id == HEAD_ID)
    ).one()
    return Link(row.last_event_id, row.last_hash)


def hashes_of(session: Session, event_ids: list[int]) -> dict[int, str]:
    """The stored hash of each of these events that exists (for comparing with anchors)."""
    found: dict[int, str] = {}
    for start in range(0, len(event_ids), 500):  # stay under SQLite's bound-parameter limit
        chunk = event_ids[start : start + 500]
        rows = session.execute(
            select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.id.in_(chunk))
        )
        found.update((row.id, row.hash) for row in rows)
    return found


def last_event_id(session: Session) -> int:
    """The highest event id stored (0 for none), whatever the head row says."""
    return session.execute(select(func.coalesce(func.max(AuditEvent.id), 0))).scalar_one()


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of walking the chain."""

    checked: int
    broken_event_id: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        """True when every event and the head agree."""
        return self.problem is None


def _problem(event: AuditEvent, expected: Link) -> str | None:
    """What is wrong with ``event`` as the successor of ``expected``, if anything."""
    if event.id != expected.event_id + 1:
        return f"expected event {expected.event_id + 1}, found {event.id}"
    if event.prev_hash != expected.hash:
        return "previous-hash link does not match"
    digest = event_hash(
        event_id=event.id,
        occurred_at=event.occurred_at,
        actor=Actor(event.actor_login, event.actor_role, event.actor_user_id),
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        reason=event.reason,
        details=event.details,
        prev_hash=event.prev_hash,
    )
    if digest != event.hash:
        return "content does not match its hash (edited)"
    return None


def verify(session: Session) -> Verification:
    """Walk the whole chain in id order up to the head; report the first event that does not fit.

    The head is read first and bounds the walk: events appended while the walk runs (visible
    to it under PostgreSQL's READ COMMITTED) are not mistaken for a head that lags behind.
    """
    found = session.get(AuditHead, HEAD_ID)
    if found is None:
        return Verification(0, None, "audit head row is missing")
    head = Link(found.last_event_id, found.last_hash)
    end = GENESIS
    events = session.execute(
        select(AuditEvent).where(AuditEvent.id <= head.event_id).order_by(AuditEvent.id)
    ).scalars()
    for event in events.yield_per(1000):
        problem = _problem(event, end)
        if problem is not None:
            return Verification(end.event_id, event.id, problem)
        end = Link(event.id, event.hash)
    if head != end:
        return Verification(
            end.event_id, head.event_id, "newest events are missing (head points past the end)"
        )
    return Verification(end.event_id)


def verify_extension(session: Session, *, since: Link, until: Link) -> Verification:
    """Check that the events after ``since`` lead, link by link, to ``until``.

    The anchor writer runs this before signing a new head: only the events added since the
    last anchor are read, and history rewritten below that anchor breaks the first link.
    """
    end = since
    events = session.execute(
        select(AuditEvent)
        .where(AuditEvent.id > since.event_id, AuditEvent.id <= until.event_id)
        .order_by(AuditEvent.id)
    ).scalars()
    for event in events.yield_per(1000):
        problem = _problem(event, end)
        if problem is not None:
            return Verification(end.event_id - since.event_id, event.id, problem)
        end = Link(event.id, event.hash)
    if end != until:
        return Verification(
            end.event_id - since.event_id, until.event_id, "does not reach the head"
        )
    return Verification(end.event_id - since.event_id)
