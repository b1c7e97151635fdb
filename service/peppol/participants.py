"""A supplier's Peppol participant ids: what names the supplier behind an SBDH sender.

Recorded by the supplier itself or by an administrator; one id belongs to one supplier. The
form is Peppol's ``iso6523-actorid-upis`` value: a four-digit ICD scheme, a colon, the id
(e.g. ``0188:8010001008843``, Japan's corporate number); kept lower-case, as Peppol compares.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from service.errors import BadRequest, Conflict, NotFound
from storage import audit
from storage.audit import Actor
from storage.models import Supplier, SupplierParticipant
from storage.repositories import peppol as repo

_PARTICIPANT = re.compile(r"^[0-9]{4}:[0-9a-z][0-9a-z._:/-]{0,149}$")


def checked_participant(value: str) -> str:
    """``value`` as stored (trimmed, lower-case), or a 400 naming the expected form."""
    key = value.strip().lower()
    if not _PARTICIPANT.fullmatch(key):
        raise BadRequest.said("peppol.malformed")
    return key


def participant_ids(session: Session, supplier_id: int) -> list[str]:
    """The supplier's participant ids."""
    return [p.participant_id for p in repo.participants(session, supplier_id)]


def add_participant(session: Session, *, actor: Actor, supplier_id: int, value: str) -> list[str]:
    """Record a participant id for a supplier (again for the same one: nothing changes)."""
    key = checked_participant(value)
    if session.get(Supplier, supplier_id) is None:
        raise NotFound(f"no supplier {supplier_id}")
    holder = repo.participant(session, key)
    if holder is not None and holder.supplier_id != supplier_id:
        raise Conflict.said("peppol.taken")
    if holder is None:
        session.add(SupplierParticipant(supplier_id=supplier_id, participant_id=key))
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="supplier.peppol_participant",
            entity_type="supplier",
            entity_id=supplier_id,
            details={"participant_id": key},
        )
    return participant_ids(session, supplier_id)
