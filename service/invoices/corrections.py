"""Returned invoices and the corrected invoices that replace them, linked both ways.

A returned invoice stays as it was (its record and original are kept), so "replaced by #6" is
found from the correction's ``replaces_invoice_id``, not stored twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from storage.models import InvoiceRecord, InvoiceStatus
from storage.repositories import invoices as repo
from storage.repositories.invoices import Scope


def replaced_by(
    session: Session, scope: Scope, invoices: Iterable[InvoiceRecord]
) -> dict[int, int]:
    """The correction of each returned invoice among ``invoices`` that has one in ``scope``
    (one query, and none at all when no invoice shown is returned)."""
    returned = [i.id for i in invoices if i.status == InvoiceStatus.RETURNED]
    return repo.replacements(session, scope, returned)


def replacement_of(session: Session, scope: Scope, invoice: InvoiceRecord) -> int | None:
    """The id of the corrected invoice that replaces ``invoice``, if it was returned and is."""
    return replaced_by(session, scope, [invoice]).get(invoice.id)
