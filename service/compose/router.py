"""``POST /api/v1/compose``: an invoice as JSON (EN 16931 business terms), written as JP PINT.

With ``dry_run=true`` the answer is the XML and the validator's findings, and nothing is
stored; otherwise the XML is submitted exactly as ``POST /api/v1/invoices`` would receive it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from service.auth.principal import Principal
from service.compose import service as composer
from service.compose.schemas import ComposeIn
from service.deps import DbSession, RuntimeDep
from service.errors import responses
from service.invoices import receipts
from service.invoices.auth import SupplierCaller
from service.invoices.schemas import ConflictOut, InvoiceOut, ValidationOut
from service.runtime import Runtime
from storage.models import InvoiceStatus

router = APIRouter(prefix="/api/v1", tags=["compose"])


class ComposedOut(ValidationOut):
    """A dry run of the form: the XML it writes and the validator's verdict; nothing stored."""

    xml: str
    tax_total: str
    """BT-110, the sum of the tax rounded once per rate."""


@router.post(
    "/compose",
    status_code=201,
    responses={
        200: {"model": ComposedOut, "description": "dry run (valid), or a repeat submission"},
        201: {"model": InvoiceOut, "description": "received and acceptable: status pending"},
        409: {"model": ConflictOut, "description": "same number and date, other content"},
        422: {"description": "not acceptable: the invoice (stored, invalid) or the dry run"},
        **responses(400, 401, 403, 404, 503),
    },
)
def compose_invoice(
    body: ComposeIn,
    caller: SupplierCaller,
    session: DbSession,
    runtime: RuntimeDep,
    dry_run: Annotated[bool, Query(description="return the XML and findings only")] = False,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Write a JP PINT invoice from its business terms; submit it, or with dry_run only check."""
    if dry_run:
        return _dry_run(runtime, session, caller, body)
    received = composer.submit(runtime, session, caller, body, idempotency_key=idempotency_key)
    invoice = receipts.answered(runtime, caller, received)
    if not received.created:
        status = 200
    else:
        status = 201 if invoice.status == InvoiceStatus.PENDING else 422
    return JSONResponse(
        InvoiceOut.of(invoice).model_dump(mode="json"),
        status_code=status,
        headers={"Location": f"/api/v1/invoices/{invoice.id}"},
    )


def _dry_run(
    runtime: Runtime, session: Session, caller: Principal, body: ComposeIn
) -> JSONResponse:
    preview = composer.preview(runtime, session, caller, body)
    verdict = ValidationOut.of(preview.result).model_dump(mode="json")
    out: dict[str, Any] = {
        **verdict,
        "xml": preview.xml.decode("utf-8"),
        "tax_total": str(preview.figures.tax_total),
    }
    return JSONResponse(
        ComposedOut.model_validate(out).model_dump(mode="json"),
        status_code=200 if verdict["valid"] else 422,
    )


__all__ = ["router"]
