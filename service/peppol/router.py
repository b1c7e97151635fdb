"""The Peppol API: the access point's hand-off, and suppliers' participant ids."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from service.auth.principal import Principal
from service.deps import DbSession, ReadSession, RowId, RuntimeDep
from service.errors import BadRequest, Forbidden, UnsupportedMediaType, responses
from service.form_bodies import MULTIPART_OVERHEAD, read_limited
from service.intake.submission import too_large
from service.peppol import participants
from service.peppol.auth import AccessPointCaller, AdminCaller, SupplierCaller
from service.peppol.schemas import DocumentAnswer, HandOverOut, ParticipantIn, ParticipantsOut
from service.peppol.service import hand_over
from service.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["peppol"])

XML_TYPES = frozenset({"application/xml", "text/xml"})
MULTIPART = "multipart/form-data"
INBOUND_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string", "format": "binary"}},
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "document": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        }
                    },
                }
            },
        },
    }
}


async def _sbds(request: Request, runtime: Runtime) -> list[bytes]:
    """The SBDs of the body: one ``application/xml`` body, or every file part of a
    ``multipart/form-data`` body (each part one SBD, in order)."""
    mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mime not in XML_TYPES and mime != MULTIPART:
        raise UnsupportedMediaType(
            f"send one SBD as application/xml, or many as multipart/form-data, not "
            f"{mime or 'no Content-Type'}"
        )
    limit = runtime.settings.max_upload_bytes
    body = await read_limited(request.stream(), limit + MULTIPART_OVERHEAD, too_large(limit))
    if mime in XML_TYPES:
        return [body]

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    most = runtime.settings.peppol_max_documents
    form = await Request(request.scope, replay).form(max_files=most, max_fields=most)
    try:
        parts = [part for _, part in form.multi_items() if isinstance(part, UploadFile)]
        if not parts:
            raise BadRequest("the multipart body carries no file part")
        return [await part.read() for part in parts]
    finally:
        await form.close()


@router.post(
    "/peppol/inbound",
    openapi_extra=INBOUND_BODY,
    responses=responses(400, 401, 403, 413, 415, 503),
)
async def inbound(
    request: Request, caller: AccessPointCaller, session: DbSession, runtime: RuntimeDep
) -> HandOverOut:
    """Hand over one or many Peppol SBDs; each gets its own answer, after it is durable."""
    sbds = await _sbds(request, runtime)
    answers = await run_in_threadpool(hand_over, runtime, session, caller, sbds)
    return HandOverOut(documents=[DocumentAnswer.model_validate(a) for a in answers])


def _own(caller: Principal) -> int:
    if caller.supplier_id is None or not caller.supplier_approved:
        raise Forbidden.said("account.not_approved_yet")
    return caller.supplier_id


def _out(session: Session, supplier_id: int) -> ParticipantsOut:
    return ParticipantsOut(
        supplier_id=supplier_id,
        participant_ids=participants.participant_ids(session, supplier_id),
    )


@router.get("/account/peppol-participants", responses=responses(401, 403))
def own_participants(caller: SupplierCaller, session: ReadSession) -> ParticipantsOut:
    """Your company's Peppol participant ids (the SBDH senders juryo takes as yours)."""
    return _out(session, _own(caller))


@router.post("/account/peppol-participants", responses=responses(400, 401, 403, 409, 422))
def add_own_participant(
    body: ParticipantIn, caller: SupplierCaller, session: DbSession
) -> ParticipantsOut:
    """Record a Peppol participant id your company sends from, e.g. 0188:<corporate number>."""
    supplier_id = _own(caller)
    participants.add_participant(
        session, actor=caller.actor, supplier_id=supplier_id, value=body.participant_id
    )
    return _out(session, supplier_id)


@router.get(
    "/admin/suppliers/{supplier_id}/peppol-participants", responses=responses(401, 403, 404)
)
def supplier_participants(
    supplier_id: RowId, caller: AdminCaller, session: ReadSession
) -> ParticipantsOut:
    """A supplier's Peppol participant ids."""
    return _out(session, supplier_id)


@router.post(
    "/admin/suppliers/{supplier_id}/peppol-participants",
    responses=responses(400, 401, 403, 404, 409, 422),
)
def add_supplier_participant(
    supplier_id: RowId, body: ParticipantIn, caller: AdminCaller, session: DbSession
) -> ParticipantsOut:
    """Record a Peppol participant id for a supplier."""
    participants.add_participant(
        session, actor=caller.actor, supplier_id=supplier_id, value=body.participant_id
    )
    return _out(session, supplier_id)
