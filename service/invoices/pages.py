"""Invoice pages: upload (with data entry for plain PDFs), the list, one invoice, its original.

Routes translate HTTP only: intake, data entry and the scoped queries are the same services
the JSON API uses, so a page can never see or do more than the API would allow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from parsers import registration
from service import formatting, forms
from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.deps import MAX_ROW_ID, DbSession, ReadSession, RowId, RuntimeDep, StoreDep
from service.errors import AppError, BadRequest, NotFound, responses
from service.i18n import action_label, language, translator
from service.intake import service as intake
from service.intake.submission import Channel, Document, Submission, Unreadable
from service.invoices import corrections, display, history, originals, pdf_pages, receipts
from service.invoices.auth import (
    CONFIRMS_DATA,
    ENTERS_DATA,
    SUBMITS,
    DataConfirmingForm,
    SupplierForm,
    SupplierPage,
)
from service.invoices.content import GuessedContent, ParsedContent, content_of
from service.invoices.data_entry import confirm_data, enter_data, takes_data_entry
from service.invoices.schemas import FindingOut, days_left
from service.pages import CheckedForm, PageSession, error_text, form_action, render
from service.registry.service import registered_name
from service.runtime import Runtime
from storage.models import InvoiceRecord, InvoiceStatus
from storage.repositories import invoices as repo
from storage.repositories import organisation

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
HELPERS: dict[str, Any] = {
    "money": formatting.money,
    "tokyo": formatting.tokyo,
    "percent": formatting.percent,
    "statuses": [s.value for s in InvoiceStatus],
}


def _visible(
    request: Request, session: DbSession, browser: BrowserSession, invoice_id: int
) -> InvoiceRecord:
    """The invoice, or 404 whether it is missing or simply not the caller's to see."""
    invoice = repo.visible(session, browser.principal.scope, invoice_id)
    if invoice is None:
        raise NotFound(f"{translator(language(request))('detail.not_found')} (#{invoice_id})")
    return invoice


# --- upload -------------------------------------------------------------------------------


@dataclass
class FileResult:
    """What became of one uploaded file."""

    filename: str
    error: str | None = None
    invoice_id: int | None = None
    status: str | None = None
    invoice_number: str | None = None
    payable_amount: Decimal | None = None
    currency: str | None = None
    acceptable: bool = False
    repeated: bool = False
    findings: list[FindingOut] = field(default_factory=list)
    entry: display.EntryForm | None = None


def _received(filename: str, received: intake.Received, invoice: InvoiceRecord) -> FileResult:
    return FileResult(
        filename=filename,
        invoice_id=invoice.id,
        status=invoice.status,
        invoice_number=invoice.invoice_number,
        payable_amount=invoice.payable_amount,
        currency=invoice.currency,
        acceptable=invoice.status != InvoiceStatus.INVALID,
        repeated=not received.created,
        findings=[FindingOut.model_validate(f) for f in invoice.findings],
        entry=display.entry_form(invoice) if invoice.needs_data_entry else None,
    )


def _receive_one(
    runtime: Runtime, caller: Principal, document: Document, lang: str, *, validate_only: bool
) -> FileResult:
    """Intake as the API does it, in a transaction of its own so one failure spares the rest."""
    name = document.name or "-"
    try:
        if validate_only:
            result = intake.dry_run(runtime, document)
            return FileResult(
                filename=name,
                acceptable=result.acceptable,
                invoice_number=result.invoice.number if result.invoice else None,
                findings=[FindingOut.model_validate(f) for f in result.findings],
            )
        with runtime.sessions() as session:
            received = intake.submit(runtime, session, Submission(document, caller, Channel.PAGE))
            return _received(name, received, receipts.answered(runtime, caller, received))
    except AppError as exc:
        return FileResult(filename=name, error=_problem(exc, lang))


def _problem(exc: AppError, lang: str) -> str:
    """What the person reads, in their language: why a file is unreadable, or the refusal."""
    if isinstance(exc, Unreadable):
        return str(translator(lang)(exc.text_key))
    return error_text(exc, lang)


