"""Clerk pages: the inbox of pending invoices and the decision page for one invoice.

Decisions are the services the JSON API calls (``service.inbox.service``); these routes read
the forms, call them, and redirect back with a flash message or show the refusal in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from service import deadlines
from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.deps import DbSession, ReadSession, RowId
from service.errors import AppError, BadRequest, NotFound
from service.i18n import TEXTS, language, translator
from service.inbox import delegations
from service.inbox import service as decisions
from service.inbox.auth import (
    MANAGES_DELEGATIONS,
    AdminForm,
    AdminPage,
    ClerkForm,
    ClerkPage,
    DelegationForm,
    DelegationPage,
)
from service.inbox.schemas import InboxItem
from service.invoices.pages import HELPERS, invoice_view
from service.pages import error_text, form_action, render, templates
from service.routing.service import TRIAGE_CODE
from storage.models import Approval, Department, InvoiceRecord, InvoiceStatus
from storage.repositories import inbox as repo
from storage.repositories import invoices as invoice_repo
from storage.repositories import organisation

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
Version = Annotated[int, Form(ge=1)]
Text = Annotated[str, Form(max_length=2000)]
WORKS_CHOICES: dict[str, bool | None] = {"inherit": None, "yes": True, "no": False}


def department_name(department: Department, t: Callable[[str], str]) -> str:
    """A department's name on a page: the triage inbox's in the reader's language (its stored
    name is Japanese), any other as an administrator typed it."""
    return t("dept.triage") if department.code == TRIAGE_CODE else department.name


templates.env.globals["department_name"] = department_name


def _flash(request: Request) -> str | None:
    """The message for ``?done=<outcome>`` after a decision."""
    key = f"decide.done.{request.query_params.get('done', '')}"
    return translator(language(request))(key) if key in TEXTS else None


# --- the inbox --------------------------------------------------------------------------------


@router.get("/inbox", response_class=HTMLResponse)
def inbox(
    request: Request,
    browser: ClerkPage,
    session: ReadSession,
    sort: repo.InboxSort = repo.InboxSort.DEADLINE,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    department: Annotated[str | None, Query(max_length=64)] = None,
    supplier: Annotated[str | None, Query(max_length=300)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Pending invoices of the clerk's departments, most urgent first unless sorted otherwise."""
    caller = browser.principal
    rows, total = repo.inbox(
        session,
        decisions.inbox_departments(session, caller, department),
        sort=sort,
        descending=order == "desc",
        supplier=supplier or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    kept = {"department": department or "", "supplier": supplier or ""}

    def link(**changes: str | int) -> str:
        query = {**kept, "sort": sort.value, "order": order, "page": page, **changes}
        return "/inbox?" + urlencode({k: v for k, v in query.items() if v not in ("", None)})

    sort_links = {
        column.value: link(
            sort=column.value,
            order="desc" if column is sort and order == "asc" else "asc",
            page=1,
        )
        for column in repo.InboxSort
    }
    return render(
        request,
        "inbox/list.html",
        {
            **HELPERS,
            "rows": [
                (invoice, InboxItem.with_state(invoice, approvers)) for invoice, approvers in rows
            ],
            "total": total,
            "departments": [
                d for d in organisation.list_departments(session) if d.id in caller.department_ids
            ],
            "filters": kept,
            "sort": sort.value,
            "order": order,
            "sort_links": sort_links,
            "prev_link": link(page=page - 1) if page > 1 else None,
            "next_link": link(page=page + 1) if page * PAGE_SIZE < total else None,
            "done": _flash(request),
        },
        browser=browser,
    )


# --- one invoice: everything needed to decide -------------------------------------------------


def _routing_explanation(invoice: InvoiceRecord, lang: str) -> str | None:
    """Why the invoice is in this department; nothing to say for one never routed."""
    routing = decisions.routing_of(invoice)
    if routing.rule is None:
        return None
    return routing.explanation_ja if lang == "ja" else routing.explanation_en


def _decision_page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    invoice_id: int,
    *,
    error: AppError | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    """The decision page; after a refused decision, with the reason in place."""
    caller = browser.principal
    lang = language(request)
    t = translator(lang)
    invoice = invoice_repo.visible(session, caller.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"{t('detail.not_found')} (#{invoice_id})")
    view = invoice_view(request, session, invoice, caller)
    logins = {e["actor_user_id"]: e["actor_login"] for e in view["history"]}
    approvals = repo.approvals_of(session, invoice.id)
    current = [a.user_id for a in approvals if a.amount_revision == invoice.amount_revision]
    stale = error is not None and "current_version" in error.extra
    return render(
        request,
        "inbox/decide.html",
        {
            **view,
            "item": InboxItem.with_state(invoice, current),
            "approvals": [_approval_view(a, invoice, caller, logins) for a in approvals],
            "entered_differs": decisions.approval_rule(invoice).other_than is not None,
            "approved_by_me": caller.user_id in current,
            "entered_by": logins.get(invoice.amounts_entered_by_id, invoice.amounts_entered_by_id)
            if invoice.amounts_entered_by_id
            else None,
            "routing": _routing_explanation(invoice, lang),
            "works": deadlines.effective_works(invoice),
            "works_choice": {None: "inherit", True: "yes", False: "no"}[invoice.works_contract],
            "pending": invoice.status == InvoiceStatus.PENDING,
            "forward_to": [
                d for d in organisation.list_departments(session) if d.id != invoice.department_id
            ],
            "done": _flash(request),
            "error": None if error is None or stale else error_text(error, lang),
            "stale": stale,
            "values": values or {},
        },
        browser=browser,
        status_code=error.status_code if error else 200,
    )


def _approval_view(
    approval: Approval, invoice: InvoiceRecord, caller: Principal, logins: dict[int | None, str]
) -> dict[str, object]:
    """One approval as the panel lists it; one given before the amounts last changed is
    shown as voided, since it no longer counts."""
    return {
        "at": HELPERS["tokyo"](approval.approved_at),
        "login": logins.get(approval.user_id, f"#{approval.user_id}"),
        "mine": approval.user_id == caller.user_id,
        "on_behalf_of": logins.get(approval.on_behalf_of_id, approval.on_behalf_of_id)
        if approval.on_behalf_of_id
        else None,
        "comment": approval.comment,
        "voided": approval.amount_revision != invoice.amount_revision,
    }


@router.get("/inbox/{invoice_id}", response_class=HTMLResponse)
def decision_page(
    request: Request, invoice_id: RowId, browser: ClerkPage, session: ReadSession
) -> Response:
    """One invoice with its findings, routing, history and approvals, and the decisions."""
    return _decision_page(request, session, browser, invoice_id)


def _decide(
    request: Request,
    session: Session,
    browser: BrowserSession,
    invoice_id: int,
    decide: Callable[[Principal], str],
    values: dict[str, str] | None = None,
) -> Response:
    """Run one decision; redirect back with its outcome, or show why it was refused."""

    def back(done: str) -> Response:
        # a forwarded invoice may have left the clerk's sight: back to the inbox then
        target = "/inbox" if done == "forwarded" else f"/inbox/{invoice_id}"
        return RedirectResponse(f"{target}?{urlencode({'done': done})}", status_code=303)

    return form_action(
        session,
        lambda: decide(browser.principal),
        done=back,
        refused=lambda exc: _decision_page(
            request, session, browser, invoice_id, error=exc, values=values
        ),
    )


def _reason(request: Request, reason: str) -> str:
    """A return or a rejection needs a reason: the supplier reads it."""
    if not reason.strip():
        raise BadRequest(translator(language(request))("decide.reason_required"))
    return reason.strip()


@router.post("/inbox/{invoice_id}/approve", response_class=HTMLResponse)
def approve(
    request: Request,
    invoice_id: RowId,
    browser: ClerkForm,
    session: DbSession,
    version: Version,
    comment: Text = "",
) -> Response:
    """Approve (the first of two from the department's threshold)."""
    return _decide(
        request,
        session,
        browser,
        invoice_id,
        lambda caller: (
            decisions.approve(
                session,
                caller=caller,
                invoice_id=invoice_id,
                version=version,
                comment=comment.strip() or None,
            ).action
        ),
        {"comment": comment},
    )


@router.post("/inbox/{invoice_id}/return", response_class=HTMLResponse)
def return_invoice(
    request: Request,
    invoice_id: RowId,
    browser: ClerkForm,
    session: DbSession,
    version: Version,
    reason: Text = "",
) -> Response:
    """Return to the supplier for correction, with the reason the supplier will read."""
    return _decide(
        request,
        session,
        browser,
        invoice_id,
        lambda caller: (
            decisions.return_to_supplier(
                session,
                caller=caller,
                invoice_id=invoice_id,
                version=version,
                reason=_reason(request, reason),
            ).action
        ),
        {"return_reason": reason},
    )


@router.post("/inbox/{invoice_id}/reject", response_class=HTMLResponse)
def reject(
    request: Request,
    invoice_id: RowId,
    browser: ClerkForm,
    session: DbSession,
    version: Version,
    reason: Text = "",
) -> Response:
    """Refuse the invoice for good."""
    return _decide(
        request,
        session,
        browser,
        invoice_id,
        lambda caller: (
            decisions.reject(
                session,
                caller=caller,
                invoice_id=invoice_id,
                version=version,
                reason=_reason(request, reason),
            ).action
        ),
        {"reject_reason": reason},
    )


@router.post("/inbox/{invoice_id}/forward", response_class=HTMLResponse)
def forward(
    request: Request,
    invoice_id: RowId,
    browser: ClerkForm,
    session: DbSession,
    version: Version,
    department: Annotated[str, Form(min_length=1, max_length=64)],
    comment: Text = "",
) -> Response:
    """Hand the invoice to another department."""
    return _decide(
        request,
        session,
        browser,
        invoice_id,
        lambda caller: (
            decisions.forward(
                session,
                caller=caller,
                invoice_id=invoice_id,
                version=version,
                department_code=department,
                comment=comment.strip() or None,
            ).action
        ),
        {"forward_comment": comment},
    )


@router.post("/inbox/{invoice_id}/works", response_class=HTMLResponse)
def set_works(
    request: Request,
    invoice_id: RowId,
    browser: ClerkForm,
    session: DbSession,
    version: Version,
    works: Annotated[str, Form(pattern="^(inherit|yes|no)$")] = "inherit",
) -> Response:
    """Override whether the invoice is for construction works (40 days to pay)."""

    def change(caller: Principal) -> str:
        decisions.set_works(
            session,
            caller=caller,
            invoice_id=invoice_id,
            version=version,
            works=WORKS_CHOICES[works],
        )
        return "works"

    return _decide(request, session, browser, invoice_id, change)


# --- every inbox, for an administrator ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdminOrder:
    """Which page of an inbox an administrator looks at, in which order."""

    sort: repo.InboxSort = repo.InboxSort.DEADLINE
    descending: bool = False
    page: int = 1


@router.get("/admin/inboxes", response_class=HTMLResponse)
def inboxes(request: Request, browser: AdminPage, session: ReadSession) -> Response:
    """Every department's inbox with how many invoices wait there, triage first."""
    counts = repo.pending_counts(session)
    departments = sorted(
        organisation.list_departments(session), key=lambda d: (d.code != TRIAGE_CODE, d.code)
    )
    return render(
        request,
        "inbox/admin_inboxes.html",
        {"inboxes": [(d, counts.get(d.id, 0)) for d in departments]},
        browser=browser,
    )


def _department_inbox_page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    code: str,
    order: AdminOrder,
    *,
    error: AppError | None = None,
) -> Response:
    """One department's pending invoices, each with a form to reassign it."""
    department = decisions.any_department(session, code)
    page = order.page
    rows, total = repo.inbox(
        session,
        [department.id],
        sort=order.sort,
        descending=order.descending,
        supplier=None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    base = f"/admin/inboxes/{quote(department.code)}?sort={order.sort.value}&order="
    base += "desc&page=" if order.descending else "asc&page="
    return render(
        request,
        "inbox/admin_inbox.html",
        {
            **HELPERS,
            "department": department,
            "rows": [
                (invoice, InboxItem.with_state(invoice, approvers)) for invoice, approvers in rows
            ],
            "total": total,
            "targets": [d for d in organisation.list_departments(session) if d.id != department.id],
            "prev_link": f"{base}{page - 1}" if page > 1 else None,
            "next_link": f"{base}{page + 1}" if page * PAGE_SIZE < total else None,
            "done": _flash(request),
            "error": error_text(error, language(request)) if error else None,
        },
        browser=browser,
        status_code=error.status_code if error else 200,
    )


@router.get("/admin/inboxes/{code}", response_class=HTMLResponse)
def department_inbox(
    request: Request,
    code: Annotated[str, Path(max_length=64)],
    browser: AdminPage,
    session: ReadSession,
    sort: repo.InboxSort = repo.InboxSort.DEADLINE,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """What waits in one department's inbox (e.g. triage), to reassign by hand; most urgent
    first unless sorted otherwise."""
    shown = AdminOrder(sort, order == "desc", page)
    return _department_inbox_page(request, session, browser, code, shown)


@router.post("/admin/inboxes/{code}/{invoice_id}/reassign", response_class=HTMLResponse)
def reassign(
    request: Request,
    code: Annotated[str, Path(max_length=64)],
    invoice_id: RowId,
    browser: AdminForm,
    session: DbSession,
    version: Version,
    department: Annotated[str, Form(min_length=1, max_length=64)],
    comment: Text = "",
) -> Response:
    """Move the invoice to another department's inbox; back to this inbox with the outcome."""
    return form_action(
        session,
        lambda: decisions.reassign(
            session,
            caller=browser.principal,
            invoice_id=invoice_id,
            version=version,
            department_code=department,
            comment=comment.strip() or None,
        ),
        done=lambda _: RedirectResponse(
            f"/admin/inboxes/{quote(code)}?done=reassigned", status_code=303
        ),
        refused=lambda exc: _department_inbox_page(
            request, session, browser, code, AdminOrder(), error=exc
        ),
    )


# --- delegations ------------------------------------------------------------------------------


def _delegations_page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    *,
    done: str | None = None,
    error: str | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    caller = browser.principal
    anyone = MANAGES_DELEGATIONS.admits(caller)
    departments = organisation.list_departments(session)
    return render(
        request,
        "inbox/delegations.html",
        {
            "delegations": delegations.delegation_views(session, caller),
            "departments": [d for d in departments if anyone or d.id in caller.department_ids],
            "names_clerk": anyone,
            "done": done,
            "error": error,
            "values": values or {},
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/delegations", response_class=HTMLResponse)
def delegations_page(request: Request, browser: DelegationPage, session: ReadSession) -> Response:
    """A clerk's delegations given and received (an administrator's: every one), and the form
    to set one."""
    done = request.query_params.get("done")
    key = f"delegations.{done}" if done in ("created", "ended") else None
    shown = translator(language(request))(key) if key else None
    return _delegations_page(request, session, browser, done=shown)


def _on_delegations(
    request: Request,
    session: Session,
    browser: BrowserSession,
    act: Callable[[], object],
    outcome: str,
    values: dict[str, str] | None = None,
) -> Response:
    """Apply one change and go back to the list, or show it with the refusal."""
    lang = language(request)
    return form_action(
        session,
        act,
        done=lambda _: RedirectResponse(f"/delegations?done={outcome}", status_code=303),
        refused=lambda exc: _delegations_page(
            request,
            session,
            browser,
            error=str(exc.extra.get(f"message_{lang}", exc.detail)),
            values=values,
            status_code=exc.status_code,
        ),
    )


def _form_date(value: str, t: Callable[[str], str]) -> dt.date:
    """A date typed in the form (``YYYY-MM-DD``); BadRequest in the reader's language."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadRequest(t("audit.bad_date").format(value=value)) from None


@router.post("/delegations", response_class=HTMLResponse)
def create_delegation(
    request: Request,
    browser: DelegationForm,
    session: DbSession,
    substitute: Annotated[str, Form(max_length=120)] = "",
    department: Annotated[str, Form(max_length=64)] = "",
    starts_on: Annotated[str, Form(max_length=10)] = "",
    ends_on: Annotated[str, Form(max_length=10)] = "",
    clerk: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    """Set a delegation by the API's rules."""
    values = {
        "substitute": substitute,
        "department": department,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "clerk": clerk,
    }
    t = translator(language(request))

    def create() -> object:
        return delegations.add_delegation(
            session,
            caller=browser.principal,
            substitute=substitute.strip(),
            department_code=department,
            starts_on=_form_date(starts_on, t),
            ends_on=_form_date(ends_on, t),
            clerk=clerk.strip() or None,
        )

    return _on_delegations(request, session, browser, create, "created", values)


@router.post("/delegations/{delegation_id}/end", response_class=HTMLResponse)
def end_delegation(
    request: Request, delegation_id: RowId, browser: DelegationForm, session: DbSession
) -> Response:
    """End (withdraw) a delegation the clerk gave; an administrator any."""

    def end() -> None:
        delegations.withdraw_delegation(
            session, caller=browser.principal, delegation_id=delegation_id
        )

    return _on_delegations(request, session, browser, end, "ended")
