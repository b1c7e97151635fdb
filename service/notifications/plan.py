"""What each change tells whom: an audit event becomes deliveries, one per recipient and channel.

The audit log is the outbox (see ``storage.models.NotificationCursor``): planning reads events
the change already committed, so nothing is planned for a change that rolled back, and the
cursor moves in the transaction that adds the deliveries, so a crash plans the events again and
the delivery keys keep the second plan from adding anything.

What a notification says is taken when it is planned (the invoice's number and status then),
so a notice sent late still tells what happened at the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from service.auth.principal import Principal
from service.clock import TOKYO
from service.home.service import todos
from storage.models import (
    AuditEvent,
    Delegation,
    DeliveryChannel,
    InvoiceRecord,
    InvoiceStatus,
    Mail,
    MailStatus,
    Role,
    Webhook,
    utcnow,
)
from storage.repositories import notifications as repo

INVOICE_EVENTS = {
    "invoice.receive": "invoice.received",
    "invoice.return": "invoice.returned",
    "invoice.reject": "invoice.rejected",
    "invoice.approve": "invoice.approved",
}
"""Audit actions on one invoice, and the notification each one sends its supplier."""

WEBHOOK_EVENTS = (*INVOICE_EVENTS.values(), "invoice.paid")
"""What a webhook may ask for: what happens to invoices, never to people's accounts."""

STATUTORY = frozenset({"invoice.returned", "invoice.rejected", "invoice.paid"})
"""Notices a supplier must get (a return or rejection it has to act on, the remittance): no
one can mute them."""
MUTABLE = (
    "invoice.received",
    "invoice.approved",
    "signup.approved",
    "signup.rejected",
    "delegation.started",
    "digest.daily",
    "webhook.disabled",
)
"""The e-mail notices a person may choose not to receive, in the order the page lists them."""


RECEIVED_BY = {
    Role.SUPPLIER: (
        "invoice.received",
        "invoice.returned",
        "invoice.rejected",
        "invoice.approved",
        "invoice.paid",
        "signup.approved",
        "signup.rejected",
        "webhook.disabled",
    ),
    Role.CLERK: ("delegation.started", "digest.daily"),
    Role.ACCOUNTING: ("digest.daily",),
    Role.ADMIN: ("webhook.disabled",),
    Role.AUDITOR: (),
}
"""The e-mail notices each role can receive (what its settings page offers)."""


def wanting(people: list[repo.Recipient], kind: str) -> list[repo.Recipient]:
    """The people who receive ``kind``: everyone for a statutory notice, else those who did
    not mute it."""
    return [p for p in people if kind in STATUTORY or kind not in p.muted]


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell: its kind, whom it is about, what it says, and from when to send it."""

    kind: str
    supplier_id: int | None
    payload: dict[str, Any]
    emails: list[repo.Recipient] = field(default_factory=list)
    webhooks: bool = True
    not_before: dt.datetime | None = None
    peppol: list[dict[str, Any]] = field(default_factory=list)
    """Invoice Responses for invoices that came through the access point (one per invoice)."""


def deliveries(session: Session, event: AuditEvent, *, email: bool) -> list[dict[str, Any]]:
    """The delivery rows for one event (none for most events); ``email`` False when no mail
    relay is configured, so nothing waits for one that never comes."""
    rows: list[dict[str, Any]] = []
    for notice in notices(session, event):
        base = {
            "audit_event_id": event.id,
            "kind": notice.kind,
            "supplier_id": notice.supplier_id,
            "payload": notice.payload,
            "next_attempt_at": notice.not_before or utcnow(),
        }
        key = f"{event.id}:{notice.kind}:{notice.supplier_id or 0}"
        if email:
            rows += [
                {
                    **base,
                    "key": f"{key}:email:{person.address.lower()}",
                    "channel": DeliveryChannel.EMAIL,
                    "address": person.address,
                    "language": person.language,
                }
                for person in wanting(notice.emails, notice.kind)
            ]
        if notice.webhooks:
            rows += [
                {
                    **base,
                    "key": f"{key}:webhook:{hook.id}",
                    "channel": DeliveryChannel.WEBHOOK,
                    "webhook_id": hook.id,
                    "language": "en",
                }
                for hook in repo.webhooks_for(session, notice.supplier_id, notice.kind)
            ]
        rows += [
            {
                **base,
                "key": f"{event.id}:{PEPPOL_RESPONSE}:{response['invoice_id']}",
                "kind": PEPPOL_RESPONSE,
                "channel": DeliveryChannel.PEPPOL,
                "address": response["seller"],
                "language": "en",
                "payload": response,
            }
            for response in notice.peppol
        ]
    return rows


def notices(session: Session, event: AuditEvent) -> Iterator[Notice]:
    """What ``event`` tells, by the rule for its action (nothing for actions without one)."""
    planner = _PLANNERS.get(event.action)
    return iter(()) if planner is None else planner(session, event)


PEPPOL_RESPONSE = "peppol.response"
DECISION_RESPONSE = {
    "invoice.return": ("RE", "NIN"),  # rejected: the seller is to issue a corrected invoice
    "invoice.reject": ("RE", None),
    "invoice.approve": ("AP", None),
}
"""The Invoice Response status (UNCL 4343 subset) for each decision, and the action asked."""


def peppol_response(
    session: Session,
    invoice: InvoiceRecord,
    status: str,
    *,
    reason: str | None = None,
    action: str | None = None,
) -> list[dict[str, Any]]:
    """The Invoice Response facts for an invoice that came through the access point (none for
    one that did not): to its sender, from the city's id it was sent to."""
    message = repo.peppol_message(session, invoice.id)
    if message is None:
        return []
    return [
        {
            "invoice_id": invoice.id,
            "status": status,
            "reason": reason,
            "action": action,
            "invoice_number": invoice.invoice_number or str(invoice.id),
            "invoice_issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
            "document_type_code": "381" if invoice.document_type == "credit_note" else "380",
            "seller": message.sender,
            "seller_name": invoice.supplier.name,
            "buyer": message.receiver,
        }
    ]


