"""Batch exports (JSON, CSV, Zengin).

CSV files are written as ``service.spreadsheet`` writes every download. Batch CSV columns, one
row per invoice:

    batch_id, payment_date, invoice_id, invoice_number, document_type, issue_date, due_date,
    registration_number, supplier_name, creditor_number, bank_code, branch_code, account_type,
    account_number, account_holder, currency, payable_amount, tax_amount,
    taxable_10, tax_10, taxable_8, tax_8
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from parsers.model import TaxSubtotal
from service import zengin
from service.amounts import money
from service.errors import Conflict, Unprocessable
from service.invoices import content
from service.invoices.data_entry import RecordedEntry, TaxEntry
from service.settings import Settings
from service.spreadsheet import BOM, Rows, cell
from storage.models import BANK_ACCOUNT_FIELDS, Batch, BatchStatus
from storage.repositories import batches as repo

BATCH_CSV_COLUMNS = (
    "batch_id",
    "payment_date",
    "invoice_id",
    "invoice_number",
    "document_type",
    "issue_date",
    "due_date",
    "registration_number",
    "supplier_name",
    "creditor_number",
    *BANK_ACCOUNT_FIELDS,
    "currency",
    "payable_amount",
    "tax_amount",
    "taxable_10",
    "tax_10",
    "taxable_8",
    "tax_8",
)
_bank_account = operator.attrgetter(*BANK_ACCOUNT_FIELDS)
"""An export row's bank account fields, in their order."""


def taxes_per_rate(
    invoiced: Sequence[TaxSubtotal], entered: RecordedEntry | None
) -> list[dict[str, str | None]]:
    """Taxable amount and tax per rate: what a person entered, else what the invoice says."""
    source: Sequence[TaxEntry | TaxSubtotal] = (
        entered.taxes if entered is not None and entered.taxes else invoiced
    )
    return [
        {
            "rate": None if tax.rate is None else f"{tax.rate.normalize():f}",
            "taxable_amount": _plain(tax.taxable_amount),
            "tax_amount": _plain(tax.tax_amount),
        }
        for tax in source
    ]


def _row_taxes(row: Any) -> list[dict[str, str | None]]:
    """``taxes_per_rate`` of an ``export_rows`` row."""
    entered = RecordedEntry.model_validate(row.data_entry) if row.data_entry else None
    invoiced = content.tax_breakdown(content.kind_of(row.format, row.profile), row.content)
    return taxes_per_rate(invoiced, entered)


def _plain(amount: Decimal | None) -> str | None:
    if amount is None:
        return None
    return f"{amount.to_integral():f}" if amount == amount.to_integral() else f"{amount:f}"


def _rate(taxes: list[dict[str, str | None]], rate: str) -> tuple[str | None, str | None]:
    for tax in taxes:
        if tax["rate"] == rate:
            return tax["taxable_amount"], tax["tax_amount"]
    return None, None


# --- batch exports ----------------------------------------------------------------------------


def check_exportable(batch: Batch) -> None:
    """A cancelled batch holds nothing to export (409)."""
    if batch.status == BatchStatus.CANCELLED:
        raise Conflict(f"batch {batch.id} was cancelled; it holds no invoices")


def batch_csv(session: Session, batch: Batch) -> Iterator[str]:
    """The batch as CSV, one row per invoice (columns in the module docstring)."""
    check_exportable(batch)
    rows = Rows()
    yield BOM + rows.render([BATCH_CSV_COLUMNS])
    chunk: list[list[str]] = []
    for row in repo.export_rows(session, batch.id):
        taxes = _row_taxes(row)
        taxable_10, tax_10 = _rate(taxes, "10")
        taxable_8, tax_8 = _rate(taxes, "8")
        chunk.append(
            [
                cell(v)
                for v in (
                    batch.id,
                    batch.payment_date.isoformat(),
                    row[0],
                    row.invoice_number,
                    row.document_type,
                    row.issue_date,
                    row.due_date,
                    row.registration_number,
                    row.name,
                    row.creditor_number,
                    *_bank_account(row),
                    row.currency,
                    money(row.payable_amount, row.currency),
                    money(row.tax_amount, row.currency),
                    taxable_10,
                    tax_10,
                    taxable_8,
                    tax_8,
                )
            ]
        )
        if len(chunk) >= 1000:
            yield rows.render(chunk)
            chunk = []
    if chunk:
        yield rows.render(chunk)


def batch_summary(batch: Batch) -> dict[str, Any]:
    """The batch's own fields for the JSON export."""
    return {
        "id": batch.id,
        "status": batch.status,
        "payment_date": batch.payment_date.isoformat(),
        "paid_on": batch.paid_on.isoformat() if batch.paid_on else None,
        "invoice_count": batch.invoice_count,
        "total_amount": str(money(batch.total_amount, "JPY")),
        "currency": "JPY",
        "department": batch.department.code if batch.department else None,
        "due_before": batch.due_before.isoformat() if batch.due_before else None,
        "created_at": batch.created_at.isoformat(),
    }


