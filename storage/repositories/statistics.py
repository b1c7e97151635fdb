"""The monthly statistics (EBPM), each figure SQL over the caller's ``Scope``.

A month is Tokyo's. Most figures read the pre-aggregated tables that triggers keep current
(``storage.monthly_statistics``): the counts in ``monthly_counts`` (a month costs its
departments' rows, not its invoices), the lead times in ``lead_times``. What joins other
invoices (corrections, resends, refusal rules) or depends on today (invoices now at risk)
is a live aggregate over an index range of the month's few returned or refused invoices,
or of the unpaid ones. The department is the invoice's department now, in both.

**Percentiles** are nearest-rank, the same on every backend: of ``n`` values in ascending
order, the ``p``-th percentile is the value at 1-based rank ``ceil(p * n / 100)`` (so the
median of an even count is the lower middle value), integer arithmetic ``(p * n + 99) / 100``.
From ``lead_times`` the value at that rank is read along an index, after its hour (or day)
bucket is found in the histogram; for the live measures, over ``ROW_NUMBER()``. Every
duration is whole seconds (or whole days) computed the same way on SQLite and PostgreSQL, so
both answer the same number.

**Workload** is counted per department and as a distribution over clerks (how many clerks,
the median and 90th percentile of their approvals). No query here returns a user's id or name
with a count: juryo does not rank named staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement

from storage.models import (
    Approval,
    AuditEvent,
    Batch,
    BatchItem,
    BatchStatus,
    FindingRecord,
    InvoiceRecord,
    InvoiceStatus,
    LeadTime,
    MonthlyCount,
    Role,
    User,
    UserDepartment,
)
from storage.monthly_statistics import BUCKET_SECONDS, DAY_MEASURES, EVERYWHERE, KEY_SEPARATOR
from storage.repositories.invoices import Scope

PLAIN_PROFILES = ("facturx-minimum", "facturx-basic-wl")
"""Factur-X profiles that carry no complete invoice: like a plain PDF, they need data entry."""
UNPAID = (InvoiceStatus.PENDING, InvoiceStatus.APPROVED, InvoiceStatus.EXPORTED)
PERCENTILES = (50, 90)
MEASURED = (
    "received_to_decision",
    "received_to_approved",
    "approved_to_batched",
    "batched_to_paid_days",
    "overdue_days",
)
"""The lead times one invoice row gives alone, kept in ``lead_times``."""
TOKYO_OFFSET_SECONDS = 9 * 3600
"""Japan has kept UTC+9 without daylight saving since 1951."""


class epoch_seconds(FunctionElement[int]):
    """Whole seconds since 1970 of a stored instant (floored), the same on both backends."""

    type = Integer()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


class epoch_day(FunctionElement[int]):
    """Days since 1970-01-01 of a stored date."""

    type = Integer()
    inherit_cache = True


@compiles(epoch_day, "sqlite")
def _day_sqlite(element: epoch_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER) / 86400)"


@compiles(epoch_day, "postgresql")
def _day_postgresql(element: epoch_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} - DATE '1970-01-01')"


def _seconds(later: Any, earlier: Any) -> ColumnElement[int]:
    return epoch_seconds(later) - epoch_seconds(earlier)


def _tokyo_day(instant: Any) -> ColumnElement[int]:
    """Days since 1970 of an instant's date in Tokyo."""
    return (epoch_seconds(instant) + TOKYO_OFFSET_SECONDS) // 86400


@dataclass(frozen=True, slots=True)
class Month:
    """The instants ``[start, end)`` and the dates ``[first_day, last_day]`` of one month."""

    start: dt.datetime
    end: dt.datetime
    first_day: dt.date
    last_day: dt.date

    @property
    def key(self) -> str:
        """``YYYY-MM``, as the pre-aggregated tables name a month."""
        return self.first_day.strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class Cut:
    """Which invoices a figure counts: the caller's scope, narrowed to one department."""

    scope: Scope
    department_id: int | None = None

    @property
    def everything(self) -> bool:
        """Every invoice: a query need not read invoices only to filter them."""
        return self.scope.everything and self.department_id is None

    def condition(self) -> ColumnElement[bool]:
        """The scope and the department, for a query on invoices."""
        if self.department_id is None:
            return self.scope.condition()
        return and_(self.scope.condition(), InvoiceRecord.department_id == self.department_id)


