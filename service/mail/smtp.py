"""The SMTP listener behind the city's mail gateway (``juryo mail serve``).

The gateway relays the city's invoice address here; juryo answers ``250`` only after the mail
is stored and recorded (so a crash before it makes the gateway deliver again, which is
idempotent), and ``451`` on a passing failure (the gateway retries). The size limit is
advertised (``SIZE``) and enforced while DATA streams in; the bytes over it are discarded as
they come, and the refusal is recorded. Reading and intake are blocking work: they run in a
worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, AnyStr

from aiosmtpd.smtp import SMTP, Envelope, Session

from service.mail.service import receive_mail, refuse_oversize
from service.runtime import Runtime

log = logging.getLogger(__name__)

TOO_MUCH = "552 Error: Too much mail data"
REFUSED_SIZE = "552 5.3.4 Message too big for the city's invoice address; it was not kept"
ACCEPTED = "250 2.0.0 Received (mail {mail_id}: {status})"
TRY_LATER = "451 4.3.0 Temporary failure; please try again later"


class MailHandler:
    """aiosmtpd's handler: every relayed mail to intake, off the loop."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            outcome = await asyncio.to_thread(
                receive_mail, self.runtime, raw, envelope_from=envelope.mail_from
            )
        except Exception:
            log.exception("mail not received; the gateway will retry")
            return TRY_LATER
        return ACCEPTED.format(mail_id=outcome.mail_id, status=outcome.status.value)


class Listener(SMTP):
    """aiosmtpd's SMTP with the oversize refusal recorded and worded for the sender."""

    def __init__(self, handler: MailHandler, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.mail_handler = handler

    async def push(self, status: AnyStr) -> None:
        if isinstance(status, str) and status == TOO_MUCH and self.envelope is not None:
            runtime = self.mail_handler.runtime
            try:
                await asyncio.to_thread(
                    refuse_oversize,
                    runtime,
                    envelope_from=self.envelope.mail_from,
                    size=runtime.settings.mail_max_bytes + 1,
                )
            except Exception:
                log.exception("oversize refusal not recorded")
            await super().push(REFUSED_SIZE)
            return
        await super().push(status)


def listener_factory(runtime: Runtime) -> Listener:
    """One protocol per connection, with the size limit from the settings."""
    return Listener(
        MailHandler(runtime),
        data_size_limit=runtime.settings.mail_max_bytes,
        enable_SMTPUTF8=True,
        decode_data=False,
        ident="juryo",
        loop=asyncio.get_running_loop(),
    )


async def serve(runtime: Runtime, host: str, port: int, started: threading.Event | None) -> None:
    """Listen until cancelled; ``started`` is set once the port accepts connections."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: listener_factory(runtime), host=host, port=port)
    if started is not None:
        started.set()
    async with server:
        await server.serve_forever()


@contextmanager
def running(runtime: Runtime, host: str, port: int) -> Iterator[None]:
    """The listener in a thread of this process (tests, and embedding), stopped on exit."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    task: asyncio.Task[None] | None = None

    def run() -> None:
        nonlocal task
        task = loop.create_task(serve(runtime, host, port, started))
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            pass

    thread = threading.Thread(target=run, name="juryo-smtp", daemon=True)
    thread.start()
    if not started.wait(timeout=10):
        raise RuntimeError(f"the SMTP listener did not start on {host}:{port}")
    try:
        yield
    finally:
        assert task is not None
        loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=10)
        loop.close()
