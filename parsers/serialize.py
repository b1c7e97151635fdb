"""JSON-ready renderings of the frozen model: Decimals and dates as strings, tuples as lists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from decimal import Decimal
from typing import Any

_AS_IS = frozenset({str, int, float, bool, type(None)})


def to_data(value: Any) -> Any:
    """Plain dicts, lists, strings, numbers and None; amounts stay exact as strings.

    Every received invoice's content passes through here in the web worker (about 150 values
    for a small one), so the common cases are decided by the exact type first, and each
    dataclass's field names are looked up once.
    """
    kind = type(value)
    if kind in _AS_IS:
        return value
    names = _FIELD_NAMES.get(kind) if kind in _FIELD_NAMES else _field_names(kind)
    if names is not None:
        return {name: to_data(getattr(value, name)) for name in names}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names in order, None for any other type; remembered per type."""
    names = None
    if dataclasses.is_dataclass(kind):
        names = tuple(field.name for field in dataclasses.fields(kind))
    _FIELD_NAMES[kind] = names
    return names
