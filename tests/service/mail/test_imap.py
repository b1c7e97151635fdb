"""Invoices taken from an IMAP mailbox (``juryo mail poll``), against a real dovecot."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import IMAPClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.mail.imap import Mailbox, poll_once
from service.runtime import Runtime
from storage.models import Mail, MailStatus
from tests.documents import jp_invoice
from tests.service.mail.conftest import MAX_BYTES, Sender, message, stored_mail, wire
from tests.service.mail.dovecot import PASSWORD, USER, Dovecot, running_dovecot

DONE = "juryo-received"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    """A real IMAP server; CI installs Debian's ``dovecot-imapd``."""
    if shutil.which("dovecot") is None and not Path("/usr/sbin/dovecot").exists():
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    with running_dovecot() as server:
        yield server


def _imap(dovecot: Dovecot) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=30)
    client.login(USER, PASSWORD)
    return client


def _deliver(dovecot: Dovecot, *mails: bytes) -> None:
    """What the city's mail system does: put mails in the invoice mailbox."""
    with _imap(dovecot) as client:
        for raw in mails:
            client.append("INBOX", raw)


def _counts(dovecot: Dovecot) -> tuple[int, int]:
    with _imap(dovecot) as client:
        inbox = client.folder_status("INBOX", ["MESSAGES"])[b"MESSAGES"]
        done = client.folder_status(DONE, ["MESSAGES"])[b"MESSAGES"]
        return inbox, done


def _poll(runtime: Runtime, dovecot: Dovecot) -> object:
    return poll_once(runtime, Mailbox.of(dovecot.url), PASSWORD, done_folder=DONE)


def test_a_poll_records_each_mail_then_moves_it_and_the_next_poll_finds_nothing(
    dovecot: Dovecot, mail_runtime: Runtime, sender: Sender, sessions: sessionmaker[Session]
) -> None:
    known = message(sender.address, subject="IMAPで送付")
    known.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="請求書.xml",
    )
    stranger = message("stranger@example.com")
    big = message(sender.address)
    big.add_attachment(b"%PDF-1.4\n" + b"0" * MAX_BYTES, maintype="application", subtype="pdf")
    _deliver(dovecot, wire(known), wire(stranger), wire(big))

    first = _poll(mail_runtime, dovecot)
    second = _poll(mail_runtime, dovecot)

    [accepted] = stored_mail(sessions, known["Message-ID"])
    assert accepted.status is MailStatus.ACCEPTED
    assert accepted.subject == "IMAPで送付"
    assert accepted.attachments[0].invoice_id is not None
    [held] = stored_mail(sessions, stranger["Message-ID"])
    assert held.status is MailStatus.QUARANTINED
    assert first.refused_unread == 1  # type: ignore[attr-defined]
    assert len(first.received) == 2  # type: ignore[attr-defined]
    assert second.received == []  # type: ignore[attr-defined]
    assert _counts(dovecot) == (0, 3)


def test_a_mail_taken_again_after_a_crash_before_the_move_is_received_once(
    dovecot: Dovecot, mail_runtime: Runtime, sender: Sender, sessions: sessionmaker[Session]
) -> None:
    mail = message(sender.address)
    mail.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="a.xml",
    )
    # the same mail twice in the mailbox: as if a poll recorded it and died before moving it
    _deliver(dovecot, wire(mail), wire(mail))

    _poll(mail_runtime, dovecot)

    [row] = stored_mail(sessions, mail["Message-ID"])
    assert row.status is MailStatus.ACCEPTED
    with sessions() as session:
        count = len(list(session.execute(select(Mail.id).where(Mail.sha256 == row.sha256))))
    assert count == 1
    assert _counts(dovecot)[0] == 0