def _counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _received(month: Month, cut: Cut) -> ColumnElement[bool]:
    return and_(
        InvoiceRecord.received_at >= month.start,
        InvoiceRecord.received_at < month.end,
        cut.condition(),
    )


def _departments(cut: Cut, column: Any) -> ColumnElement[bool]:
    """The cut on a pre-aggregated table's ``department_id`` (0: no department). Statistics
    are read by the city's staff only: a supplier's scope sees nothing here."""
    if cut.department_id is not None:
        same: ColumnElement[bool] = column == cut.department_id
        return and_(same, _in_scope(cut.scope, column))
    return _in_scope(cut.scope, column)


def _in_scope(scope: Scope, column: Any) -> ColumnElement[bool]:
    if scope.everything:
        return true()
    if scope.supplier_id is None and scope.department_ids:
        within: ColumnElement[bool] = column.in_(sorted(scope.department_ids))
        return within
    return false()


def _counts(month: Month, cut: Cut, figure: str) -> Select[str, int]:
    """``(key, invoices)`` of one figure in the month, summed over the cut's departments."""
    total = func.sum(MonthlyCount.n)
    return (
        select(MonthlyCount.key, total)
        .where(
            MonthlyCount.month == month.key,
            MonthlyCount.figure == figure,
            _departments(cut, MonthlyCount.department_id),
        )
        .group_by(MonthlyCount.key)
        .having(total > 0)
    )


def volume(
    session: Session, month: Month, cut: Cut
) -> list[tuple[str | None, str, str, bool, int]]:
    """(channel, format, profile, refused at intake, invoices) received in the month."""
    found = []
    for key, n in session.execute(_counts(month, cut, "received")):
        channel, format_, profile, refused = key.split(KEY_SEPARATOR)
        found.append((channel or None, format_, profile, refused == "1", int(n)))
    return found


def plain(format_: str, profile: str) -> bool:
    """A plain PDF (or a Factur-X profile without a full invoice): someone types its data."""
    return format_ == "pdf" or profile in PLAIN_PROFILES


def routing(session: Session, month: Month, cut: Cut) -> list[tuple[str | None, int]]:
    """(routing rule that placed it where it is, invoices) received in the month: ``triage``
    still in central accounting's inbox, ``forwarded`` moved by a clerk or administrator."""
    rows = session.execute(_counts(month, cut, "routing"))
    return [(rule or None, int(n)) for rule, n in rows]


def refusal_rules(
    session: Session, month: Month, cut: Cut, *, limit: int = 10
) -> list[tuple[str, str, str, int]]:
    """(rule id, a message in Japanese, in English, invoices it refused) for the rules that
    refused most of the month's invoices refused at intake."""
    invoices = func.count(func.distinct(FindingRecord.invoice_id))
    rows = session.execute(
        select(
            FindingRecord.rule_id,
            func.min(FindingRecord.message_ja),
            func.min(FindingRecord.message_en),
            invoices,
        )
        .join(InvoiceRecord, InvoiceRecord.id == FindingRecord.invoice_id)
        .where(
            _received(month, cut),
            InvoiceRecord.status == InvoiceStatus.INVALID,
            FindingRecord.severity == "fatal",
        )
        .group_by(FindingRecord.rule_id)
        .order_by(invoices.desc(), FindingRecord.rule_id)
        .limit(limit)
    )
    return [(rule, ja, en, int(n)) for rule, ja, en, n in rows]


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    """One department's month: received, first decisions, payments on time and late, and
    the clerks assigned to it (for invoices per clerk)."""

    department_id: int
    received: int
    decided: int
    paid: int
    paid_on_time: int
    clerks: int


def _per_department(session: Session, month: Month, cut: Cut) -> dict[int, dict[str, int]]:
    """Per department, each figure's count (``paid`` split as ``on_time`` and ``late``)."""
    figures = ("received", "decided", "paid")
    label = case((MonthlyCount.figure == "paid", MonthlyCount.key), else_=MonthlyCount.figure)
    rows = session.execute(
        select(MonthlyCount.department_id, label, func.sum(MonthlyCount.n))
        .where(
            MonthlyCount.month == month.key,
            MonthlyCount.figure.in_(figures),
            MonthlyCount.department_id != 0,
            _departments(cut, MonthlyCount.department_id),
        )
        .group_by(MonthlyCount.department_id, label)
    )
    found: dict[int, dict[str, int]] = {}
    for department, figure, n in rows:
        if n:
            found.setdefault(int(department), {})[str(figure)] = int(n)
    return found


