"""What a channel hands to intake: a document, who sends it, by which channel, and why.

Every channel (the JSON API and the upload page today; the web form, the Peppol access point,
e-mail and bulk next) reads its own wire into a ``Document`` and calls ``service.intake.service``
with a ``Submission``. The checks every document passes before anything is judged or stored
(not empty, within the limit, XML or PDF) live here once, so no channel repeats them.

Refusals are ``Unreadable`` errors: each keeps the status and English detail the API has always
answered with, and names the catalogue text a page shows instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

from parsers.pdf import is_pdf
from parsers.safexml import looks_like_xml
from service.auth.principal import Principal
from service.errors import AppError, BadRequest, PayloadTooLarge, UnsupportedMediaType

FILENAME_LENGTH = 255


class Channel(enum.StrEnum):
    """The way a document reached the city."""

    API = "api"
    PAGE = "page"
    WEB_FORM = "web_form"
    PEPPOL = "peppol"
    EMAIL = "email"
    BULK = "bulk"


@dataclass(frozen=True, slots=True)
class Document:
    """Bytes as the sender handed them over, before any check.

    ``declared_type`` is the media type the sender stated for the bytes themselves (a raw API
    body); ``None`` when the wire only wrapped them (a form's file part): then it is sniffed.
    """

    data: bytes
    declared_type: str | None = None
    filename: str | None = None

    @property
    def name(self) -> str | None:
        """The sender's name for the file, its last 255 characters (the column's width)."""
        return (self.filename or None) and self.filename[-FILENAME_LENGTH:]


@dataclass(frozen=True, slots=True)
class Submission:
    """One document sent to the city: by whom, through which channel, and as what.

    ``idempotency_key`` makes a resend answer with the first record; ``replaces`` is the id of
    the sender's returned invoice this one corrects.
    """

    document: Document
    sender: Principal
    channel: Channel
    idempotency_key: str | None = None
    replaces: int | None = None


class Unreadable(AppError):
    """The bytes are not a document juryo reads; refused before anything is stored."""

    text_key: ClassVar[str]
    """The catalogue text (``service.i18n``) a page shows for this refusal."""


class EmptyDocument(Unreadable, BadRequest):
    text_key = "upload.empty"


class DocumentTooLarge(Unreadable, PayloadTooLarge):
    text_key = "upload.too_large"


class NotADocument(Unreadable, UnsupportedMediaType):
    text_key = "upload.not_invoice"


def too_large(max_bytes: int) -> DocumentTooLarge:
    """The refusal of a document over the limit (also raised while a channel still reads it)."""
    return DocumentTooLarge(f"the document is larger than the limit of {max_bytes:,} bytes")


def sniffed_type(data: bytes) -> str | None:
    """PDF or XML by the bytes themselves, whatever a sender claimed."""
    if is_pdf(data):
        return "application/pdf"
    if looks_like_xml(data):
        return "application/xml"
    return None


def media_type(document: Document, max_bytes: int) -> str:
    """The media type the document is stored and judged as, once it passed the checks every
    channel makes: not empty, within ``max_bytes``, declared or recognised as XML or PDF."""
    if not document.data:
        raise EmptyDocument("the document is empty")
    if len(document.data) > max_bytes:
        raise too_large(max_bytes)
    found = document.declared_type or sniffed_type(document.data)
    if found is None:
        raise NotADocument("the file is neither XML nor PDF")
    return found
