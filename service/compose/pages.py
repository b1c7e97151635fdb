"""The invoice form: write, preview, keep as a draft or template, copy, credit, submit.

Routes translate HTTP only: the form's fields become the API's ``ComposeIn`` and every rule is
in ``service.compose.service``. The page works without JavaScript (the preview button asks the
server for the amounts); ``/static/compose.js`` only adds live totals and new rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from parsers import Finding
from parsers.compose import UNITS, Rounding, TaxRate
from service import clock, formatting
from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.compose import form
from service.compose import service as composer
from service.compose.copy import copy_pdf
from service.compose.schemas import ComposeIn, SellerIn, from_invoice
from service.deps import DbSession, ReadSession, RowId, RuntimeDep, StoreDep
from service.errors import AppError, NotFound
from service.i18n import language, translator
from service.invoices.auth import SupplierForm, SupplierPage
from service.invoices.content import ParsedContent, content_of
from service.pages import PageSession, form_action, render
from service.runtime import Runtime
from storage.models import InvoiceRecord, Supplier
from storage.repositories import compose as repo
from storage.repositories import invoices as invoice_repo
from storage.repositories import organisation

router = APIRouter(include_in_schema=False)
RECENT = 12
"""Earlier invoices the form offers to copy or to correct."""


async def form_values(request: Request) -> dict[str, str]:
    """The posted form's text fields (already read and size-checked by ``FormBodyGuard``)."""
    posted = await request.form()
    return {k: v for k, v in posted.items() if isinstance(v, str)}


FormValues = Annotated[dict[str, str], Depends(form_values)]


@dataclass
class FormState:
    """Everything the form shows besides the fields themselves."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    preview: composer.Preview | None = None
    extra_rows: int = form.BLANK_LINES
    rows: list[int] = field(default_factory=list)
    """The form row of each line of the preview's body."""
    notice: str | None = None


# --- what a new form starts with ----------------------------------------------------------------


def _seller_values(supplier: Supplier) -> dict[str, str]:
    """The account's seller fields, as the form pre-fills them."""
    values = {
        f"seller-{name}": getattr(supplier, name) or ""
        for name in (*composer.SELLER_COLUMNS, "name")
    }
    values["seller-email"] = supplier.contact_email or ""
    account = supplier.bank_account
    if account is not None:
        values.update(
            {
                "seller-bank_code": account.bank_code,
                "seller-branch_code": account.branch_code,
                "seller-account_type": account.account_type,
                "seller-account_number": account.account_number,
                "seller-account_holder": account.account_holder,
            }
        )
    return values


def _fresh(session: Session, caller: Principal, supplier: Supplier) -> dict[str, str]:
    """A new invoice: the next number, today in Tokyo, the account's seller and rounding."""
    today = clock.today()
    return {
        **_seller_values(supplier),
        "invoice_number": composer.next_number(session, caller, today),
        "issue_date": today.isoformat(),
        "rounding": supplier.rounding,
    }


def _source(request: Request, session: Session, caller: Principal, invoice_id: int) -> Any:
    """An earlier invoice of the caller's, as the parser read it."""
    invoice = invoice_repo.visible(session, caller.scope, invoice_id)
    content = content_of(invoice) if invoice is not None else None
    if not isinstance(content, ParsedContent):
        t = translator(language(request))
        raise NotFound(f"{t('detail.not_found')} (#{invoice_id})")
    return content.invoice


def _copied(source: Any, today: dt.date) -> dict[str, str]:
    """An earlier invoice's buyer, lines and terms, its dates moved to this month."""
    months = composer.months_between(source.issue_date or today, today)
    period = source.period
    values = form.values_of(from_invoice(source))
    dates = {
        "due_date": composer.shift_months(source.due_date, months),
        "period_start": composer.shift_months(period.start if period else None, months),
        "period_end": composer.shift_months(period.end if period else None, months),
    }
    values.update({k: v.isoformat() for k, v in dates.items() if v is not None})
    return values


def _start(request: Request, session: Session, caller: Principal) -> dict[str, str]:
    """The form's first values: new, or from a draft, a template or an earlier invoice."""
    supplier = composer.supplier_of(session, caller)
    values = _fresh(session, caller, supplier)
    query = request.query_params
    if (draft_id := _id(query.get("draft"))) is not None:
        return {**values, **_opened_draft(session, caller, draft_id)}
    for mode in ("copy", "credit", "correct"):
        if (invoice_id := _id(query.get(mode))) is not None:
            source = _source(request, session, caller, invoice_id)
            values.update(_copied(source, clock.today()))
            if mode != "copy":
                values["preceding_invoice"] = source.number or ""
                values["preceding_issue_date"] = _iso(source.issue_date)
            if mode == "credit" and supplier.registration_number:
                values["credit_note"] = "1"
            if mode == "correct":
                values["replaces"] = str(invoice_id)
    return values


