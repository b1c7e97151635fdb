"""XPath 2.0 number and date semantics, as SaxonC applies them, for rules run on lxml's XPath 1.0.

The official stylesheets compare untyped values with numbers (``(cbc:Percent) > 0``) and cast
text with ``xs:decimal(…)``. XPath 1.0's ``number()`` reads both differently: it refuses a
leading ``+`` and ``INF``, and treats ``-0`` as equal to zero in every comparison, where SaxonC
orders a negative zero below zero. These functions give the official readings; the rule engines
register them as XPath extension functions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lxml import etree

__all__ = [
    "date_days",
    "decimal_value",
    "number_compare",
    "order_doubles",
    "string_value",
    "untyped_double",
]


def string_value(value: Any) -> str:
    """XPath string value of an extension-function argument (first node of a node-set)."""
    if isinstance(value, list):
        if not value:
            return ""
        value = value[0]
    if isinstance(value, etree._Element):
        return "".join(value.itertext())
    return str(value)


_INTEGER = re.compile(r"[+-]?\d+")
_XSD_DOUBLE = re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN")


def untyped_double(raw: str, *, against_integer: bool = False) -> float | None:
    """An untyped value cast to xs:double as the official engine does it (``None``: not one).

    SaxonC keeps the sign of a negative zero ("-0", "-0.0") and orders it below zero; but
    compared with an integer, a value written as an integer ("-0") is read as that integer.
    """
    value = raw.strip()
    if not _XSD_DOUBLE.fullmatch(value):
        return None
    if against_integer and _INTEGER.fullmatch(value):
        return float(int(value))
    number = float(value.replace("INF", "inf"))
    if number == 0:
        return -0.0 if value.startswith("-") else 0.0
    return number


def order_doubles(left: float, right: float) -> int:
    """Java's ``Double.compare`` on non-NaN values: -0.0 sorts before 0.0."""
    if left != right:
        return -1 if left < right else 1
    return int(math.copysign(1, left) - math.copysign(1, right)) // 2


_COMPARISONS: dict[str, Callable[[int], bool]] = {
    "=": lambda order: order == 0,
    "!=": lambda order: order != 0,
    "<": lambda order: order < 0,
    "<=": lambda order: order <= 0,
    ">": lambda order: order > 0,
    ">=": lambda order: order >= 0,
}


def number_compare(_: Any, values: Any, operator: str, literal_text: str) -> bool:
    """``path op number`` as the official engine compares it: some value satisfies it."""
    items = values if isinstance(values, list) else [values]
    compare = _COMPARISONS[operator]
    integer = "." not in literal_text
    literal = float(literal_text)
    for item in items:
        number = untyped_double(string_value(item), against_integer=integer)
        if (
            number is not None
            and not math.isnan(number)
            and compare(order_doubles(number, literal))
        ):
            return True
    return False


_XSD_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def decimal_value(_: Any, value: Any) -> float:
    """``xs:decimal(value)`` as a number (NaN where SaxonC would stop with a cast error)."""
    raw = string_value(value).strip()
    return float(Decimal(raw)) if _XSD_DECIMAL.fullmatch(raw) else math.nan


def date_days(year: int, month: int, day: int) -> int | None:
    """Days since 1970-01-01 of a proleptic Gregorian date, any year (``None`` if no such day).

    XSD 1.1 dates, as SaxonC reads them, include year 0000 (1 BCE, a leap year), negative
    years and years past 9999, which :mod:`datetime` cannot hold.
    """
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    lengths = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if not 1 <= month <= 12 or not 1 <= day <= lengths[month - 1]:
        return None
    shifted = year - (month <= 2)  # count years from March, so the leap day ends a year
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    of_cycle = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    return era * 146097 + of_cycle - 719468
