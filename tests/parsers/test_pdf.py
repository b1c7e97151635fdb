"""Embedded invoice XML in PDFs, and every way a PDF can be broken or hostile."""

from __future__ import annotations

import io
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, StreamObject

from parsers import pdf
from tests.parsers.pdf_factory import make_pdf


def embedded(data: bytes, max_bytes: int = pdf.MAX_ATTACHMENT_BYTES) -> pdf.EmbeddedXml:
    opened = pdf.open_pdf(data)
    assert opened.reader is not None, opened.findings
    return pdf.find_invoice_xml(opened.reader, max_bytes=max_bytes)


@pytest.mark.parametrize(
    "name",
    ["factur-x.xml", "zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml", "order-x.xml"],
)
def test_standard_names(name: str, cii_xml: bytes) -> None:
    found = embedded(make_pdf(["x"], attachments={name: cii_xml, "logo.png": b"\x89PNG"}))
    assert (found.name, found.data, found.standard_name) == (name, cii_xml, True)


def test_standard_name_wins_over_other_xml(cii_xml: bytes) -> None:
    found = embedded(make_pdf(["x"], attachments={"a.xml": b"<a/>", "factur-x.xml": cii_xml}))
    assert found.name == "factur-x.xml"


def test_single_xml_attachment_is_a_candidate(cii_xml: bytes) -> None:
    found = embedded(make_pdf(["x"], attachments={"invoice-42.xml": cii_xml}))
    assert (found.name, found.standard_name) == ("invoice-42.xml", False)


def test_several_unnamed_xml_are_ambiguous(cii_xml: bytes) -> None:
    found = embedded(make_pdf(["x"], attachments={"a.xml": cii_xml, "b.xml": cii_xml}))
    assert found.data is None
    assert {f.rule_id for f in found.findings} == {"JURYO-PDF-ATTACHMENT-AMBIGUOUS"}


def test_no_attachment() -> None:
    assert embedded(make_pdf(["x"])) == pdf.EmbeddedXml()


def test_zero_byte_attachment() -> None:
    found = embedded(make_pdf(["x"], attachments={"factur-x.xml": b""}))
    assert [f.rule_id for f in found.findings] == ["JURYO-PDF-ATTACHMENT-EMPTY"]


def test_attachment_over_cap() -> None:
    found = embedded(
        make_pdf(["x"], attachments={"factur-x.xml": b"<r>" + b"x" * 5000 + b"</r>"}), 1000
    )
    assert [f.rule_id for f in found.findings] == ["JURYO-PDF-ATTACHMENT-SIZE"]


def _flate_bomb_pdf(declared_size: int | None) -> bytes:
    """A PDF whose factur-x.xml is 50 MB of zeros compressed to ~50 KB."""
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_attachment("factur-x.xml", b"placeholder")
    bomb = zlib.compress(b"\0" * 50_000_000, 9)
    for obj in writer._objects:
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/EmbeddedFile":
            obj._data = bomb
            obj[NameObject("/Filter")] = NameObject("/FlateDecode")
            if declared_size is not None:
                obj[NameObject("/Params")] = DictionaryObject(
                    {NameObject("/Size"): NumberObject(declared_size)}
                )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_decompression_bomb_is_capped_while_inflating() -> None:
    found = embedded(_flate_bomb_pdf(declared_size=None), max_bytes=1_000_000)
    assert [f.rule_id for f in found.findings] == ["JURYO-PDF-ATTACHMENT-SIZE"]


def test_declared_size_over_cap_is_refused_unread() -> None:
    found = embedded(_flate_bomb_pdf(declared_size=50_000_000), max_bytes=1_000_000)
    assert [f.rule_id for f in found.findings] == ["JURYO-PDF-ATTACHMENT-SIZE"]


def test_encrypted_with_password() -> None:
    opened = pdf.open_pdf(make_pdf(["x"], password="secret"))
    assert opened.reader is None
    assert [f.rule_id for f in opened.findings] == ["JURYO-PDF-ENCRYPTED"]


def test_encrypted_with_empty_password_opens_with_warning(cii_xml: bytes) -> None:
    opened = pdf.open_pdf(make_pdf(["x"], attachments={"factur-x.xml": cii_xml}, password=""))
    assert opened.reader is not None
    assert [f.rule_id for f in opened.findings] == ["JURYO-PDF-ENCRYPTED-OPEN"]
    assert pdf.find_invoice_xml(opened.reader).data == cii_xml


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-" + bytes(range(256)) * 20,
    ],
    ids=["header-only", "no-pages", "garbage"],
)
def test_corrupt_pdfs_become_findings(data: bytes) -> None:
    opened = pdf.open_pdf(data)
    assert opened.reader is None
    assert [f.rule_id for f in opened.findings] == ["JURYO-PDF-CORRUPT"]


def test_truncated_pdf(cii_xml: bytes) -> None:
    data = make_pdf(["x"], attachments={"factur-x.xml": cii_xml})
    opened = pdf.open_pdf(data[: len(data) // 3])
    assert opened.reader is None or pdf.find_invoice_xml(opened.reader).data != cii_xml


def test_is_pdf() -> None:
    assert pdf.is_pdf(b"%PDF-1.7")
    assert pdf.is_pdf(b"\r\n junk %PDF-1.4")
    assert not pdf.is_pdf(b"<xml/>")
