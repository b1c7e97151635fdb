"""The supplier's page of its Peppol participant ids (``/account/peppol``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from service.accounts.auth import SupplierForm, SupplierPage
from service.auth.service import BrowserSession
from service.deps import DbSession, ReadSession
from service.errors import Forbidden
from service.i18n import language
from service.pages import form_action, render
from service.peppol import participants

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """The list and the form; an unapproved supplier sees why they are not there yet."""
    principal = browser.principal
    supplier_id = principal.supplier_id if principal.supplier_approved else None
    ids = [] if supplier_id is None else participants.participant_ids(session, supplier_id)
    return render(
        request,
        "peppol/participants.html",
        {"participant_ids": ids, "refused": supplier_id is None, **extra},
        browser=browser,
        status_code=status_code,
    )


@router.get("/account/peppol", response_class=HTMLResponse)
def participant_page(request: Request, browser: SupplierPage, session: ReadSession) -> Response:
    """The company's Peppol participant ids and the form to record one."""
    return _page(request, session, browser)


@router.post("/account/peppol", response_class=HTMLResponse)
def add_participant(
    request: Request,
    browser: SupplierForm,
    session: DbSession,
    participant_id: Annotated[str, Form(min_length=1, max_length=200)],
) -> Response:
    """Record a participant id the company sends from."""
    principal = browser.principal

    def act() -> list[str]:
        if principal.supplier_id is None or not principal.supplier_approved:
            raise Forbidden.said("account.not_approved_yet")
        return participants.add_participant(
            session,
            actor=principal.actor,
            supplier_id=principal.supplier_id,
            value=participant_id,
        )

    return form_action(
        session,
        act,
        done=lambda _: _page(request, session, browser, 201, added=participant_id.strip().lower()),
        refused=lambda exc: _page(
            request, session, browser, exc.status_code, error=exc.message(language(request))
        ),
    )
