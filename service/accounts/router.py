"""Supplier accounts over the API: sign-up, approval, own tokens and colleagues."""

from __future__ import annotations

from fastapi import APIRouter, Response

from service.accounts import signup, tokens
from service.accounts import users as user_admin
from service.accounts.auth import AdminCaller, SupplierCaller
from service.accounts.schemas import (
    Approval,
    ColleagueCreate,
    PasswordResetIn,
    Rejection,
    SignUp,
    SupplierOut,
    TokenCreate,
    TokenCreated,
    TokenOut,
)
from service.auth.principal import Principal
from service.auth.schemas import MeOut
from service.deps import DbSession, ReadSession, RowId
from service.errors import responses

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post("/signup", status_code=201, responses=responses(400, 409, 422))
def sign_up(body: SignUp, session: DbSession) -> MeOut:
    """A supplier company signs up; until an admin approves it may only dry-run validate."""
    user = signup.sign_up(session, **body.model_dump())
    return MeOut.model_validate(Principal.of(user))


@router.post("/password-reset", status_code=204, responses=responses(400, 422))
def redeem_password_reset(body: PasswordResetIn, session: DbSession) -> Response:
    """Set a new password with a one-time code an administrator issued (no sign-in needed)."""
    user_admin.redeem_reset(session, code=body.code, password=body.password)
    return Response(status_code=204)


@router.get("/admin/suppliers", responses=responses(401, 403))
def list_pending(caller: AdminCaller, session: ReadSession) -> list[SupplierOut]:
    """Sign-ups waiting for approval."""
    return [SupplierOut.model_validate(s) for s in signup.pending_suppliers(session)]


@router.post("/admin/suppliers/{supplier_id}/approve", responses=responses(401, 403, 404, 409))
def approve_supplier(
    supplier_id: RowId, body: Approval, caller: AdminCaller, session: DbSession
) -> SupplierOut:
    """Approve a sign-up and link the creditor number and default department."""
    supplier = signup.approve(
        session,
        actor=caller,
        supplier_id=supplier_id,
        creditor_number=body.creditor_number,
        default_department=body.default_department,
    )
    return SupplierOut.model_validate(supplier)


@router.post("/admin/suppliers/{supplier_id}/reject", responses=responses(400, 401, 403, 404, 409))
def reject_supplier(
    supplier_id: RowId, body: Rejection, caller: AdminCaller, session: DbSession
) -> SupplierOut:
    """Reject a pending sign-up; the applicant reads the reason when signing in."""
    supplier = signup.reject(session, actor=caller, supplier_id=supplier_id, reason=body.reason)
    return SupplierOut.model_validate(supplier)


@router.get("/account/tokens", responses=responses(401, 403))
def list_tokens(caller: SupplierCaller, session: ReadSession) -> list[TokenOut]:
    """The API tokens of the caller's company (names and dates, never values)."""
    return [TokenOut.model_validate(t) for t in tokens.list_tokens(session, caller)]


@router.post("/account/tokens", status_code=201, responses=responses(401, 403))
def create_token(body: TokenCreate, caller: SupplierCaller, session: DbSession) -> TokenCreated:
    """A new token for the company's own software; the value is shown only now."""
    return TokenCreated(token=tokens.create_token(session, caller=caller, name=body.name))


@router.post(
    "/account/tokens/{token_id}/revoke", status_code=204, responses=responses(401, 403, 404)
)
def revoke_token(token_id: RowId, caller: SupplierCaller, session: DbSession) -> Response:
    """Revoke one of the company's tokens."""
    tokens.revoke_token(session, caller=caller, token_id=token_id)
    return Response(status_code=204)


@router.post("/account/users", status_code=201, responses=responses(401, 403, 409))
def add_colleague(body: ColleagueCreate, caller: SupplierCaller, session: DbSession) -> MeOut:
    """Add a colleague to the company's account."""
    user = tokens.add_colleague(session, caller=caller, **body.model_dump())
    return MeOut.model_validate(Principal.of(user))
