"""The invoice an upload is answered with, loaded whole in the worker thread that received it.

A new invoice was built in the request's session and is whole. A repeated submission finds the
earlier invoice with only its columns loaded; rendering its findings or department would
lazy-load them in the write session, which on SQLite takes the write lock again just to read,
and on the event loop's thread stalled every request while it waited for that lock.
"""

from __future__ import annotations

from service.auth.principal import Principal
from service.errors import NotFound
from service.intake.service import Received
from service.runtime import Runtime
from storage.models import InvoiceRecord
from storage.repositories import invoices as repo


def answered(runtime: Runtime, caller: Principal, received: Received) -> InvoiceRecord:
    """The received invoice with everything an answer shows; call it off the event loop."""
    if received.created:
        return received.invoice
    with runtime.read_sessions() as session:
        earlier = repo.visible(session, caller.scope, received.invoice.id)
    if earlier is None:  # the caller's own invoice, just found: only a concurrent purge
        raise NotFound(f"no invoice {received.invoice.id}")
    return earlier
