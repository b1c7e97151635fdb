"""The monthly statistics' pre-aggregated tables, and the triggers that keep them current.

What one invoice row adds to the statistics is written once, below, as SQL over a relation
``r`` with the invoice's columns:

- ``monthly_counts`` (month, department, figure, key) → invoices: what came in (by channel,
  format, profile and whether refused at intake), by which routing rule, first decisions, and
  payments on time or late. A month is Tokyo's; ``department_id`` 0 stands for "none".
- ``lead_times``: one row per invoice and measured duration, keyed by the month its step
  ended in, so a percentile is an index walk (``ORDER BY value LIMIT 1 OFFSET rank - 1``)
  instead of a sort of the month's invoices.

**Kept current by triggers on ``invoices``** (after insert, update of a column read here, and
delete), in the statement that changes the row, so in its transaction: a rolled-back change
leaves the tables as they were, and every writer is covered, bulk ``UPDATE``\\ s included
(batches, payments, ``juryo stats rebuild``). A trigger subtracts what the old row added and
adds what the new row adds in one guarded upsert (``n = n + excluded.n``): never
read-then-write, so concurrent changes add up. ``refill`` computes the same from scratch,
with the same SQL over the whole ``invoices`` table; the migration that made the tables ran
it, and ``juryo stats rebuild`` runs it again.

Figures that join other rows (corrections, resends, refusal rules, approvals per clerk) or
depend on today (invoices now at risk) stay live queries over small, indexed sets
(``storage.repositories.statistics``).

**Caveat for migrations:** SQLite drops a table's triggers when Alembic's batch mode
recreates the table. A later migration that recreates ``invoices`` on SQLite must call
``create_triggers`` again; ``tests/storage/test_migrations.py`` checks they exist at head.
"""

from __future__ import annotations

from collections.abc import Callable

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
TRIGGERS = ("statistics_invoice_insert", "statistics_invoice_update", "statistics_invoice_delete")
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
        FROM {r} WHERE r.paid_on IS NOT NULL"""


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


def _row(prefix: str) -> str:
    """The trigger's old or new row as a one-row relation ``r``."""
    columns = ", ".join(f"{prefix}.{c} AS {c}" for c in COLUMNS)
    return f"(SELECT {columns}) AS r"


def _add_counts(d: Dialect, signed: list[tuple[str, int]]) -> str:
    """One guarded upsert adding each relation's counts with its sign (-1 old, +1 new)."""
    parts = " UNION ALL ".join(
        f"SELECT c.month, c.department_id, c.figure, c.key, {sign} AS n FROM ({counts(d, r)}) c"
        for r, sign in signed
    )
    return f"""
        INSERT INTO monthly_counts (month, department_id, figure, key, n)
        SELECT month, department_id, figure, key, SUM(n) FROM ({parts}) AS changes
        WHERE true GROUP BY month, department_id, figure, key HAVING SUM(n) <> 0
        ON CONFLICT (month, department_id, figure, key)
        DO UPDATE SET n = monthly_counts.n + excluded.n"""


def _add_lead_times(d: Dialect, r: str) -> str:
    return (
        "INSERT INTO lead_times (invoice_id, measure, month, department_id, value) "
        f"SELECT * FROM ({lead_times(d, r)}) AS measured"
    )


def _bodies(d: Dialect) -> dict[str, list[str]]:
    """Each trigger's statements."""
    old, new = _row("OLD"), _row("NEW")
    forget = "DELETE FROM lead_times WHERE invoice_id = OLD.id"
    return {
        "statistics_invoice_insert": [_add_counts(d, [(new, 1)]), _add_lead_times(d, new)],
        "statistics_invoice_update": [
            _add_counts(d, [(old, -1), (new, 1)]),
            forget,
            _add_lead_times(d, new),
        ],
        "statistics_invoice_delete": [_add_counts(d, [(old, -1)]), forget],
    }


EVENTS = {
    "statistics_invoice_insert": "INSERT",
    "statistics_invoice_update": "UPDATE",
    "statistics_invoice_delete": "DELETE",
}


def _sqlite_triggers() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COLUMNS)
    made = []
    for name, body in _bodies(SQLITE).items():
        when = f" WHEN {changed}" if EVENTS[name] == "UPDATE" else ""
        statements = "".join(f"{s};\n" for s in body)
        made.append(
            f"CREATE TRIGGER {name} AFTER {EVENTS[name]} ON invoices FOR EACH ROW{when}\n"
            f"BEGIN\n{statements}END"
        )
    return made


def _postgresql_triggers() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COLUMNS)
    made = []
    for name, body in _bodies(POSTGRESQL).items():
        statements = "".join(f"{s};\n" for s in body)
        returned = "OLD" if EVENTS[name] == "DELETE" else "NEW"
        made.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{statements}RETURN {returned};\nEND\n$$"
        )
        when = f" WHEN ({changed})" if EVENTS[name] == "UPDATE" else ""
        made.append(
            f"CREATE TRIGGER {name} AFTER {EVENTS[name]} ON invoices FOR EACH ROW{when} "
            f"EXECUTE FUNCTION {name}()"
        )
    return made


def create_triggers(connection: Connection) -> None:
    """Make the triggers that keep the tables current (the migration, and any later one
    that recreates ``invoices`` on SQLite)."""
    postgresql = connection.dialect.name == "postgresql"
    for statement in _postgresql_triggers() if postgresql else _sqlite_triggers():
        connection.execute(text(statement))


def drop_triggers(connection: Connection) -> None:
    """Undo ``create_triggers``."""
    for name in TRIGGERS:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON invoices"))
            connection.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
        else:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def refill(connection: Connection) -> tuple[int, int]:
    """Compute both tables again from every invoice, set-based; returns (count rows, lead
    times). On PostgreSQL the invoices are share-locked meanwhile, so that no change lands
    between the empty tables and their refill; SQLite's writer lock does the same."""
    d = dialect_of(connection)
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE invoices IN SHARE MODE"))
    connection.execute(text("DELETE FROM monthly_counts"))
    connection.execute(text("DELETE FROM lead_times"))
    made = connection.execute(
        text(
            "INSERT INTO monthly_counts (month, department_id, figure, key, n) "
            f"SELECT month, department_id, figure, key, COUNT(*) FROM ({counts(d, 'invoices r')}) "
            "AS c GROUP BY month, department_id, figure, key"
        )
    )
    measured = connection.execute(text(_add_lead_times(d, "invoices r")))
    return int(getattr(made, "rowcount", 0)), int(getattr(measured, "rowcount", 0))
