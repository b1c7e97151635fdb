"""Peppol Invoice Responses waiting for the city's access point, which pulls them.

juryo never opens a connection into the Peppol network: the access point asks
(``GET /api/v1/peppol/outbound``), sends each response on through AS4, and acknowledges it
(``POST /api/v1/peppol/outbound/{id}/ack``). A response not acknowledged stays waiting, so an
access point that crashed between taking and sending asks again and gets it again, under the
same SBDH instance id (its duplicate check drops a second send).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from parsers.invoice_response import (
    Action,
    InvoiceResponse,
    Participant,
    Reason,
    Status,
    in_envelope,
)
from service.clock import local_date
from service.deps import DbSession, ReadSession, RowId, SettingsDep
from service.errors import NotFound, responses
from service.peppol.auth import AccessPointCaller
from service.settings import Settings
from storage.models import Delivery
from storage.repositories import notifications as repo

router = APIRouter(prefix="/api/v1/peppol", tags=["peppol"])


class OutboundOut(BaseModel):
    """One Invoice Response for the access point to send."""

    id: int = Field(description="Acknowledge it with this id once sent.")
    instance_id: str = Field(description="The SBDH InstanceIdentifier: the same on every pull.")
    receiver: str = Field(description="The seller's participant id (iso6523-actorid-upis).")
    status: str = Field(description="The response code: AB, RE, AP or PD.")
    document: str = Field(
        description="The Standard Business Document (SBDH + ApplicationResponse)."
    )


def _participant(identifier: str, name: str) -> Participant:
    scheme, _, value = identifier.partition(":")
    return Participant(scheme, value, name)


def instance_id(delivery: Delivery) -> str:
    """A stable message id for the response: the same however often it is pulled."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"juryo:{delivery.key}"))


def envelope(delivery: Delivery, settings: Settings) -> bytes:
    """The response in its SBD, from the facts planned when the invoice's status changed."""
    facts = delivery.payload
    issued = facts.get("invoice_issue_date")
    response = InvoiceResponse(
        response_id=f"juryo-ir-{delivery.id}",
        issue_date=local_date(delivery.created_at),
        buyer=_participant(facts["buyer"], settings.city_name),
        seller=_participant(facts["seller"], facts["seller_name"]),
        status=Status(facts["status"]),
        invoice_number=facts["invoice_number"],
        invoice_issue_date=dt.date.fromisoformat(issued) if issued else None,
        document_type_code=facts["document_type_code"],
        reason=Reason.OTHER if facts.get("reason") else None,
        reason_text=facts.get("reason"),
        action=Action(facts["action"]) if facts.get("action") else None,
    )
    return in_envelope(response, instance_id=instance_id(delivery), created=delivery.created_at)


@router.get("/outbound", responses=responses(401, 403))
def waiting(
    caller: AccessPointCaller,
    session: ReadSession,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[OutboundOut]:
    """Invoice Responses waiting to be sent, oldest first: one for each status change of an
    invoice that came through the access point (AB taken in, RE refused or returned or
    rejected, AP approved, PD paid)."""
    return [
        OutboundOut(
            id=delivery.id,
            instance_id=instance_id(delivery),
            receiver=delivery.address or "",
            status=delivery.payload["status"],
            document=envelope(delivery, settings).decode(),
        )
        for delivery in repo.peppol_waiting(session, limit)
    ]


@router.post("/outbound/{delivery_id}/ack", status_code=204, responses=responses(401, 403, 404))
def acknowledge(delivery_id: RowId, caller: AccessPointCaller, session: DbSession) -> Response:
    """The access point sent it: it leaves the queue (a second acknowledgement: 404)."""
    if not repo.take_peppol(session, delivery_id, caller.login):
        raise NotFound(f"no Invoice Response {delivery_id} waiting")
    return Response(status_code=204)