def _clerks(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(UserDepartment.department_id, func.count())
        .join(User, User.id == UserDepartment.user_id)
        .where(User.role == Role.CLERK, User.active.is_(True))
        .group_by(UserDepartment.department_id)
    )
    return {int(d): int(n) for d, n in rows}


def departments(session: Session, month: Month, cut: Cut) -> list[DepartmentRow]:
    """Per department: what came in, what was decided, what was paid and how punctually."""
    found = _per_department(session, month, cut)
    clerks = _clerks(session)
    return [
        DepartmentRow(
            department_id=d,
            received=figures.get("received", 0),
            decided=figures.get("decided", 0),
            paid=figures.get("on_time", 0) + figures.get("late", 0),
            paid_on_time=figures.get("on_time", 0),
            clerks=clerks.get(d, 0),
        )
        for d, figures in sorted(found.items())
    ]


@dataclass(frozen=True, slots=True)
class Risk:
    """Unpaid invoices now: past the statutory deadline, and due within the days asked."""

    overdue: int
    at_risk: int


def risk(session: Session, cut: Cut, *, today: dt.date, soon_until: dt.date) -> Risk:
    """Counted on ``today`` (Tokyo's date), whatever month is shown: these are for acting on."""
    deadline = InvoiceRecord.payment_deadline
    row = session.execute(
        select(
            _counted(deadline < today),
            _counted(and_(deadline >= today, deadline <= soon_until)),
        ).where(cut.condition(), InvoiceRecord.status.in_(UNPAID))
    ).one()
    return Risk(int(row[0]), int(row[1]))


@dataclass(frozen=True, slots=True)
class Corrections:
    """Invoices returned in the month and how many of them a correction replaced; invoices
    refused at intake (with a number) and how many the supplier sent again accepted."""

    returned: int
    corrected: int
    refused: int
    resent: int


CORRECTION: Any = aliased(InvoiceRecord, name="correction")
"""The invoice that replaced a returned one. Made once: an alias made per request costs its
column collections again each time (a tenth of a second at 1M invoices, under load)."""
RESEND: Any = aliased(InvoiceRecord, name="resend")
"""An accepted invoice with a refused one's number."""


def _first_resend(refused: Any) -> ColumnElement[Any]:
    """When the same supplier first sent an accepted invoice with the refused one's number."""
    resend = RESEND
    return (
        select(func.min(resend.received_at))
        .where(
            resend.supplier_id == refused.supplier_id,
            resend.invoice_number == refused.invoice_number,
            resend.status != InvoiceStatus.INVALID,
            resend.received_at > refused.received_at,
        )
        .correlate(refused)
        .scalar_subquery()
    )


def corrections(session: Session, month: Month, cut: Cut) -> Corrections:
    """The supplier's side of acceptance: corrected after a return, resent after a refusal."""
    correction = CORRECTION
    replaced = (
        select(correction.id)
        .where(
            correction.replaces_invoice_id == InvoiceRecord.id,
            correction.status != InvoiceStatus.INVALID,
        )
        .exists()
    )
    returned = session.execute(
        select(func.count(), _counted(replaced)).where(
            InvoiceRecord.returned_at >= month.start,
            InvoiceRecord.returned_at < month.end,
            cut.condition(),
        )
    ).one()
    refused = session.execute(
        select(func.count(), _counted(_first_resend(InvoiceRecord).is_not(None))).where(
            _received(month, cut),
            InvoiceRecord.status == InvoiceStatus.INVALID,
            InvoiceRecord.invoice_number.is_not(None),
        )
    ).one()
    return Corrections(int(returned[0]), int(returned[1]), int(refused[0]), int(refused[1]))


