"""The city's clock: one answer to "what day is it?" for the whole product.

The city lives in Asia/Tokyo. A date a person reads or a law counts (today, a payment day, a
deadline, a delegation's last day) is Tokyo's, whatever zone the machine runs in; instants are
stored in UTC (``storage.models.utcnow``). Code and tests ask here, never the machine.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")


def now() -> dt.datetime:
    """The current instant, as Tokyo's wall-clock time (aware)."""
    return dt.datetime.now(TOKYO)


def today() -> dt.date:
    """Today's date in Tokyo."""
    return now().date()


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar day in Tokyo of an aware instant."""
    return moment.astimezone(TOKYO).date()
