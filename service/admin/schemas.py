"""API shapes for administration: departments, routing, users."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from service.accounts.schemas import LoginText
from storage.models import Department, PurchaseOrder, Role, User


class DepartmentIn(BaseModel):
    """A new department."""

    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._\-]+$")
    name: str = Field(min_length=1, max_length=200)
    approval_threshold: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    works: bool = False


class DepartmentPatch(BaseModel):
    """Changes to a department."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    approval_threshold: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    works: bool | None = None


class DepartmentOut(BaseModel):
    """A department with its routing aliases."""

    code: str
    name: str
    approval_threshold: Decimal
    works: bool
    aliases: list[str]

    @classmethod
    def of(cls, department: Department) -> DepartmentOut:
        """Render a department row."""
        return cls(
            code=department.code,
            name=department.name,
            approval_threshold=department.approval_threshold,
            works=department.works_contracts,
            aliases=sorted(a.alias for a in department.aliases),
        )


class AliasIn(BaseModel):
    """Another code for the department in BT-10."""

    alias: str = Field(min_length=1, max_length=64)


class PurchaseOrderOut(BaseModel):
    """A register entry."""

    po_number: str
    department: str

    @classmethod
    def of(cls, row: PurchaseOrder) -> PurchaseOrderOut:
        """Render a register row."""
        return cls(po_number=row.po_number, department=row.department.code)


class ImportOut(BaseModel):
    """How many register rows were written."""

    imported: int


class UserIn(BaseModel):
    """A new user (clerks need departments, supplier users a registration number)."""

    login: LoginText
    role: Role
    departments: list[str] = Field(default_factory=list)
    supplier: str | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)
    display_name: str | None = Field(default=None, max_length=200)


class UnlockOut(BaseModel):
    """A lifted sign-in lockout."""

    login: str
    failures_forgotten: int


class UserOut(BaseModel):
    """A user."""

    login: str
    role: str
    display_name: str | None
    departments: list[str]
    supplier: str | None
    active: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        """Render a user row."""
        return cls(
            login=user.login,
            role=user.role,
            display_name=user.display_name,
            departments=[d.code for d in user.departments],
            supplier=user.supplier.registration_number if user.supplier else None,
            active=user.active,
        )


class UserCreated(UserOut):
    """A new user and its first API token (shown once)."""

    token: str | None
