"""API shapes for administration: departments, routing, users."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from service.accounts.schemas import LoginText
from service.organisation.schemas import DepartmentCode, SupplierNumber
from storage.models import Department, Role, User
from storage.repositories.users import UserStatus, user_status


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

    model_config = ConfigDict(from_attributes=True)

    po_number: str
    department: DepartmentCode


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
    """A user; ``status`` says whether it may sign in (``active``), waits for its company's
    sign-up to be approved (``pending``) or was refused (``rejected``), or was deactivated."""

    model_config = ConfigDict(from_attributes=True)

    login: str
    role: Role
    display_name: str | None
    departments: list[DepartmentCode]
    supplier: SupplierNumber
    active: bool
    status: UserStatus

    @classmethod
    def of(cls, user: User) -> UserOut:
        """A user row with its status."""
        return cls.model_validate(
            {
                "login": user.login,
                "role": user.role,
                "display_name": user.display_name,
                "departments": user.departments,
                "supplier": user.supplier,
                "active": user.active,
                "status": user_status(user),
            }
        )


class UserPatch(BaseModel):
    """A user's new role or departments (a field left out stays as it is)."""

    role: Role | None = None
    departments: list[str] | None = Field(default=None, max_length=100)


class PasswordResetOut(BaseModel):
    """A one-time reset code, shown only in this answer; the user redeems it at ``path``."""

    login: str
    code: str
    path: str
    expires_at: dt.datetime


class UserCreated(UserOut):
    """A new user and its first API token (shown once)."""

    token: str | None


class AuditEventOut(BaseModel):
    """One audit event; ``action_ja`` / ``action_en`` name the action as people read it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: dt.datetime
    actor_login: str
    actor_role: str
    action: str
    action_ja: str
    action_en: str
    entity_type: str
    entity_id: str | None
    reason: str | None
    details: dict[str, Any]


class AuditProblemOut(BaseModel):
    """One thing ``juryo audit verify`` reports (its own wording, English, for operators)."""

    model_config = ConfigDict(from_attributes=True)

    detail: str
    event_id: int | None


class ChainStateOut(BaseModel):
    """What ``juryo audit verify`` says about the chain and its anchors right now."""

    model_config = ConfigDict(from_attributes=True)

    intact: bool
    events: int
    anchored: bool
    anchors: int
    newest_anchored_event: int | None
    problems: list[AuditProblemOut]
    walked_at: dt.datetime
    """When the whole chain was last walked; events since are checked link by link."""


class AuditEventPage(BaseModel):
    """One page of matching events, newest first, with the total and the chain's state."""

    items: list[AuditEventOut]
    total: int
    verification: ChainStateOut
