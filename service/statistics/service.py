"""One month's statistics on invoice receipt (EBPM), in the caller's scope.

Every figure is computed in SQL (``storage.repositories.statistics``, mostly from the monthly
tables that triggers keep current: ``storage.monthly_statistics``); this module only names
the month, checks the department asked for, and puts the aggregates into the shapes the API,
the page and the open data share. Where each lead time comes from:

- received → first decision: ``received_at`` → ``first_decided_at`` (a clerk's first
  approval, return or rejection; set in the deciding UPDATE);
- received → approved: ``received_at`` → ``approved_at`` (set by the approving UPDATE);
- approved → batched: ``approved_at`` → ``batched_at`` (set when the payment batch now
  holding it took it; cleared if that batch is cancelled);
- batched → paid: the day (Tokyo) of ``batched_at`` → ``paid_on``, in whole days;
- returned to the supplier: the return (``returned_at``) → the receipt of the correction,
  over the invoices returned in the month that have been corrected;
- refused → resent: a refused invoice's receipt → the same supplier's first accepted invoice
  with the same number.

A lead time counts the invoices whose step **ended** in the month, so a past month's figure
does not change as later steps happen; the exception is the time spent returned, counted for
the month of the return (like the share corrected), which grows as corrections come in.

**Workload is shown only as aggregates.** Per department, and as a distribution over clerks
(how many approved, the median and 90th percentile of their approvals): no figure names a
person, and nothing ranks named staff. Keep it so: these figures are about routing and
staffing, not about individuals.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy.orm import Session

from service import clock
from service.errors import BadRequest, NotFound
from service.statistics.schemas import (
    Acceptance,
    Count,
    DepartmentPayment,
    DepartmentWorkload,
    LeadTime,
    Payment,
    RefusalRule,
    Share,
    Statistics,
    Volume,
    Workload,
)
from storage.repositories import organisation
from storage.repositories import statistics as repo
from storage.repositories.invoices import Scope
from storage.repositories.statistics import Cut, Distribution, Month

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
AT_RISK_DAYS = 7
LEAD_TIMES = (
    "received_to_decision",
    "received_to_approved",
    "approved_to_batched",
    "batched_to_paid_days",
    "returned_to_corrected",
    "refused_to_resent",
)
"""The lead times in the order shown; a name ending in ``_days`` is counted in whole days."""
UNRECORDED = "unrecorded"
Groups = list[tuple[str | None, str, str, bool, int]]
"""``repo.volume``: (channel, format, profile, refused, invoices)."""


def month_of(text: str) -> Month:
    """``YYYY-MM`` as Tokyo's month: its instants (UTC) and its dates."""
    found = MONTH.match(text.strip())
    if found is None:
        raise BadRequest("month must be YYYY-MM, e.g. 2026-11")
    year, number = int(found.group(1)), int(found.group(2))
    if year < 2000:
        raise BadRequest("month must be YYYY-MM, e.g. 2026-11")
    first = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return Month(
        start=_midnight(first),
        end=_midnight(following),
        first_day=first,
        last_day=following - dt.timedelta(days=1),
    )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), clock.TOKYO).astimezone(dt.UTC)


def year_before(text: str) -> str:
    """The same month a year earlier, for the comparison."""
    year, number = text.split("-")
    return f"{int(year) - 1:04d}-{number}"


def this_month() -> str:
    """Tokyo's current month."""
    return clock.today().strftime("%Y-%m")


def _cut(session: Session, scope: Scope, department: str | None) -> Cut:
    """The caller's scope, narrowed to ``department`` if one is asked for; a department the
    caller may not see is answered like one that does not exist."""
    if not department:
        return Cut(scope)
    found = organisation.department_by_code(session, department.strip())
    if found is None or not (scope.everything or found.id in scope.department_ids):
        raise NotFound(f"no department {department}")
    return Cut(scope, found.id)


def _share(part: int, whole: int) -> Share:
    return Share(part=part, whole=whole, share=round(part / whole, 4) if whole else None)


def _counts(pairs: Iterable[tuple[str, int]]) -> list[Count]:
    summed: dict[str, int] = defaultdict(int)
    for key, invoices in pairs:
        summed[key] += invoices
    return [Count(key=k, invoices=n) for k, n in sorted(summed.items(), key=lambda kv: -kv[1])]


