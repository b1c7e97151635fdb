"""Peppol: suppliers' participant ids and the messages the access point handed over."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from storage.models import InvoiceRecord, PeppolMessage, Supplier, SupplierParticipant


def supplier_by_participant(session: Session, participant_id: str) -> Supplier | None:
    """The supplier that recorded this (lower-case) participant id, if any."""
    return session.execute(
        select(Supplier)
        .join(SupplierParticipant, SupplierParticipant.supplier_id == Supplier.id)
        .where(SupplierParticipant.participant_id == participant_id)
    ).scalar_one_or_none()


def participants(session: Session, supplier_id: int) -> list[SupplierParticipant]:
    """A supplier's participant ids, in the order recorded."""
    return list(
        session.execute(
            select(SupplierParticipant)
            .where(SupplierParticipant.supplier_id == supplier_id)
            .order_by(SupplierParticipant.id)
        ).scalars()
    )


def participant(session: Session, participant_id: str) -> SupplierParticipant | None:
    """Who recorded this (lower-case) participant id, if anyone."""
    return session.execute(
        select(SupplierParticipant).where(SupplierParticipant.participant_id == participant_id)
    ).scalar_one_or_none()


def remove_participant(session: Session, supplier_id: int, participant_id: str) -> bool:
    """Forget one of a supplier's participant ids; whether it was there."""
    removed = session.execute(
        delete(SupplierParticipant).where(
            SupplierParticipant.supplier_id == supplier_id,
            SupplierParticipant.participant_id == participant_id,
        )
    )
    return bool(getattr(removed, "rowcount", 0))


def messages_by_instance(session: Session, instance_ids: list[str]) -> dict[str, PeppolMessage]:
    """The messages already received under these SBDH instance ids, with their invoices'
    findings, by instance id."""
    if not instance_ids:
        return {}
    found = session.execute(
        select(PeppolMessage)
        .where(PeppolMessage.instance_id.in_(instance_ids))
        .options(selectinload(PeppolMessage.invoice).selectinload(InvoiceRecord.findings))
    ).scalars()
    return {message.instance_id: message for message in found}
