"""Administration over the API: departments, routing aliases, the purchase-order register,
users. Every change is an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from service.accounts import users as user_admin
from service.accounts.service import add_user
from service.admin.audit import chain_state, event_filter, event_out
from service.admin.auth import AdminCaller, AuditCaller
from service.admin.schemas import (
    AliasIn,
    AuditEventPage,
    ChainStateOut,
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    ImportOut,
    PasswordResetOut,
    PurchaseOrderOut,
    UnlockOut,
    UserCreated,
    UserIn,
    UserOut,
    UserPatch,
)
from service.auth import service as auth
from service.deps import MAX_ROW_ID, DbSession, ReadSession, RuntimeDep, SettingsDep
from service.errors import PayloadTooLarge, UnsupportedMediaType, responses
from service.form_bodies import read_limited
from service.organisation import service as organisation_service
from service.organisation.service import MAX_CSV_BYTES
from storage.models import Role
from storage.repositories import audit_events, organisation
from storage.repositories.users import UserFilter, UserStatus

router = APIRouter(prefix="/api/v1/admin", tags=["administration"])


@router.get("/departments", responses=responses(401, 403))
def list_departments(caller: AdminCaller, session: ReadSession) -> list[DepartmentOut]:
    """Every department with its threshold, works setting and aliases."""
    return [DepartmentOut.of(d) for d in organisation.list_departments(session)]


@router.post("/departments", status_code=201, responses=responses(401, 403, 409))
def create_department(
    body: DepartmentIn, caller: AdminCaller, session: DbSession, settings: SettingsDep
) -> DepartmentOut:
    """Add a department (threshold defaults to JURYO_DEFAULT_APPROVAL_THRESHOLD)."""
    department = organisation_service.add_department(
        session,
        actor=caller.actor,
        code=body.code,
        name=body.name,
        approval_threshold=body.approval_threshold
        if body.approval_threshold is not None
        else settings.default_approval_threshold,
        works=body.works,
    )
    return DepartmentOut(
        code=department.code,
        name=department.name,
        approval_threshold=department.approval_threshold,
        works=department.works_contracts,
        aliases=[],
    )


@router.patch("/departments/{code}", responses=responses(401, 403, 404))
def update_department(
    code: str, body: DepartmentPatch, caller: AdminCaller, session: DbSession
) -> DepartmentOut:
    """Change a department's name, threshold or works setting."""
    department = organisation_service.update_department(
        session,
        actor=caller.actor,
        code=code,
        name=body.name,
        approval_threshold=body.approval_threshold,
        works=body.works,
    )
    return DepartmentOut.of(department)


@router.post(
    "/departments/{code}/aliases", status_code=204, responses=responses(401, 403, 404, 409)
)
def add_alias(code: str, body: AliasIn, caller: AdminCaller, session: DbSession) -> Response:
    """Route invoices whose BT-10 is this alias to the department."""
    organisation_service.add_alias(session, actor=caller.actor, code=code, alias=body.alias)
    return Response(status_code=204)


@router.delete("/aliases/{alias}", status_code=204, responses=responses(401, 403, 404))
def remove_alias(alias: str, caller: AdminCaller, session: DbSession) -> Response:
    """Stop routing by this alias."""
    organisation_service.remove_alias(session, actor=caller.actor, alias=alias)
    return Response(status_code=204)


