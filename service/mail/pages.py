"""The administrator's page for received mail: the quarantine (mail from addresses no
supplier registered) with the form that assigns a mail to a supplier, and the recent others
with what became of them. The assignment is ``service.mail.service.assign``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service import formatting
from service.admin.auth import AdminForm, AdminPage
from service.auth.service import BrowserSession
from service.deps import MAX_ROW_ID, ReadSession, RuntimeDep
from service.i18n import language, translator
from service.mail import service
from service.mail.service import AssignRefused
from service.pages import render
from storage.repositories import mail as repo

router = APIRouter(include_in_schema=False)

RECENT_SHOWN = 50
MailId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def _page(
    request: Request,
    runtime: RuntimeDep,
    browser: BrowserSession,
    *,
    error: str | None = None,
    status_code: int = 200,
    assigned: int | None = None,
) -> Response:
    with runtime.read_sessions() as session:
        context: dict[str, Any] = {
            "held": repo.quarantined(session),
            "recent": repo.recent(session, RECENT_SHOWN),
            "error": error,
            "assigned": assigned,
            "tokyo": formatting.tokyo,
        }
        return render(request, "mail/index.html", context, browser=browser, status_code=status_code)


@router.get("/admin/mail", response_class=HTMLResponse)
def mail_index(
    request: Request, browser: AdminPage, runtime: RuntimeDep, assigned: int | None = None
) -> Response:
    """Mail held for review, and the recent mail with what became of it."""
    return _page(request, runtime, browser, assigned=assigned)


@router.post("/admin/mail/{mail_id}/assign", response_class=HTMLResponse)
def assign_mail(
    request: Request,
    browser: AdminForm,
    runtime: RuntimeDep,
    mail_id: MailId,
    supplier: Annotated[str, Form(max_length=40)] = "",
    remember: Annotated[bool, Form()] = False,
) -> Response:
    """Receive a held mail's attachments as the supplier with this registration number (and,
    when asked, register its sender address for that supplier)."""
    try:
        service.assign(
            runtime,
            mail_id,
            registration_number=supplier,
            admin=browser.principal,
            remember_sender=remember,
        )
    except AssignRefused as exc:
        t = translator(language(request))
        return _page(request, runtime, browser, error=t(exc.text_key), status_code=exc.status_code)
    return RedirectResponse(f"/admin/mail?assigned={mail_id}", status_code=303)


@router.get("/admin/mail/{mail_id}/original")
def mail_original(
    browser: AdminPage, session: ReadSession, runtime: RuntimeDep, mail_id: MailId
) -> Response:
    """The mail exactly as received, to open in a mail program."""
    mail = repo.get(session, mail_id)
    if mail is None:
        return Response(status_code=404)
    return Response(
        service.raw_of(runtime, mail),
        media_type="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="mail-{mail.id}.eml"'},
    )
