"""What every server-rendered page shares: templates, language, the signed-in user, CSRF."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service import formatting
from service.auth import service as auth
from service.auth.service import BrowserSession
from service.deps import SESSION_COOKIE, RuntimeDep
from service.errors import AppError, BadRequest, Forbidden, install_error_handlers
from service.i18n import (
    LANG_COOKIE,
    TEXTS,
    invoice_count,
    language,
    payment_means,
    translator,
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
"""Kana or Kanji: a detail already written in Japanese."""

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.globals.update(
    unit_name=formatting.unit_name, invoice_count=invoice_count, payment_means=payment_means
)
LOGIN_CSRF_COOKIE = "juryo_login_csrf"
BROWSER_STATE = "juryo_browser"
"""Where ``service.form_bodies`` leaves the session it found before reading a form's body."""


class LoginRequired(AppError):
    """A page needs a signed-in user; rendered as a redirect to the login page."""

    status_code = 401
    error = "login_required"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    browser: BrowserSession | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page in the caller's language; remember an explicit ``?lang=`` choice."""
    lang = language(request)
    response = templates.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": translator(lang),
            "user": browser.principal if browser else None,
            "csrf_token": browser.csrf_token if browser else None,
            **(context or {}),
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def _signed_in(request: Request) -> BrowserSession | None:
    """The browser behind a failed request, so its error page keeps the navigation and user.

    Not after a server-side failure (5xx): the database may be what failed, and the page must
    still answer; nor when resuming fails, for the same reason.
    """
    found: BrowserSession | None = request.scope.get("state", {}).get(BROWSER_STATE)
    cookie = request.cookies.get(SESSION_COOKIE)
    if found is not None or not cookie:
        return found
    try:
        with request.app.state.runtime.read_sessions() as session:
            resumed: BrowserSession | None = auth.resume(session, cookie)
    except SQLAlchemyError:
        return None
    return resumed


def error_text(exc: AppError, lang: str) -> str:
    """The error's sentence in ``lang``. A detail with no text for the reader's language (an
    English one meant for API clients, on a Japanese page) gives way to what its status means,
    so a Japanese page never shows an English sentence; a detail a page wrote in the reader's
    language (``t(...)``) is shown as it is."""
    if exc.localised(lang) or JAPANESE.search(exc.detail):
        return exc.message(lang)
    key = f"error.status.{exc.status_code}"
    return translator(lang)(key if key in TEXTS else "error.status.other")


def error_page(request: Request, exc: AppError) -> Response:
    """The HTML rendering of an ``AppError`` with the signed-in user's navigation; a missing
    login becomes a redirect."""
    if isinstance(exc, LoginRequired):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    return render(
        request,
        "error.html",
        {"status": exc.status_code, "detail": error_text(exc, language(request))},
        browser=_signed_in(request) if exc.status_code < 500 else None,
        status_code=exc.status_code,
    )


def install_error_pages(app: FastAPI) -> None:
    """The app's error handlers, browsers answered with ``error_page`` rather than JSON."""
    install_error_handlers(app, error_page)


def page_session(request: Request, runtime: RuntimeDep) -> BrowserSession:
    """The signed-in browser, or a redirect to the login page.

    For a form, ``FormBodyGuard`` found the session before reading the body; it is reused.
    """
    found: BrowserSession | None = request.scope.get("state", {}).get(BROWSER_STATE)
    if found is not None:
        return found
    cookie = request.cookies.get(SESSION_COOKIE)
    browser = None
    if cookie:
        with runtime.read_sessions() as session:
            browser = auth.resume(session, cookie)
    if browser is None:
        raise LoginRequired("sign in first")
    return browser


PageSession = Annotated[BrowserSession, Depends(page_session)]


def checked_form(browser: PageSession, csrf_token: Annotated[str, Form()] = "") -> BrowserSession:
    """For POSTed forms: the session, after checking the form's CSRF token."""
    if not secrets.compare_digest(csrf_token, browser.csrf_token):
        raise Forbidden.said("form.expired")
    return browser


CheckedForm = Annotated[BrowserSession, Depends(checked_form)]


# --- form actions: the service's answer, or the form again with its refusal ---------------

T = TypeVar("T")


def refusal_of(exc: ValidationError) -> BadRequest:
    """A form the API's schema refuses, as a 400 whose detail lists each problem (``extra``
    keeps them apart, for a page that lists them one by one)."""
    problems = [
        f"{'.'.join(str(p) for p in err['loc']) or '-'}: {err['msg']}" for err in exc.errors()
    ]
    return BadRequest("; ".join(problems), extra={"problems": problems})


def form_action(
    session: Session,
    act: Callable[[], T],
    *,
    done: Callable[[T], Response],
    refused: Callable[[AppError], Response],
) -> Response:
    """Run a form's service call in a savepoint: ``done`` with its result, or, on a refusal
    (an ``AppError``, or a schema's ``ValidationError`` as a 400), the savepoint rolled back
    and ``refused`` showing the form again with the reason.

    Only the savepoint: what the request did before stays, and the request's session
    (``db_session``) commits once, after the response is built.
    """
    savepoint = session.begin_nested()
    try:
        result = act()
        session.flush()
    except (AppError, ValidationError) as exc:
        savepoint.rollback()
        session.expire_all()  # rows read inside may have been changed by statements past the ORM
        return refused(exc if isinstance(exc, AppError) else refusal_of(exc))
    savepoint.commit()
    return done(result)
