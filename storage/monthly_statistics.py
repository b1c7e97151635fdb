"""The monthly statistics' pre-aggregated tables, and the triggers that keep them current.

What one invoice row (and one approval) adds to the statistics is written once, below, as SQL
over a relation ``r`` with the row's columns:

- ``monthly_counts`` (month, figure, department, key) → how many: what came in (by channel,
  format, profile and whether refused at intake), by which routing rule, first decisions,
  payments on time or late; each lead time's histogram (per hour, or per day for a measure
  in days); and each clerk's approvals city-wide (only ever read as a distribution, never
  shown per clerk). A month is Tokyo's; ``department_id`` 0 stands for "none" and -1 for the
  city-wide rows of the histograms and approvals.
- ``lead_times``: one row per invoice and measured duration, keyed by the month its step
  ended in. A percentile finds its bucket in the histogram, then walks only that bucket along
  ``(measure, month[, department_id], value)``: exact nearest rank, without sorting the
  month.

**Kept current by triggers on ``invoices`` and ``approvals``** (after insert, update of a
column read here, and delete), in the statement that changes the row, so in its transaction:
a rolled-back change leaves the tables as they were, and every writer is covered, bulk
``UPDATE``\\ s included (batches, payments, ``juryo stats rebuild``). A trigger subtracts what
the old row added and adds what the new row adds in one guarded upsert (``n = n +
excluded.n``): never read-then-write, so concurrent changes add up. ``refill`` computes the
same from scratch with the same SQL over the whole tables; migration 0021 ran it, and
``juryo stats rebuild`` runs it again.

Figures that join other rows (corrections, resends, refusal rules, a department's approvals) or
depend on today (invoices now at risk) stay live queries over small, indexed sets
(``storage.repositories.statistics``).

**Caveat for migrations:** SQLite drops a table's triggers when Alembic's batch mode
recreates the table. A later migration that recreates ``invoices`` or ``approvals`` on SQLite
must call ``create_triggers`` again; ``tests/storage/test_monthly_statistics.py`` checks they
exist at head.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, text

COLUMNS = (
    "id",
    "department_id",
    "status",
    "channel",
    "format",
    "profile",
    "routing_rule",
    "received_at",
    "first_decided_at",
    "approved_at",
    "batched_at",
    "paid_on",
    "payment_deadline",
)
"""The invoice columns the tables are computed from: a change to any other fires nothing."""
EVERYWHERE = -1
"""The ``department_id`` of the city-wide rows of a lead time's histogram and of approvals."""
BUCKET_SECONDS = 3600
"""A lead time in seconds is counted per hour (``value / 3600``, truncated) in
``monthly_counts``; one in days per day. A percentile finds its bucket there and walks only
that bucket's values in ``lead_times``."""
DAY_MEASURES = ("batched_to_paid_days", "overdue_days")
_bucket = (
    f"CAST(CASE WHEN l.measure IN {DAY_MEASURES!r} THEN l.value "
    f"ELSE l.value / {BUCKET_SECONDS} END AS VARCHAR(24))"
)
KEY_SEPARATOR = "|"
"""Joins the parts of a ``received`` key: channel ('' if unrecorded), format, profile, refused."""


class Dialect:
    """The few expressions SQLite and PostgreSQL spell differently, identical in value to
    ``storage.repositories.statistics.epoch_seconds`` / ``epoch_day``."""

    def __init__(
        self,
        month_of_instant: Callable[[str], str],
        month_of_date: Callable[[str], str],
        seconds: Callable[[str], str],
        day: Callable[[str], str],
    ) -> None:
        self.month_of_instant = month_of_instant
        self.month_of_date = month_of_date
        self.seconds = seconds
        self.day = day

    def tokyo_day(self, instant: str) -> str:
        """Days since 1970 of an instant's date in Tokyo (UTC+9, no daylight saving)."""
        return f"(({self.seconds(instant)} + 32400) / 86400)"


SQLITE = Dialect(
    month_of_instant=lambda x: f"strftime('%Y-%m', {x}, '+9 hours')",
    month_of_date=lambda d: f"strftime('%Y-%m', {d})",
    seconds=lambda x: f"CAST(strftime('%s', {x}) AS INTEGER)",
    day=lambda d: f"(CAST(strftime('%s', {d}) AS INTEGER) / 86400)",
)
POSTGRESQL = Dialect(
    month_of_instant=lambda x: f"to_char({x} AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM')",
    month_of_date=lambda d: f"to_char({d}, 'YYYY-MM')",
    seconds=lambda x: f"CAST(FLOOR(EXTRACT(EPOCH FROM {x})) AS BIGINT)",
    day=lambda d: f"({d} - DATE '1970-01-01')",
)


