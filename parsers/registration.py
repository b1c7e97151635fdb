"""Japan's qualified-invoice registration number (適格請求書発行事業者登録番号).

``T`` followed by 13 digits. The first of the 13 digits is a check digit computed like the
corporate number's (法人番号, 国税庁告示): with the 12 base digits P1..P12 counted from the
rightmost, check = 9 - (sum(Pn * Qn) mod 9), where Qn is 1 for odd n and 2 for even n.
"""

from __future__ import annotations

import re
import unicodedata

_PATTERN = re.compile(r"T([0-9]{13})")
"""ASCII digits only: ``\\d`` would also take full-width ones, which is how they got stored."""


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


_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff70]")
"""Spaces, hyphens and the dashes Japanese keyboards make (U+2010..U+2015, U+2212, U+30FC)."""


def normalize(number: str) -> str:
    """The one form of a registration number, whatever was typed: NFKC (a full-width ``T`` and
    digits become ASCII), no spaces, hyphens or dashes, upper case.

    Every entry point (sign-up, administration, CLI, data entry, search) stores and compares
    this form, so one company is one supplier however its number was written."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", number)).upper()