def _days(value: int | None, measure: str) -> float | None:
    if value is None:
        return None
    return float(value) if measure.endswith("_days") else round(value / 86400, 1)


def _lead_times(found: dict[str, Distribution]) -> list[LeadTime]:
    empty = Distribution(0, None, None)
    return [
        LeadTime(
            measure=m,
            count=found.get(m, empty).count,
            median_days=_days(found.get(m, empty).p50, m),
            p90_days=_days(found.get(m, empty).p90, m),
        )
        for m in LEAD_TIMES
    ]


def statistics(
    session: Session, *, scope: Scope, month: str, department: str | None = None
) -> Statistics:
    """The month's figures in the caller's ``scope`` (a clerk's: its departments' only)."""
    period = month_of(month)
    cut = _cut(session, scope, department)
    codes = {d.id: d.code for d in organisation.list_departments(session)}
    rows = repo.departments(session, period, cut)
    groups = repo.volume(session, period, cut)
    found = repo.distributions(session, period, cut)
    return Statistics(
        month=month.strip(),
        department=department.strip() if department else None,
        volume=_volume(groups, rows, codes),
        acceptance=_acceptance(session, period, cut, groups),
        lead_times=_lead_times(found),
        payment=_payment(session, cut, rows, codes, found),
        workload=_workload(session, period, cut, rows, codes, found),
    )


def _volume(groups: Groups, rows: list[repo.DepartmentRow], codes: dict[int, str]) -> Volume:
    received = sum(n for *_, n in groups)
    structured = sum(n for _, f, p, _, n in groups if not repo.plain(f, p))
    return Volume(
        received=received,
        by_channel=_counts((c or UNRECORDED, n) for c, *_, n in groups),
        by_format=_counts((f"{f}/{p}", n) for _, f, p, _, n in groups),
        by_department=_counts((codes[r.department_id], r.received) for r in rows if r.received),
        structured=_share(structured, received),
    )


def _acceptance(session: Session, period: Month, cut: Cut, groups: Groups) -> Acceptance:
    refused = sum(n for *_, was_refused, n in groups if was_refused)
    fixed = repo.corrections(session, period, cut)
    return Acceptance(
        refused=_share(refused, sum(n for *_, n in groups)),
        top_rules=[
            RefusalRule(rule_id=r, message_ja=ja, message_en=en, invoices=n)
            for r, ja, en, n in repo.refusal_rules(session, period, cut)
        ],
        corrected=_share(fixed.corrected, fixed.returned),
        resent=_share(fixed.resent, fixed.refused),
    )


def _payment(
    session: Session,
    cut: Cut,
    rows: list[repo.DepartmentRow],
    codes: dict[int, str],
    found: dict[str, Distribution],
) -> Payment:
    today = clock.today()
    now = repo.risk(session, cut, today=today, soon_until=today + dt.timedelta(days=AT_RISK_DAYS))
    paid = [r for r in rows if r.paid]
    late = found.get("overdue_days", Distribution(0, None, None))
    return Payment(
        on_time=_share(sum(r.paid_on_time for r in paid), sum(r.paid for r in paid)),
        by_department=[
            DepartmentPayment(
                department=codes[r.department_id],
                paid=r.paid,
                on_time=_share(r.paid_on_time, r.paid),
            )
            for r in paid
        ],
        overdue_now=now.overdue,
        at_risk_now=now.at_risk,
        paid_late=late.count,
        overdue_days_median=late.p50,
        overdue_days_p90=late.p90,
    )


def _workload(
    session: Session,
    period: Month,
    cut: Cut,
    rows: list[repo.DepartmentRow],
    codes: dict[int, str],
    found: dict[str, Distribution],
) -> Workload:
    clerks = found.get("approvals_per_clerk", Distribution(0, None, None))
    return Workload(
        by_department=[
            DepartmentWorkload(
                department=codes[r.department_id],
                received=r.received,
                decided=r.decided,
                clerks=r.clerks,
                invoices_per_clerk=round(r.received / r.clerks, 1) if r.clerks else None,
            )
            for r in rows
        ],
        clerks_approving=clerks.count,
        approvals_per_clerk_median=clerks.p50,
        approvals_per_clerk_p90=clerks.p90,
        routing=_counts((rule or UNRECORDED, n) for rule, n in repo.routing(session, period, cut)),
    )
