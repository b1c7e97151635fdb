"""The FastAPI application: routers wired to one runtime built from settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service import security_headers
from service.accounting import pages as accounting_pages
from service.accounting import router as accounting_router
from service.accounts import pages as accounts_pages
from service.accounts import router as accounts_router
from service.admin import pages as admin_pages
from service.admin import router as admin_router
from service.anchoring import anchor_periodically
from service.auth import pages as auth_pages
from service.auth import router as auth_router
from service.compose import pages as compose_pages
from service.compose import router as compose_router
from service.errors import document_validation_errors
from service.form_bodies import FormBodyGuard
from service.home import pages as home_pages
from service.inbox import pages as inbox_pages
from service.inbox import router as inbox_router
from service.invoices import pages as invoice_pages
from service.invoices import router as invoices_router
from service.mail import pages as mail_pages
from service.notifications import pages as notifications_pages
from service.notifications import peppol_outbound
from service.notifications import router as notifications_router
from service.notifications.worker import work_periodically
from service.observability import Metrics, RequestContextMiddleware, configure_logging
from service.ops import api_docs
from service.ops import router as ops_router
from service.pages import install_error_pages
from service.peppol import pages as peppol_pages
from service.peppol import router as peppol_router
from service.registry import pages as registry_pages
from service.runtime import Runtime
from service.settings import Settings, get_settings
from service.statistics import pages as statistics_pages
from service.statistics import router as statistics_router
from storage.db import serve_requests_on

API_DESCRIPTION = """\
juryo receives supplier invoices for the city: UBL 2.1 (Peppol BIS 3, JP PINT, XRechnung),
UN/CEFACT CII, Factur-X / ZUGFeRD PDFs and plain PDFs.

Authenticate with `Authorization: Bearer <token>` (tokens come from `juryo user add` or the
supplier's account page). Errors are `{"error": code, "detail": text}`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the runtime (database, object store) lives as long as the app."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    runtime = Runtime.from_settings(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        serve_requests_on(asyncio.get_running_loop())  # database work there now raises
        runtime.validator.start()
        key = settings.audit_signing_key
        background = [asyncio.create_task(anchor_periodically(runtime, key))] if key else []
        if settings.notification_worker:
            background.append(asyncio.create_task(work_periodically(runtime)))
        yield
        for task in background:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        runtime.close()

    app = FastAPI(
        title="juryo",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.metrics = Metrics()
    install_error_pages(app)
    document_validation_errors(app)
    for module in (
        ops_router,
        auth_router,
        invoices_router,
        inbox_router,
        accounting_router,
        accounts_router,
        admin_router,
        notifications_router,
        peppol_outbound,
        peppol_router,
        statistics_router,
        auth_pages,
        invoice_pages,
        inbox_pages,
        accounting_pages,
        accounts_pages,
        admin_pages,
        notifications_pages,
        registry_pages,
        mail_pages,
        home_pages,
        compose_router,
        compose_pages,
        peppol_pages,
        statistics_pages,
    ):
        app.include_router(module.router)
    api_docs.install(app)
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    app.add_middleware(FormBodyGuard)  # inside the request context: refusals are logged
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    security_headers.install(app)
    return app
