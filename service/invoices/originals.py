"""Handing out an original: the exact stored bytes, tagged by their SHA-256 and named as the
submission was (two suppliers may send the same bytes under names of their own).

An original the malware scan found infected stays in quarantine: only an administrator gets
it, as an opaque download named ``….quarantined`` with a warning header, never as something a
browser would open."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response

from service.auth.principal import Principal
from service.invoices.auth import OPENS_QUARANTINE
from service.scanning import ScanResult
from storage.models import InvoiceRecord
from storage.objects import ObjectStore


def download(
    invoice: InvoiceRecord,
    store: ObjectStore,
    caller: Principal,
    if_none_match: str | None = None,
) -> Response:
    """The original as an attachment; ``304`` when the client already has these bytes."""
    original = invoice.original
    if original.scan_result == ScanResult.INFECTED:
        return _quarantined(invoice, store, caller)
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


def _quarantined(invoice: InvoiceRecord, store: ObjectStore, caller: Principal) -> Response:
    """An infected original, to an administrator only, so that it cannot run in a browser."""
    OPENS_QUARANTINE.check(caller)
    original = invoice.original
    name = f"{invoice.filename or f'invoice-{invoice.id}'}.quarantined"
    warning = f"malware found ({original.scan_detail or 'infected'}): open only in a safe place"
    return Response(
        store.get(original.object_key),
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
            "X-Juryo-Warning": quote(warning, safe=" :()/,;'-"),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
