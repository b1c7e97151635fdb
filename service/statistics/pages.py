"""The statistics page: one month's figures as server-rendered SVG bar charts, each followed by
a table of the same numbers (for screen readers and for copying), with the same month a year
earlier beside them. No script: the month picker is a GET form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from service.auth.principal import Principal
from service.deps import ReadSession
from service.i18n import TEXTS
from service.pages import render
from service.statistics import service
from service.statistics.auth import StatisticsPage
from service.statistics.schemas import Statistics
from storage.repositories import organisation

router = APIRouter(include_in_schema=False)

CHART_WIDTH = 480
"""Width of the longest bar, in SVG user units (the chart scales with the page)."""
BAR_HEIGHT = 22
LABEL_WIDTH = 200


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart: its label, its value as text, and its geometry."""

    label: str
    text: str
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart, drawn by the template as SVG."""

    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = LABEL_WIDTH + CHART_WIDTH + 80


def chart(values: list[tuple[str, float | None]], unit: str = "") -> Chart:
    """Bars scaled to the largest value; a missing value draws no bar and reads ``-``."""
    largest = max((v for _, v in values if v), default=0) or 1
    bars = [
        Bar(
            label=label,
            text="-" if value is None else f"{value:g}{unit}",
            y=index * (BAR_HEIGHT + 6),
            width=round(CHART_WIDTH * (value or 0) / largest),
        )
        for index, (label, value) in enumerate(values)
    ]
    return Chart(bars=bars, height=max(1, len(bars)) * (BAR_HEIGHT + 6))


def _charts(stats: Statistics) -> dict[str, Chart]:
    return {
        "channel": chart([(c.key, c.invoices) for c in stats.volume.by_channel]),
        "lead": chart([(lt.measure, lt.median_days) for lt in stats.lead_times]),
        "on_time": chart(
            [
                (d.department, None if d.on_time.share is None else round(d.on_time.share * 100))
                for d in stats.payment.by_department
            ],
            "%",
        ),
    }


def _departments(session: Session, caller: Principal) -> list[str]:
    """The department codes the caller may pick: all, or a clerk's own."""
    if caller.scope.everything:
        return [d.code for d in organisation.list_departments(session)]
    return list(caller.department_codes)


@router.get("/statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request,
    browser: StatisticsPage,
    session: ReadSession,
    month: Annotated[str | None, Query()] = None,
    department: Annotated[str | None, Query()] = None,
) -> Response:
    """The month's figures beside the same month a year earlier."""
    caller = browser.principal
    chosen = (month or "").strip() or service.this_month()
    department = (department or "").strip() or None
    stats = service.statistics(session, scope=caller.scope, month=chosen, department=department)
    earlier = service.statistics(
        session, scope=caller.scope, month=service.year_before(chosen), department=department
    )
    query = f"month={stats.month}" + (f"&department={department}" if department else "")
    return render(
        request,
        "statistics/month.html",
        {
            "stats": stats,
            "earlier": earlier,
            "earlier_leads": {lt.measure: lt for lt in earlier.lead_times},
            "charts": _charts(stats),
            "departments": _departments(session, caller),
            "query": query,
            "known": TEXTS,
        },
        browser=browser,
    )
