"""The audit log as auditors and admins read it: filtered events and the state of the chain.

The state is what ``juryo audit verify`` checks: the hash chain walked end to end and, when
JURYO_AUDIT_KEY is set, every anchor stored outside the database. Anchors are read before the
database, as the command does: an anchor written after the chain was read would name events
the reader cannot see, and look like a cut-off tail.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, replace

from service import clock
from service.admin.schemas import AuditEventOut
from service.clock import TOKYO
from service.i18n import ACTION_PREFIX, TEXTS, action_label
from service.runtime import Runtime
from storage import anchors, audit
from storage.models import AuditEvent
from storage.objects import StorageError
from storage.repositories.audit_events import AuditFilter


def catalogued_actions() -> list[str]:
    """Every action the catalogue names, for the viewer's filter."""
    return sorted(key.removeprefix(ACTION_PREFIX) for key in TEXTS if key.startswith(ACTION_PREFIX))


def tokyo_day_start(day: dt.date) -> dt.datetime:
    """The instant a Tokyo calendar day begins: date filters are the city's dates."""
    return dt.datetime.combine(day, dt.time(), tzinfo=TOKYO)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing ``audit verify`` would report; ``detail`` is the command's own wording."""

    detail: str
    event_id: int | None = None


@dataclass(frozen=True, slots=True)
class ChainState:
    """The outcome of ``audit verify`` at the moment the page was asked for."""

    events: int
    anchored: bool
    """Whether anchors were checked (JURYO_AUDIT_KEY set)."""
    anchors: int
    newest_anchored_event: int | None
    problems: tuple[Problem, ...]
    walked_at: dt.datetime
    """When the whole chain (and the anchors) were last walked; newer events are checked link
    by link from there."""
    end: audit.Link
    """The last event the walk reached."""

    @property
    def intact(self) -> bool:
        """The chain and every anchor agree."""
        return not self.problems


def _stored_anchors(runtime: Runtime, key: bytes) -> anchors.StoredAnchors | Problem:
    try:
        return anchors.read(runtime.store, key)
    except StorageError as exc:
        return Problem(f"cannot read the audit anchors: {exc}")


def full_walk(runtime: Runtime) -> ChainState:
    """Verify the chain (and the anchors, when a key is set), as ``juryo audit verify`` does."""
    key = runtime.settings.audit_signing_key
    stored = None if key is None else _stored_anchors(runtime, key)
    with runtime.read_sessions() as session:
        walked = audit.verify(session)
        checked = (
            anchors.compare(session, stored) if isinstance(stored, anchors.StoredAnchors) else None
        )
        end = audit.hashes_of(session, [walked.checked]).get(walked.checked, audit.GENESIS_HASH)
    problems = [] if walked.intact else [Problem(walked.problem or "", walked.broken_event_id)]
    if isinstance(stored, Problem):
        problems.append(stored)
    if checked is not None:
        problems += [Problem(f.problem, f.event_id) for f in checked.findings]
    return ChainState(
        events=walked.checked,
        anchored=key is not None,
        anchors=checked.anchors if checked else 0,
        newest_anchored_event=checked.newest.event_id if checked and checked.newest else None,
        problems=tuple(problems),
        walked_at=clock.now(),
        end=audit.Link(walked.checked, end),
    )


FULL_WALK_EVERY = 300.0
"""Seconds between full walks for the viewer; in between, only the events added since the last
intact walk are checked. A full walk reads every event (7.4 s at 100,000 events on SQLite),
too slow for every page view; a rewrite below the walked point is found by the next walk."""

_walks: dict[tuple[str, str, bool], tuple[float, ChainState]] = {}
_walks_lock = threading.Lock()


def chain_state(runtime: Runtime) -> ChainState:
    """The chain's state for a page view: the last intact full walk (at most ``FULL_WALK_EVERY``
    old) extended, link by link, to the current head; a full walk when there is none."""
    settings = runtime.settings
    key = (settings.database_url, settings.storage_url, settings.audit_signing_key is not None)
    with _walks_lock:
        found = _walks.get(key)
    if found is None or time.monotonic() - found[0] > FULL_WALK_EVERY:
        state = full_walk(runtime)
        if state.intact:
            with _walks_lock:
                _walks[key] = (time.monotonic(), state)
        return state
    base = found[1]
    with runtime.read_sessions() as session:
        head = audit.head(session)
        extension = audit.verify_extension(session, since=base.end, until=head)
    if not extension.intact:
        problem = Problem(extension.problem or "", extension.broken_event_id)
        return replace(base, events=base.end.event_id, problems=(problem,))
    return replace(base, events=head.event_id)


def event_filter(
    *,
    invoice_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> AuditFilter:
    """The repository's criteria; dates are Tokyo's days, ``date_to`` included."""
    return AuditFilter(
        invoice_id=invoice_id,
        actor_login=(actor or "").strip() or None,
        action=(action or "").strip() or None,
        since=tokyo_day_start(date_from) if date_from else None,
        before=tokyo_day_start(date_to + dt.timedelta(days=1)) if date_to else None,
    )


def event_out(event: AuditEvent) -> AuditEventOut:
    """An event with its action named in both languages."""
    return AuditEventOut.model_validate(
        {
            **{column: getattr(event, column) for column in EVENT_COLUMNS},
            "action_ja": action_label(event.action, "ja"),
            "action_en": action_label(event.action, "en"),
        }
    )


EVENT_COLUMNS = (
    "id",
    "occurred_at",
    "actor_login",
    "actor_role",
    "action",
    "entity_type",
    "entity_id",
    "reason",
    "details",
)