def _durations(month: Month, cut: Cut) -> list[Select[str, int]]:
    """One ``(measure, value)`` select per lead time that joins another invoice (seconds),
    over the month's few returned or refused invoices; the rest are in ``lead_times``."""
    invoice = InvoiceRecord
    in_month = _in(month)
    correction = CORRECTION
    return [
        _measure("returned_to_corrected", _seconds(correction.received_at, invoice.returned_at))
        .select_from(invoice)
        .join(correction, correction.replaces_invoice_id == invoice.id)
        .where(in_month(invoice.returned_at), cut.condition()),
        _measure("refused_to_resent", _seconds(_first_resend(invoice), invoice.received_at)).where(
            _received(month, cut),
            invoice.status == InvoiceStatus.INVALID,
            _first_resend(invoice).is_not(None),
        ),
        _approvals_per_clerk(month, cut),
    ]


def _in(month: Month) -> Any:
    def within(instant: Any) -> ColumnElement[bool]:
        return and_(instant >= month.start, instant < month.end)

    return within


def _measure(name: str, value: ColumnElement[Any]) -> Select[str, int]:
    return select(literal(name, String(24)).label("measure"), cast(value, Integer).label("value"))


def _approvals_per_clerk(month: Month, cut: Cut) -> Select[str, int]:
    """How many approvals each clerk gave in the month, as values without the clerk: the
    distribution of workload, never who did how much. City-wide from ``monthly_counts``;
    for some departments counted from their invoices' approvals."""
    name = literal("approvals_per_clerk", String(24)).label("measure")
    if cut.everything:
        return select(name, cast(MonthlyCount.n, Integer)).where(
            MonthlyCount.month == month.key,
            MonthlyCount.figure == "approvals",
            MonthlyCount.department_id == EVERYWHERE,
            MonthlyCount.n > 0,
        )
    per_clerk = (
        select(func.count().label("approvals"))
        .select_from(Approval)
        .join(InvoiceRecord, InvoiceRecord.id == Approval.invoice_id)
        .where(
            Approval.approved_at >= month.start,
            Approval.approved_at < month.end,
            cut.condition(),
        )
        .group_by(Approval.user_id)
        .subquery()
    )
    return select(name, per_clerk.c.approvals)


@dataclass(frozen=True, slots=True)
class Distribution:
    """How many values a measure had, and its nearest-rank percentiles (None when empty)."""

    count: int
    p50: int | None
    p90: int | None


def distributions(session: Session, month: Month, cut: Cut) -> dict[str, Distribution]:
    """Every lead time (and the approvals per clerk) as count, median and 90th percentile."""
    found = _joined_distributions(session, month, cut)
    for measure in MEASURED:
        found[measure] = _measured(session, month, cut, measure)
    return {m: d for m, d in found.items() if d.count}


