"""Administrator pages: their index, departments and aliases, the purchase-order register,
users; and the audit log viewer (auditors too).

The same services as the JSON admin API (``service.organisation``, ``service.accounts``) and its
request schemas, so a form can do exactly what the API allows; a refusal is shown in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from service import formatting, forms
from service.accounts import users as user_admin
from service.accounts.auth import is_staff
from service.accounts.service import add_user
from service.accounts.users import IssuedReset
from service.admin.audit import catalogued_actions, chain_state, event_filter
from service.admin.auth import AdminForm, AdminPage, AuditPage
from service.admin.schemas import DepartmentIn, UserIn, UserPatch
from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.deps import MAX_ROW_ID, DbSession, ReadSession, RuntimeDep, SettingsDep
from service.errors import AppError, BadRequest
from service.i18n import action_label, language, named, translator
from service.organisation import service as organisation_service
from service.organisation.service import MAX_CSV_BYTES
from service.pages import error_text, form_action, render
from storage.models import AuditEvent, Role
from storage.repositories import audit_events, organisation
from storage.repositories.users import UserFilter, UserStatus, user_status

router = APIRouter(include_in_schema=False)

REGISTER_SHOWN = 200
ROLES = [role.value for role in Role]


def _amount(value: str) -> Decimal | None:
    """A typed yen amount; BadRequest when it is not one."""
    try:
        return forms.amount(value)
    except forms.FormValueError as exc:
        raise BadRequest.said(exc.key, value=exc.value) from None


# --- departments ------------------------------------------------------------------------------


def _departments_page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    *,
    error: str | None = None,
    status_code: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "admin/departments.html",
        {
            "departments": organisation.list_departments(session),
            "saved": request.query_params.get("saved"),
            "error": error,
            "values": values or {},
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/admin/departments", response_class=HTMLResponse)
def departments(request: Request, browser: AdminPage, session: ReadSession) -> Response:
    """Every department with its threshold, works setting and aliases; forms to change them."""
    return _departments_page(request, session, browser)


def _on_departments(
    request: Request,
    session: Session,
    browser: BrowserSession,
    change: Callable[[Principal], str],
    values: dict[str, str] | None = None,
) -> Response:
    """Apply one change and go back to the list, or show the list with the refusal."""
    return form_action(
        session,
        lambda: change(browser.principal),
        done=lambda saved: RedirectResponse(f"/admin/departments?saved={saved}", status_code=303),
        refused=lambda exc: _departments_page(
            request,
            session,
            browser,
            error=error_text(exc, language(request)),
            status_code=exc.status_code,
            values=values,
        ),
    )


@router.post("/admin/departments", response_class=HTMLResponse)
def create_department(
    request: Request,
    browser: AdminForm,
    session: DbSession,
    settings: SettingsDep,
    code: Annotated[str, Form(max_length=200)] = "",
    name: Annotated[str, Form(max_length=400)] = "",
    approval_threshold: Annotated[str, Form(max_length=40)] = "",
    works: Annotated[bool, Form()] = False,
) -> Response:
    """Add a department (the threshold defaults to the configured one)."""

    def create(caller: Principal) -> str:
        body = DepartmentIn.model_validate(
            {
                "code": code.strip(),
                "name": name.strip(),
                "approval_threshold": _amount(approval_threshold),
                "works": works,
            }
        )
        organisation_service.add_department(
            session,
            actor=caller.actor,
            code=body.code,
            name=body.name,
            approval_threshold=body.approval_threshold
            if body.approval_threshold is not None
            else settings.default_approval_threshold,
            works=body.works,
        )
        return body.code

    values = {"code": code, "name": name, "approval_threshold": approval_threshold}
    return _on_departments(request, session, browser, create, values)


@router.post("/admin/departments/{code}", response_class=HTMLResponse)
def update_department(
    request: Request,
    code: str,
    browser: AdminForm,
    session: DbSession,
    name: Annotated[str, Form(max_length=200)] = "",
    approval_threshold: Annotated[str, Form(max_length=40)] = "",
    works: Annotated[bool, Form()] = False,
) -> Response:
    """Change a department's name, threshold and works setting."""

    def update(caller: Principal) -> str:
        organisation_service.update_department(
            session,
            actor=caller.actor,
            code=code,
            name=name.strip() or None,
            approval_threshold=_amount(approval_threshold),
            works=works,
        )
        return code

    return _on_departments(request, session, browser, update)


