"""Invoices made by the tests themselves: a JP PINT UBL invoice with chosen fields, plain PDFs."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.parsers.pdf_factory import make_pdf

FIXTURES = Path(__file__).parent / "parsers" / "fixtures"
_JP_TEMPLATE = (FIXTURES / "jp_pint_invoice.xml").read_text(encoding="utf-8")
_CREDIT_TEMPLATE = (FIXTURES / "ubl_credit_note.xml").read_text(encoding="utf-8")


def jp_invoice(
    *,
    seller: str,
    number: str | None = None,
    buyer_reference: str = "NO-SUCH-DEPT",
    note: str = "11月分 事務用品",
    issue_date: str = "2026-11-26",
    order_reference: str = "PO-778",
) -> bytes:
    """A valid JP PINT invoice (payable 16,150 JPY) from ``seller`` (a T-number)."""
    text = (
        _JP_TEMPLATE.replace("T7123456789012", seller)
        .replace("JRY-2026-0001", number or f"INV-{uuid.uuid4().hex[:10]}")
        .replace("KAIKEI-01", buyer_reference)
        .replace("11月分 事務用品", note)
        .replace(
            "<cbc:IssueDate>2026-11-26</cbc:IssueDate>",
            f"<cbc:IssueDate>{issue_date}</cbc:IssueDate>",
        )
        .replace("<cbc:ID>PO-778</cbc:ID>", f"<cbc:ID>{order_reference}</cbc:ID>")
    )
    return text.encode("utf-8")


def plain_pdf(*, registration_number: str, number: str = "A-100", total: str = "11,000") -> bytes:
    """A picture-of-paper invoice: text only, no XML inside."""
    return make_pdf(
        [
            "INVOICE",
            f"Registration No. {registration_number}",
            f"Invoice No. {number}",
            "Date: 2026-11-20",
            f"Total: {total} JPY",
        ]
    )
