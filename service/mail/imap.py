"""Polling an IMAP mailbox (``juryo mail poll``): pull only, for networks that allow nothing
in. The city's mail system keeps the invoice address's mailbox; juryo logs in, takes each
mail, records it exactly as the SMTP listener does, and only then moves it to a folder of its
own, so a crash between the two makes the next poll take it again (receiving is idempotent
by Message-ID and bytes). A mail over the size limit is refused by its announced size,
unread; a mail that fails for a passing reason stays in the inbox for the next poll.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient  # type: ignore[import-untyped]  # no stubs

from service.mail.service import MailOutcome, receive_mail, refuse_oversize
from service.runtime import Runtime

log = logging.getLogger(__name__)

BATCH = 100
"""Mails taken per poll at most, so one poll's work is bounded."""
TIMEOUT_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Mailbox:
    """Where to log in: ``imaps://user@host:port/folder`` read once from the settings."""

    host: str
    port: int
    tls: bool
    user: str
    folder: str

    @classmethod
    def of(cls, url: str) -> Mailbox:
        parts = urlsplit(url)
        tls = parts.scheme == "imaps"
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (993 if tls else 143),
            tls=tls,
            user=unquote(parts.username or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
        )


@dataclass
class Poll:
    """What one poll did."""

    received: list[MailOutcome] = field(default_factory=list)
    refused_unread: int = 0
    failed: int = 0


def poll_once(runtime: Runtime, mailbox: Mailbox, password: str, *, done_folder: str) -> Poll:
    """Take up to ``BATCH`` mails from the mailbox, record each, move each recorded one."""
    poll = Poll()
    with IMAPClient(
        mailbox.host, port=mailbox.port, ssl=mailbox.tls, timeout=TIMEOUT_SECONDS
    ) as client:
        client.login(mailbox.user, password)
        if not client.folder_exists(done_folder):
            client.create_folder(done_folder)
        client.select_folder(mailbox.folder)
        uids = sorted(client.search(["NOT", "DELETED"]))[:BATCH]
        sizes = client.fetch(uids, ["RFC822.SIZE"]) if uids else {}
        for uid in uids:
            if _take(runtime, client, uid, sizes[uid][b"RFC822.SIZE"], poll):
                _move(client, uid, done_folder)
    return poll


def _take(runtime: Runtime, client: IMAPClient, uid: int, size: int, poll: Poll) -> bool:
    """Record one mail; False (it stays in the inbox) when that failed for a passing reason."""
    try:
        if size > runtime.settings.mail_max_bytes:
            refuse_oversize(runtime, envelope_from=None, size=size)
            poll.refused_unread += 1
            return True
        raw = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
        poll.received.append(receive_mail(runtime, bytes(raw), envelope_from=None))
    except Exception:
        log.exception("mail %s not received; the next poll takes it again", uid)
        poll.failed += 1
        return False
    return True


def _move(client: IMAPClient, uid: int, folder: str) -> None:
    """Out of the inbox, into juryo's folder (MOVE where the server has it)."""
    if client.has_capability("MOVE"):
        client.move([uid], folder)
        return
    client.copy([uid], folder)
    client.delete_messages([uid])
    if client.has_capability("UIDPLUS"):
        client.uid_expunge([uid])
    else:
        client.expunge()
