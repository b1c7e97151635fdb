"""Each role's to-do counts, chosen by the domains' own rules and counted in the caller's scope.

A role's counts follow what it may do (the rules in the domains' ``auth.py``), so the home page
never offers a count whose list the reader may not open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service import clock
from service.accounting.auth import PAYS
from service.accounts.auth import APPROVES
from service.auth.principal import Principal
from service.inbox.auth import CLERK
from service.inbox.schemas import DUE_SOON_DAYS
from service.invoices.auth import SUBMITS
from storage.repositories import todo


@dataclass(frozen=True, slots=True)
class Todo:
    """One count on the home page: its label (an i18n key), the number, where the list is."""

    label: str
    count: int
    href: str


def _invoice_todos(session: Session, caller: Principal, today: dt.date) -> list[Todo]:
    counts = todo.invoice_counts(
        session, caller.scope, today=today, soon_until=today + dt.timedelta(days=DUE_SOON_DAYS)
    )
    found: list[Todo] = []
    if CLERK.admits(caller):
        found += [
            Todo("todo.pending", counts.pending, "/inbox"),
            Todo("todo.due_soon", counts.due_soon, "/inbox"),
            Todo("todo.overdue", counts.overdue, "/invoices"),
        ]
    if SUBMITS.admits(caller):
        found += [
            Todo("todo.returned", counts.returned, "/invoices?status=returned"),
            Todo("todo.awaiting_entry", counts.awaiting_entry, "/invoices?status=pending"),
        ]
    if PAYS.admits(caller):
        found += [
            Todo("todo.approved", counts.approved, "/accounting"),
            Todo("todo.overdue", counts.overdue, "/invoices"),
        ]
    return found


def todos(session: Session, caller: Principal) -> list[Todo]:
    """What waits for ``caller`` today (Tokyo's date), in the order the home page lists it."""
    found = _invoice_todos(session, caller, clock.today())
    if APPROVES.admits(caller):
        found.append(Todo("todo.signups", todo.pending_signups(session), "/admin/suppliers"))
    return found
