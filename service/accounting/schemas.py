"""API shapes for accounting: batches, their creation and payment, creditors' accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from service.accounting.service import CreatedBatch
from service.amounts import money
from service.deps import MAX_ROW_ID
from storage.models import Batch, BatchStatus


class BatchCreate(BaseModel):
    """Which approved invoices to take and when to pay them."""

    payment_date: dt.date
    department: str | None = Field(default=None, max_length=64)
    """Only this department's invoices (its code)."""
    due_before: dt.date | None = None
    """Only invoices due on or before this day (without a due date: the statutory deadline)."""
    invoice_ids: list[Annotated[int, Field(ge=1, le=MAX_ROW_ID)]] | None = Field(
        default=None, min_length=1, max_length=1000
    )
    """Only these invoices (chosen by hand); the filters above still apply."""


class PaidIn(BaseModel):
    """The day the bank paid the batch."""

    paid_on: dt.date


class ExcludedOut(BaseModel):
    """An approved invoice a bank transfer cannot pay; it stays approved."""

    model_config = ConfigDict(from_attributes=True)

    invoice_id: int
    registration_number: str | None
    supplier: str
    reason: str
    """``no_bank_account``, ``not_jpy``, ``no_amount``, ``credit_note``, or
    ``duplicate_number`` (the same supplier + number + issue date is paid or in a batch), or
    ``not_waiting`` (a chosen invoice that is not approved, is in a batch already, or is
    outside the filters given with it)."""


class BatchSummary(BaseModel):
    """A batch as listed (without its invoice ids)."""

    id: int
    status: BatchStatus
    invoice_count: int
    total_amount: Decimal
    payment_date: dt.date
    paid_on: dt.date | None
    department: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, batch: Batch) -> BatchSummary:
        """Render a listed batch."""
        return cls(
            id=batch.id,
            status=batch.status,
            invoice_count=batch.invoice_count,
            total_amount=money(batch.total_amount, "JPY") or Decimal(0),
            payment_date=batch.payment_date,
            paid_on=batch.paid_on,
            department=batch.department.code if batch.department else None,
            created_at=batch.created_at,
        )


class BatchOut(BatchSummary):
    """A payment batch with the invoices it holds."""

    due_before: dt.date | None
    cancelled_at: dt.datetime | None
    invoices: list[int]
    """Invoice ids (empty once cancelled: the audit log keeps what it held)."""

    @classmethod
    def of_batch(cls, batch: Batch, invoice_ids: list[int]) -> BatchOut:
        """Render a batch with its invoice ids."""
        return cls(
            **BatchSummary.of(batch).model_dump(),
            due_before=batch.due_before,
            cancelled_at=batch.cancelled_at,
            invoices=invoice_ids,
        )


class BatchCreated(BatchOut):
    """A new batch, with the approved invoices it could not take."""

    excluded: list[ExcludedOut]

    @classmethod
    def of_created(cls, created: CreatedBatch) -> BatchCreated:
        """Render the service's result."""
        return cls(
            **BatchOut.of_batch(created.batch, created.invoice_ids).model_dump(),
            excluded=[ExcludedOut.model_validate(e) for e in created.excluded],
        )


class BatchPage(BaseModel):
    """One page of batches, newest first."""

    items: list[BatchSummary]
    total: int
    limit: int
    offset: int


class BankAccountIn(BaseModel):
    """A creditor's account; the holder is converted to half-width katakana."""

    bank_code: str = Field(max_length=4, examples=["0001"])
    branch_code: str = Field(max_length=3, examples=["001"])
    account_type: str = Field(max_length=1, examples=["1"])
    """1 普通, 2 当座, 4 貯蓄, 9 その他."""
    account_number: str = Field(max_length=7, examples=["1234567"])
    account_holder: str = Field(max_length=60, examples=["カ）サンプル"])


class CreditorOut(BaseModel):
    """A supplier as a creditor: who it is and where it is paid."""

    model_config = ConfigDict(from_attributes=True)

    registration_number: str | None
    name: str
    creditor_number: str | None
    bank_code: str | None
    branch_code: str | None
    account_type: str | None
    account_number: str | None
    account_holder: str | None