def batch_json(session: Session, batch: Batch) -> Iterator[str]:
    """The batch with every invoice, its creditor, bank account, amounts and tax per rate."""
    check_exportable(batch)
    head = json.dumps(batch_summary(batch), ensure_ascii=False)
    yield head[:-1] + ', "invoices": ['
    first = True
    for row in repo.export_rows(session, batch.id):
        item = {
            "id": row[0],
            "invoice_number": row.invoice_number,
            "document_type": row.document_type,
            "issue_date": row.issue_date.isoformat() if row.issue_date else None,
            "due_date": row.due_date.isoformat() if row.due_date else None,
            "currency": row.currency,
            "payable_amount": _text(money(row.payable_amount, row.currency)),
            "tax_amount": _text(money(row.tax_amount, row.currency)),
            "taxes": _row_taxes(row),
            "supplier": {
                "registration_number": row.registration_number,
                "name": row.name,
                "creditor_number": row.creditor_number,
                "bank_account": dict(zip(BANK_ACCOUNT_FIELDS, _bank_account(row), strict=True)),
            },
        }
        yield ("" if first else ",") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "]}"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def requester(settings: Settings) -> zengin.Requester:
    """The city's own account from the JURYO_ZENGIN_* settings."""
    if not settings.zengin_configured:
        raise Conflict(
            "the city's own account is not configured: set JURYO_ZENGIN_REQUESTER_CODE, "
            "_REQUESTER_NAME, _BANK_CODE, _BRANCH_CODE, _ACCOUNT_TYPE and _ACCOUNT_NUMBER"
        )
    return zengin.Requester(
        code=str(settings.zengin_requester_code),
        name=str(settings.zengin_requester_name),
        bank_code=str(settings.zengin_bank_code),
        branch_code=str(settings.zengin_branch_code),
        account_type=str(settings.zengin_account_type),
        account_number=str(settings.zengin_account_number),
    )


@dataclass(frozen=True, slots=True)
class CreditorProblem:
    """A creditor whose record must be fixed before its transfer can be written."""

    registration_number: str | None
    supplier: str
    problem: str


def _customer_code(creditor: repo.CreditorTotal) -> int:
    number = creditor.creditor_number
    if number and zengin.is_digits(number, len(number)) and len(number) <= 10:
        return int(number)
    return creditor.supplier_id


def _transfer(creditor: repo.CreditorTotal, batch_id: int) -> zengin.Transfer | str:
    """The creditor's transfer, or why it cannot be written."""
    account = creditor.account
    if not (
        account is not None
        and zengin.is_digits(account.bank_code, 4)
        and zengin.is_digits(account.branch_code, 3)
        and account.account_type in zengin.ACCOUNT_TYPES
        and zengin.is_digits(account.account_number, 7)
    ):
        return "no usable bank account"
    try:
        payee = zengin.to_zengin_text(account.account_holder)
    except zengin.ZenginError as exc:
        return f"account holder {exc}"
    if not payee or len(payee) > 30:
        return "account holder must be 1 to 30 half-width characters"
    if creditor.amount != creditor.amount.to_integral():
        return f"amount {creditor.amount} is not a whole number of yen"
    amount = int(creditor.amount)
    if not 0 < amount <= zengin.MAX_AMOUNT:
        return f"amount {amount:,} is beyond the Zengin field (1 to {zengin.MAX_AMOUNT:,} yen)"
    return zengin.Transfer(
        bank_code=account.bank_code,
        branch_code=account.branch_code,
        account_type=account.account_type,
        account_number=account.account_number,
        payee_name=payee,
        amount=amount,
        customer_code_1=_customer_code(creditor),
        customer_code_2=batch_id,
    )


def batch_zengin(session: Session, batch: Batch, settings: Settings) -> bytes:
    """The 総合振込 file: one transfer per creditor (all its invoices share the payment date)."""
    check_exportable(batch)
    payer = requester(settings)
    transfers: list[zengin.Transfer] = []
    problems: list[CreditorProblem] = []
    for creditor in repo.creditor_totals(session, batch.id):
        made = _transfer(creditor, batch.id)
        if isinstance(made, str):
            problems.append(CreditorProblem(creditor.registration_number, creditor.name, made))
        else:
            transfers.append(made)
    total = sum(t.amount for t in transfers)
    if total > zengin.MAX_TOTAL:
        problems.append(
            CreditorProblem(None, "-", f"batch total {total:,} is beyond the 12-digit trailer")
        )
    if problems:
        listed = "; ".join(
            f"{p.supplier} ({p.registration_number or '-'}): {p.problem}" for p in problems
        )
        raise Unprocessable(
            f"fix these creditors before the transfer file can be written: {listed}",
            extra={
                "creditors": [
                    {
                        "registration_number": p.registration_number,
                        "supplier": p.supplier,
                        "problem": p.problem,
                    }
                    for p in problems
                ]
            },
        )
    try:
        return zengin.transfer_file(payer, batch.payment_date, transfers)
    except zengin.ZenginError as exc:  # pragma: no cover - every value was checked above
        raise Unprocessable(str(exc)) from None


# --- the formats ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StreamedExport:
    """A format written while the response goes out, in a read transaction of its own."""

    media_type: str
    suffix: str
    """Ends the file name, after ``batch-<id>-<yyyymmdd>``."""
    render: Callable[[Session, Batch], Iterator[str]]


@dataclass(frozen=True, slots=True)
class FileExport:
    """A format made whole before the response starts, so that what is wrong is an answer."""

    media_type: str
    suffix: str
    """Ends the file name, after ``batch-<id>-<yyyymmdd>``."""
    render: Callable[[Session, Batch, Settings], bytes]


BATCH_FORMATS: dict[str, StreamedExport | FileExport] = {
    "json": StreamedExport("application/json", ".json", batch_json),
    "csv": StreamedExport("text/csv; charset=utf-8", ".csv", batch_csv),
    "zengin": FileExport("text/plain; charset=Shift_JIS", "-zengin.txt", batch_zengin),
}
"""Every batch export, by the name the API takes: a new format is one row and its renderer."""


def format_names() -> str:
    """``json, csv or zengin``: the formats as a sentence names them."""
    *first, last = BATCH_FORMATS
    return f"{', '.join(first)} or {last}"
