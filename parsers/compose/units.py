"""Units a supplier picks by their Japanese name, with the UN/ECE Rec 20 code the XML carries.

The list is the units Japanese small-business invoices use; every code is in the Rec 20 list
that JP PINT's ``ibr-cl-23`` checks (a test holds them to the validator).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["UNITS", "Unit", "unit"]


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    """UN/ECE Rec 20."""
    ja: str
    en: str


UNITS: tuple[Unit, ...] = (
    Unit("H87", "個", "piece"),
    Unit("C62", "点", "unit"),
    Unit("SET", "式", "set"),
    Unit("HUR", "時間", "hour"),
    Unit("DAY", "日", "day"),
    Unit("MON", "月", "month"),
    Unit("ANN", "年", "year"),
    Unit("KGM", "kg", "kg"),
    Unit("MTR", "m", "m"),
    Unit("MTK", "m²", "m²"),
    Unit("LTR", "L", "litre"),
    Unit("PR", "組", "pair"),
)

_BY_CODE = {u.code: u for u in UNITS}


def unit(code: str) -> Unit | None:
    """The unit of a Rec 20 code, if it is one juryo offers."""
    return _BY_CODE.get(code)
