"""Account pages: supplier sign-up, the administrator's approvals, a supplier's tokens and team.

The rules (who may approve, which supplier may issue tokens) live in ``service.accounts``;
these routes only read forms, call those services and show their answers.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from service.accounts import signup, tokens
from service.accounts import users as user_admin
from service.accounts.auth import AdminForm, AdminPage, SupplierForm, SupplierPage
from service.accounts.schemas import ColleagueCreate, SignUp
from service.accounts.service import LoginTaken
from service.auth.service import BrowserSession
from service.deps import DbSession, ReadSession, RowId
from service.errors import AppError, Forbidden
from service.formatting import tokyo
from service.i18n import language, translator
from service.pages import error_text, form_action, render
from service.registry.service import registered_name
from storage.models import User
from storage.repositories import organisation

router = APIRouter(include_in_schema=False)

SIGNUP_CSRF_COOKIE = "juryo_signup_csrf"


# --- the API's checks, in the reader's language --------------------------------------------

_FIELD_MESSAGES = {
    "login": "account.login_invalid",
    "contact_email": "account.email_invalid",
    "password": "signup.password_short",
}


def _form_problem(request: Request, model: type[BaseModel], values: dict[str, str]) -> str | None:
    """What the API would refuse in these fields (``model`` is its body), as a sentence."""
    try:
        model.model_validate(values)
    except ValidationError as exc:
        t = translator(language(request))
        for error in exc.errors():
            key = _FIELD_MESSAGES.get(str(error["loc"][0]))
            if key is not None:
                return t(key)
    return None


def _shown(request: Request, exc: AppError) -> str:
    """A service's refusal as the page shows it (a taken login in the reader's language)."""
    if isinstance(exc, LoginTaken):
        return translator(language(request))("account.login_taken")
    return error_text(exc, language(request))


# --- sign-up ----------------------------------------------------------------------------------


def _signup_page(
    request: Request,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return _anonymous_form(
        request,
        "accounts/signup.html",
        {"values": values or {}, "error": error},
        status_code=status_code,
    )


def _anonymous_form(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    """A form for a visitor, with a fresh double-submit token (no session exists yet to bind
    one to)."""
    token = secrets.token_urlsafe(32)
    response = render(request, template, {"signup_csrf": token, **context}, status_code=status_code)
    response.set_cookie(SIGNUP_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


def _check_anonymous_form(csrf_token: str, request: Request) -> None:
    """The double-submit check of ``_anonymous_form``."""
    expected = request.cookies.get(SIGNUP_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf_token, expected):
        raise Forbidden.said("form.expired")


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request) -> Response:
    """A supplier company asks for an account."""
    return _signup_page(request)


@router.post("/signup", response_class=HTMLResponse)
def signup_submit(
    request: Request,
    session: DbSession,
    registration_number: Annotated[str, Form(max_length=40)],
    company_name: Annotated[str, Form(min_length=1, max_length=300)],
    contact_email: Annotated[str, Form(min_length=3, max_length=320)],
    login: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Create the pending supplier and its first user, or show the form with the reason."""
    _check_anonymous_form(csrf_token, request)
    values = {
        "registration_number": registration_number,
        "company_name": company_name,
        "contact_email": contact_email,
        "login": login,
    }
    typed = {"login": login.strip(), "contact_email": contact_email.strip()}
    problem = _form_problem(
        request, SignUp, {**values, **typed, "registration_number": "", "password": password}
    )
    if problem is not None:
        return _signup_page(request, values, problem, 400)

    def signed_up(user: User) -> Response:
        response = render(
            request, "accounts/signup_done.html", {"login": user.login}, status_code=201
        )
        response.delete_cookie(SIGNUP_CSRF_COOKIE)
        return response

    return form_action(
        session,
        lambda: signup.sign_up(
            session,
            registration_number=registration_number,
            company_name=company_name.strip(),
            contact_email=contact_email.strip(),
            login=login.strip(),
            password=password,
            language=language(request),
        ),
        done=signed_up,
        refused=lambda exc: _signup_page(request, values, _shown(request, exc), exc.status_code),
    )


# --- a password reset code, redeemed --------------------------------------------------------


def _reset_page(
    request: Request, code: str = "", error: str | None = None, status_code: int = 200
) -> Response:
    return _anonymous_form(
        request,
        "accounts/password_reset.html",
        {"code": code, "error": error},
        status_code=status_code,
    )


