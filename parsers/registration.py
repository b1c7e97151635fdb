"""Japan's qualified-invoice registration number (適格請求書発行事業者登録番号).

``T`` followed by 13 digits. The first of the 13 digits is a check digit computed like the
corporate number's (法人番号, 国税庁告示): with the 12 base digits P1..P12 counted from the
rightmost, check = 9 - (sum(Pn * Qn) mod 9), where Qn is 1 for odd n and 2 for even n.
"""

from __future__ import annotations

import re

_PATTERN = re.compile(r"T(\d{13})")


def check_digit(base12: str) -> int:
    """The check digit of a 12-digit base number."""
    if len(base12) != 12 or not base12.isdigit():
        raise ValueError("base number must be 12 digits")
    total = sum(
        int(digit) * (1 if n % 2 == 1 else 2) for n, digit in enumerate(reversed(base12), start=1)
    )
    return 9 - total % 9


def is_well_formed(number: str) -> bool:
    """``T`` + 13 digits, without checking the check digit."""
    return _PATTERN.fullmatch(number) is not None


def is_valid(number: str) -> bool:
    """Well-formed and the check digit matches."""
    match = _PATTERN.fullmatch(number)
    if match is None:
        return False
    digits = match.group(1)
    return int(digits[0]) == check_digit(digits[1:])


def normalize(number: str) -> str:
    """Strip spaces and hyphens and upper-case the ``T``; suppliers type both."""
    return re.sub(r"[\s\-‐－]", "", number).upper().replace("Ｔ", "T")
