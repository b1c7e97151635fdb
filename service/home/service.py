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
    scope = caller.scope
    found: list[Todo] = []
    if CLERK.admits(caller):
        soon = today + dt.timedelta(days=DUE_SOON_DAYS)
        clerk = todo.clerk_counts(session, scope, today=today, soon_until=soon)
        found += [
            Todo("todo.pending", clerk.pending, "/inbox"),
            Todo("todo.due_soon", clerk.due_soon, "/inbox"),
            Todo("todo.overdue", clerk.overdue, "/invoices"),
        ]
    if SUBMITS.admits(caller):
        supplier = todo.supplier_counts(session, scope)
        found += [
            Todo("todo.returned", supplier.returned, "/invoices?status=returned"),
            Todo("todo.awaiting_entry", supplier.awaiting_entry, "/invoices?status=pending"),
        ]
    if PAYS.admits(caller):
        accounting = todo.accounting_counts(session, scope, today=today)
        found += [
            Todo("todo.approved", accounting.approved, "/accounting"),
            Todo("todo.overdue", accounting.overdue, "/invoices"),
        ]
    return found


def todos(session: Session, caller: Principal) -> list[Todo]:
    """What waits for ``caller`` today (Tokyo's date), in the order the home page lists it."""
    found = _invoice_todos(session, caller, clock.today())
    if APPROVES.admits(caller):
        found.append(Todo("todo.signups", todo.pending_signups(session), "/admin/suppliers"))
    return found
