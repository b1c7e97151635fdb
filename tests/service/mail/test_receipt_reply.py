"""The receipt reply to a supplier's e-mail: sent by the notification worker to the From
address, saying what became of each attachment; mail from an unknown address gets none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.notifications.worker import run_once
from service.runtime import Runtime
from service.settings import Settings
from tests.documents import jp_invoice
from tests.service.mail.conftest import Listener, Sender, message
from tests.smtp_inbox import Inbox, text_of


@pytest.fixture
def worker(settings: Settings, smtp: tuple[Inbox, int]) -> Iterator[Runtime]:
    """A notification worker sending through the test relay."""
    runtime = Runtime.from_settings(
        settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp[1]})
    )
    yield runtime
    runtime.close()


def test_a_known_sender_gets_a_receipt_naming_each_attachment(
    listener: Listener, sender: Sender, worker: Runtime, smtp: tuple[Inbox, int]
) -> None:
    mail = message(sender.address, subject="11月分請求書")
    mail.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="請求書.xml",
    )
    mail.add_attachment(
        b"MZ\x90\x00" + bytes(64), maintype="application", subtype="octet-stream", filename="a.exe"
    )
    listener.send(mail, sender.address)
    run_once(worker)
    (reply,) = smtp[0].to(sender.address)
    assert reply["Subject"] == "請求書メールの受付結果（11月分請求書）"
    text = text_of(reply)
    assert "請求書.xml" in text
    assert "a.exe" in text


def test_an_unknown_sender_gets_no_reply(
    listener: Listener, worker: Runtime, smtp: tuple[Inbox, int]
) -> None:
    stranger = "nobody@unknown.example.jp"
    listener.send(message(stranger), stranger)
    run_once(worker)
    assert smtp[0].to(stranger) == []
