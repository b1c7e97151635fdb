"""The monthly statistics API: the figures as JSON, and the same as open data."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from service.deps import ReadSession, SettingsDep
from service.errors import responses
from service.statistics import open_data, service
from service.statistics.auth import StatisticsReader
from service.statistics.schemas import Statistics

router = APIRouter(prefix="/api/v1", tags=["statistics"])

MonthParam = Annotated[
    str, Query(description="YYYY-MM, Tokyo's month", pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
]
DepartmentParam = Annotated[
    str | None, Query(description="a department code; a clerk may name only its own")
]


@router.get("/statistics", response_model=Statistics, responses=responses(400, 401, 403, 404, 422))
def get_statistics(
    caller: StatisticsReader,
    session: ReadSession,
    month: MonthParam,
    department: DepartmentParam = None,
) -> Statistics:
    """One month's figures on invoice receipt (EBPM), in the caller's scope: volume by
    channel, format and department; refusals and corrections; lead times (median and 90th
    percentile, nearest-rank); the payment law; workload as aggregates only."""
    return service.statistics(session, scope=caller.scope, month=month, department=department)


@router.get(
    "/statistics/export",
    responses={
        200: {"content": {"text/csv": {}, "application/json": {}}},
        **responses(400, 401, 403, 404, 422),
    },
)
def export_statistics(
    caller: StatisticsReader,
    session: ReadSession,
    settings: SettingsDep,
    month: MonthParam,
    department: DepartmentParam = None,
    format: Literal["csv", "json"] = "csv",
) -> Response:
    """The month as open data (CSV in UTF-8 with BOM, or JSON): no personal data, no supplier
    names or registration numbers, cells under ``JURYO_STATISTICS_MIN_CELL`` suppressed."""
    stats = service.statistics(session, scope=caller.scope, month=month, department=department)
    media_type, write = open_data.FORMATS[format]
    tail = re.sub(r"[^A-Za-z0-9_-]", "", department or "")
    name = f"juryo-statistics-{stats.month}{'-' + tail if tail else ''}.{format}"
    return Response(
        write(stats, minimum=settings.statistics_min_cell),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
