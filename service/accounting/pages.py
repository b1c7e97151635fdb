"""Accounting pages: the approved queue, creating a batch, a batch with its downloads, marking
it paid or cancelling it; creditors' bank accounts. The same services as the JSON API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field
from sqlalchemy.orm import Session

from service import clock, formatting, forms
from service.accounting import service
from service.accounting.auth import (
    KEEPS_CREDITORS,
    AccountantForm,
    AccountantPage,
    CreditorKeeperForm,
    CreditorReaderPage,
)
from service.auth.service import BrowserSession
from service.deps import MAX_ROW_ID, DbSession, ReadSession, RowId
from service.errors import BadRequest, NotFound, Unprocessable
from service.i18n import language, translator
from service.pages import error_text, form_action, render
from storage.models import BankAccount
from storage.repositories import batches as repo
from storage.repositories import inbox as inbox_repo
from storage.repositories import organisation

router = APIRouter(include_in_schema=False)
SHOWN = 200
ChosenId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
HELPERS: dict[str, Any] = {"money": formatting.money, "tokyo": formatting.tokyo}


def _date(value: str) -> dt.date | None:
    try:
        return forms.date(value)
    except forms.FormValueError as exc:
        raise Unprocessable.said(exc.key, value=exc.value) from None


def _queue_page(
    request: Request,
    browser: BrowserSession,
    session: Any,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    waiting, total = repo.approved_queue(session, repo.Selection(), limit=SHOWN, offset=0)
    batches, _ = repo.list_batches(session, limit=50, offset=0)
    return render(
        request,
        "accounting/queue.html",
        {
            **HELPERS,
            "waiting": service.waiting_reasons(session, waiting),
            "waiting_total": total,
            "batches": batches,
            "overdue": inbox_repo.overdue(session, clock.today(), limit=SHOWN, offset=0),
            "departments": organisation.list_departments(session),
            "default_date": (clock.today() + dt.timedelta(days=1)).isoformat(),
            "error": error,
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/accounting", response_class=HTMLResponse)
def queue(request: Request, browser: AccountantPage, session: ReadSession) -> Response:
    """Approved invoices waiting for a batch, the form to make one, and the batches so far."""
    return _queue_page(request, browser, session)


@router.post("/accounting/batches", response_class=HTMLResponse)
def create(
    request: Request,
    browser: AccountantForm,
    session: DbSession,
    payment_date: Annotated[str, Form(max_length=10)] = "",
    department: Annotated[str, Form(max_length=64)] = "",
    due_before: Annotated[str, Form(max_length=10)] = "",
    mode: Annotated[str, Form(pattern="^(filters|chosen)$")] = "filters",
    invoice_ids: Annotated[list[ChosenId] | None, Form(max_length=SHOWN)] = None,
) -> Response:
    """Create a batch by the filters, or (``mode=chosen``) of the invoices ticked in the queue;
    on a refusal show the queue again with the reason."""

    def create_batch() -> int:
        pay = _date(payment_date)
        if pay is None:
            raise Unprocessable.said("acct.payment_date_required")
        created = service.create_batch(
            session,
            actor=browser.principal.actor,
            payment_date=pay,
            department=department or None,
            due_before=_date(due_before),
            invoice_ids=_chosen(request, mode, invoice_ids),
        )
        session.flush()
        return created.batch.id

    return form_action(
        session,
        create_batch,
        done=lambda batch_id: RedirectResponse(f"/accounting/batches/{batch_id}", status_code=303),
        refused=lambda exc: _queue_page(
            request,
            browser,
            session,
            error=error_text(exc, language(request)),
            status_code=exc.status_code,
        ),
    )


def _chosen(request: Request, mode: str, invoice_ids: list[int] | None) -> list[int] | None:
    """The invoices ticked for a batch of chosen invoices (None for a batch by the filters);
    ticking none is refused, so it never becomes a batch of everything."""
    if mode != "chosen":
        return None
    if not invoice_ids:
        raise BadRequest(translator(language(request))("acct.none_chosen"))
    return invoice_ids


def _batch_page(
    request: Request,
    browser: BrowserSession,
    session: Any,
    batch_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    batch = repo.by_id(session, batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    return render(
        request,
        "accounting/batch.html",
        {
            **HELPERS,
            "batch": batch,
            "invoices": repo.invoices_of(session, batch.id, limit=SHOWN),
            "today": clock.today().isoformat(),
            "error": error,
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/accounting/batches/{batch_id}", response_class=HTMLResponse)
def batch_detail(
    request: Request, batch_id: RowId, browser: AccountantPage, session: ReadSession
) -> Response:
    """One batch: totals, invoices, downloads (JSON, CSV, Zengin), paid and cancel buttons."""
    return _batch_page(request, browser, session, batch_id)


@router.post("/accounting/batches/{batch_id}/paid", response_class=HTMLResponse)
def paid(
    request: Request,
    batch_id: RowId,
    browser: AccountantForm,
    session: DbSession,
    paid_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Mark the batch paid on the given day."""

    def mark_paid() -> None:
        day = _date(paid_on) or clock.today()
        service.mark_paid(session, actor=browser.principal.actor, batch_id=batch_id, paid_on=day)

    return _on_batch(request, browser, session, batch_id, mark_paid)


