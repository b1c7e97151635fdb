"""API shapes for the caller's identity."""

from __future__ import annotations

from pydantic import BaseModel

from service.auth.principal import Principal


class MeOut(BaseModel):
    """The authenticated caller."""

    login: str
    role: str
    display_name: str | None
    supplier_id: int | None
    departments: list[str]

    @classmethod
    def of(cls, principal: Principal) -> MeOut:
        """Render a principal."""
        return cls(
            login=principal.login,
            role=principal.role.value,
            display_name=principal.display_name,
            supplier_id=principal.supplier_id,
            departments=list(principal.department_codes),
        )
