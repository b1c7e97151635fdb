"""API shapes for the caller's identity."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from storage.models import Role


class MeOut(BaseModel):
    """The authenticated caller."""

    model_config = ConfigDict(from_attributes=True)
    """Read from a ``Principal``."""

    login: str
    role: Role
    display_name: str | None
    supplier_id: int | None
    departments: list[str] = Field(validation_alias="department_codes")