def _receipt_response(
    session: Session, invoice: InvoiceRecord, event: AuditEvent
) -> list[dict[str, Any]]:
    """AB for an invoice taken in; RE (with the count of errors) for one refused at intake."""
    if invoice.status is InvoiceStatus.INVALID:
        errors = event.details.get("fatal_findings") or 0
        reason = f"refused at receipt: {errors} validation errors (see juryo for the rule ids)"
        return peppol_response(session, invoice, "RE", reason=reason)
    return peppol_response(session, invoice, "AB")


def _invoice_payload(invoice: InvoiceRecord, event: AuditEvent) -> dict[str, Any]:
    return {
        "invoice_id": invoice.id,
        "invoice_number": invoice.invoice_number,
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "status": str(invoice.status),
        "reason": event.reason,
        "fatal_findings": event.details.get("fatal_findings"),
    }


def _about_invoice(session: Session, event: AuditEvent) -> Iterator[Notice]:
    invoice = repo.invoice(session, int(event.entity_id or 0))
    if invoice is None:
        return
    if event.action == "invoice.receive":
        responses = _receipt_response(session, invoice, event)
    else:
        status, action = DECISION_RESPONSE[event.action]
        responses = peppol_response(session, invoice, status, reason=event.reason, action=action)
    yield Notice(
        INVOICE_EVENTS[event.action],
        invoice.supplier_id,
        _invoice_payload(invoice, event),
        emails=repo.supplier_people(session, invoice.supplier_id),
        peppol=responses,
    )


def _remittance(session: Session, event: AuditEvent) -> Iterator[Notice]:
    """A paid batch: each supplier gets one remittance notice (支払通知) listing the invoices
    the transfer pays, their numbers and amounts, and the payment date."""
    batch_id = int(event.entity_id or 0)
    for supplier_id, lines in repo.paid_by_supplier(session, batch_id).items():
        payload = {
            "batch_id": batch_id,
            "paid_on": event.details.get("paid_on"),
            "total": str(sum((Decimal(line.amount) for line in lines), Decimal(0))),
            "invoices": [
                {
                    "invoice_id": line.invoice_id,
                    "invoice_number": line.number,
                    "issue_date": line.issue_date.isoformat() if line.issue_date else None,
                    "amount": line.amount,
                }
                for line in lines
            ],
        }
        emails = repo.supplier_people(session, supplier_id)
        paid = [repo.invoice(session, line.invoice_id) for line in lines]
        responses = [r for i in paid if i is not None for r in peppol_response(session, i, "PD")]
        yield Notice("invoice.paid", supplier_id, payload, emails=emails, peppol=responses)


