"""The statutory payment clock (政府契約の支払遅延防止等に関する法律, applied to local
governments by art. 14): pay within 30 days of receiving a proper invoice (40 days for
construction works, art. 6); the days an invoice spends returned as improper, from the return
to the receipt of the corrected invoice, do not count (art. 7).
"""

from __future__ import annotations

import datetime as dt

from service.clock import local_date, today
from storage.models import Department, InvoiceRecord

DAYS_TO_PAY = 30
DAYS_TO_PAY_WORKS = 40


def deadline(received: dt.datetime, *, works: bool, paused_days: int = 0) -> dt.date:
    """The last day to pay an invoice received at ``received``."""
    days = DAYS_TO_PAY_WORKS if works else DAYS_TO_PAY
    return local_date(received) + dt.timedelta(days=days + paused_days)


def paused_days(returned_at: dt.datetime, corrected_received: dt.datetime) -> int:
    """Whole days from the return to the receipt of the corrected invoice (art. 7)."""
    return max(0, (local_date(corrected_received) - local_date(returned_at)).days)


def days_left(payment_deadline: dt.date | None, on: dt.date | None = None) -> int | None:
    """Days until the deadline (negative when overdue)."""
    if payment_deadline is None:
        return None
    return (payment_deadline - (on or today())).days


def effective_works(invoice: InvoiceRecord) -> bool:
    """Construction works (40 days): the invoice's override, else its department's setting."""
    if invoice.works_contract is not None:
        return invoice.works_contract
    return bool(invoice.department and invoice.department.works_contracts)


def payment_deadline(invoice: InvoiceRecord, *, works: bool | None = None) -> dt.date:
    """The statutory deadline from the clock's start, works setting and paused days."""
    started = invoice.clock_started_at or invoice.received_at
    return deadline(
        started,
        works=effective_works(invoice) if works is None else works,
        paused_days=invoice.clock_paused_days,
    )


def start_clock(
    invoice: InvoiceRecord, department: Department, replaced: InvoiceRecord | None
) -> None:
    """Set the deadline of a newly received invoice; a corrected one continues the clock of
    the returned invoice it replaces, without the days it spent returned (art. 7)."""
    if replaced is not None and replaced.returned_at is not None:
        invoice.clock_started_at = replaced.clock_started_at or replaced.received_at
        invoice.clock_paused_days = replaced.clock_paused_days + paused_days(
            replaced.returned_at, invoice.received_at
        )
        invoice.works_contract = replaced.works_contract
    else:
        invoice.clock_started_at = invoice.received_at
        invoice.clock_paused_days = 0
    invoice.department = department
    invoice.payment_deadline = payment_deadline(invoice)
