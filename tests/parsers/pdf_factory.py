"""Build small PDFs in tests with pypdf alone: text pages, attachments, encryption."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _add_text_page(writer: PdfWriter, lines: list[str]) -> None:
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    body = "".join(
        f"BT /F1 12 Tf 72 {800 - 20 * i} Td ({_escape(line)}) Tj ET\n"
        for i, line in enumerate(lines)
    )
    stream = DecodedStreamObject()
    stream.set_data(body.encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)


def make_pdf(
    lines: list[str] | None = None,
    *,
    attachments: dict[str, bytes] | None = None,
    password: str | None = None,
) -> bytes:
    """A one-page PDF with ``lines`` of Helvetica text, optional attachments and password."""
    writer = PdfWriter()
    _add_text_page(writer, lines or [])
    for name, content in (attachments or {}).items():
        writer.add_attachment(name, content)
    if password is not None:
        writer.encrypt(
            user_password=password, owner_password=password + "-owner", algorithm="AES-128"
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