@router.post("/admin/departments/{code}/aliases", response_class=HTMLResponse)
def add_alias(
    request: Request,
    code: str,
    browser: AdminForm,
    session: DbSession,
    alias: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Route invoices whose buyer reference (BT-10) is this alias to the department."""

    def add(caller: Principal) -> str:
        organisation_service.add_alias(session, actor=caller.actor, code=code, alias=alias)
        return code

    return _on_departments(request, session, browser, add)


@router.post("/admin/aliases/remove", response_class=HTMLResponse)
def remove_alias(
    request: Request,
    browser: AdminForm,
    session: DbSession,
    alias: Annotated[str, Form(min_length=1, max_length=64)],
) -> Response:
    """Stop routing by an alias."""

    def remove(caller: Principal) -> str:
        organisation_service.remove_alias(session, actor=caller.actor, alias=alias)
        return alias

    return _on_departments(request, session, browser, remove)


# --- the purchase-order register --------------------------------------------------------------


def _routing_page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    *,
    imported: int | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "admin/routing.html",
        {
            "orders": organisation.list_purchase_orders(session, limit=REGISTER_SHOWN, offset=0),
            "shown": REGISTER_SHOWN,
            "imported": imported,
            "errors": errors or [],
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/admin/routing", response_class=HTMLResponse)
def routing(request: Request, browser: AdminPage, session: ReadSession) -> Response:
    """The purchase-order register (first 200 entries) and the CSV import form."""
    return _routing_page(request, session, browser)


@router.post("/admin/routing/purchase-orders", response_class=HTMLResponse)
def import_purchase_orders(
    request: Request,
    browser: AdminForm,
    session: DbSession,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Load the register from a CSV file; all rows or none, with every problem listed."""

    def load() -> int:
        data = file.file.read(MAX_CSV_BYTES + 1) if file is not None else b""
        if not data:
            raise BadRequest(translator(language(request))("upload.no_files"))
        return organisation_service.import_purchase_orders(
            session, actor=browser.principal.actor, data=data
        )

    return form_action(
        session,
        load,
        done=lambda count: _routing_page(request, session, browser, imported=count),
        refused=lambda exc: _routing_page(
            request,
            session,
            browser,
            errors=exc.messages(language(request)),
            status_code=exc.status_code,
        ),
    )


# --- users ------------------------------------------------------------------------------------


def _users_page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    *,
    created: dict[str, Any] | None = None,
    error: str | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
    criteria: UserFilter | None = None,
) -> Response:
    criteria = criteria or UserFilter()
    return render(
        request,
        "admin/users.html",
        {
            "users": [
                (user, user_status(user)) for user in user_admin.list_users(session, criteria)
            ],
            "departments": organisation.list_departments(session),
            "roles": ROLES,
            "statuses": [status.value for status in UserStatus],
            "shown": {
                "role": criteria.role or "",
                "status": criteria.status or "",
                "q": criteria.text,
            },
            "created": created,
            "error": error,
            "values": values or {},
        },
        browser=browser,
        status_code=status_code,
    )


def _user_filter(role: str, status: str, text: str) -> UserFilter:
    """The list's filter from the query string; a value that names nothing means any."""
    return UserFilter(
        role=Role(role) if role in ROLES else None,
        status=UserStatus(status) if status in set(UserStatus) else None,
        text=text.strip(),
    )


