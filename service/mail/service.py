"""Receiving e-mail: every XML or PDF attachment becomes one submission through intake, as the
supplier that registered the From address; the rest is recorded against the mail.

The order makes it safe to receive a mail twice or to crash at any point before the SMTP
answer: the raw message goes to the object store first, then the mail's row (status
``receiving``) is committed, then each attachment is submitted (intake commits each, and is
idempotent by the attachment's bytes), and last the mail becomes ``accepted`` with its receipt
text. A redelivery (same Message-ID and bytes) of a finished mail is answered with the first
record; of an unfinished one, it finishes the work.

Mail from an unknown address is ``quarantined``: no invoice, no reply, until an administrator
assigns it to a supplier (``assign``, audited), which submits its attachments as that supplier.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from parsers.registration import normalize
from service.auth.principal import Principal
from service.errors import AppError, BadRequest, Conflict, NotFound
from service.i18n import translator
from service.intake import service as intake
from service.intake.submission import Channel, Document, Submission, Unreadable
from service.mail.reading import PartKind, ReadMail, address_key, read_mail
from service.runtime import Runtime
from storage import audit
from storage.models import Mail, MailAttachment, MailStatus, Original, SupplierMailSender, utcnow
from storage.repositories import invoices as invoice_repo
from storage.repositories import mail as repo
from storage.repositories import organisation

RAW_MEDIA_TYPE = "message/rfc822"
PART_REFUSALS = {
    PartKind.EXECUTABLE: "mail.part.executable",
    PartKind.ARCHIVE: "mail.part.archive",
    PartKind.OTHER: "mail.part.other",
}


@dataclass(frozen=True, slots=True)
class MailOutcome:
    """What became of a mail, for the SMTP answer and the tests."""

    mail_id: int
    status: MailStatus
    invoice_ids: tuple[int, ...]
    created: bool


def receive_mail(runtime: Runtime, raw: bytes, *, envelope_from: str | None) -> MailOutcome:
    """Store, read, record and (for a known sender) submit one received mail; blocking, so
    the listener runs it off its event loop."""
    settings = runtime.settings
    read = read_mail(raw, max_parts=settings.mail_max_parts, max_depth=settings.mail_max_depth)
    sha256 = hashlib.sha256(raw).hexdigest()
    with runtime.read_sessions() as session:
        earlier = repo.by_key(session, read.message_id, sha256)
        if earlier is not None and earlier.status is not MailStatus.RECEIVING:
            return _outcome(earlier, created=False)
    stored = runtime.store.put(raw, media_type=RAW_MEDIA_TYPE)
    if earlier is not None:
        return _finish(runtime, earlier.id, read, MailStatus.ACCEPTED, created=False)
    mail_id = _record(runtime, read, stored.key, sha256, raw, envelope_from)
    return _finish(runtime, mail_id, read, MailStatus.ACCEPTED, created=True)


def refuse_oversize(runtime: Runtime, *, envelope_from: str | None, size: int) -> int:
    """Record a mail refused at DATA for its size: only the envelope is known (its bytes were
    discarded as they came, so nothing else is kept)."""
    with runtime.sessions() as session:
        mail = Mail(
            size=size,
            envelope_from=envelope_from and envelope_from[:320],
            status=MailStatus.REFUSED,
            refusal="mail.refused.too_large",
        )
        session.add(mail)
        _settle(session, mail)
        session.commit()
        return mail.id


def _record(
    runtime: Runtime, read: ReadMail, key: str, sha256: str, raw: bytes, envelope_from: str | None
) -> int:
    """The mail's row and its attachments', committed before anything is submitted; a twin
    that raced this one wins, and its row is used."""
    with runtime.sessions() as session:
        original = invoice_repo.original_by_sha256(session, sha256) or Original(
            sha256=sha256, size=len(raw), media_type=RAW_MEDIA_TYPE, object_key=key
        )
        supplier = repo.supplier_for_address(session, address_key(read.from_address or ""))
        known = supplier is not None and supplier.approved
        mail = Mail(
            message_id=read.message_id,
            sha256=sha256,
            size=len(raw),
            original=original,
            envelope_from=envelope_from and envelope_from[:320],
            from_address=read.from_address,
            subject=read.subject,
            body=read.body,
            supplier_id=supplier.id if supplier is not None and known else None,
            status=_first_status(read, known),
            refusal=read.refusal,
            attachments=_attachment_rows(read),
        )
        session.add(mail)
        try:
            if mail.status is not MailStatus.RECEIVING:
                _settle(session, mail)
            session.commit()
        except IntegrityError:
            session.rollback()
            twin = repo.by_key(session, read.message_id, sha256)
            if twin is None:
                raise
            return twin.id
        return mail.id


def _attachment_rows(read: ReadMail) -> list[MailAttachment]:
    """One row per attachment; those intake would refuse anyway are refused here, by kind."""
    return [
        MailAttachment(
            position=position,
            filename=part.filename,
            media_type=part.media_type,
            size=len(part.data),
            refusal=PART_REFUSALS.get(part.kind),
        )
        for position, part in enumerate(read.attachments)
    ]


def _first_status(read: ReadMail, known_sender: bool) -> MailStatus:
    if read.refusal is not None:
        return MailStatus.REFUSED
    return MailStatus.RECEIVING if known_sender else MailStatus.QUARANTINED


def _finish(
    runtime: Runtime, mail_id: int, read: ReadMail, settled: MailStatus, *, created: bool
) -> MailOutcome:
    """Submit what is still to submit of a ``receiving`` mail, then settle it as ``settled``.

    No transaction stays open while intake runs: intake takes the write lock (SQLite) itself.
    """
    with runtime.read_sessions() as session:
        mail = repo.get(session, mail_id)
        assert mail is not None
        if mail.status is not MailStatus.RECEIVING:
            return _outcome(mail, created=created)
        assert mail.supplier_id is not None
        user = repo.submitting_user(session, mail.supplier_id)
        sender = Principal.of(user) if user is not None else None
        pending = [
            a.position for a in mail.attachments if a.invoice_id is None and a.refusal is None
        ]
        key = f"mail:{mail.sha256}"
    for position in pending if sender is not None else []:
        assert sender is not None
        outcome = _submit(runtime, read, position, sender, f"{key}:{position}")
        with runtime.sessions() as session:
            repo.settle_attachment(session, mail_id, position, *outcome)
            session.commit()
    with runtime.sessions() as session:
        mail = repo.get(session, mail_id, lock=True)
        assert mail is not None
        if mail.status is MailStatus.RECEIVING:
            mail.status = settled if sender is not None else MailStatus.QUARANTINED
            mail.supplier_id = mail.supplier_id if sender is not None else None
            _settle(session, mail)
            session.commit()
        return _outcome(mail, created=created)


def _submit(
    runtime: Runtime, read: ReadMail, position: int, sender: Principal, key: str
) -> tuple[int | None, str | None, str | None]:
    """One attachment through intake (which commits it): the invoice, or why there is none.
    A refusal of one attachment never stops the others."""
    part = read.attachments[position]
    submission = Submission(
        Document(part.data, filename=part.filename), sender, Channel.EMAIL, idempotency_key=key
    )
    try:
        with runtime.sessions() as session:
            return intake.submit(runtime, session, submission).invoice.id, None, None
    except Unreadable as exc:
        return None, exc.text_key, None
    except AppError as exc:
        return None, "mail.part.intake", exc.detail


def _outcome(mail: Mail, *, created: bool) -> MailOutcome:
    invoices = tuple(a.invoice_id for a in mail.attachments if a.invoice_id is not None)
    return MailOutcome(mail.id, mail.status, invoices, created)


def _settle(session: Session, mail: Mail) -> None:
    """The mail is settled: write what the receipt to the sender says, in both languages, and
    audit the receipt (``mail.receive``), in the transaction that settles it. The event is what
    the notifications send the receipt from (to a known sender only)."""
    mail.receipt_ja = receipt(mail, "ja")
    mail.receipt_en = receipt(mail, "en")
    session.flush()  # the mail's id, for the event
    audit.record(
        session,
        actor=audit.SYSTEM,
        action="mail.receive",
        entity_type="mail",
        entity_id=mail.id,
        details={"status": str(mail.status), "supplier_id": mail.supplier_id},
    )


def receipt(mail: Mail, lang: str) -> str:
    """The receipt's text: the mail, then one line per attachment with its outcome."""
    t = translator(lang)
    subject = mail.subject or t("mail.no_subject")
    if mail.status is MailStatus.REFUSED:
        return "\n".join((t("mail.receipt.refused").format(subject=subject), t(mail.refusal or "")))
    if mail.status is MailStatus.QUARANTINED:
        return t("mail.receipt.quarantined").format(subject=subject)
    lines = [t("mail.receipt.head").format(subject=subject)]
    for attachment in mail.attachments:
        name = attachment.filename or t("mail.no_filename")
        if attachment.invoice is not None:
            status = t(f"status.{attachment.invoice.status.value}")
            line = t("mail.receipt.invoice").format(
                name=name, id=attachment.invoice.id, status=status
            )
        else:
            reason = attachment.detail or t(attachment.refusal or "mail.part.other")
            line = t("mail.receipt.part_refused").format(name=name, reason=reason)
        lines.append(f"- {line}")
    if not mail.attachments:
        lines.append(t("mail.receipt.nothing"))
    return "\n".join(lines)


