"""Reading the audit log for people: filtered, newest first, a page at a time.

The log is not scoped by invoice: only roles that may read all of it (auditors, admins) are let
through to these queries, by the rule in ``service/admin/auth.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from storage.models import AuditEvent


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Criteria combined with AND; instants bound a half-open range [since, before)."""

    invoice_id: int | None = None
    actor_login: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    before: dt.datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses these criteria ask for."""
        found: list[ColumnElement[bool]] = []
        if self.invoice_id is not None:
            found += [
                AuditEvent.entity_type == "invoice",
                AuditEvent.entity_id == str(self.invoice_id),
            ]
        if self.actor_login:
            found.append(AuditEvent.actor_login == self.actor_login)
        if self.action:
            found.append(AuditEvent.action == self.action)
        if self.since is not None:
            found.append(AuditEvent.occurred_at >= self.since)
        if self.before is not None:
            found.append(AuditEvent.occurred_at < self.before)
        return found


def _matching(criteria: AuditFilter) -> Select[AuditEvent]:
    return select(AuditEvent).where(*criteria.conditions())


def list_events(
    session: Session, criteria: AuditFilter, *, limit: int, offset: int
) -> tuple[list[AuditEvent], int]:
    """One page of matching events, newest first, and how many match in all."""
    total = session.execute(
        select(func.count()).select_from(_matching(criteria).subquery())
    ).scalar_one()
    rows = session.execute(
        _matching(criteria).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    ).scalars()
    return list(rows), total
