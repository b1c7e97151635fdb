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
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from service import zengin
from service.amounts import money
from service.errors import Conflict, Unprocessable
from service.formatting import decimal
from service.settings import Settings
from service.spreadsheet import BOM, Rows, cell
from storage.models import Batch
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
    "bank_code",
    "branch_code",
    "account_type",
    "account_number",
    "account_holder",
    "currency",
    "payable_amount",
    "tax_amount",
    "taxable_10",
    "tax_10",
    "taxable_8",
    "tax_8",
)


def taxes_per_rate(
    content: dict[str, Any] | None, data_entry: dict[str, Any] | None
) -> list[dict[str, str | None]]:
    """Taxable amount and tax per rate: what a person entered, else what the invoice says."""
    if data_entry and data_entry.get("taxes"):
        source = data_entry["taxes"]
    else:
        source = (content or {}).get("tax_breakdown") or []
    found = []
    for tax in source:
        rate = decimal(tax.get("rate"))
        found.append(
            {
                "rate": None if rate is None else f"{rate.normalize():f}",
                "taxable_amount": _plain(tax.get("taxable_amount")),
                "tax_amount": _plain(tax.get("tax_amount")),
            }
        )
    return found


def _plain(value: Any) -> str | None:
    amount = decimal(value)
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
    if batch.status == "cancelled":
        raise Conflict(f"batch {batch.id} was cancelled; it holds no invoices")


def batch_csv(session: Session, batch: Batch) -> Iterator[str]:
    """The batch as CSV, one row per invoice (columns in the module docstring)."""
    check_exportable(batch)
    rows = Rows()
    yield BOM + rows.render([BATCH_CSV_COLUMNS])
    chunk: list[list[str]] = []
    for row in repo.export_rows(session, batch.id):
        taxes = taxes_per_rate(row.content, row.data_entry)
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
                    row.bank_code,
                    row.branch_code,
                    row.account_type,
                    row.account_number,
                    row.account_holder,
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
            "taxes": taxes_per_rate(row.content, row.data_entry),
            "supplier": {
                "registration_number": row.registration_number,
                "name": row.name,
                "creditor_number": row.creditor_number,
                "bank_account": {
                    "bank_code": row.bank_code,
                    "branch_code": row.branch_code,
                    "account_type": row.account_type,
                    "account_number": row.account_number,
                    "account_holder": row.account_holder,
                },
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
    if not (
        zengin.is_digits(creditor.bank_code, 4)
        and zengin.is_digits(creditor.branch_code, 3)
        and creditor.account_type in zengin.ACCOUNT_TYPES
        and zengin.is_digits(creditor.account_number, 7)
    ):
        return "no usable bank account"
    try:
        payee = zengin.to_zengin_text(creditor.account_holder or "")
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
        bank_code=str(creditor.bank_code),
        branch_code=str(creditor.branch_code),
        account_type=str(creditor.account_type),
        account_number=str(creditor.account_number),
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
