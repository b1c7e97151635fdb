"""Received e-mails, their attachments, and the addresses suppliers send from.

Mails are read by administrators (the quarantine) and by the mail channel itself; no query
here serves a supplier, so none takes a ``Scope``.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    Mail,
    MailAttachment,
    MailStatus,
    Role,
    Supplier,
    SupplierMailSender,
    User,
)

QUARANTINE_SHOWN = 200


def by_key(session: Session, message_id: str | None, sha256: str) -> Mail | None:
    """The mail already received with this Message-ID and these exact bytes."""
    query = select(Mail).where(Mail.sha256 == sha256)
    query = query.where(
        Mail.message_id.is_(None) if message_id is None else Mail.message_id == message_id
    )
    return session.execute(query).scalar_one_or_none()


def get(session: Session, mail_id: int, *, lock: bool = False) -> Mail | None:
    """One mail with its attachments; ``lock`` takes its row (two admins assigning at once)."""
    query = select(Mail).where(Mail.id == mail_id).options(selectinload(Mail.attachments))
    return session.execute(query.with_for_update() if lock else query).scalar_one_or_none()


def quarantined(session: Session) -> list[Mail]:
    """The mails waiting for an administrator, oldest first."""
    query = (
        select(Mail)
        .where(Mail.status == MailStatus.QUARANTINED)
        .order_by(Mail.received_at, Mail.id)
        .limit(QUARANTINE_SHOWN)
        .options(selectinload(Mail.attachments))
    )
    return list(session.execute(query).scalars())


def recent(session: Session, limit: int) -> list[Mail]:
    """The newest mails whatever became of them (refusals included), newest first."""
    query = (
        select(Mail)
        .where(Mail.status != MailStatus.QUARANTINED)
        .order_by(Mail.id.desc())
        .limit(limit)
        .options(selectinload(Mail.attachments), selectinload(Mail.supplier))
    )
    return list(session.execute(query).scalars())


def supplier_for_address(session: Session, address: str) -> Supplier | None:
    """The supplier that registered this sender address, else the one whose sign-up contact
    address it is (only when exactly one supplier gave it)."""
    registered = session.execute(
        select(Supplier)
        .join(SupplierMailSender, SupplierMailSender.supplier_id == Supplier.id)
        .where(SupplierMailSender.address == address)
    ).scalar_one_or_none()
    if registered is not None:
        return registered
    contacts = session.execute(
        select(Supplier).where(func.lower(Supplier.contact_email) == address).limit(2)
    ).scalars()
    found = list(contacts)
    return found[0] if len(found) == 1 else None


def submitting_user(session: Session, supplier_id: int) -> User | None:
    """The supplier's first active user, in whose name mailed documents are submitted."""
    return session.execute(
        select(User)
        .where(User.supplier_id == supplier_id, User.role == Role.SUPPLIER, User.active)
        .order_by(User.id)
        .limit(1)
        .options(selectinload(User.departments), selectinload(User.supplier))
    ).scalar_one_or_none()


def sender_address(session: Session, address: str) -> SupplierMailSender | None:
    """The registration of a sender address, whoever holds it."""
    return session.execute(
        select(SupplierMailSender).where(SupplierMailSender.address == address)
    ).scalar_one_or_none()


def settle_attachment(
    session: Session,
    mail_id: int,
    position: int,
    invoice_id: int | None,
    refusal: str | None,
    detail: str | None,
) -> None:
    """Record what intake made of one attachment."""
    session.execute(
        update(MailAttachment)
        .where(MailAttachment.mail_id == mail_id, MailAttachment.position == position)
        .values(invoice_id=invoice_id, refusal=refusal, detail=detail)
    )
