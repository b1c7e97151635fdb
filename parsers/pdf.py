"""Find the invoice XML embedded in a PDF (Factur-X, ZUGFeRD, XRechnung-in-PDF).

pypdf raises many exception types on hostile or broken PDFs; every one of them becomes a
``JURYO-PDF-*`` finding here. Embedded files are decompressed with our own cap, because a
few kilobytes of Flate can expand to gigabytes.
"""

from __future__ import annotations

import io
import itertools
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
MAX_ATTACHMENTS = 100
"""An invoice carries one XML and a few supporting files; a thousand is an attack on the reader."""
MAX_SCRIPT_SCAN = 1_000
"""Pages, and annotations per page, looked at for JavaScript."""


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
        attachments = sum(1 for _ in itertools.islice(reader.attachment_list, MAX_ATTACHMENTS + 1))
    except Exception as exc:  # pypdf's errors are many and not all PyPdfError
        return OpenedPdf(None, (rules.PDF_CORRUPT.finding(detail=_describe(exc)),))
    if attachments > MAX_ATTACHMENTS:
        findings.append(rules.PDF_ATTACHMENTS_TOO_MANY.finding(limit=MAX_ATTACHMENTS))
    if where := script_location(reader):
        findings.append(rules.PDF_JAVASCRIPT.finding(location=where))
    return OpenedPdf(reader, tuple(findings))


def _runs_script(action: Any, depth: int = 0) -> bool:
    """An action (or array of them, as in ``/Next``) that is or chains JavaScript."""
    action = action.get_object() if action is not None else None
    if depth > 32:  # /Next chains may loop; a script that deep is refused all the same
        return True
    if isinstance(action, list):
        return any(_runs_script(item, depth + 1) for item in action[:MAX_SCRIPT_SCAN])
    if not isinstance(action, dict):
        return False
    if action.get("/S") == "/JavaScript" or "/JS" in action:
        return True
    return _runs_script(action.get("/Next"), depth + 1)


def _triggers_script(actions: Any) -> bool:
    """An additional-actions (``/AA``) dictionary with a JavaScript trigger."""
    actions = actions.get_object() if actions is not None else None
    return isinstance(actions, dict) and any(_runs_script(a) for a in actions.values())


def script_location(reader: PdfReader) -> str | None:
    """Where the PDF would run JavaScript (on opening, a page or a link), if anywhere."""
    try:
        catalog: Any = reader.trailer["/Root"].get_object()
        if _runs_script(catalog.get("/OpenAction")):
            return "/OpenAction"
        if _triggers_script(catalog.get("/AA")):
            return "/AA"
        names = catalog.get("/Names")
        if names is not None and "/JavaScript" in names.get_object():
            return "/Names/JavaScript"
        for number, page in enumerate(itertools.islice(reader.pages, MAX_SCRIPT_SCAN), 1):
            if _triggers_script(page.get("/AA")):
                return f"page {number} /AA"
            annotations = page.get("/Annots")
            annotations = annotations.get_object() if annotations is not None else []
            for annotation in list(annotations)[:MAX_SCRIPT_SCAN]:
                annotation = annotation.get_object()
                if isinstance(annotation, dict) and (
                    _runs_script(annotation.get("/A")) or _triggers_script(annotation.get("/AA"))
                ):
                    return f"page {number} /Annots"
    except Exception:  # a damaged structure hides no script that a reader could run from it
        return None
    return None


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


def decoded_size(stream: StreamObject, cap: int) -> int:
    """The decoded length of ``stream``, inflating no more than ``cap + 1`` bytes when Flate."""
    return len(_stream_bytes(stream, cap))


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


def _text(name: object) -> str:
    """An attachment name as text: pypdf hands over undecodable PDF strings as bytes."""
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


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
        listed = itertools.islice(reader.attachment_list, MAX_ATTACHMENTS + 1)
        attachments = {_text(f.name): f for f in listed}
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
