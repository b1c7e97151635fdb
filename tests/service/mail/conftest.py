"""The mail channel under test: ``juryo mail serve``'s listener on a free port of 127.0.0.1,
over the session's database and object store, and suppliers that send from known addresses."""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from service.mail.service import register_sender
from service.mail.smtp import running
from service.runtime import Runtime
from service.settings import Settings
from storage.db import transaction
from storage.models import Mail, Role
from tests.s3server import free_port
from tests.support import TEST_ACTOR, Account, make_supplier, make_user

MAX_BYTES = 2 * 1024 * 1024
CITY = "invoices@city.example.jp"


@dataclass(frozen=True)
class Listener:
    """A running SMTP listener: where it is, and the runtime behind it."""

    port: int
    runtime: Runtime

    def send(self, message: bytes | EmailMessage, sender: str = "someone@example.jp") -> str:
        """Deliver as the city's gateway would (SIZE announced); the server's final answer."""
        raw = message if isinstance(message, bytes) else wire(message)
        with smtplib.SMTP("127.0.0.1", self.port, timeout=60) as client:
            client.ehlo("gateway.city.example.jp")
            client.mail(sender, [f"SIZE={len(raw)}"])
            client.rcpt(CITY)
            code, answer = client.data(raw)
        assert code == 250, (code, answer)
        return answer.decode()


@dataclass(frozen=True)
class Sender:
    """A supplier with an account, and the address it registered for mail."""

    registration_number: str
    address: str
    account: Account


@pytest.fixture(scope="module")
def mail_runtime(settings: Settings) -> Iterator[Runtime]:
    """The listener's runtime: the session's database and store, a small size limit."""
    runtime = Runtime.from_settings(
        settings.model_copy(update={"mail_max_bytes": MAX_BYTES, "mail_max_parts": 50})
    )
    yield runtime
    runtime.close()


@pytest.fixture(scope="module")
def listener(mail_runtime: Runtime) -> Iterator[Listener]:
    """The SMTP listener, as ``juryo mail serve`` runs it."""
    port = free_port()
    with running(mail_runtime, "127.0.0.1", port):
        yield Listener(port, mail_runtime)


@pytest.fixture
def sender(sessions: sessionmaker[Session]) -> Sender:
    """A new supplier with a user, sending from a registered address."""
    number = make_supplier(sessions)
    account = make_user(sessions, Role.SUPPLIER, supplier=number)
    address = f"billing-{uuid.uuid4().hex[:8]}@supplier.example.jp"
    with transaction(sessions) as session:
        register_sender(session, actor=TEST_ACTOR, registration_number=number, address=address)
    return Sender(number, address, account)


def message(
    sender: str, subject: str = "請求書の送付", body: str = "いつもお世話になっております。"
) -> EmailMessage:
    """A mail as a supplier's mail program writes it (UTF-8), with a fresh Message-ID."""
    mail = EmailMessage()
    mail["From"] = f"経理担当 <{sender}>"
    mail["To"] = CITY
    mail["Subject"] = subject
    mail["Message-ID"] = make_msgid(domain="supplier.example.jp")
    mail.set_content(body)
    return mail


def wire(mail: EmailMessage) -> bytes:
    """The mail's bytes as SMTP carries them (CRLF line ends)."""
    return mail.as_bytes(policy=policy.SMTP)


def stored_mail(sessions: sessionmaker[Session], message_id: str) -> list[Mail]:
    """Every mail row recorded under this Message-ID, with attachments and invoices."""
    with sessions() as session:
        query = (
            select(Mail)
            .where(Mail.message_id == message_id)
            .order_by(Mail.id)
            .options(selectinload(Mail.attachments), selectinload(Mail.original))
        )
        rows = list(session.execute(query).scalars())
        for row in rows:
            for attachment in row.attachments:
                _ = attachment.invoice
        return rows
