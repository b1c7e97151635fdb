"""An invoice's history as one caller may read it: internal comments stay with city staff.

The audit log keeps every reason and comment. A supplier reads the steps of its invoice but,
of the words written about it, only the reasons meant for it: why it was returned or
rejected. Comments on approvals, forwards and everything else are for city staff only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.auth.principal import Principal
from service.invoices import auth
from storage.models import AuditEvent
from storage.repositories import invoices as repo

FOR_THE_SUPPLIER = frozenset({"invoice.return", "invoice.reject"})
"""The actions whose reason is written to the supplier."""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One step in an invoice's life, with the reason only if the reader may see it."""

    occurred_at: dt.datetime
    action: str
    actor_role: str
    actor_login: str
    actor_user_id: int | None
    reason: str | None
    internal: bool
    """The reason is a comment for city staff only (never set for a supplier's reading)."""


def for_reader(event: AuditEvent, reader: Principal) -> HistoryEntry:
    """The event as ``reader`` sees it: a supplier never gets an internal comment."""
    internal = event.reason is not None and event.action not in FOR_THE_SUPPLIER
    hidden = internal and not auth.READS_INTERNAL.admits(reader)
    return HistoryEntry(
        occurred_at=event.occurred_at,
        action=event.action,
        actor_role=event.actor_role,
        actor_login=event.actor_login,
        actor_user_id=event.actor_user_id,
        reason=None if hidden else event.reason,
        internal=internal and not hidden,
    )


def history(session: Session, reader: Principal, invoice_id: int) -> list[HistoryEntry]:
    """Every step of one invoice (and of its payment batch), oldest first, as ``reader``
    may read it."""
    return [for_reader(event, reader) for event in repo.history(session, invoice_id)]