def raw_of(runtime: Runtime, mail: Mail) -> bytes:
    """The stored original of a mail (for assigning it, or an administrator to download)."""
    if mail.original is None:
        raise NotFound(f"mail {mail.id} was refused unread; nothing is stored")
    return runtime.store.get(mail.original.object_key)


class AssignRefused(Conflict):
    """An administrator's assignment that cannot be made; ``text_key`` says why, ja/en."""

    def __init__(self, text_key: str, detail: str, *, status_code: int = 409) -> None:
        super().__init__(detail)
        self.text_key = text_key
        self.status_code = status_code


def assign(
    runtime: Runtime,
    mail_id: int,
    *,
    registration_number: str,
    admin: Principal,
    remember_sender: bool = False,
) -> MailOutcome:
    """An administrator's decision that a quarantined mail is this supplier's: its attachments
    are submitted as that supplier (the seller check applies as for any sender), audited; with
    ``remember_sender``, its From address is registered so the next mail needs no review."""
    with runtime.sessions() as session:
        mail = repo.get(session, mail_id, lock=True)
        if mail is None:
            raise AssignRefused("mail.assign.no_mail", f"no mail {mail_id}", status_code=404)
        if mail.status is not MailStatus.QUARANTINED:
            raise AssignRefused("mail.assign.not_held", f"mail {mail_id} is {mail.status}")
        supplier = organisation.supplier_by_registration(session, normalize(registration_number))
        if supplier is None:
            raise AssignRefused(
                "mail.assign.unknown_supplier",
                f"no supplier {registration_number}",
                status_code=404,
            )
        user = repo.submitting_user(session, supplier.id)
        if user is None or not supplier.approved:
            raise AssignRefused(
                "mail.assign.no_account", f"supplier {supplier.id} has no approved account"
            )
        raw = raw_of(runtime, mail)
        mail.supplier_id, mail.status = supplier.id, MailStatus.RECEIVING
        mail.reviewed_by_id, mail.reviewed_at = admin.user_id, utcnow()
        audit.record(
            session,
            actor=admin.actor,
            action="mail.assign",
            entity_type="mail",
            entity_id=mail.id,
            details={"supplier": supplier.registration_number, "from": mail.from_address},
        )
        if remember_sender and mail.from_address:
            _remember(session, admin, supplier.registration_number, mail.from_address)
        session.commit()
    settings = runtime.settings
    read = read_mail(raw, max_parts=settings.mail_max_parts, max_depth=settings.mail_max_depth)
    return _finish(runtime, mail_id, read, MailStatus.ASSIGNED, created=False)


