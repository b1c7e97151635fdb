"""Handing out an original: the exact stored bytes, tagged by their SHA-256 and named as the
submission was (two suppliers may send the same bytes under names of their own)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response

from storage.models import InvoiceRecord
from storage.objects import ObjectStore


def download(
    invoice: InvoiceRecord, store: ObjectStore, if_none_match: str | None = None
) -> Response:
    """The original as an attachment; ``304`` when the client already has these bytes."""
    original = invoice.original
    etag = f'"{original.sha256}"'
    if if_none_match == etag:
        return Response(status_code=304, headers={"ETag": etag})
    extension = "pdf" if "pdf" in original.media_type else "xml"
    filename = invoice.filename or f"invoice-{invoice.id}.{extension}"
    return Response(
        store.get(original.object_key),
        media_type=original.media_type,
        headers={
            "ETag": etag,
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename, safe='')}",
            # The bytes under a key never change; the answer is still private to the caller.
            "Cache-Control": "private, max-age=31536000, immutable",
        },
    )