def dialect_of(connection: Connection) -> Dialect:
    """The spelling for this connection's database."""
    return POSTGRESQL if connection.dialect.name == "postgresql" else SQLITE


def counts(d: Dialect, r: str) -> str:
    """(month, department_id, figure, key) once per figure the rows of ``r`` count in."""
    department = "COALESCE(r.department_id, 0)"
    refused = "CASE WHEN r.status = 'invalid' THEN '1' ELSE '0' END"
    sep = f"'{KEY_SEPARATOR}'"
    return f"""
        SELECT {d.month_of_instant("r.received_at")} AS month, {department} AS department_id,
               'received' AS figure,
               COALESCE(r.channel, '') || {sep} || r.format || {sep} || r.profile || {sep}
               || {refused} AS key
        FROM {r}
        UNION ALL
        SELECT {d.month_of_instant("r.received_at")}, {department}, 'routing',
               COALESCE(r.routing_rule, '')
        FROM {r} WHERE r.status <> 'invalid'
        UNION ALL
        SELECT {d.month_of_instant("r.first_decided_at")}, {department}, 'decided', ''
        FROM {r} WHERE r.first_decided_at IS NOT NULL
        UNION ALL
        SELECT {d.month_of_date("r.paid_on")}, {department}, 'paid',
               CASE WHEN r.paid_on <= r.payment_deadline THEN 'on_time' ELSE 'late' END
        FROM {r} WHERE r.paid_on IS NOT NULL
        UNION ALL
        SELECT l.month, l.department_id, l.measure, {_bucket} FROM ({lead_times(d, r)}) AS l
        UNION ALL
        SELECT l.month, {EVERYWHERE}, l.measure, {_bucket} FROM ({lead_times(d, r)}) AS l"""


def approval_counts(d: Dialect, r: str) -> str:
    """(month, department_id, figure, key) of approvals ``r``: each clerk's approvals in the
    month, city-wide, for the distribution of workload (never shown per clerk)."""
    return f"""
        SELECT {d.month_of_instant("r.approved_at")} AS month, {EVERYWHERE} AS department_id,
               'approvals' AS figure, CAST(r.user_id AS VARCHAR(24)) AS key
        FROM {r}"""


def lead_times(d: Dialect, r: str) -> str:
    """(invoice_id, measure, month, department_id, value) once per step the rows of ``r``
    have ended; seconds, or whole days for a measure whose name ends in ``_days``."""
    department = "COALESCE(r.department_id, 0)"
    s = d.seconds
    return f"""
        SELECT r.id AS invoice_id, 'received_to_decision' AS measure,
               {d.month_of_instant("r.first_decided_at")} AS month, {department} AS department_id,
               {s("r.first_decided_at")} - {s("r.received_at")} AS value
        FROM {r} WHERE r.first_decided_at IS NOT NULL
        UNION ALL
        SELECT r.id, 'received_to_approved', {d.month_of_instant("r.approved_at")}, {department},
               {s("r.approved_at")} - {s("r.received_at")}
        FROM {r} WHERE r.approved_at IS NOT NULL
        UNION ALL
        SELECT r.id, 'approved_to_batched', {d.month_of_instant("r.batched_at")}, {department},
               {s("r.batched_at")} - {s("r.approved_at")}
        FROM {r} WHERE r.batched_at IS NOT NULL AND r.approved_at IS NOT NULL
        UNION ALL
        SELECT r.id, 'batched_to_paid_days', {d.month_of_date("r.paid_on")}, {department},
               {d.day("r.paid_on")} - {d.tokyo_day("r.batched_at")}
        FROM {r} WHERE r.paid_on IS NOT NULL AND r.batched_at IS NOT NULL
        UNION ALL
        SELECT r.id, 'overdue_days', {d.month_of_date("r.paid_on")}, {department},
               {d.day("r.paid_on")} - {d.day("r.payment_deadline")}
        FROM {r} WHERE r.paid_on IS NOT NULL AND r.paid_on > r.payment_deadline"""


@dataclass(frozen=True)
class Source:
    """A table whose rows add to the statistics: the columns read, and what a row adds."""

    table: str
    columns: tuple[str, ...]
    counts: Callable[[Dialect, str], str]
    measured: bool
    """Whether its rows also have lead times (one per step, deleted by ``invoice_id``)."""

    def row(self, prefix: str) -> str:
        """The trigger's old or new row as a one-row relation ``r``."""
        columns = ", ".join(f"{prefix}.{c} AS {c}" for c in self.columns)
        return f"(SELECT {columns}) AS r"

    def bodies(self, d: Dialect) -> dict[str, list[str]]:
        """Each trigger's statements, by event."""
        old, new = self.row("OLD"), self.row("NEW")
        forget = ["DELETE FROM lead_times WHERE invoice_id = OLD.id"] if self.measured else []
        add = [_add_lead_times(d, new)] if self.measured else []
        return {
            "INSERT": [_add_counts(d, self.counts, [(new, 1)]), *add],
            "UPDATE": [_add_counts(d, self.counts, [(old, -1), (new, 1)]), *forget, *add],
            "DELETE": [_add_counts(d, self.counts, [(old, -1)]), *forget],
        }

    def name(self, event: str) -> str:
        return f"statistics_{self.table}_{event.lower()}"


