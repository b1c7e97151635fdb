"""Format detection from magic bytes and the XML root element."""

from __future__ import annotations

import pytest

from parsers import Format, detect
from tests.parsers.pdf_factory import make_pdf


def test_ubl_invoice(jp_pint_xml: bytes) -> None:
    assert detect(jp_pint_xml) is Format.UBL_INVOICE


def test_ubl_credit_note(credit_note_xml: bytes) -> None:
    assert detect(credit_note_xml) is Format.UBL_CREDIT_NOTE


def test_cii(cii_xml: bytes) -> None:
    assert detect(cii_xml) is Format.CII


def test_utf16_ubl(jp_pint_xml: bytes) -> None:
    data = jp_pint_xml.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert detect(data) is Format.UBL_INVOICE


def test_facturx_pdf(cii_xml: bytes) -> None:
    assert detect(make_pdf(["x"], attachments={"factur-x.xml": cii_xml})) is Format.FACTURX_PDF


def test_single_oddly_named_xml_attachment(cii_xml: bytes) -> None:
    assert detect(make_pdf(["x"], attachments={"rechnung-42.XML": cii_xml})) is Format.FACTURX_PDF


def test_plain_pdf() -> None:
    assert detect(make_pdf(["Invoice"])) is Format.PDF


def test_pdf_with_unrelated_xml_is_plain() -> None:
    assert detect(make_pdf(["x"], attachments={"notes.xml": b"<notes/>"})) is Format.PDF


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello",
        bytes(range(256)),
        b"<html><body/></html>",
        b"<Invoice/>",  # right name, no namespace
        b"<r>\n<a></r>",
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
    ],
)
def test_unknown(data: bytes) -> None:
    assert detect(data) is Format.UNKNOWN