def _opened_draft(session: Session, caller: Principal, draft_id: int) -> dict[str, str]:
    """A draft as it was left; a template with this month's number and dates."""
    assert caller.supplier_id is not None
    row = repo.draft(session, caller.supplier_id, draft_id)
    if row is None:
        raise NotFound(f"no draft {draft_id}")
    values = dict(row.body)
    if not row.template:
        return {**values, "draft_id": str(row.id)}
    today = clock.today()
    issued = _date(values.get("issue_date")) or today
    months = composer.months_between(issued, today)
    for name in ("due_date", "period_start", "period_end", "delivery_date"):
        moved = composer.shift_months(_date(values.get(name)), months)
        if moved is not None:
            values[name] = moved.isoformat()
    for name in ("invoice_number", "issue_date", "draft_id"):
        values.pop(name, None)
    return values


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) < 2**31 else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# --- rendering ------------------------------------------------------------------------------------


def _page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    state: FormState,
    *,
    status_code: int = 200,
) -> Response:
    caller = browser.principal
    supplier = composer.supplier_of(session, caller)
    assert caller.supplier_id is not None
    lang = language(request)
    rows = form.line_count(state.values) + state.extra_rows
    return render(
        request,
        "compose/form.html",
        {
            "v": state.values,
            "errors": state.errors,
            "problems": state.problems,
            "preview": state.preview,
            "preview_rows": state.rows,
            "seller_open": any(name.startswith("seller-") for name in state.errors),
            "notice": state.notice,
            "rows": range(max(rows, 1)),
            "units": [(u.code, u.ja if lang == "ja" else u.en) for u in UNITS],
            "taxes": [t.value for t in TaxRate],
            "roundings": [r.value for r in Rounding],
            "departments": organisation.list_departments(session),
            "drafts": repo.drafts(session, caller.supplier_id),
            "recent": repo.recent_invoices(session, caller.supplier_id, RECENT),
            "registered": supplier.registration_number is not None,
            "registration_number": supplier.registration_number,
            "money": formatting.money,
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/compose", response_class=HTMLResponse)
def compose_form(request: Request, browser: SupplierPage, session: ReadSession) -> Response:
    """The invoice form: new, or from a draft, a template (``?draft=``) or an earlier
    invoice (``?copy=``, ``?credit=``, ``?correct=`` a returned one)."""
    state = FormState(_start(request, session, browser.principal))
    return _page(request, session, browser, state)


# --- posting the form ---------------------------------------------------------------------------


def _validated(state: FormState, lang: str) -> tuple[ComposeIn | None, list[int]]:
    """The form as the API's body, or None with the problems put at their fields."""
    body, rows = form.body_of(state.values)
    state.rows = rows
    try:
        return ComposeIn.model_validate(body), rows
    except ValidationError as exc:
        t = translator(lang)
        for error in exc.errors():
            name = form.field_of_error(tuple(error["loc"]), rows, error["msg"])
            message = f"{t('compose.invalid')}: {error['msg']}"
            if name is not None and name not in state.errors:
                state.errors[name] = message
            elif name is None:
                state.problems.append(message)
        return None, rows


def _findings_at_fields(
    state: FormState, findings: list[Finding], rows: list[int], lang: str
) -> None:
    for finding in findings:
        name = form.field_of_finding(finding, rows)
        text = f"{finding.message(lang)} ({finding.rule_id})"
        if name is not None and name not in state.errors:
            state.errors[name] = text
        else:
            state.problems.append(text)


def _refused(state: FormState, exc: AppError, lang: str) -> None:
    """A refusal from the service, at its field when it names one."""
    fields: dict[str, str] = exc.extra.get("fields", {})
    t = translator(lang)
    for name, key in fields.items():
        state.errors[name] = t(key)
    if not fields:
        state.problems.append(exc.detail)


def _checked(
    runtime: Runtime, session: Session, caller: Principal, state: FormState, lang: str
) -> ComposeIn | None:
    """The body if the validator finds nothing fatal in its XML; else None, the problems at
    their fields. The preview (amounts, findings) is kept for the page either way."""
    body, rows = _validated(state, lang)
    if body is None:
        return None
    try:
        state.preview = composer.preview(runtime, session, caller, body)
    except AppError as exc:
        _refused(state, exc, lang)
        return None
    fatal = state.preview.fatal
    _findings_at_fields(state, fatal, rows, lang)
    return None if fatal else body


@router.post("/compose", response_class=HTMLResponse)
def compose_post(
    request: Request,
    browser: SupplierForm,
    runtime: RuntimeDep,
    session: ReadSession,
    values: FormValues,
) -> Response:
    """Preview (the server computes what the script shows live), add a line, or submit."""
    lang = language(request)
    state = _state(values)
    action = values.get("action", "preview")
    if action == "add_line":
        state.extra_rows += 1
        return _page(request, session, browser, state)
    body = _checked(runtime, session, browser.principal, state, lang)
    if action != "submit" or body is None:
        status = 200 if action != "submit" else 400
        return _page(request, session, browser, state, status_code=status)
    return _submit(request, runtime, session, browser, state, body)


def _state(values: dict[str, str]) -> FormState:
    return FormState({k: v for k, v in values.items() if k not in ("csrf_token", "action")})


def _submit(
    request: Request,
    runtime: Runtime,
    session: Session,
    browser: BrowserSession,
    state: FormState,
    body: ComposeIn,
) -> Response:
    """Hand the invoice to intake in a transaction of its own, which intake commits before the
    answer; the submitted draft goes in the same commit."""
    caller = browser.principal
    draft_id = _id(state.values.get("draft_id"))
    try:
        with runtime.sessions() as own:
            if draft_id is not None:
                composer.delete_draft(own, caller, draft_id)
            received = composer.submit(
                runtime, own, caller, body, replaces=_id(state.values.get("replaces"))
            )
    except AppError as exc:
        _refused(state, exc, language(request))
        return _page(request, session, browser, state, status_code=exc.status_code)
    return RedirectResponse(f"/invoices/{received.invoice.id}?composed=1", status_code=303)


@router.post("/compose/save", response_class=HTMLResponse)
def save_draft(
    request: Request, browser: SupplierForm, session: DbSession, values: FormValues
) -> Response:
    """Keep the form as a draft, or (``action=save_template``) as a template."""
    t = translator(language(request))
    state = _state(values)
    template = values.get("action") == "save_template"
    name = values.get("draft_name", "").strip() or values.get("invoice_number", "") or "-"

    def saved(row: Any) -> Response:
        if not template:
            state.values["draft_id"] = str(row.id)
        state.notice = t("compose.template_saved" if template else "compose.draft_saved")
        return _page(request, session, browser, state)

    def refused(exc: AppError) -> Response:
        _refused(state, exc, language(request))
        return _page(request, session, browser, state, status_code=exc.status_code)

    return form_action(
        session,
        lambda: composer.save_draft(
            session,
            browser.principal,
            dict(state.values),
            template=template,
            name=name,
            draft_id=_id(state.values.get("draft_id")),
        ),
        done=saved,
        refused=refused,
    )


@router.post("/compose/seller", response_class=HTMLResponse)
def save_seller(
    request: Request, browser: SupplierForm, session: DbSession, values: FormValues
) -> Response:
    """The seller's fields as typed on the form become the account's."""
    t = translator(language(request))
    state = _state(values)
    body, _ = form.body_of(state.values)

    def act() -> None:
        stated = SellerIn.model_validate(body["seller"])
        rounding = state.values.get("rounding")
        composer.save_seller(
            session, browser.principal, stated, Rounding(rounding) if rounding else None
        )

    def done(_: None) -> Response:
        state.notice = t("compose.seller_saved")
        return _page(request, session, browser, state)

    def refused(exc: AppError) -> Response:
        state.problems.append(exc.detail)
        return _page(request, session, browser, state, status_code=exc.status_code)

    return form_action(session, act, done=done, refused=refused)


@router.post("/compose/drafts/{draft_id}/delete")
def delete_draft(draft_id: RowId, browser: SupplierForm, session: DbSession) -> Response:
    """Remove a draft or template."""
    composer.delete_draft(session, browser.principal, draft_id)
    return RedirectResponse("/compose", status_code=303)


# --- the supplier's copy ------------------------------------------------------------------------


@router.get("/invoices/{invoice_id}/copy.pdf")
def invoice_copy(
    request: Request, invoice_id: RowId, browser: PageSession, session: ReadSession, store: StoreDep
) -> Response:
    """The supplier's copy (適格請求書の写し): a readable PDF with the original XML inside."""
    invoice: InvoiceRecord | None = invoice_repo.visible(
        session, browser.principal.scope, invoice_id
    )
    content = content_of(invoice) if invoice is not None else None
    if invoice is None or not isinstance(content, ParsedContent):
        raise NotFound(f"no readable copy of invoice {invoice_id}")
    original = store.get(invoice.original.object_key)
    pdf = copy_pdf(content.invoice, original, language(request), invoice.filename)
    name = f"{invoice.invoice_number or invoice.id}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}"'},
    )


def _ascii(name: str) -> str:
    return "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "_" for c in name)