def _sign_up(kind: str) -> Callable[[Session, AuditEvent], Iterator[Notice]]:
    def plan(session: Session, event: AuditEvent) -> Iterator[Notice]:
        supplier = repo.supplier(session, int(event.entity_id or 0))
        if supplier is None:
            return
        payload = {"supplier": supplier.name, "reason": event.reason}
        emails = repo.supplier_people(session, supplier.id)
        yield Notice(kind, supplier.id, payload, emails=emails, webhooks=False)

    return plan


def _delegation(session: Session, event: AuditEvent) -> Iterator[Notice]:
    """The substitute is told on the morning the delegation starts (Tokyo), not before."""
    delegation = session.get(Delegation, int(event.entity_id or 0))
    if delegation is None:  # withdrawn before it was planned
        return
    substitute = repo.person(session, delegation.substitute_id)
    if substitute is None:
        return
    starts = dt.datetime.combine(delegation.starts_on, dt.time(), TOKYO)
    payload = {
        "clerk": event.actor_login,
        "department": event.details.get("department"),
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat(),
    }
    yield Notice(
        "delegation.started", None, payload, emails=[substitute], webhooks=False, not_before=starts
    )


def _webhook_disabled(session: Session, event: AuditEvent) -> Iterator[Notice]:
    """Its owner hears that juryo stopped calling it: the supplier's people, or for the city's
    own webhooks, the administrators."""
    hook = session.get(Webhook, int(event.entity_id or 0))
    if hook is None:
        return
    people = (
        repo.people_with_role(session, Role.ADMIN)
        if hook.supplier_id is None
        else repo.supplier_people(session, hook.supplier_id)
    )
    payload = {"webhook_id": hook.id, "url": hook.url, "failures": hook.consecutive_failures}
    yield Notice("webhook.disabled", hook.supplier_id, payload, emails=people, webhooks=False)


def _mail_receipt(session: Session, event: AuditEvent) -> Iterator[Notice]:
    """The receipt to a known supplier's e-mail (the channel's acknowledgement): what became
    of each attachment. Mail from an unknown address gets no reply (it waits for an admin)."""
    mail = session.get(Mail, int(event.entity_id or 0))
    if mail is None or mail.supplier_id is None or not mail.from_address:
        return
    if mail.status not in (MailStatus.ACCEPTED, MailStatus.ASSIGNED, MailStatus.REFUSED):
        return
    language = repo.language_of_address(session, mail.supplier_id, mail.from_address)
    payload = {
        "mail_id": mail.id,
        "subject": mail.subject or "",
        "receipt_ja": mail.receipt_ja or "",
        "receipt_en": mail.receipt_en or "",
    }
    sender = repo.Recipient(mail.from_address, language)
    yield Notice("mail.receipt", mail.supplier_id, payload, emails=[sender], webhooks=False)


_PLANNERS: dict[str, Callable[[Session, AuditEvent], Iterator[Notice]]] = {
    **dict.fromkeys(INVOICE_EVENTS, _about_invoice),
    "batch.paid": _remittance,
    "supplier.approve": _sign_up("signup.approved"),
    "supplier.reject": _sign_up("signup.rejected"),
    "delegation.add": _delegation,
    "webhook.disable": _webhook_disabled,
    "mail.receive": _mail_receipt,
}


DIGEST_ROLES = (Role.CLERK, Role.ACCOUNTING)
"""Who gets a daily digest: the people whose to-do list has a deadline behind it."""


def digests(session: Session, day: dt.date) -> list[dict[str, Any]]:
    """Each clerk's and accountant's digest for ``day``: their home page's to-do counts
    (pending, due soon, overdue; approved not batched), for those with anything to do."""
    rows: list[dict[str, Any]] = []
    for user in repo.digest_readers(session, DIGEST_ROLES):
        items = [
            {"label": item.label, "count": item.count, "href": item.href}
            for item in todos(session, Principal.of(user))
            if item.count
        ]
        if not items or user.email is None or "digest.daily" in (user.muted or []):
            continue
        rows.append(
            {
                "key": f"digest:{day.isoformat()}:{user.id}",
                "kind": "digest.daily",
                "channel": DeliveryChannel.EMAIL,
                "address": user.email,
                "language": user.language,
                "payload": {"day": day.isoformat(), "items": items},
                "next_attempt_at": utcnow(),
            }
        )
    return rows
