"""``juryo mail sender`` and ``juryo mail serve`` as the operator runs them: real processes."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import MailStatus, Role
from tests.documents import jp_invoice
from tests.reliability.server import BIN, juryo
from tests.s3server import free_port
from tests.service.mail.conftest import CITY, message, stored_mail, wire
from tests.support import make_supplier, make_user


def _env(settings: Settings) -> dict[str, str]:
    env = {
        **os.environ,
        "JURYO_DATABASE_URL": settings.database_url,
        "JURYO_STORAGE_URL": settings.storage_url,
        "JURYO_LOG_LEVEL": "WARNING",
    }
    if settings.s3_endpoint_url:
        env["JURYO_S3_ENDPOINT_URL"] = settings.s3_endpoint_url
    return env


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def mail_serve(settings: Settings, tmp_path: Path) -> Iterator[int]:
    """``juryo mail serve`` on a free port, until the test ends."""
    port = free_port()
    log = (tmp_path / "mail.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "juryo"), "mail", "serve", "--port", str(port)],
        env=_env(settings),
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 30
        while not _accepts(port):
            assert process.poll() is None, (tmp_path / "mail.log").read_text()
            assert time.monotonic() < deadline, "juryo mail serve did not start"
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_an_operator_registers_an_address_and_mail_from_it_becomes_an_invoice(
    mail_serve: int, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    number = make_supplier(sessions)
    make_user(sessions, Role.SUPPLIER, supplier=number)
    address = f"Invoices-{uuid.uuid4().hex[:6]}@Supplier.example.jp"
    said = juryo(_env(settings), "mail", "sender", number, address)
    assert said.strip() == f"{address} sends for {number}"
    mail = message(address.lower())
    mail.add_attachment(
        jp_invoice(seller=number), maintype="application", subtype="xml", filename="a.xml"
    )

    with smtplib.SMTP("127.0.0.1", mail_serve, timeout=60) as client:
        refused = client.sendmail(address, [CITY], wire(mail))

    assert refused == {}
    [row] = stored_mail(sessions, mail["Message-ID"])
    assert row.status is MailStatus.ACCEPTED
    assert row.attachments[0].invoice_id is not None