def _document(part: UploadFile, max_bytes: int) -> Document:
    """The part's bytes, one past the limit at most (intake refuses what is over it)."""
    return Document(part.file.read(max_bytes + 1), filename=part.filename)


@router.get("/invoices/upload", response_class=HTMLResponse)
def upload_form(request: Request, browser: SupplierPage) -> Response:
    """The upload form: a drop zone over an ordinary file input (works without JS)."""
    return render(request, "invoices/upload.html", HELPERS, browser=browser)


@router.post("/invoices/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    browser: SupplierForm,
    runtime: RuntimeDep,
    files: Annotated[list[UploadFile] | None, File()] = None,
    mode: Annotated[str, Form()] = "submit",
) -> Response:
    """Receive several files; each gets its own verdict, findings and, for PDFs, a form."""
    caller = browser.principal
    t = translator(language(request))
    validate_only = mode == "validate"
    chosen = [part for part in files or [] if part.filename]
    page_error, status_code = None, 200
    if not chosen:
        page_error, status_code = t("upload.no_files"), 400
    elif not validate_only and not caller.supplier_approved:
        page_error, status_code = t("upload.not_approved"), 403
    results: list[FileResult] = []
    if page_error is None:
        max_bytes = runtime.settings.max_upload_bytes
        results = [
            _receive_one(
                runtime,
                caller,
                _document(part, max_bytes),
                language(request),
                validate_only=validate_only,
            )
            for part in chosen
        ]
    return render(
        request,
        "invoices/upload.html",
        {**HELPERS, "results": results, "validate_only": validate_only, "page_error": page_error},
        browser=browser,
        status_code=status_code,
    )


# --- data entry -----------------------------------------------------------------------------


BACK_TO_INBOX = "inbox"
"""``back`` of a data-entry form opened from the clerk's decision page: return there."""


def _back(back: str) -> str:
    """Only the one known place to return to: never a URL taken from the request."""
    return BACK_TO_INBOX if back == BACK_TO_INBOX else ""


def _after_entry(invoice_id: int, back: str, done: str) -> Response:
    """Where a data entry or confirmation returns: the decision page the clerk came from, with
    its flash message, else the invoice."""
    if back == BACK_TO_INBOX:
        return RedirectResponse(f"/inbox/{invoice_id}?done={done}", status_code=303)
    return RedirectResponse(f"/invoices/{invoice_id}?saved={done}", status_code=303)


def _entry_page(
    request: Request,
    browser: BrowserSession,
    invoice: InvoiceRecord,
    form: display.EntryForm,
    errors: list[str],
    status_code: int = 200,
    back: str = "",
) -> Response:
    return render(
        request,
        "invoices/data_entry.html",
        {
            **HELPERS,
            "invoice": invoice,
            "form": form,
            "errors": errors,
            "back": back,
            "may_confirm_data": may_confirm_data(invoice, browser.principal),
            "pdf_view": pdf_pages.view_for(request, invoice),
        },
        browser=browser,
        status_code=status_code,
    )


def may_confirm_data(invoice: InvoiceRecord, reader: Principal) -> bool:
    """A clerk may confirm what the supplier entered, while it awaits confirmation."""
    return (
        CONFIRMS_DATA.admits(reader)
        and invoice.status == InvoiceStatus.PENDING
        and invoice.needs_data_entry
        and invoice.data_entry is not None
    )


def _refusal_text(exc: AppError, lang: str) -> str:
    """A refusal in the reader's language."""
    return error_text(exc, lang)


