"""Find the invoice XML embedded in a PDF (Factur-X, ZUGFeRD, XRechnung-in-PDF).

pypdf raises many exception types on hostile or broken PDFs; every one of them becomes a
``JURYO-PDF-*`` finding here. Embedded files are decompressed with our own cap, because a
few kilobytes of Flate can expand to gigabytes.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import StreamObject

from parsers import juryo_rules as rules
from parsers.findings import Finding

INVOICE_XML_NAMES = (
    "factur-x.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
    "order-x.xml",
)
"""Names the Factur-X / ZUGFeRD specifications give the embedded XML (compared case-blind)."""

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def is_pdf(data: bytes) -> bool:
    """``%PDF-`` in the first kilobyte (readers tolerate leading junk, so do we)."""
    return b"%PDF-" in data[:1024]


@dataclass(frozen=True, slots=True)
class OpenedPdf:
    """A pypdf reader, or the fatal findings explaining why there is none."""

    reader: PdfReader | None
    findings: tuple[Finding, ...] = ()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def open_pdf(data: bytes) -> OpenedPdf:
    """Open ``data`` leniently; encrypted PDFs are opened only if the password is empty."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        findings: list[Finding] = []
        if reader.is_encrypted:
            if not reader.decrypt(""):
                return OpenedPdf(None, (rules.PDF_ENCRYPTED.finding(),))
            findings.append(rules.PDF_ENCRYPTED_OPEN.finding())
        # Touch the page tree now so that structural damage shows up here, not later.
        len(reader.pages)
    except Exception as exc:  # pypdf's errors are many and not all PyPdfError
        return OpenedPdf(None, (rules.PDF_CORRUPT.finding(detail=_describe(exc)),))
    return OpenedPdf(reader, tuple(findings))


@dataclass(frozen=True, slots=True)
class EmbeddedXml:
    """The chosen embedded invoice file, if any, and what went wrong finding it."""

    name: str | None = None
    data: bytes | None = None
    standard_name: bool = False
    """True for the names the specifications prescribe; a lone ``*.xml`` is only a candidate."""
    findings: tuple[Finding, ...] = ()


def _is_flate_only(stream: StreamObject) -> bool:
    filters: Any = stream.get("/Filter")
    if isinstance(filters, list) and len(filters) == 1:
        filters = filters[0]
    return filters in ("/FlateDecode", "/Fl") and "/DecodeParms" not in stream


def _stream_bytes(stream: StreamObject, cap: int) -> bytes:
    """The decoded stream, never more than ``cap + 1`` bytes of it in memory when Flate."""
    if "/Filter" not in stream:
        return bytes(stream.get_data())
    if _is_flate_only(stream):
        try:
            return zlib.decompressobj().decompress(stream._data, cap + 1)
        except zlib.error:
            pass  # fall through to pypdf's recovering decoder, which has its own limits
    return bytes(stream.get_data())


def _embedded_stream(filespec: Any) -> StreamObject:
    ef = filespec.get_object()["/EF"].get_object()
    stream = (ef.get("/F") or ef.get("/UF")).get_object()
    if not isinstance(stream, StreamObject):
        raise TypeError("embedded file is not a stream")
    return stream


def _choose(names: list[str]) -> tuple[str | None, bool, list[Finding]]:
    """The attachment to read: a standard name first, else the only ``*.xml``."""
    for standard in INVOICE_XML_NAMES:
        for name in names:
            if name.lower() == standard:
                return name, True, []
    xml_names = [n for n in names if n.lower().endswith(".xml")]
    if len(xml_names) == 1:
        return xml_names[0], False, []
    return None, False, [rules.PDF_ATTACHMENTS_AMBIGUOUS.finding(name=n) for n in xml_names]


def find_invoice_xml(reader: PdfReader, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> EmbeddedXml:
    """The embedded invoice XML of ``reader``, capped at ``max_bytes``."""
    try:
        attachments = {f.name: f for f in reader.attachment_list}
    except Exception as exc:
        return EmbeddedXml(findings=(rules.PDF_CORRUPT.finding(detail=_describe(exc)),))
    name, standard, findings = _choose(list(attachments))
    if name is None:
        return EmbeddedXml(findings=tuple(findings))

    def failed(finding: Finding) -> EmbeddedXml:
        return EmbeddedXml(name=name, standard_name=standard, findings=(finding,))

    try:
        declared = attachments[name].size
        if isinstance(declared, int) and declared > max_bytes:
            return failed(rules.PDF_ATTACHMENT_TOO_LARGE.finding(name=name, limit=max_bytes))
        content = _stream_bytes(_embedded_stream(attachments[name].pdf_object), max_bytes)
    except Exception as exc:
        detail = _describe(exc)
        return failed(rules.PDF_ATTACHMENT_UNREADABLE.finding(name=name, detail=detail))
    if len(content) > max_bytes:
        return failed(rules.PDF_ATTACHMENT_TOO_LARGE.finding(name=name, limit=max_bytes))
    if not content.strip():
        return failed(rules.PDF_ATTACHMENT_EMPTY.finding(name=name))
    return EmbeddedXml(name=name, data=content, standard_name=standard)