SOURCES = (
    Source("invoices", COLUMNS, counts, measured=True),
    Source("approvals", ("user_id", "approved_at"), approval_counts, measured=False),
)
TRIGGERS = tuple(source.name(e) for source in SOURCES for e in ("INSERT", "UPDATE", "DELETE"))


def _add_counts(
    d: Dialect, counted: Callable[[Dialect, str], str], signed: list[tuple[str, int]]
) -> str:
    """One guarded upsert adding each relation's counts with its sign (-1 old, +1 new), in
    the key's order: two transactions lock the rows they share in the same order."""
    parts = " UNION ALL ".join(
        f"SELECT c.month, c.department_id, c.figure, c.key, {sign} AS n FROM ({counted(d, r)}) c"
        for r, sign in signed
    )
    return f"""
        INSERT INTO monthly_counts (month, department_id, figure, key, n)
        SELECT month, department_id, figure, key, SUM(n) FROM ({parts}) AS changes
        WHERE true GROUP BY month, department_id, figure, key HAVING SUM(n) <> 0
        ORDER BY month, figure, department_id, key
        ON CONFLICT (month, department_id, figure, key)
        DO UPDATE SET n = monthly_counts.n + excluded.n"""


def _add_lead_times(d: Dialect, r: str) -> str:
    return (
        "INSERT INTO lead_times (invoice_id, measure, month, department_id, value) "
        f"SELECT * FROM ({lead_times(d, r)}) AS measured"
    )


def _sqlite_triggers(source: Source) -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in source.columns)
    made = []
    for event, body in source.bodies(SQLITE).items():
        when = f" WHEN {changed}" if event == "UPDATE" else ""
        statements = "".join(f"{s};\n" for s in body)
        made.append(
            f"CREATE TRIGGER {source.name(event)} AFTER {event} ON {source.table} "
            f"FOR EACH ROW{when}\nBEGIN\n{statements}END"
        )
    return made


def _postgresql_triggers(source: Source) -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in source.columns)
    made = []
    for event, body in source.bodies(POSTGRESQL).items():
        name = source.name(event)
        statements = "".join(f"{s};\n" for s in body)
        returned = "OLD" if event == "DELETE" else "NEW"
        made.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{statements}RETURN {returned};\nEND\n$$"
        )
        when = f" WHEN ({changed})" if event == "UPDATE" else ""
        made.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {source.table} FOR EACH ROW{when} "
            f"EXECUTE FUNCTION {name}()"
        )
    return made


def create_triggers(connection: Connection) -> None:
    """Make the triggers that keep the tables current (the migration, and any later one
    that recreates ``invoices`` or ``approvals`` on SQLite)."""
    make = _postgresql_triggers if connection.dialect.name == "postgresql" else _sqlite_triggers
    for source in SOURCES:
        for statement in make(source):
            connection.execute(text(statement))


def drop_triggers(connection: Connection) -> None:
    """Undo ``create_triggers``."""
    for source in SOURCES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = source.name(event)
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {source.table}"))
                connection.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
            else:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def refill(connection: Connection) -> tuple[int, int]:
    """Compute both tables again from every invoice and approval, set-based; returns (count
    rows, lead times). On PostgreSQL the sources are share-locked meanwhile, so that no change
    lands between the empty tables and their refill; SQLite's writer lock does the same."""
    d = dialect_of(connection)
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE invoices, approvals IN SHARE MODE"))
    connection.execute(text("DELETE FROM monthly_counts"))
    connection.execute(text("DELETE FROM lead_times"))
    made = 0
    for source in SOURCES:
        result = connection.execute(
            text(
                "INSERT INTO monthly_counts (month, department_id, figure, key, n) "
                "SELECT month, department_id, figure, key, COUNT(*) "
                f"FROM ({source.counts(d, f'{source.table} r')}) AS c "
                "GROUP BY month, department_id, figure, key"
            )
        )
        made += int(getattr(result, "rowcount", 0))
    measured = connection.execute(text(_add_lead_times(d, "invoices r")))
    return made, int(getattr(measured, "rowcount", 0))
