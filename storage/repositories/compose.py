"""The invoice form's rows: a supplier's drafts and templates, and its last invoice numbers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ComposeDraft, InvoiceRecord

RECENT_NUMBERS = 20
"""How many of the supplier's latest invoices the next-number suggestion looks at."""


def drafts(session: Session, supplier_id: int) -> list[ComposeDraft]:
    """The supplier's drafts and templates, templates first, the latest first."""
    return list(
        session.execute(
            select(ComposeDraft)
            .where(ComposeDraft.supplier_id == supplier_id)
            .order_by(ComposeDraft.template.desc(), ComposeDraft.updated_at.desc())
        ).scalars()
    )


def draft(session: Session, supplier_id: int, draft_id: int) -> ComposeDraft | None:
    """One of the supplier's drafts (None for another supplier's: that scope is the boundary)."""
    return session.execute(
        select(ComposeDraft).where(
            ComposeDraft.id == draft_id, ComposeDraft.supplier_id == supplier_id
        )
    ).scalar_one_or_none()


def recent_numbers(session: Session, supplier_id: int) -> list[str]:
    """The invoice numbers of the supplier's latest invoices, newest first."""
    return [
        number
        for number in session.execute(
            select(InvoiceRecord.invoice_number)
            .where(
                InvoiceRecord.supplier_id == supplier_id,
                InvoiceRecord.invoice_number.is_not(None),
            )
            .order_by(InvoiceRecord.id.desc())
            .limit(RECENT_NUMBERS)
        ).scalars()
        if number
    ]


def recent_invoices(session: Session, supplier_id: int, limit: int) -> list[InvoiceRecord]:
    """The supplier's latest invoices, newest first: what the form offers to copy."""
    return list(
        session.execute(
            select(InvoiceRecord)
            .where(InvoiceRecord.supplier_id == supplier_id)
            .order_by(InvoiceRecord.id.desc())
            .limit(limit)
        ).scalars()
    )
