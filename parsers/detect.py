"""What a document is, from its magic bytes and its XML root element."""

from __future__ import annotations

from lxml import etree

from parsers import pdf
from parsers.profiles import Format, Syntax
from parsers.safexml import looks_like_xml, parse_xml

UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"

_ROOTS = {
    etree.QName(UBL_INVOICE_NS, "Invoice").text: Format.UBL_INVOICE,
    etree.QName(UBL_CREDIT_NOTE_NS, "CreditNote").text: Format.UBL_CREDIT_NOTE,
    etree.QName(CII_NS, "CrossIndustryInvoice").text: Format.CII,
}


def format_of_root(root: etree._Element) -> Format:
    """The XML format named by a root element, ``UNKNOWN`` for anything else."""
    tag = root.tag
    return _ROOTS.get(tag, Format.UNKNOWN) if isinstance(tag, str) else Format.UNKNOWN


def syntax_of(fmt: Format) -> Syntax | None:
    """The EN 16931 syntax binding of an XML format (``None`` for PDFs and unknowns)."""
    if fmt in (Format.UBL_INVOICE, Format.UBL_CREDIT_NOTE):
        return Syntax.UBL
    if fmt is Format.CII:
        return Syntax.CII
    return None


def detect(data: bytes) -> Format:
    """The format of ``data``; a PDF counts as Factur-X only if it carries an invoice XML."""
    if pdf.is_pdf(data):
        opened = pdf.open_pdf(data)
        if opened.reader is None:
            return Format.PDF
        embedded = pdf.find_invoice_xml(opened.reader)
        if embedded.data is None:
            return Format.PDF
        parsed = parse_xml(embedded.data)
        if parsed.root is not None and format_of_root(parsed.root) is not Format.UNKNOWN:
            return Format.FACTURX_PDF
        return Format.FACTURX_PDF if embedded.standard_name else Format.PDF
    if looks_like_xml(data):
        parsed = parse_xml(data)
        if parsed.root is not None:
            return format_of_root(parsed.root)
    return Format.UNKNOWN
