"""Shapes other domains' read models share: a related department or supplier as its code."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator


def _code(department: Any) -> Any:
    """A department row read from attributes becomes its code (a code stays as it is)."""
    return getattr(department, "code", department)


def _registration_number(supplier: Any) -> Any:
    """A supplier row read from attributes becomes its registration number."""
    return getattr(supplier, "registration_number", supplier)


DepartmentCode = Annotated[str, BeforeValidator(_code)]
"""A department, shown by its code."""
SupplierNumber = Annotated[str | None, BeforeValidator(_registration_number)]
"""A supplier, shown by its registration number (None without one)."""
