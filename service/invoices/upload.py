"""Reading an uploaded document off the wire: size first, then type, never more than the limit."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

from parsers.pdf import is_pdf
from parsers.safexml import looks_like_xml
from service.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from service.form_bodies import MULTIPART_OVERHEAD, read_limited

RAW_TYPES = frozenset({"application/xml", "text/xml", "application/pdf"})
MULTIPART = "multipart/form-data"


@dataclass(frozen=True, slots=True)
class Upload:
    """A document as received: exact bytes, media type and the name the sender gave it."""

    data: bytes
    media_type: str
    filename: str | None = None


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the document is larger than the limit of {limit:,} bytes")


def _sniffed_type(data: bytes) -> str | None:
    if is_pdf(data):
        return "application/pdf"
    if looks_like_xml(data):
        return "application/xml"
    return None


async def read_upload(request: Request, max_bytes: int) -> Upload:
    """The uploaded document: a raw XML/PDF body, or the ``file`` field of a multipart form."""
    mime = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if mime not in RAW_TYPES and mime != MULTIPART:
        raise UnsupportedMediaType(
            f"send application/xml, text/xml, application/pdf or multipart/form-data, not "
            f"{mime or 'no Content-Type'}"
        )
    limit = max_bytes + (MULTIPART_OVERHEAD if mime == MULTIPART else 0)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(max_bytes)
    body = await read_limited(request.stream(), limit, _too_large(max_bytes))
    if mime != MULTIPART:
        if not body:
            raise BadRequest("the document is empty")
        return Upload(body, mime)
    return await _from_multipart(request, body, max_bytes)


async def _from_multipart(request: Request, body: bytes, max_bytes: int) -> Upload:
    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
    try:
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise BadRequest("the multipart form has no 'file' field")
        data = await part.read()
        filename = part.filename
    finally:
        await form.close()
    if not data:
        raise BadRequest("the document is empty")
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    media_type = _sniffed_type(data)
    if media_type is None:
        raise UnsupportedMediaType("the file is neither XML nor PDF")
    return Upload(data, media_type, (filename or None) and filename[-255:])
