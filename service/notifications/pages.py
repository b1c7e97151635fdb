"""Notification pages: one's own address and language (everyone), webhooks (suppliers and
administrators), and the delivery log with "send again".

The same services as the JSON API (``service.notifications.service``); a refusal is shown in
place, in the reader's language.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from service.auth.service import BrowserSession
from service.deps import DbSession, ReadSession, RowId, SettingsDep
from service.errors import AppError
from service.formatting import tokyo
from service.i18n import language
from service.notifications import auth, service
from service.notifications.auth import MANAGES_WEBHOOKS, WebhookForm, WebhookPage
from service.notifications.plan import MUTABLE, RECEIVED_BY, STATUTORY, WEBHOOK_EVENTS
from service.pages import CheckedForm, PageSession, error_text, form_action, render
from storage.models import DeliveryStatus, Webhook
from storage.repositories import notifications as repo

router = APIRouter(include_in_schema=False)

LOG_PAGE = 50


def _shown(request: Request, exc: AppError) -> str:
    """A refusal in the reader's language."""
    return error_text(exc, language(request))


def _settings_page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    *,
    error: str | None = None,
    status_code: int = 200,
    **shown: Any,
) -> Response:
    mine = repo.preferences(session, browser.principal.user_id)
    offered = RECEIVED_BY[browser.principal.role]
    manages = MANAGES_WEBHOOKS.admits(browser.principal)
    hooks = repo.webhooks_of(session, auth.owner_of(browser.principal)) if manages else []
    return render(
        request,
        "notifications/settings.html",
        {
            "email": mine.email,
            "language": mine.language,
            "muted": mine.muted,
            "mutable": [k for k in offered if k in MUTABLE],
            "statutory": [k for k in offered if k in STATUTORY],
            "manages_webhooks": manages,
            "webhooks": hooks,
            "webhook_events": WEBHOOK_EVENTS,
            "saved": request.query_params.get("saved"),
            "error": error,
            **shown,
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/account/notifications", response_class=HTMLResponse)
def settings_page(request: Request, browser: PageSession, session: ReadSession) -> Response:
    """Where one's notifications go; for suppliers and administrators, their webhooks."""
    return _settings_page(request, session, browser)


@router.post("/account/notifications", response_class=HTMLResponse)
def save_settings(
    request: Request,
    browser: CheckedForm,
    session: DbSession,
    email: Annotated[str, Form(max_length=320)] = "",
    notify_language: Annotated[str, Form(max_length=2)] = "ja",
    wanted: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Save one's address (empty: no e-mail), the language of one's notifications, and which
    of the optional ones to receive (an unticked box mutes it)."""
    offered = RECEIVED_BY[browser.principal.role]
    muted = [k for k in offered if k in MUTABLE and k not in (wanted or [])]
    chosen = repo.Preferences(email.strip() or None, notify_language, muted)

    return form_action(
        session,
        lambda: service.set_my_notifications(session, caller=browser.principal, chosen=chosen),
        done=lambda _: RedirectResponse("/account/notifications?saved=address", 303),
        refused=lambda exc: _settings_page(
            request, session, browser, error=_shown(request, exc), status_code=exc.status_code
        ),
    )


@router.post("/account/webhooks", response_class=HTMLResponse)
def add_webhook(
    request: Request,
    browser: WebhookForm,
    session: DbSession,
    settings: SettingsDep,
    url: Annotated[str, Form(max_length=2000)] = "",
    events: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Register a webhook; the page shows its secret this once."""

    def created(hook: Webhook) -> Response:
        return _settings_page(request, session, browser, new_secret=hook.secret, new_id=hook.id)

    return form_action(
        session,
        lambda: service.add_webhook(
            session,
            caller=browser.principal,
            url=url.strip(),
            events=events or [],
            settings=settings,
        ),
        done=created,
        refused=lambda exc: _settings_page(
            request, session, browser, error=_shown(request, exc), status_code=exc.status_code
        ),
    )


@router.post("/account/webhooks/{webhook_id}/{act}", response_class=HTMLResponse)
def change_webhook(
    request: Request, webhook_id: RowId, act: str, browser: WebhookForm, session: DbSession
) -> Response:
    """Delete a webhook, or enable one juryo disabled."""
    actions = {"delete": service.remove_webhook, "enable": service.enable_webhook}
    chosen = actions.get(act)
    if chosen is None:
        return _settings_page(request, session, browser, status_code=404)
    return form_action(
        session,
        lambda: chosen(session, caller=browser.principal, webhook_id=webhook_id),
        done=lambda _: RedirectResponse(f"/account/notifications?saved={act}", 303),
        refused=lambda exc: _settings_page(
            request, session, browser, error=_shown(request, exc), status_code=exc.status_code
        ),
    )


@router.get("/notifications/deliveries", response_class=HTMLResponse)
def deliveries_page(
    request: Request,
    browser: WebhookPage,
    session: ReadSession,
    status: Annotated[DeliveryStatus | None, Query()] = None,
    before_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The delivery log, newest first: all of it for administrators, a supplier's own
    webhooks' deliveries for a supplier."""
    caller = browser.principal
    own = None
    if not auth.sees_every_delivery(caller):
        own = [hook.id for hook in repo.webhooks_of(session, auth.owner_of(caller))]
    rows = repo.deliveries_page(
        session, webhook_ids=own, status=status, kind=None, before_id=before_id, limit=LOG_PAGE
    )
    return render(
        request,
        "notifications/deliveries.html",
        {
            "deliveries": rows,
            "status": status.value if status else "",
            "statuses": [s.value for s in DeliveryStatus],
            "next_before": rows[-1].id if len(rows) == LOG_PAGE else None,
            "resent": request.query_params.get("resent"),
            "tokyo": tokyo,
        },
        browser=browser,
    )


@router.post("/notifications/deliveries/{delivery_id}/resend", response_class=HTMLResponse)
def resend(
    request: Request, delivery_id: RowId, browser: WebhookForm, session: DbSession
) -> Response:
    """Queue one delivery again now."""
    return form_action(
        session,
        lambda: service.send_again(session, caller=browser.principal, delivery_id=delivery_id),
        done=lambda d: RedirectResponse(f"/notifications/deliveries?resent={d.id}", 303),
        refused=lambda exc: render(
            request,
            "error.html",
            {"status": exc.status_code, "detail": _shown(request, exc)},
            browser=browser,
            status_code=exc.status_code,
        ),
    )
