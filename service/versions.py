"""Optimistic locking over HTTP: every change names the invoice version it was made on.

Shared by the decisions (``service.inbox``) and data entry (``service.invoices``): the version
comes from the body's ``version`` or from an ``If-Match`` header, and a change without one is
refused (428) rather than applied to whatever the invoice has become meanwhile.
"""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Header

from service.errors import BadRequest, PreconditionRequired

IfMatch = Annotated[str | None, Header(description='the version, e.g. "3"')]


class CarriesVersion(Protocol):
    """A request body that may carry the version it was made on."""

    @property
    def version(self) -> int | None: ...


def version_of(body: CarriesVersion, if_match: str | None) -> int:
    """The version from the body, else from ``If-Match``; a change without one is refused."""
    if body.version is not None:
        return body.version
    if if_match:
        text = if_match.strip().removeprefix("W/").strip('"')
        if text.isdigit():
            return int(text)
        raise BadRequest('If-Match must be the invoice version, e.g. "3"')
    raise PreconditionRequired("send the invoice version you saw (body or If-Match)")
