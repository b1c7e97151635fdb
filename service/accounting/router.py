"""The accounting API: payment batches, their exports and payment; creditors' bank accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from parsers import registration
from service.accounting import exports, service
from service.accounting.auth import Accountant, BatchReader, CreditorKeeper, CreditorReader
from service.accounting.schemas import (
    BankAccountIn,
    BatchCreate,
    BatchCreated,
    BatchOut,
    BatchPage,
    BatchSummary,
    CreditorOut,
    PaidIn,
)
from service.deps import (
    MAX_ROW_ID,
    DbSession,
    ReadSession,
    RowId,
    RuntimeDep,
    SettingsDep,
)
from service.errors import BadRequest, NotFound, responses
from service.runtime import Runtime
from storage.models import BankAccount, Batch
from storage.repositories import batches as repo
from storage.repositories import organisation

router = APIRouter(prefix="/api/v1", tags=["accounting"])


def _batch(session: Session, batch_id: int) -> Batch:
    batch = repo.by_id(session, batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    return batch


@router.post(
    "/batches",
    status_code=201,
    responses={
        200: {"model": BatchCreated, "description": "the same Idempotency-Key again"},
        201: {"model": BatchCreated, "description": "the new batch"},
        **responses(401, 403, 409, 422),
    },
)
def create_batch(
    body: BatchCreate,
    caller: Accountant,
    session: DbSession,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """Take every approved invoice not yet in a batch (filtered as asked, or only those in
    `invoice_ids`); they become exported.

    Approved invoices a bank transfer cannot pay (no bank account, not JPY) stay approved and
    are listed in `excluded`. 409 when nothing is waiting.
    """
    created = service.create_batch(
        session,
        actor=caller.actor,
        payment_date=body.payment_date,
        department=body.department,
        due_before=body.due_before,
        idempotency_key=idempotency_key,
        invoice_ids=body.invoice_ids,
    )
    session.flush()
    out = BatchCreated.of_created(created)
    return JSONResponse(
        out.model_dump(mode="json"),
        status_code=201 if created.created else 200,
        headers={"Location": f"/api/v1/batches/{out.id}"},
    )


@router.get("/batches", responses=responses(401, 403))
def list_batches(
    caller: BatchReader,
    session: ReadSession,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> BatchPage:
    """Payment batches, newest first."""
    rows, total = repo.list_batches(session, limit=limit, offset=offset)
    return BatchPage(
        items=[BatchSummary.of(b) for b in rows], total=total, limit=limit, offset=offset
    )


@router.get("/batches/{batch_id}", responses=responses(401, 403, 404))
def get_batch(batch_id: RowId, caller: BatchReader, session: ReadSession) -> BatchOut:
    """One batch with its invoice ids."""
    batch = _batch(session, batch_id)
    return BatchOut.of_batch(batch, repo.invoice_ids(session, batch.id))


def _streamed(
    runtime: Runtime, batch_id: int, render: Callable[[Session, Batch], Iterator[str]]
) -> Iterator[str]:
    """Render in a read transaction of its own that lives as long as the response streams."""
    with runtime.read_sessions() as session:
        yield from render(session, _batch(session, batch_id))


@router.get(
    "/batches/{batch_id}/export",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/csv": {},
                "text/plain": {"description": "Zengin 総合振込, Shift_JIS, 120 bytes + CRLF"},
            }
        },
        **responses(400, 401, 403, 404, 409, 422),
    },
)
def export_batch(
    batch_id: RowId,
    caller: BatchReader,
    session: ReadSession,
    runtime: RuntimeDep,
    settings: SettingsDep,
    format: Annotated[str, Query(description=exports.format_names())] = "json",
) -> Response:
    """The batch as JSON, CSV (UTF-8 with BOM) or a Zengin 総合振込 transfer file."""
    export = exports.BATCH_FORMATS.get(format)
    if export is None:
        raise BadRequest(f"unknown format {format!r}: use {exports.format_names()}")
    batch = _batch(session, batch_id)
    stem = f"batch-{batch.id}-{batch.payment_date:%Y%m%d}"
    headers = {
        "Content-Disposition": f'attachment; filename="{stem}{export.suffix}"',
        "Cache-Control": "no-store",
    }
    if isinstance(export, exports.FileExport):
        body = export.render(session, batch, settings)
        return Response(body, media_type=export.media_type, headers=headers)
    exports.check_exportable(batch)
    return StreamingResponse(
        _streamed(runtime, batch.id, export.render), media_type=export.media_type, headers=headers
    )


@router.post("/batches/{batch_id}/cancel", responses=responses(401, 403, 404, 409))
def cancel_batch(batch_id: RowId, caller: Accountant, session: DbSession) -> BatchOut:
    """Before payment only: the invoices go back to approved (409 once paid or cancelled)."""
    batch = service.cancel_batch(session, actor=caller.actor, batch_id=batch_id)
    session.flush()
    return BatchOut.of_batch(_batch(session, batch.id), [])


@router.post("/batches/{batch_id}/paid", responses=responses(401, 403, 404, 409, 422))
def pay_batch(batch_id: RowId, body: PaidIn, caller: Accountant, session: DbSession) -> BatchOut:
    """The bank paid the batch: its invoices become paid, and suppliers see the day."""
    batch = service.mark_paid(session, actor=caller.actor, batch_id=batch_id, paid_on=body.paid_on)
    session.flush()
    return BatchOut.of_batch(_batch(session, batch.id), repo.invoice_ids(session, batch.id))


@router.get("/creditors/{registration_number}", responses=responses(401, 403, 404))
def get_creditor(
    registration_number: str, caller: CreditorReader, session: ReadSession
) -> CreditorOut:
    """A supplier's creditor record with its bank account."""
    supplier = organisation.supplier_by_registration(
        session, registration.normalize(registration_number)
    )
    if supplier is None:
        raise NotFound(f"no supplier {registration_number}")
    return CreditorOut.model_validate(supplier)


@router.put(
    "/creditors/{registration_number}/bank-account", responses=responses(401, 403, 404, 422)
)
def put_bank_account(
    registration_number: str, body: BankAccountIn, caller: CreditorKeeper, session: DbSession
) -> CreditorOut:
    """Set the account a creditor is paid into (admins); the holder becomes half-width kana."""
    account = service.checked_bank_account(BankAccount(**body.model_dump()))
    supplier = service.set_bank_account(
        session, actor=caller.actor, registration_number=registration_number, account=account
    )
    return CreditorOut.model_validate(supplier)
