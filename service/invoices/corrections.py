"""Returned invoices and the corrected invoices that replace them, linked both ways.

A returned invoice stays as it was (its record and original are kept), so "replaced by #6" is
found from the correction's ``replaces_invoice_id``, not stored twice.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import InvoiceRecord, InvoiceStatus
from storage.repositories import invoices as repo
from storage.repositories.invoices import Scope


def replacement_of(session: Session, scope: Scope, invoice: InvoiceRecord) -> int | None:
    """The id of the corrected invoice that replaces ``invoice``, if it was returned and is
    (a search finds those of its rows in its own statement: ``repo.search``)."""
    if invoice.status != InvoiceStatus.RETURNED:
        return None
    return repo.replacements(session, scope, [invoice.id]).get(invoice.id)
