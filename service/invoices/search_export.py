"""The CSV download of an invoice search, for any reader the search lets see them.

Columns: id, status, invoice_number, document_type, issue_date, due_date, registration_number,
supplier_name, department, currency, payable_amount, tax_amount, received_at, paid_on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from sqlalchemy.orm import Session

from service.amounts import money
from service.spreadsheet import BOM, Rows, cell
from storage.models import InvoiceRecord
from storage.repositories import invoices as invoice_repo

SEARCH_CSV_COLUMNS = (
    "id",
    "status",
    "invoice_number",
    "document_type",
    "issue_date",
    "due_date",
    "registration_number",
    "supplier_name",
    "department",
    "currency",
    "payable_amount",
    "tax_amount",
    "received_at",
    "paid_on",
)
SEARCH_PAGE = 1000


def search_csv(
    sessions: Callable[[], AbstractContextManager[Session]],
    scope: invoice_repo.Scope,
    criteria: invoice_repo.InvoiceFilter,
) -> Iterator[str]:
    """Every invoice of a search as CSV, read a page after the other (by cursor, so a late page
    costs what the first does) within one read transaction."""
    rows = Rows()
    yield BOM + rows.render([SEARCH_CSV_COLUMNS])
    with sessions() as session:
        after: invoice_repo.Cursor | None = None
        while True:
            found = invoice_repo.search(session, scope, criteria, limit=SEARCH_PAGE, after=after)
            yield rows.render([_row(invoice) for invoice in found.rows])
            if found.next_cursor is None:
                return
            after = found.next_cursor


def _row(invoice: InvoiceRecord) -> list[str]:
    """One invoice as the CSV's columns."""
    return [
        cell(v)
        for v in (
            invoice.id,
            invoice.status,
            invoice.invoice_number,
            invoice.document_type,
            invoice.issue_date,
            invoice.due_date,
            invoice.supplier.registration_number,
            invoice.supplier.name,
            invoice.department.code if invoice.department else None,
            invoice.currency,
            money(invoice.payable_amount, invoice.currency),
            money(invoice.tax_amount, invoice.currency),
            invoice.received_at.isoformat(),
            invoice.paid_on,
        )
    ]