@router.get("/password-reset", response_class=HTMLResponse)
def password_reset_form(
    request: Request, code: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    """A user sets a new password with the one-time code an administrator gave them."""
    return _reset_page(request, code)


@router.post("/password-reset", response_class=HTMLResponse)
def password_reset_submit(
    request: Request,
    session: DbSession,
    code: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=400)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Spend the code and set the password, or show the form with the reason."""
    _check_anonymous_form(csrf_token, request)

    def done(login: str) -> Response:
        response = render(request, "accounts/password_reset_done.html", {"login": login})
        response.delete_cookie(SIGNUP_CSRF_COOKIE)
        return response

    return form_action(
        session,
        lambda: user_admin.redeem_reset(session, code=code, password=password),
        done=done,
        refused=lambda exc: _reset_page(request, code, _shown(request, exc), exc.status_code),
    )


# --- administrator: approve sign-ups --------------------------------------------------------


def _pending_page(
    request: Request,
    session: DbSession,
    browser: BrowserSession,
    *,
    error: str | None = None,
    error_for: int | None = None,
    status_code: int = 200,
) -> Response:
    pending = signup.pending_suppliers(session)
    return render(
        request,
        "accounts/admin_suppliers.html",
        {
            "suppliers": pending,
            "registered": {s.id: registered_name(session, s.registration_number) for s in pending},
            "departments": organisation.list_departments(session),
            "approved": request.query_params.get("approved"),
            "rejected": request.query_params.get("rejected"),
            "error": error,
            "error_for": error_for,
            "tokyo": tokyo,
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/admin/suppliers", response_class=HTMLResponse)
def pending_suppliers(request: Request, browser: AdminPage, session: ReadSession) -> Response:
    """Sign-ups waiting for an administrator."""
    return _pending_page(request, session, browser)


@router.post("/admin/suppliers/{supplier_id}/approve", response_class=HTMLResponse)
def approve_supplier(
    request: Request,
    supplier_id: RowId,
    browser: AdminForm,
    session: DbSession,
    creditor_number: Annotated[str, Form(max_length=32)] = "",
    default_department: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Approve one sign-up, linking the creditor number and default department."""
    return form_action(
        session,
        lambda: signup.approve(
            session,
            actor=browser.principal,
            supplier_id=supplier_id,
            creditor_number=creditor_number.strip() or None,
            default_department=default_department or None,
        ),
        done=lambda supplier: RedirectResponse(
            f"/admin/suppliers?approved={supplier.registration_number or supplier.id}",
            status_code=303,
        ),
        refused=lambda exc: _pending_page(
            request,
            session,
            browser,
            error=_shown(request, exc),
            error_for=supplier_id,
            status_code=exc.status_code,
        ),
    )


@router.post("/admin/suppliers/{supplier_id}/reject", response_class=HTMLResponse)
def reject_supplier(
    request: Request,
    supplier_id: RowId,
    browser: AdminForm,
    session: DbSession,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Reject one sign-up with the reason the applicant will read."""
    return form_action(
        session,
        lambda: signup.reject(
            session, actor=browser.principal, supplier_id=supplier_id, reason=reason
        ),
        done=lambda supplier: RedirectResponse(
            f"/admin/suppliers?rejected={supplier.registration_number or supplier.id}",
            status_code=303,
        ),
        refused=lambda exc: _pending_page(
            request,
            session,
            browser,
            error=_shown(request, exc),
            error_for=supplier_id,
            status_code=exc.status_code,
        ),
    )


# --- supplier: tokens and colleagues ----------------------------------------------------------


def _account_page(
    request: Request,
    session: DbSession,
    browser: BrowserSession,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """The account page; an unapproved supplier sees why the sections are not there yet."""
    try:
        listed = tokens.list_tokens(session, browser.principal)
        refused = None
    except Forbidden as exc:
        listed, refused = [], exc.detail
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": listed,
            "refused": refused,
            "company": signup.company_of(session, browser.principal),
            "tokyo": tokyo,
            **extra,
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, browser: SupplierPage, session: ReadSession) -> Response:
    """The supplier's API tokens and the form to add colleagues."""
    return _account_page(request, session, browser)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    browser: SupplierForm,
    session: DbSession,
    name: Annotated[str, Form(min_length=1, max_length=120)],
) -> Response:
    """Issue a token and show it this once."""
    return form_action(
        session,
        lambda: tokens.create_token(session, caller=browser.principal, name=name.strip()),
        done=lambda token: _account_page(
            request, session, browser, 201, new_token=token, new_token_name=name
        ),
        refused=lambda exc: _account_page(
            request, session, browser, exc.status_code, error=error_text(exc, language(request))
        ),
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, token_id: RowId, browser: SupplierForm, session: DbSession
) -> Response:
    """Revoke one of the company's tokens."""
    return form_action(
        session,
        lambda: tokens.revoke_token(session, caller=browser.principal, token_id=token_id),
        done=lambda _: RedirectResponse("/account", status_code=303),
        refused=lambda exc: _account_page(
            request, session, browser, exc.status_code, error=error_text(exc, language(request))
        ),
    )


@router.post("/account/users", response_class=HTMLResponse)
def add_colleague(
    request: Request,
    browser: SupplierForm,
    session: DbSession,
    login: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Another person of the same company gets a login."""
    problem = _form_problem(
        request, ColleagueCreate, {"login": login.strip(), "password": password}
    )
    if problem is not None:
        return _account_page(request, session, browser, 400, error=problem)
    return form_action(
        session,
        lambda: tokens.add_colleague(
            session,
            caller=browser.principal,
            login=login.strip(),
            password=password,
            display_name=display_name.strip() or None,
        ),
        done=lambda user: _account_page(request, session, browser, 201, added=user.login),
        refused=lambda exc: _account_page(
            request, session, browser, exc.status_code, error=_shown(request, exc)
        ),
    )