def _measured(session: Session, month: Month, cut: Cut, measure: str) -> Distribution:
    """A ``lead_times`` measure: its count and the bucket each percentile falls in from the
    histogram in ``monthly_counts``, then the value at its rank read along the index
    (``measure, month[, department_id], value``), walking that one bucket only."""
    buckets = _histogram(session, month, cut, measure)
    n = sum(count for _, count in buckets)
    if not n:
        return Distribution(0, None, None)
    where = [LeadTime.measure == measure, LeadTime.month == month.key]
    if not cut.everything:
        where.append(_departments(cut, LeadTime.department_id))
    at = []
    for p in PERCENTILES:
        bucket, offset = _locate(buckets, (p * n + 99) // 100)
        value = session.execute(
            select(LeadTime.value)
            .where(*where, LeadTime.value >= _bucket_start(measure, bucket))
            .order_by(LeadTime.value)
            .limit(1)
            .offset(offset)
        ).scalar_one()
        at.append(int(value))
    return Distribution(n, at[0], at[1])


def _histogram(session: Session, month: Month, cut: Cut, measure: str) -> list[tuple[int, int]]:
    """(bucket, values in it) of a measure in the month, in ascending order: the city-wide
    rows for the whole city, else the cut's departments' summed."""
    departments = (
        MonthlyCount.department_id == EVERYWHERE
        if cut.everything
        else _departments(cut, MonthlyCount.department_id)
    )
    rows = session.execute(
        select(MonthlyCount.key, func.sum(MonthlyCount.n))
        .where(MonthlyCount.month == month.key, MonthlyCount.figure == measure, departments)
        .group_by(MonthlyCount.key)
    )
    return sorted((int(key), int(n)) for key, n in rows if n)


def _locate(buckets: list[tuple[int, int]], rank: int) -> tuple[int, int]:
    """The bucket holding the 1-based ``rank``, and the rank's 0-based offset inside it."""
    below = 0
    for bucket, count in buckets:
        if rank <= below + count:
            return bucket, rank - below - 1
        below += count
    raise ValueError(f"rank {rank} beyond {below} values")


def _bucket_start(measure: str, bucket: int) -> int:
    """The least value in a bucket (SQL's integer division truncates toward zero, so bucket 0
    also holds the negative values above -1 hour)."""
    if measure in DAY_MEASURES:
        return bucket
    return bucket * BUCKET_SECONDS if bucket > 0 else bucket * BUCKET_SECONDS - BUCKET_SECONDS + 1


def _joined_distributions(session: Session, month: Month, cut: Cut) -> dict[str, Distribution]:
    """The measures that join other rows, in one statement: nearest-rank over
    ``ROW_NUMBER()`` (see the module docstring)."""
    values = union_all(*_durations(month, cut)).subquery()
    ranked = select(
        values.c.measure,
        values.c.value,
        func.row_number()
        .over(partition_by=values.c.measure, order_by=values.c.value)
        .label("rank"),
        func.count().over(partition_by=values.c.measure).label("n"),
    ).subquery()
    wanted = [ranked.c.rank == (p * ranked.c.n + 99) // 100 for p in PERCENTILES]
    rows = session.execute(
        select(ranked.c.measure, ranked.c.n, *(case((w, ranked.c.value)) for w in wanted)).where(
            or_(*wanted)
        )
    )
    found: dict[str, dict[str, int | None]] = {}
    for measure, n, *cuts in rows:
        entry = found.setdefault(measure, {"count": int(n), "p50": None, "p90": None})
        for p, value in zip(PERCENTILES, cuts, strict=True):
            if value is not None:
                entry[f"p{p}"] = int(value)
    return {m: Distribution(int(e["count"] or 0), e["p50"], e["p90"]) for m, e in found.items()}


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """The definition the SQL follows, in Python: for tests and readers."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(percent * len(ordered) + 99) // 100 - 1]


DECISIONS = ("invoice.approve", "invoice.approve.first", "invoice.return", "invoice.reject")
"""The audit actions that are a clerk's decision on an invoice (a forward is routing)."""


def _first_event(actions: Sequence[str]) -> ColumnElement[Any]:
    return (
        select(func.min(AuditEvent.occurred_at))
        .where(
            AuditEvent.entity_type == "invoice",
            AuditEvent.entity_id == cast(InvoiceRecord.id, String(64)),
            AuditEvent.action.in_(list(actions)),
        )
        .correlate(InvoiceRecord)
        .scalar_subquery()
    )


def rebuild_from_audit(session: Session) -> tuple[int, int, int]:
    """Fill ``first_decided_at`` and ``approved_at`` where they are missing (invoices decided
    before juryo recorded them) from the audit log, which has every decision with its time,
    and ``batched_at`` from the batch holding the invoice. Returns how many invoices got each.
    Safe to run again: it touches only NULLs."""
    counts = []
    for column, actions in (
        (InvoiceRecord.first_decided_at, DECISIONS),
        (InvoiceRecord.approved_at, ("invoice.approve",)),
    ):
        found = _first_event(actions)
        result = session.execute(
            update(InvoiceRecord)
            .where(column.is_(None), found.is_not(None))
            .values({column.key: found})
            .execution_options(synchronize_session=False)
        )
        counts.append(int(getattr(result, "rowcount", 0)))
    batched = (
        select(Batch.created_at)
        .join(BatchItem, BatchItem.batch_id == Batch.id)
        .where(BatchItem.invoice_id == InvoiceRecord.id, Batch.status != BatchStatus.CANCELLED)
        .correlate(InvoiceRecord)
        .scalar_subquery()
    )
    result = session.execute(
        update(InvoiceRecord)
        .where(InvoiceRecord.batched_at.is_(None), batched.is_not(None))
        .values(batched_at=batched)
        .execution_options(synchronize_session=False)
    )
    counts.append(int(getattr(result, "rowcount", 0)))
    return counts[0], counts[1], counts[2]
