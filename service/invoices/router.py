"""The invoice API: submit, dry-run, read, download the original, search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from parsers import registration
from service.auth.principal import Principal
from service.deps import (
    MAX_ROW_ID,
    ApiCaller,
    DbSession,
    ReadSession,
    RowId,
    RuntimeDep,
    StoreDep,
)
from service.errors import BadRequest, NotFound, responses
from service.intake import service as intake
from service.intake.submission import Channel, Submission
from service.invoices import corrections, data_entry, history, originals, pdf_pages, receipts
from service.invoices.auth import SupplierCaller
from service.invoices.data_entry import DataConfirmation, DataEntry
from service.invoices.schemas import (
    ConflictOut,
    InvoiceDetail,
    InvoiceOut,
    InvoicePage,
    ValidationOut,
)
from service.invoices.search_export import search_csv
from service.invoices.upload import read_upload
from service.runtime import Runtime
from service.versions import IfMatch, version_of
from storage.models import InvoiceRecord, InvoiceStatus
from storage.repositories import invoices as repo

router = APIRouter(prefix="/api/v1", tags=["invoices"])

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The document itself, or a multipart form with a `file` field.",
        "content": {
            "application/xml": {"schema": {"type": "string", "format": "binary"}},
            "text/xml": {"schema": {"type": "string", "format": "binary"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


def search_criteria(
    status: Annotated[list[InvoiceStatus] | None, Query()] = None,
    issue_date_from: dt.date | None = None,
    issue_date_to: dt.date | None = None,
    amount_min: Decimal | None = None,
    amount_max: Decimal | None = None,
    supplier: Annotated[
        str | None, Query(max_length=300, description="registration number or part of the name")
    ] = None,
    department: Annotated[str | None, Query(max_length=64)] = None,
    invoice_number: Annotated[str | None, Query(max_length=200)] = None,
) -> repo.InvoiceFilter:
    """The search filters (電子帳簿保存法: date, amount, counterparty), combined with AND."""
    return repo.InvoiceFilter(
        status=list(status or []),
        issue_date_from=issue_date_from,
        issue_date_to=issue_date_to,
        amount_min=amount_min,
        amount_max=amount_max,
        supplier=supplier,
        supplier_number=registration.normalize(supplier) if supplier else None,
        department=department,
        invoice_number=invoice_number,
    )


SearchCriteria = Annotated[repo.InvoiceFilter, Depends(search_criteria)]


@router.post(
    "/invoices",
    status_code=201,
    openapi_extra=UPLOAD_BODY,
    responses={
        200: {"model": InvoiceOut, "description": "the same submission again: the earlier record"},
        201: {"model": InvoiceOut, "description": "received and acceptable: status pending"},
        409: {"model": ConflictOut, "description": "same number and date, other content"},
        422: {"model": InvoiceOut, "description": "received but not acceptable: status invalid"},
        **responses(400, 401, 403, 404, 413, 415, 503),
    },
)
async def submit_invoice(
    request: Request,
    caller: SupplierCaller,
    session: DbSession,
    runtime: RuntimeDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    replaces: Annotated[
        int | None,
        Query(ge=1, le=MAX_ROW_ID, description="id of your returned invoice this one corrects"),
    ] = None,
) -> JSONResponse:
    """Submit an invoice. The answer comes only after the original and its record are durable."""
    document = await read_upload(request, runtime.settings.max_upload_bytes)
    submission = Submission(
        document, caller, Channel.API, idempotency_key=idempotency_key, replaces=replaces
    )
    status, body = await run_in_threadpool(_submit, runtime, session, submission)
    return JSONResponse(
        body, status_code=status, headers={"Location": f"/api/v1/invoices/{body['id']}"}
    )


def _submit(
    runtime: Runtime, session: Session, submission: Submission
) -> tuple[int, dict[str, Any]]:
    """Receive and render in the one worker thread: rendering reads the invoice's findings,
    department and original, and no database work may run on the event loop."""
    received = intake.submit(runtime, session, submission)
    invoice = receipts.answered(runtime, submission.sender, received)
    if not received.created:
        status = 200
    else:
        status = 201 if invoice.status == InvoiceStatus.PENDING else 422
    return status, InvoiceOut.of(invoice).model_dump(mode="json")


@router.post(
    "/validate",
    openapi_extra=UPLOAD_BODY,
    responses={
        200: {"model": ValidationOut, "description": "acceptable"},
        422: {"model": ValidationOut, "description": "not acceptable"},
        **responses(400, 401, 413, 415),
    },
)
async def validate_document(
    request: Request, caller: ApiCaller, runtime: RuntimeDep
) -> JSONResponse:
    """Dry run for any signed-in user: the verdict and findings; nothing is stored."""
    document = await read_upload(request, runtime.settings.max_upload_bytes)
    result = await run_in_threadpool(intake.dry_run, runtime, document)
    body = ValidationOut.of(result)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if body.valid else 422)


@router.get(
    "/invoices/export.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, **responses(401, 422)},
)
def export_invoices_csv(
    caller: ApiCaller,
    runtime: RuntimeDep,
    criteria: SearchCriteria,
) -> StreamingResponse:
    """Every invoice of a search (filters as `GET /invoices`) as CSV, UTF-8 with BOM, streamed."""
    return StreamingResponse(
        search_csv(runtime.read_sessions, caller.scope, criteria),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="invoices.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/invoices/{invoice_id}", responses=responses(401, 404))
def get_invoice(invoice_id: RowId, caller: ApiCaller, session: ReadSession) -> InvoiceDetail:
    """One invoice with its findings, content and history (404 if not yours to see)."""
    invoice = repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    return _detail(session, caller, invoice)


def _detail(session: Session, caller: Principal, invoice: InvoiceRecord) -> InvoiceDetail:
    """One invoice as the API shows it: history, and the correction replacing it if any."""
    return InvoiceDetail.with_history(
        invoice,
        history.history(session, caller, invoice.id),
        corrections.replacement_of(session, caller.scope, invoice),
    )


@router.get(
    "/invoices/{invoice_id}/original",
    response_class=Response,
    responses={
        200: {"content": {"application/xml": {}, "application/pdf": {}}},
        **responses(401, 404, 503),
    },
)
def get_original(
    invoice_id: RowId, request: Request, caller: ApiCaller, session: ReadSession, store: StoreDep
) -> Response:
    """The exact bytes the supplier sent; ETag is their SHA-256."""
    invoice = repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    return originals.download(invoice, store, caller, request.headers.get("if-none-match"))


@router.get(
    "/invoices/{invoice_id}/pages/{page}.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **responses(401, 404, 422, 503)},
)
def get_page_image(
    invoice_id: RowId,
    page: Annotated[int, Path(ge=1, le=pdf_pages.MAX_PAGES)],
    caller: ApiCaller,
    session: ReadSession,
    store: StoreDep,
    scale: Annotated[float, Query(gt=0, le=pdf_pages.MAX_SCALE)] = pdf_pages.DEFAULT_SCALE,
) -> Response:
    """Page `page` of a PDF original as PNG, rendered on the server (no PDF reaches the
    client); 422 with the reason for a password-protected or unreadable PDF."""
    invoice = repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"no invoice {invoice_id}")
    return pdf_pages.image_response(store, invoice, page, scale, "en")


@router.put(
    "/invoices/{invoice_id}/data-entry", responses=responses(400, 401, 403, 404, 409, 422, 428)
)
def put_data_entry(
    invoice_id: RowId,
    entry: DataEntry,
    caller: ApiCaller,
    session: DbSession,
    if_match: IfMatch = None,
) -> InvoiceDetail:
    """Confirm or correct the fields of an invoice without complete data (plain PDF, Factur-X
    MINIMUM or BASIC WL), on the version you saw (body or If-Match; stale: 409); earlier
    approvals lapse. The original stays untouched."""
    invoice = data_entry.enter_data(
        session,
        caller=caller,
        invoice_id=invoice_id,
        version=version_of(entry, if_match),
        entry=entry,
    )
    return _detail(session, caller, invoice)


@router.post(
    "/invoices/{invoice_id}/data-entry/confirm",
    responses=responses(400, 401, 403, 404, 409, 422, 428),
)
def confirm_data_entry(
    invoice_id: RowId,
    body: DataConfirmation,
    caller: ApiCaller,
    session: DbSession,
    if_match: IfMatch = None,
) -> InvoiceDetail:
    """A clerk confirms the data the supplier entered, unchanged, on the version seen (body or
    If-Match; stale: 409): the invoice no longer needs data entry and may be approved."""
    invoice = data_entry.confirm_data(
        session, caller=caller, invoice_id=invoice_id, version=version_of(body, if_match)
    )
    return _detail(session, caller, invoice)


@router.get("/invoices", responses=responses(400, 401, 422))
def list_invoices(
    caller: ApiCaller,
    session: ReadSession,
    criteria: SearchCriteria,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the page before: the page after it"),
    ] = None,
    offset: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_ROW_ID,
            deprecated=True,
            description="Skip this many hits; slow deep into a large search: use `cursor`.",
        ),
    ] = 0,
) -> InvoicePage:
    """The invoices the caller may see, newest first, filtered, a page at a time: follow
    `next_cursor` (null on the last page). `total` counts hits up to 10,000; beyond,
    `total_is_capped` is true and `total` is 10,000 ("10,000 or more")."""
    after = search_cursor(cursor)
    if after is not None and offset:
        raise BadRequest("give either cursor or offset, not both")
    found = repo.search(session, caller.scope, criteria, limit=limit, after=after, offset=offset)
    return InvoicePage(
        items=[InvoiceOut.of(row, found.replaced_by.get(row.id)) for row in found.rows],
        total=found.total,
        total_is_capped=found.total_is_capped,
        next_cursor=found.next_cursor.token() if found.next_cursor else None,
        limit=limit,
        offset=offset,
    )


def search_cursor(token: str | None) -> repo.Cursor | None:
    """The cursor a client sent back; 400 when it is not one juryo handed out."""
    if not token:
        return None
    try:
        return repo.Cursor.parse(token)
    except ValueError:
        raise BadRequest("cursor is not a next_cursor of this search") from None
