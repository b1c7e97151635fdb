"""Mail from an unregistered address waits for an administrator, who reviews it and assigns
it to a supplier on the mail page: only then are its attachments received, as that supplier."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service.mail.service import register_sender
from storage.db import transaction
from storage.models import AuditEvent, InvoiceStatus, MailStatus, Role, Supplier
from tests.documents import jp_invoice
from tests.service.mail.conftest import Listener, Sender, message, stored_mail, wire
from tests.support import (
    TEST_ACTOR,
    LiveServer,
    form_token,
    make_supplier,
    make_user,
    signed_in,
)


def test_an_admin_assigns_a_held_mail_and_its_attachments_become_the_supplier_s_invoices(
    listener: Listener,
    sender: Sender,
    live_server: LiveServer,
    sessions: sessionmaker[Session],
) -> None:
    stranger = f"new-clerk-{uuid.uuid4().hex[:6]}@supplier.example.jp"
    mail = message(stranger, subject="初めてお送りします")
    mail.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="請求書.xml",
    )
    listener.send(mail, stranger)
    [held] = stored_mail(sessions, mail["Message-ID"])
    assert held.status is MailStatus.QUARANTINED
    admin = make_user(sessions, Role.ADMIN)

    with signed_in(live_server, admin.login, admin.password) as client:
        page = client.get("/admin/mail?lang=ja")
        assert page.status_code == 200
        assert "初めてお送りします" in page.text
        assert stranger in page.text
        original = client.get(f"/admin/mail/{held.id}/original")
        assert original.content == wire(mail)
        csrf = form_token(page.text)
        unknown = client.post(
            f"/admin/mail/{held.id}/assign",
            data={"supplier": "T0000000000000", "csrf_token": csrf},
        )
        assert unknown.status_code == 404
        assert "この登録番号の事業者はいません" in unknown.text
        assigned = client.post(
            f"/admin/mail/{held.id}/assign",
            data={"supplier": sender.registration_number, "remember": "true", "csrf_token": csrf},
        )
        assert assigned.status_code == 303
        again = client.post(
            f"/admin/mail/{held.id}/assign?lang=en",
            data={"supplier": sender.registration_number, "csrf_token": csrf},
        )
        assert again.status_code == 409
        assert "no longer held" in again.text

    [row] = stored_mail(sessions, mail["Message-ID"])
    assert row.status is MailStatus.ASSIGNED
    invoice = row.attachments[0].invoice
    assert invoice is not None
    assert invoice.status is InvoiceStatus.PENDING
    assert invoice.seller_registration_number == sender.registration_number
    assert row.reviewed_by_id is not None
    with sessions() as session:
        event = session.execute(
            select(AuditEvent).where(
                AuditEvent.action == "mail.assign", AuditEvent.entity_id == str(row.id)
            )
        ).scalar_one()
        assert event.actor_login == admin.login

    # the address is now the supplier's: its next mail is received without review
    follow_up = message(stranger)
    follow_up.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="次回.xml",
    )
    assert "accepted" in listener.send(follow_up, stranger)


def test_an_address_another_supplier_registered_is_not_taken_over_on_assignment(
    listener: Listener,
    sender: Sender,
    live_server: LiveServer,
    sessions: sessionmaker[Session],
) -> None:
    other_number = make_supplier(sessions)
    make_user(sessions, Role.SUPPLIER, supplier=other_number)
    # the address is registered, but to a supplier without an account: its mail is held
    orphan_number = make_supplier(sessions)
    address = f"shared-{uuid.uuid4().hex[:6]}@example.jp"
    with transaction(sessions) as session:
        register_sender(
            session, actor=TEST_ACTOR, registration_number=orphan_number, address=address
        )
    mail = message(address)
    listener.send(mail, address)
    [held] = stored_mail(sessions, mail["Message-ID"])
    assert held.status is MailStatus.QUARANTINED
    admin = make_user(sessions, Role.ADMIN)

    with signed_in(live_server, admin.login, admin.password) as client:
        csrf = form_token(client.get("/admin/mail").text)
        refused = client.post(
            f"/admin/mail/{held.id}/assign?lang=en",
            data={"supplier": other_number, "remember": "true", "csrf_token": csrf},
        )

    assert refused.status_code == 409
    assert "registered for another supplier" in refused.text
    [still] = stored_mail(sessions, mail["Message-ID"])
    assert still.status is MailStatus.QUARANTINED


def test_a_supplier_s_sign_up_contact_address_counts_as_registered(
    listener: Listener, sender: Sender, sessions: sessionmaker[Session]
) -> None:
    contact = f"contact-{uuid.uuid4().hex[:6]}@supplier.example.jp"
    with transaction(sessions) as session:
        session.execute(
            update(Supplier)
            .where(Supplier.registration_number == sender.registration_number)
            .values(contact_email=contact.upper())
        )
    mail = message(contact)
    mail.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="a.xml",
    )

    assert "accepted" in listener.send(mail, contact)


def test_only_administrators_see_the_held_mail(
    live_server: LiveServer, sessions: sessionmaker[Session], sender: Sender
) -> None:
    with signed_in(live_server, sender.account.login, sender.account.password) as client:
        assert client.get("/admin/mail").status_code == 403
