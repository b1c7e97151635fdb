"""Liveness, readiness and metrics for the orchestrator and Prometheus."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service import scanning
from service.deps import RuntimeDep
from service.runtime import Runtime
from storage.objects import StorageError

log = logging.getLogger("juryo.ops")

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Alive: the process answers (says nothing about its dependencies).

    Async, so that it needs no worker thread: while every thread waits on the database, the
    process is still alive and says so."""
    return {"status": "ok"}


def _check_database(runtime: Runtime) -> str:
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return f"down: {type(exc).__name__}"
    return "ok"


def _check_storage(runtime: Runtime) -> str:
    try:
        runtime.store.check()
    except StorageError as exc:
        log.warning("object store not ready: %s", exc)  # details for operators, not the world
        return f"down: {type(exc).__name__}"
    return "ok"


@router.get("/readyz", responses={503: {"description": "a dependency is down"}})
def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Ready: the database and the object store answer, and the validators have compiled their
    schemas and stylesheets; 503 names what is not."""
    checks = {
        "database": _check_database(runtime),
        "storage": _check_storage(runtime),
        "validators": "ok" if runtime.validator.ready() else "starting",
    }
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": checks,
            # Not a check: "off" means originals are acknowledged without a malware scan.
            "malware_scan": scanning.mode(runtime.settings),
        },
        status_code=200 if ready else 503,
    )


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus text exposition of this worker's request counters and latencies."""
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
