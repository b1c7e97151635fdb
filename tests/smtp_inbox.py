"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives (a pytest plugin,
loaded with -p in pyproject, so its `smtp` fixture serves every test): the mail relay the
notification tests send through, standing in for the city's."""

from __future__ import annotations

import queue
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server received, message by message (aiosmtpd's handler protocol)."""

    def __init__(self) -> None:
        self.messages: queue.Queue[EmailMessage] = queue.Queue()

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.put(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        """Every message received so far for ``address`` (others stay queued)."""
        found, kept = [], []
        while not self.messages.empty():
            message = self.messages.get_nowait()
            (found if message["To"] == address else kept).append(message)
        for message in kept:
            self.messages.put(message)
        return found


def text_of(mail: EmailMessage) -> str:
    """The plain-text part of a notice."""
    body = mail.get_body(preferencelist=("plain",))
    assert isinstance(body, EmailMessage)
    text: str = body.get_content()
    return text


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on a free port of 127.0.0.1."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
