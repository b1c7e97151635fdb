"""API shapes for supplier accounts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AliasPath, BaseModel, BeforeValidator, ConfigDict, Field

from service import forms
from service.organisation.schemas import DepartmentCode

LOGIN_PATTERN = r"^[A-Za-z0-9._@\-]{3,120}$"
"""Logins are plain ASCII: no Cyrillic letter can pass for a Latin one."""
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LOGIN_RULE = re.compile(LOGIN_PATTERN)
EMAIL_RULE = re.compile(EMAIL_PATTERN)

LoginText = Annotated[
    str, BeforeValidator(forms.code), Field(min_length=3, max_length=120, pattern=LOGIN_PATTERN)
]
"""A new login, for every way one is made (API, web forms, administration, CLI)."""
EmailText = Annotated[str, Field(max_length=320, pattern=EMAIL_PATTERN)]


class TokenCreate(BaseModel):
    """A name for the new token, to recognise it later."""

    name: str = Field(min_length=1, max_length=120)


class TokenCreated(BaseModel):
    """The new token, shown only this once."""

    token: str


class TokenOut(BaseModel):
    """A token as listed (never its value)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    login: str = Field(validation_alias=AliasPath("user", "login"))
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class ColleagueCreate(BaseModel):
    """Another user for the same supplier company."""

    login: LoginText
    password: str = Field(min_length=10, max_length=200)
    display_name: str | None = Field(default=None, max_length=200)


class SignUp(BaseModel):
    """A supplier company signing itself up."""

    registration_number: str = Field(max_length=20)
    company_name: str = Field(min_length=1, max_length=300)
    contact_email: EmailText
    login: LoginText
    password: str = Field(min_length=10, max_length=200)
    language: Literal["ja", "en"] = Field(
        default="ja", description="The language of the notifications the account receives."
    )


class Approval(BaseModel):
    """An administrator's approval, linking the creditor record."""

    creditor_number: str | None = Field(default=None, max_length=32)
    default_department: str | None = Field(default=None, max_length=64)


class Rejection(BaseModel):
    """An administrator's refusal of a sign-up, with the reason the applicant will read."""

    reason: str = Field(min_length=1, max_length=1000)


class SupplierOut(BaseModel):
    """A supplier (creditor) record."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    registration_number: str | None
    name: str
    approved: bool
    rejection_reason: str | None
    creditor_number: str | None
    default_department: DepartmentCode | None
    contact_email: str | None


class PasswordResetIn(BaseModel):
    """A one-time reset code and the new password it sets."""

    code: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=10, max_length=200)
