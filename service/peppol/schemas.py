"""Shapes of the Peppol API: one answer per handed-over document; participant ids."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from service.peppol.service import Outcome


class FindingOut(BaseModel):
    """One problem, with its rule id and messages in Japanese and English."""

    model_config = ConfigDict(from_attributes=True)

    rule_id: str
    severity: str
    message_en: str
    message_ja: str
    location: str | None = None


class DocumentAnswer(BaseModel):
    """What became of one Standard Business Document, in the order they came."""

    model_config = ConfigDict(from_attributes=True)

    instance_id: str | None
    """The SBDH InstanceIdentifier (None when the envelope could not be read)."""
    outcome: Outcome
    status: str | None
    """The invoice's status as first recorded (``pending``/``invalid``); None when refused."""
    invoice_id: int | None
    """None for an unknown sender (kept as an invalid message) and for a refusal."""
    message_id: int | None
    findings: list[FindingOut]


class HandOverOut(BaseModel):
    """The answers to one hand-off, one per document."""

    documents: list[DocumentAnswer]


class ParticipantIn(BaseModel):
    """A Peppol participant id to record, e.g. ``0188:8010001008843``."""

    participant_id: str = Field(min_length=6, max_length=200)


class ParticipantsOut(BaseModel):
    """A supplier's Peppol participant ids."""

    supplier_id: int
    participant_ids: list[str]