def _remember(
    session: Session, admin: Principal, registration_number: str | None, address: str
) -> None:
    """Register the address of an assigned mail; one another supplier holds is refused."""
    try:
        register_sender(
            session,
            actor=admin.actor,
            registration_number=registration_number or "",
            address=address,
        )
    except Conflict as exc:
        raise AssignRefused("mail.assign.sender_taken", exc.detail) from None


def register_sender(
    session: Session, *, actor: audit.Actor, registration_number: str, address: str
) -> SupplierMailSender:
    """Record that mail from ``address`` is this supplier's; an address belongs to one
    supplier only (else its mail could not say whose it is)."""
    supplier = organisation.supplier_by_registration(session, normalize(registration_number))
    if supplier is None:
        raise NotFound(f"no supplier {registration_number}")
    key = address_key(address)
    if "@" not in key or len(key) > 320:
        raise BadRequest(f"{address!r} is not an e-mail address")
    holder = repo.sender_address(session, key)
    if holder is not None:
        if holder.supplier_id == supplier.id:
            return holder
        raise Conflict(f"{key} is already registered for another supplier")
    sender = SupplierMailSender(supplier_id=supplier.id, address=key)
    session.add(sender)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="mail.sender.add",
        entity_type="supplier",
        entity_id=supplier.id,
        details={"address": key},
    )
    return sender