@router.post("/accounting/batches/{batch_id}/cancel", response_class=HTMLResponse)
def cancel(
    request: Request,
    batch_id: RowId,
    browser: AccountantForm,
    session: DbSession,
    confirm: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Cancel an unpaid batch once the accountant ticked the confirmation (no script needed);
    its invoices go back to the queue."""

    def cancel_batch() -> None:
        if confirm != "yes":
            raise BadRequest(translator(language(request))("acct.cancel_unconfirmed"))
        service.cancel_batch(session, actor=browser.principal.actor, batch_id=batch_id)

    return _on_batch(request, browser, session, batch_id, cancel_batch)


def _on_batch(
    request: Request,
    browser: BrowserSession,
    session: Session,
    batch_id: int,
    change: Callable[[], None],
) -> Response:
    """Apply one change to the batch and show it again, with the refusal if there was one."""
    return form_action(
        session,
        change,
        done=lambda _: RedirectResponse(f"/accounting/batches/{batch_id}", status_code=303),
        refused=lambda exc: _batch_page(
            request,
            browser,
            session,
            batch_id,
            error=error_text(exc, language(request)),
            status_code=exc.status_code,
        ),
    )


# --- creditors ---------------------------------------------------------------------------------


def _creditors_page(
    request: Request,
    browser: BrowserSession,
    session: Any,
    page: int,
    *,
    message: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    rows, total = repo.creditors(session, limit=SHOWN, offset=(page - 1) * SHOWN)
    return render(
        request,
        "accounting/creditors.html",
        {
            "creditors": rows,
            "total": total,
            "page": page,
            "more": page * SHOWN < total,
            "editable": KEEPS_CREDITORS.admits(browser.principal),
            "message": message,
            "error": error,
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/accounting/creditors", response_class=HTMLResponse)
def creditors(
    request: Request, browser: CreditorReaderPage, session: ReadSession, page: int = 1
) -> Response:
    """Suppliers as creditors with their bank accounts; administrators edit them here."""
    return _creditors_page(request, browser, session, max(page, 1))


@router.post("/accounting/creditors/{registration_number}/bank", response_class=HTMLResponse)
def save_bank_account(
    request: Request,
    registration_number: str,
    browser: CreditorKeeperForm,
    session: DbSession,
    bank_code: Annotated[str, Form(max_length=4)] = "",
    branch_code: Annotated[str, Form(max_length=3)] = "",
    account_type: Annotated[str, Form(max_length=1)] = "",
    account_number: Annotated[str, Form(max_length=7)] = "",
    account_holder: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """Save one creditor's account (administrators only)."""

    def save() -> None:
        account = service.checked_bank_account(
            BankAccount(bank_code, branch_code, account_type, account_number, account_holder)
        )
        service.set_bank_account(
            session,
            actor=browser.principal.actor,
            registration_number=registration_number,
            account=account,
        )

    return form_action(
        session,
        save,
        done=lambda _: _creditors_page(request, browser, session, 1, message=registration_number),
        refused=lambda exc: _creditors_page(
            request,
            browser,
            session,
            1,
            error=f"{registration_number}: {exc.detail}",
            status_code=exc.status_code,
        ),
    )
