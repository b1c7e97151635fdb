"""Reading an uploaded document off the HTTP wire: size first, never more than the limit.

What the document must be (not empty, XML or PDF) is intake's to check, the same for every
channel (``service.intake.submission``); this reads the bytes and what the sender declared.
"""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

from service.errors import BadRequest, UnsupportedMediaType
from service.form_bodies import MULTIPART_OVERHEAD, read_limited
from service.intake.submission import Document, too_large

RAW_TYPES = frozenset({"application/xml", "text/xml", "application/pdf"})
MULTIPART = "multipart/form-data"


async def read_upload(request: Request, max_bytes: int) -> Document:
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
        raise too_large(max_bytes)
    body = await read_limited(request.stream(), limit, too_large(max_bytes))
    if mime != MULTIPART:
        return Document(body, mime)
    return await _from_multipart(request, body)


async def _from_multipart(request: Request, body: bytes) -> Document:
    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
    try:
        part = form.get("file")
        if not isinstance(part, UploadFile):
            raise BadRequest("the multipart form has no 'file' field")
        return Document(await part.read(), filename=part.filename)
    finally:
        await form.close()
