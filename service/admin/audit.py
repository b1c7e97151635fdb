"""The audit log as auditors and admins read it: filtered events and the state of the chain.

The state is what ``juryo audit verify`` checks: the hash chain walked end to end and, when
JURYO_AUDIT_KEY is set, every anchor stored outside the database. Anchors are read before the
database, as the command does: an anchor written after the chain was read would name events
the reader cannot see, and look like a cut-off tail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from service.admin.schemas import AuditEventOut
from service.clock import TOKYO
from service.i18n import TEXTS, translator
from service.runtime import Runtime
from storage import anchors, audit
from storage.models import AuditEvent
from storage.objects import StorageError
from storage.repositories.audit_events import AuditFilter

ACTION_PREFIX = "action."


def named(key: str, raw: str, lang: str) -> str:
    """The catalogue's name for a stored word (an action, a role), or the word if it names none."""
    return translator(lang)(key) if key in TEXTS else raw


def action_label(action: str, lang: str) -> str:
    """A raw action (``batch.create``) as the catalogue names it, or as stored if it does not."""
    return named(ACTION_PREFIX + action, action, lang)


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

    @property
    def intact(self) -> bool:
        """The chain and every anchor agree."""
        return not self.problems


def _stored_anchors(runtime: Runtime, key: bytes) -> anchors.StoredAnchors | Problem:
    try:
        return anchors.read(runtime.store, key)
    except StorageError as exc:
        return Problem(f"cannot read the audit anchors: {exc}")


def chain_state(runtime: Runtime) -> ChainState:
    """Verify the chain (and the anchors, when a key is set), as ``juryo audit verify`` does."""
    key = runtime.settings.audit_signing_key
    stored = None if key is None else _stored_anchors(runtime, key)
    with runtime.read_sessions() as session:
        walked = audit.verify(session)
        checked = (
            anchors.compare(session, stored) if isinstance(stored, anchors.StoredAnchors) else None
        )
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
    )


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