@router.get("/admin/users", response_class=HTMLResponse)
def user_list(
    request: Request,
    browser: AdminPage,
    session: ReadSession,
    role: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    q: Annotated[str, Query(max_length=120)] = "",
) -> Response:
    """Users with role, bindings and status, filtered by role, status and text; the form to
    add one."""
    return _users_page(request, session, browser, criteria=_user_filter(role, status, q))


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    browser: AdminForm,
    session: DbSession,
    login: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    departments: Annotated[list[str] | None, Form()] = None,
    supplier: Annotated[str, Form(max_length=40)] = "",
    password: Annotated[str, Form(max_length=400)] = "",
    display_name: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    """Add a user bound as its role requires; its first API token is shown this once."""
    values = {
        "login": login,
        "role": role,
        "departments": departments or [],
        "supplier": supplier,
        "display_name": display_name,
    }

    def create() -> dict[str, Any]:
        body = UserIn.model_validate(
            {
                "login": login.strip(),
                "role": role,
                "departments": [d for d in departments or [] if d],
                "supplier": supplier.strip() or None,
                "password": password or None,
                "display_name": display_name.strip() or None,
            }
        )
        new = add_user(
            session,
            actor=browser.principal.actor,
            login=body.login,
            role=body.role,
            department_codes=body.departments,
            supplier_registration=body.supplier,
            password=body.password,
            display_name=body.display_name,
        )
        return {"login": new.user.login, "token": new.token}

    return form_action(
        session,
        create,
        done=lambda created: _users_page(
            request, session, browser, created=created, status_code=201
        ),
        refused=lambda exc: _users_page(
            request,
            session,
            browser,
            error=error_text(exc, language(request)),
            values=values,
            status_code=exc.status_code,
        ),
    )


# --- one user: role and departments, access, password reset ---------------------------------

LoginPath = Annotated[str, Path(min_length=1, max_length=120)]