@router.post(
    "/purchase-orders",
    responses=responses(400, 401, 403, 413, 415),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "CSV rows `po_number,department_code` (header optional), UTF-8.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def import_purchase_orders(
    request: Request, caller: AdminCaller, session: DbSession
) -> ImportOut:
    """Load the purchase-order register from CSV (at most 20 MiB); all rows or none."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "text/csv":
        raise UnsupportedMediaType("send text/csv")
    too_large = PayloadTooLarge(f"the CSV is larger than {MAX_CSV_BYTES:,} bytes; split it")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_CSV_BYTES:
        raise too_large
    body = await read_limited(request.stream(), MAX_CSV_BYTES, too_large)
    count = await run_in_threadpool(
        organisation_service.import_purchase_orders, session, actor=caller.actor, data=body
    )
    return ImportOut(imported=count)


@router.get("/purchase-orders", responses=responses(401, 403))
def list_purchase_orders(
    caller: AdminCaller,
    session: ReadSession,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> list[PurchaseOrderOut]:
    """The register, by order number."""
    rows = organisation.list_purchase_orders(session, limit=limit, offset=offset)
    return [PurchaseOrderOut.model_validate(row) for row in rows]


@router.get("/users", responses=responses(401, 403))
def list_users(
    caller: AdminCaller,
    session: ReadSession,
    role: Role | None = None,
    status: UserStatus | None = None,
    q: Annotated[str, Query(max_length=120, description="Part of the login or name.")] = "",
) -> list[UserOut]:
    """Users with role, bindings and status, by login; filtered by role, status and text."""
    criteria = UserFilter(role=role, status=status, text=q.strip())
    return [UserOut.of(user) for user in user_admin.list_users(session, criteria)]


@router.post("/users", status_code=201, responses=responses(400, 401, 403, 404, 409))
def create_user(body: UserIn, caller: AdminCaller, session: DbSession) -> UserCreated:
    """Add a user bound as its role requires; its first API token is returned once."""
    created = add_user(
        session,
        actor=caller.actor,
        login=body.login,
        role=body.role,
        department_codes=body.departments,
        supplier_registration=body.supplier,
        password=body.password,
        display_name=body.display_name,
    )
    return UserCreated(**UserOut.of(created.user).model_dump(), token=created.token)


@router.post("/users/{login}/unlock", responses=responses(401, 403))
def unlock_user(
    login: Annotated[str, Path(min_length=1, max_length=120)],
    caller: AdminCaller,
    session: DbSession,
) -> UnlockOut:
    """Lift a login's sign-in lockout (its failed sign-ins are forgotten); audited."""
    forgotten = auth.unlock(session, actor=caller.actor, login=login)
    return UnlockOut(login=login, failures_forgotten=forgotten)


LoginPath = Annotated[str, Path(min_length=1, max_length=120)]


@router.patch("/users/{login}", responses=responses(400, 401, 403, 404, 409))
def change_user(
    login: LoginPath, body: UserPatch, caller: AdminCaller, session: DbSession
) -> UserOut:
    """Give a user another role or departments (a clerk needs one; suppliers stay suppliers)."""
    user = user_admin.change(
        session, caller=caller, login=login, role=body.role, department_codes=body.departments
    )
    return UserOut.of(user)


@router.post("/users/{login}/deactivate", responses=responses(401, 403, 404, 409))
def deactivate_user(login: LoginPath, caller: AdminCaller, session: DbSession) -> UserOut:
    """Stop a user signing in; their sessions and tokens stop working at once."""
    return UserOut.of(user_admin.deactivate(session, caller=caller, login=login))


@router.post("/users/{login}/reactivate", responses=responses(401, 403, 404))
def reactivate_user(login: LoginPath, caller: AdminCaller, session: DbSession) -> UserOut:
    """Let a deactivated user sign in again."""
    return UserOut.of(user_admin.reactivate(session, caller=caller, login=login))


@router.post(
    "/users/{login}/password-reset", status_code=201, responses=responses(401, 403, 404, 409)
)
def reset_password(login: LoginPath, caller: AdminCaller, session: DbSession) -> PasswordResetOut:
    """A one-time code (valid 24 hours) the user redeems at `path`; shown only now."""
    issued = user_admin.issue_reset(session, caller=caller, login=login)
    return PasswordResetOut(
        login=issued.login, code=issued.code, path=issued.path, expires_at=issued.expires_at
    )


@router.get("/audit-events", responses=responses(401, 403))
def list_audit_events(
    caller: AuditCaller,
    runtime: RuntimeDep,
    session: ReadSession,
    invoice_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    date_from: Annotated[dt.date | None, Query(description="A Tokyo date, included.")] = None,
    date_to: Annotated[dt.date | None, Query(description="A Tokyo date, included.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> AuditEventPage:
    """Audit events (auditors and admins), newest first, with what `juryo audit verify` says."""
    state = chain_state(runtime)  # anchors before the database, as the command reads them
    criteria = event_filter(
        invoice_id=invoice_id, actor=actor, action=action, date_from=date_from, date_to=date_to
    )
    rows, total = audit_events.list_events(session, criteria, limit=limit, offset=offset)
    return AuditEventPage(
        items=[event_out(row) for row in rows],
        total=total,
        verification=ChainStateOut.model_validate(state),
    )
