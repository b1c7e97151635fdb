"""Sign-in and sign-out (the home page is ``service.home``)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.auth import service as auth
from service.deps import SESSION_COOKIE, DbSession, RuntimeDep
from service.errors import Forbidden
from service.i18n import language, translator
from service.pages import LOGIN_CSRF_COOKIE, CheckedForm, render
from service.settings import Settings

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would help phishing."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form, protected by a double-submit CSRF cookie."""
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {"login_csrf": token, "next": _safe_next(next)})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def _login_page(
    request: Request,
    *,
    next_path: str,
    status_code: int,
    login: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """The form again, with why signing in did not work and a fresh CSRF token."""
    token = secrets.token_urlsafe(32)
    page = render(
        request,
        "login.html",
        {"login_csrf": token, "next": next_path, "message": message, "login": login},
        status_code=status_code,
    )
    page.headers.update(headers or {})
    page.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return page


def throttle(settings: Settings) -> auth.Throttle:
    """The sign-in limits the settings ask for."""
    return auth.Throttle(
        per_login=settings.sign_in_failures_per_login,
        per_address=settings.sign_in_failures_per_address,
        window=dt.timedelta(seconds=settings.sign_in_window_seconds),
    )


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    runtime: RuntimeDep,
    login: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=400)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password; on success set the session cookie and go on."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf_token, expected):
        raise Forbidden.said("form.expired")
    settings = runtime.settings
    t = translator(language(request))
    try:
        browser = auth.sign_in(
            runtime.sessions,
            login=login,
            password=password,
            address=request.client.host if request.client else "unknown",
            throttle=throttle(settings),
            max_age=settings.session_max_age_seconds,
        )
    except auth.SignInThrottled as exc:
        return _login_page(
            request,
            next_path=_safe_next(next),
            status_code=exc.status_code,
            login=login,
            message=t("login.throttled"),
            headers=exc.headers(),
        )
    if browser is None:
        failed = t("login.failed")
        return _login_page(
            request, next_path=_safe_next(next), status_code=401, login=login, message=failed
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        browser.cookie,
        max_age=settings.session_max_age_seconds,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(session: DbSession, browser: CheckedForm) -> Response:
    """End the session."""
    auth.sign_out(session, browser.cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
