"""The supplier's copy of an invoice (適格請求書の写し): a readable PDF with the XML inside.

The HTML is rendered by weasyprint with nothing fetched: the fonts are the system's (Noto Sans
CJK), the stylesheet is handed over as a string, and any URL is refused. The template lives
beside this module, not with the pages: it is never served to a browser. pypdf then attaches
the stored original byte for byte, so the PDF carries the very document the city received.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import CSS, HTML  # type: ignore[import-untyped]  # no stubs published

from parsers.model import Invoice
from service import formatting
from service.i18n import translator

_HERE = Path(__file__).parent
_TEMPLATES = Environment(loader=FileSystemLoader(_HERE), autoescape=select_autoescape(["html"]))
_STYLE = CSS(string=(_HERE / "copy.css").read_text("utf-8"))


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """weasyprint's fetcher: a copy never loads anything from anywhere."""
    raise ValueError(f"the copy loads nothing ({url})")


def copy_html(invoice: Invoice, lang: str) -> str:
    """The invoice as a page a person reads: parties, lines, tax per rate, totals."""
    return _TEMPLATES.get_template("copy.html").render(
        invoice=invoice, t=translator(lang), lang=lang, money=formatting.money
    )


def copy_pdf(invoice: Invoice, original: bytes, lang: str, filename: str | None) -> bytes:
    """The PDF rendering with ``original`` attached unchanged (as ``filename`` or invoice.xml)."""
    html = HTML(string=copy_html(invoice, lang), url_fetcher=_no_fetching)
    rendered = html.write_pdf(stylesheets=[_STYLE])
    assert rendered is not None
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(rendered)))
    writer.add_attachment(_attachment_name(filename), original)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _attachment_name(filename: str | None) -> str:
    name = (filename or "").rsplit("/", 1)[-1]
    return name if name.lower().endswith(".xml") else "invoice.xml"
