"""The month's statistics as open data: long-format rows for the city's open-data portal,
written as CSV (UTF-8 with BOM, as Excel opens it) or JSON.

What it holds: counts, shares, lead times and department codes. What it never holds: a person,
a supplier's name or registration number, an invoice number, or a finding's message (messages
can quote the document). **Small cells are suppressed:** a count of 1 to N-1 invoices
(``JURYO_STATISTICS_MIN_CELL``), and every share or percentile resting on fewer than N
invoices, is published empty with ``suppressed`` true; when a breakdown would then hide a
single cell, the next smallest is hidden too, so that the total minus the others cannot give
it back.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

from service.spreadsheet import BOM, Rows, cell
from service.statistics.schemas import Count, Share, Statistics

COLUMNS = ("month", "department", "measure", "category", "value", "unit", "suppressed")


@dataclass(frozen=True, slots=True)
class Row:
    """One published figure; ``value`` None when suppressed (or when there is nothing to say)."""

    month: str
    department: str
    measure: str
    category: str
    value: float | int | None
    unit: str
    suppressed: bool
    basis: int
    """How many invoices the figure rests on (not published): what suppression looks at."""


def _small(basis: int, minimum: int) -> bool:
    return 0 < basis < minimum


class _Rows:
    """Collects rows, suppressing each as it is added."""

    def __init__(self, stats: Statistics, minimum: int) -> None:
        self.stats, self.minimum, self.rows = stats, minimum, list[Row]()

    def add(
        self, measure: str, category: str, value: float | int | None, unit: str, basis: int
    ) -> None:
        hidden = _small(basis, self.minimum)
        self.rows.append(
            Row(
                month=self.stats.month,
                department=self.stats.department or "",
                measure=measure,
                category=category,
                value=None if hidden else value,
                unit=unit,
                suppressed=hidden,
                basis=basis,
            )
        )

    def count(self, measure: str, category: str, invoices: int) -> None:
        self.add(measure, category, invoices, "invoices", invoices)

    def share(self, measure: str, category: str, share: Share) -> None:
        basis = min(share.part, share.whole) if share.part else share.whole
        self.add(measure, category, share.share, "share", basis)

    def breakdown(self, measure: str, counts: list[Count]) -> None:
        first = len(self.rows)
        for item in counts:
            self.count(measure, item.key, item.invoices)
        self.rows[first:] = _complement(self.rows[first:])


def _complement(rows: list[Row]) -> list[Row]:
    """Hide a second cell when only one of a breakdown is hidden (secondary suppression)."""
    if sum(r.suppressed for r in rows) != 1:
        return rows
    shown = [i for i, r in enumerate(rows) if not r.suppressed and r.basis > 0]
    if not shown:
        return rows
    smallest = min(shown, key=lambda i: rows[i].basis)
    rows[smallest] = replace(rows[smallest], value=None, suppressed=True)
    return rows


def rows(stats: Statistics, *, minimum: int) -> list[Row]:
    """Every publishable figure of ``stats`` as a row, small cells suppressed."""
    out = _Rows(stats, minimum)
    volume, acceptance, payment = stats.volume, stats.acceptance, stats.payment
    out.count("received", "", volume.received)
    out.breakdown("received_by_channel", volume.by_channel)
    out.breakdown("received_by_format", volume.by_format)
    out.breakdown("received_by_department", volume.by_department)
    out.share("structured_share", "", volume.structured)
    out.share("refused_share", "", acceptance.refused)
    out.breakdown(
        "refused_by_rule", [Count(key=r.rule_id, invoices=r.invoices) for r in acceptance.top_rules]
    )
    out.share("corrected_share", "", acceptance.corrected)
    out.share("resent_share", "", acceptance.resent)
    for lead in stats.lead_times:
        out.add(f"{lead.measure}_median", "", lead.median_days, "days", lead.count)
        out.add(f"{lead.measure}_p90", "", lead.p90_days, "days", lead.count)
    out.share("paid_on_time_share", "", payment.on_time)
    for department in payment.by_department:
        out.share("paid_on_time_share_by_department", department.department, department.on_time)
    out.count("paid_late", "", payment.paid_late)
    out.add("overdue_days_median", "", payment.overdue_days_median, "days", payment.paid_late)
    out.add("overdue_days_p90", "", payment.overdue_days_p90, "days", payment.paid_late)
    out.breakdown("routing", stats.workload.routing)
    return out.rows


def _published(row: Row) -> dict[str, object]:
    found = asdict(row)
    found.pop("basis")
    return found


def to_json(stats: Statistics, *, minimum: int) -> bytes:
    """The rows as one JSON document, with the rule they were suppressed by."""
    document = {
        "month": stats.month,
        "department": stats.department,
        "minimum_cell": minimum,
        "rows": [_published(r) for r in rows(stats, minimum=minimum)],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _csv_row(row: Row) -> list[str]:
    values = _published(row)
    values["suppressed"] = "true" if row.suppressed else "false"
    return [cell(values[c]) for c in COLUMNS]


def to_csv(stats: Statistics, *, minimum: int) -> bytes:
    """The rows as CSV, UTF-8 with a BOM; suppressed values are empty."""
    lines = [COLUMNS] + [_csv_row(row) for row in rows(stats, minimum=minimum)]
    return (BOM + Rows().render(lines)).encode()


FORMATS = {"csv": ("text/csv; charset=utf-8", to_csv), "json": ("application/json", to_json)}
"""Format name → media type and writer."""