def _user_page(
    request: Request,
    session: Session,
    browser: BrowserSession,
    login: str,
    *,
    notice: str | None = None,
    reset: IssuedReset | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    user = user_admin.user_named(session, login)
    return render(
        request,
        "admin/user.html",
        {
            "account": user,
            "status": user_status(user),
            "yourself": user.id == browser.principal.user_id,
            "departments": organisation.list_departments(session),
            "roles": [r for r in ROLES if is_staff(Role(r)) == is_staff(Role(user.role))],
            "notice": notice,
            "reset": reset,
            "reset_expires": formatting.tokyo(reset.expires_at) if reset else None,
            "error": error,
        },
        browser=browser,
        status_code=status_code,
    )


@router.get("/admin/users/{login}", response_class=HTMLResponse)
def user_detail(
    request: Request, login: LoginPath, browser: AdminPage, session: ReadSession
) -> Response:
    """One user: forms to change role and departments, deactivate or reactivate, and issue a
    password reset code."""
    return _user_page(request, session, browser, login)


def _on_user(
    request: Request,
    session: Session,
    browser: BrowserSession,
    login: str,
    act: Callable[[], Any],
    notice: str,
) -> Response:
    """Apply one change and show the user's page with what was done, or with the refusal."""
    t = translator(language(request))
    return form_action(
        session,
        act,
        done=lambda result: _user_page(
            request,
            session,
            browser,
            login,
            notice=t(notice),
            reset=result if isinstance(result, IssuedReset) else None,
        ),
        refused=lambda exc: _user_page(
            request,
            session,
            browser,
            login,
            error=_shown(request, exc),
            status_code=exc.status_code,
        ),
    )


def _shown(request: Request, exc: AppError) -> str:
    """A refusal in the reader's language when the service gave both."""
    return str(exc.extra.get(f"message_{language(request)}", exc.detail))


@router.post("/admin/users/{login}", response_class=HTMLResponse)
def change_user(
    request: Request,
    login: LoginPath,
    browser: AdminForm,
    session: DbSession,
    role: Annotated[str, Form(max_length=20)] = "",
    departments: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Give the user another role or departments."""

    def change() -> object:
        body = UserPatch.model_validate(
            {"role": role or None, "departments": [d for d in departments or [] if d]}
        )
        return user_admin.change(
            session,
            caller=browser.principal,
            login=login,
            role=body.role,
            department_codes=body.departments,
        )

    return _on_user(request, session, browser, login, change, "admin.users.changed")


@router.post("/admin/users/{login}/deactivate", response_class=HTMLResponse)
def deactivate_user(
    request: Request, login: LoginPath, browser: AdminForm, session: DbSession
) -> Response:
    """Stop the user signing in; their sessions and tokens stop working at once."""
    return _on_user(
        request,
        session,
        browser,
        login,
        lambda: user_admin.deactivate(session, caller=browser.principal, login=login),
        "admin.users.deactivated",
    )


@router.post("/admin/users/{login}/reactivate", response_class=HTMLResponse)
def reactivate_user(
    request: Request, login: LoginPath, browser: AdminForm, session: DbSession
) -> Response:
    """Let a deactivated user sign in again."""
    return _on_user(
        request,
        session,
        browser,
        login,
        lambda: user_admin.reactivate(session, caller=browser.principal, login=login),
        "admin.users.reactivated",
    )


@router.post("/admin/users/{login}/password-reset", response_class=HTMLResponse)
def reset_password(
    request: Request, login: LoginPath, browser: AdminForm, session: DbSession
) -> Response:
    """Issue a one-time reset code and show it, this once, with its link."""
    return _on_user(
        request,
        session,
        browser,
        login,
        lambda: user_admin.issue_reset(session, caller=browser.principal, login=login),
        "admin.users.reset_title",
    )


# --- the index of the administrator's pages ---------------------------------------------------

ADMIN_PAGES = (
    ("/admin/departments", "nav.admin_departments", "admin.index.departments"),
    ("/admin/routing", "nav.admin_routing", "admin.index.routing"),
    ("/admin/users", "nav.admin_users", "admin.index.users"),
    ("/admin/suppliers", "nav.admin_suppliers", "admin.index.suppliers"),
    ("/admin/audit", "nav.audit", "admin.index.audit"),
    ("/delegations", "nav.delegations", "admin.index.delegations"),
    ("/admin/registry", "nav.admin_registry", "admin.index.registry"),
    ("/admin/mail", "nav.admin_mail", "admin.index.mail"),
)
"""Every administrator page: its path, its name and what it is for (i18n keys)."""


@router.get("/admin", response_class=HTMLResponse)
def index(request: Request, browser: AdminPage) -> Response:
    """Links to every administrator page, each with what it is for."""
    return render(request, "admin/index.html", {"pages": ADMIN_PAGES}, browser=browser)


# --- the audit log ----------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


def _audit_date(value: str, t: Callable[[str], str]) -> dt.date | None:
    """A date from the filter form (``YYYY-MM-DD``); BadRequest in the reader's language."""
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadRequest(t("audit.bad_date").format(value=value)) from None


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    browser: AuditPage,
    runtime: RuntimeDep,
    session: ReadSession,
    invoice: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    actor: Annotated[str, Query(max_length=120)] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    date_from: Annotated[str, Query(max_length=10)] = "",
    date_to: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=MAX_ROW_ID // AUDIT_PAGE_SIZE)] = 1,
) -> Response:
    """Audit events filtered by invoice, actor, action and Tokyo date, with the chain's state."""
    lang = language(request)
    t = translator(lang)
    state = chain_state(runtime)  # anchors before the database, as the command reads them
    criteria = event_filter(
        invoice_id=invoice,
        actor=actor,
        action=action,
        date_from=_audit_date(date_from, t),
        date_to=_audit_date(date_to, t),
    )
    rows, total = audit_events.list_events(
        session, criteria, limit=AUDIT_PAGE_SIZE, offset=(page - 1) * AUDIT_PAGE_SIZE
    )
    kept = {
        "invoice": invoice or "",
        "actor": actor,
        "action": action,
        "date_from": date_from,
        "date_to": date_to,
    }
    return render(
        request,
        "admin/audit.html",
        {
            "state": state,
            "walked_at": formatting.tokyo(state.walked_at),
            "events": [_audit_row(row, lang) for row in rows],
            "total": total,
            "values": kept,
            "actions": [(a, action_label(a, lang)) for a in catalogued_actions()],
            "page": page,
            "previous": _audit_link(kept, page - 1) if page > 1 else None,
            "next": _audit_link(kept, page + 1) if page * AUDIT_PAGE_SIZE < total else None,
        },
        browser=browser,
    )


def _audit_link(kept: dict[str, Any], page: int) -> str:
    """The same filter on another page."""
    return "/admin/audit?" + urlencode({**{k: v for k, v in kept.items() if v}, "page": page})


def _audit_row(event: AuditEvent, lang: str) -> dict[str, Any]:
    """One event as the table shows it: Tokyo time, the action's name, a link to its invoice."""
    return {
        "id": event.id,
        "at": formatting.tokyo(event.occurred_at),
        "action": action_label(event.action, lang),
        "raw_action": event.action,
        "actor": event.actor_login,
        "role": named(f"role.{event.actor_role}", event.actor_role, lang),
        "subject": named(f"audit.entity.{event.entity_type}", event.entity_type, lang),
        "entity_id": event.entity_id,
        "invoice_link": event.entity_type == "invoice" and bool(event.entity_id),
        "reason": event.reason,
    }