@router.get("/invoices/{invoice_id}/data-entry", response_class=HTMLResponse)
def data_entry_form(
    request: Request,
    invoice_id: RowId,
    browser: PageSession,
    session: ReadSession,
    back: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    """The data-entry form for an invoice without complete data (a plain PDF, Factur-X MINIMUM
    or BASIC WL), prefilled with earlier entry or the guesses."""
    invoice = _visible(request, session, browser, invoice_id)
    if not takes_data_entry(invoice):
        raise NotFound(f"invoice {invoice_id} carries its data; there is nothing to enter")
    return _entry_page(request, browser, invoice, display.entry_form(invoice), [], back=_back(back))


@router.post("/invoices/{invoice_id}/data-entry", response_class=HTMLResponse)
def data_entry(
    request: Request,
    invoice_id: RowId,
    browser: CheckedForm,
    session: DbSession,
    registration_number: Annotated[str, Form(max_length=40)] = "",
    invoice_number: Annotated[str, Form(max_length=200)] = "",
    issue_date: Annotated[str, Form(max_length=20)] = "",
    total: Annotated[str, Form(max_length=40)] = "",
    taxable_10: Annotated[str, Form(max_length=40)] = "",
    tax_10: Annotated[str, Form(max_length=40)] = "",
    taxable_8: Annotated[str, Form(max_length=40)] = "",
    tax_8: Annotated[str, Form(max_length=40)] = "",
    version: Annotated[int, Form(ge=1, le=MAX_ROW_ID)] = 0,
    back: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Record what the person confirmed on the version they saw, then return where they came
    from; on a mistake (or a stale version) show the form again with the reason."""
    invoice = _visible(request, session, browser, invoice_id)
    form = display.EntryForm(
        registration_number,
        invoice_number,
        issue_date,
        total,
        taxable_10,
        tax_10,
        taxable_8,
        tax_8,
        str(version),
    )
    return form_action(
        session,
        lambda: enter_data(
            session,
            caller=browser.principal,
            invoice_id=invoice_id,
            version=version,
            entry=display.to_entry(form),
        ),
        done=lambda _: _after_entry(invoice_id, _back(back), "entered"),
        refused=lambda exc: _entry_page(
            request,
            browser,
            invoice,
            form,
            exc.extra.get("problems", [_refusal_text(exc, language(request))]),
            exc.status_code,
            _back(back),
        ),
    )


@router.post("/invoices/{invoice_id}/data-entry/confirm", response_class=HTMLResponse)
def confirm_entered_data(
    request: Request,
    invoice_id: RowId,
    browser: DataConfirmingForm,
    session: DbSession,
    version: Annotated[int, Form(ge=1, le=MAX_ROW_ID)],
    back: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """A clerk confirms the supplier's entry unchanged, then returns where they came from; a
    refusal (a stale version, nothing to confirm) shows the data-entry form with the reason."""
    invoice = _visible(request, session, browser, invoice_id)
    return form_action(
        session,
        lambda: confirm_data(
            session, caller=browser.principal, invoice_id=invoice_id, version=version
        ),
        done=lambda _: _after_entry(invoice_id, _back(back), "confirmed"),
        refused=lambda exc: _entry_page(
            request,
            browser,
            invoice,
            display.entry_form(invoice),
            [_refusal_text(exc, language(request))],
            exc.status_code,
            _back(back),
        ),
    )


# --- list -------------------------------------------------------------------------------------


T = TypeVar("T")


def _typed(
    parse: Callable[[str | None], T | None], value: str | None, problems: list[str]
) -> T | None:
    """A filter value as typed; a wrong one is noted for the page and ignored."""
    try:
        return parse(value)
    except forms.FormValueError:
        problems.append(value or "")
        return None


@router.get("/invoices", response_class=HTMLResponse)
def invoice_list(
    request: Request,
    browser: PageSession,
    session: ReadSession,
    status: Annotated[list[str] | None, Query()] = None,
    issue_date_from: Annotated[str | None, Query(max_length=10)] = None,
    issue_date_to: Annotated[str | None, Query(max_length=10)] = None,
    amount_min: Annotated[str | None, Query(max_length=20)] = None,
    amount_max: Annotated[str | None, Query(max_length=20)] = None,
    supplier: Annotated[str | None, Query(max_length=300)] = None,
    invoice_number: Annotated[str | None, Query(max_length=200)] = None,
    department: Annotated[str | None, Query(max_length=64)] = None,
    after: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The invoices the signed-in user may see, newest first, filtered like the API; a page
    after the other by cursor (``after``), as the API."""
    problems: list[str] = []
    statuses = [InvoiceStatus(s) for s in status or [] if s in InvoiceStatus.__members__.values()]
    criteria = repo.InvoiceFilter(
        status=statuses,
        issue_date_from=_typed(forms.date, issue_date_from, problems),
        issue_date_to=_typed(forms.date, issue_date_to, problems),
        amount_min=_typed(forms.amount, amount_min, problems),
        amount_max=_typed(forms.amount, amount_max, problems),
        supplier=supplier or None,
        supplier_number=registration.normalize(supplier) if supplier else None,
        invoice_number=invoice_number or None,
        department=department or None,
    )
    found = repo.search(
        session, browser.principal.scope, criteria, limit=PAGE_SIZE, after=_cursor(after)
    )
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("after", "lang")]

    csv_query = [("status", s) for s in statuses] + [
        (name, value)
        for name, value in (
            ("issue_date_from", criteria.issue_date_from and criteria.issue_date_from.isoformat()),
            ("issue_date_to", criteria.issue_date_to and criteria.issue_date_to.isoformat()),
            ("amount_min", criteria.amount_min is not None and str(criteria.amount_min)),
            ("amount_max", criteria.amount_max is not None and str(criteria.amount_max)),
            ("supplier", supplier),
            ("department", department),
            ("invoice_number", invoice_number),
        )
        if value
    ]
    if browser.principal.sees_everything:
        departments = organisation.department_codes(session)
    else:
        departments = list(browser.principal.department_codes)

    return render(
        request,
        "invoices/list.html",
        {
            **HELPERS,
            "rows": found.rows,
            "replaced": found.replaced_by,
            "total": found.total,
            "total_is_capped": found.total_is_capped,
            "first_link": "/invoices?" + urlencode(kept) if after else None,
            "next_link": "/invoices?" + urlencode([*kept, ("after", found.next_cursor.token())])
            if found.next_cursor
            else None,
            "problems": problems,
            "departments": departments,
            "many_suppliers": browser.principal.scope.supplier_id is None,
            "csv_link": "/api/v1/invoices/export.csv?" + urlencode(csv_query),
            "filters": {
                "status": statuses,
                "issue_date_from": issue_date_from or "",
                "issue_date_to": issue_date_to or "",
                "amount_min": amount_min or "",
                "amount_max": amount_max or "",
                "supplier": supplier or "",
                "invoice_number": invoice_number or "",
                "department": department or "",
            },
        },
        browser=browser,
    )


def _cursor(token: str | None) -> repo.Cursor | None:
    """The page's ``after``; a mangled one starts the list over rather than failing."""
    try:
        return repo.Cursor.parse(token) if token else None
    except ValueError:
        return None


# --- one invoice ------------------------------------------------------------------------------


def invoice_view(
    request: Request, session: Session, invoice: InvoiceRecord, reader: Principal
) -> dict[str, Any]:
    """The template values that render one invoice (shared with the clerk's decision page)."""
    content = content_of(invoice)
    parsed = content.invoice if isinstance(content, ParsedContent) else None
    lang = language(request)
    events = history.history(session, reader, invoice.id)
    returns = [e.reason for e in events if e.action == "invoice.return"]
    return {
        **HELPERS,
        "invoice": invoice,
        "content": parsed,
        "guesses": content.guesses if isinstance(content, GuessedContent) else None,
        "takes_data_entry": takes_data_entry(invoice),
        "may_enter_data": ENTERS_DATA.admits(reader),
        "may_correct": SUBMITS.admits(reader),
        "may_confirm_data": may_confirm_data(invoice, reader),
        "pdf_view": pdf_pages.view_for(request, invoice),
        "replaced_by": corrections.replacement_of(session, reader.scope, invoice),
        "days_left": days_left(invoice),
        "seller": display.party(parsed.seller) if parsed else None,
        "registered_name": registered_name(session, invoice.seller_registration_number),
        "buyer": display.party(parsed.buyer) if parsed else None,
        "findings": [FindingOut.model_validate(f) for f in invoice.findings],
        "history": [
            {
                "at": formatting.tokyo(e.occurred_at),
                "action": action_label(e.action, lang),
                "actor_role": e.actor_role,
                "actor_login": e.actor_login,
                "actor_user_id": e.actor_user_id,
                "reason": e.reason,
                "internal": e.internal,
            }
            for e in events
        ],
        "returned_reason": returns[-1] if returns else None,
    }


SAVED_MESSAGES = {"entered": "entry.saved", "confirmed": "entry.confirmed"}
"""``?saved=`` after data entry or its confirmation, and the message each shows."""


def _saved(request: Request) -> str | None:
    """The message for ``?saved=<entered|confirmed>`` after data entry."""
    key = SAVED_MESSAGES.get(request.query_params.get("saved", ""))
    return translator(language(request))(key) if key else None


@router.get("/invoices/{invoice_id}", response_class=HTMLResponse)
def invoice_detail(
    request: Request, invoice_id: RowId, browser: PageSession, session: ReadSession
) -> Response:
    """One invoice in human terms: parties, lines, tax, totals, findings and its history."""
    invoice = _visible(request, session, browser, invoice_id)
    return render(
        request,
        "invoices/detail.html",
        {
            **invoice_view(request, session, invoice, browser.principal),
            "saved": _saved(request),
            "correction_error": None,
        },
        browser=browser,
    )


@router.get(
    "/invoices/{invoice_id}/pages/{page}.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **responses(404, 422, 503)},
)
def invoice_page_image(
    request: Request,
    invoice_id: RowId,
    page: Annotated[int, Path(ge=1, le=pdf_pages.MAX_PAGES)],
    browser: PageSession,
    session: ReadSession,
    store: StoreDep,
    scale: Annotated[float, Query(gt=0, le=pdf_pages.MAX_SCALE)] = pdf_pages.DEFAULT_SCALE,
) -> Response:
    """One page of a PDF original as an image (the safe view), to whoever may see the invoice."""
    invoice = _visible(request, session, browser, invoice_id)
    return pdf_pages.image_response(store, invoice, page, scale, language(request))


@router.get("/invoices/{invoice_id}/original")
def invoice_original(
    request: Request, invoice_id: RowId, browser: PageSession, session: ReadSession, store: StoreDep
) -> Response:
    """The exact bytes the supplier sent, as a download."""
    invoice = _visible(request, session, browser, invoice_id)
    return originals.download(
        invoice, store, browser.principal, request.headers.get("if-none-match")
    )


# --- corrected invoice (a returned one, sent again) -------------------------------------------


@router.post("/invoices/{invoice_id}/correct", response_class=HTMLResponse)
def correct(
    request: Request,
    invoice_id: RowId,
    browser: SupplierForm,
    runtime: RuntimeDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Receive the corrected invoice for a returned one; it continues the returned one's clock."""
    caller = browser.principal
    t = translator(language(request))
    try:
        if file is None or not file.filename:
            raise BadRequest(t("upload.no_files"))
        document = _document(file, runtime.settings.max_upload_bytes)
        submission = Submission(document, caller, Channel.PAGE, replaces=invoice_id)
        with runtime.sessions() as session:
            new_id = intake.submit(runtime, session, submission).invoice.id
    except AppError as exc:
        # An unreadable file is the form's mistake: 400, in the person's language.
        lang = language(request)
        shown = BadRequest(_problem(exc, lang)) if isinstance(exc, Unreadable) else exc
        with runtime.read_sessions() as session:
            invoice = _visible(request, session, browser, invoice_id)
            return render(
                request,
                "invoices/detail.html",
                {
                    **invoice_view(request, session, invoice, browser.principal),
                    "correction_error": error_text(shown, lang),
                },
                browser=browser,
                status_code=shown.status_code,
            )
    return RedirectResponse(f"/invoices/{new_id}?corrected={invoice_id}", status_code=303)
