"""The caller's identity over the API."""

from __future__ import annotations

from fastapi import APIRouter

from service.auth.schemas import MeOut
from service.deps import ApiCaller
from service.errors import responses

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.get("/me", responses=responses(401))
def me(caller: ApiCaller) -> MeOut:
    """Who the token (or session) belongs to: login, role, supplier and departments."""
    return MeOut.model_validate(caller)
