"""Sign-in, sign-out and the home page."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.auth import service as auth
from service.deps import SESSION_COOKIE, DbSession, SettingsDep
from service.errors import Forbidden
from service.pages import LOGIN_CSRF_COOKIE, CheckedForm, PageSession, render

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


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    login: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password; on success set the session cookie and go on."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf_token, expected):
        raise Forbidden("the form has expired; reload the page and try again")
    browser = auth.sign_in(session, login, password, settings.session_max_age_seconds)
    if browser is None:
        token = secrets.token_urlsafe(32)
        failed = render(
            request,
            "login.html",
            {"login_csrf": token, "next": _safe_next(next), "failed": True, "login": login},
            status_code=401,
        )
        failed.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
        return failed
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


@router.get("/", response_class=HTMLResponse)
def home(request: Request, browser: PageSession) -> Response:
    """The signed-in user's start page."""
    return render(request, "home.html", browser=browser)
