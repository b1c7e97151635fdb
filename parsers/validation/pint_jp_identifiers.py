"""Check digits and formats of national identifiers, as PINT's ``ibr-068``..``ibr-127`` test them.

PINT checks an identifier by its ICD / EAS scheme wherever it appears (endpoint, party
identifier, legal registration). Each function takes the normalised text and mirrors the
official test, including its quirks (a Swedish number is only "ten characters that read as a
number", an Italian VAT number without the ``IT`` prefix is not checked).
"""

from __future__ import annotations

import re

__all__ = [
    "abn",
    "be_enterprise",
    "codice_fiscale",
    "codice_ipa",
    "dk_cvr",
    "gln",
    "no_orgnr",
    "partita_iva",
    "se_orgnr",
]

_ALNUM = re.compile(r"[A-Za-z0-9]*")
_LETTERS = re.compile(r"[A-Za-z]*")
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")


def _is_integer(value: str) -> bool:
    """``castable as xs:integer``."""
    return _INTEGER.fullmatch(value) is not None


def gln(value: str) -> bool:
    """GS1 GLN (0088): digits with a mod-10 check digit (weights 3, 1 from the right)."""
    if not re.fullmatch(r"[0-9]+", value):
        return False
    body = [int(c) for c in reversed(value[:-1])]
    weighted = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return (10 - weighted % 10) % 10 == int(value[-1])


def se_orgnr(value: str) -> bool:
    """Swedish organisation number (0007): ten characters that read as a number."""
    if len(value) != 10:
        return False
    try:
        float(value)
    except ValueError:
        return False
    return re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", value) is not None


def no_orgnr(value: str) -> bool:
    """Norwegian organisation number (0192): nine digits, mod-11 weights 2..7 from the right."""
    if not re.fullmatch(r"[0-9]{9}", value):
        return False
    body = [int(c) for c in reversed(value[:-1])]
    weighted = sum(d * (i % 6 + 2) for i, d in enumerate(body))
    return int(value) > 0 and (11 - weighted % 11) % 11 == int(value[-1])


def dk_cvr(value: str) -> bool:
    """Danish CVR (0184): ``DK`` and eight digits."""
    return (
        len(value) == 10 and value.startswith("DK") and value[2:].isascii() and value[2:].isdigit()
    )


def be_enterprise(value: str) -> bool:
    """Belgian enterprise number (0208): ten digits, the last two 97 - (first eight mod 97)."""
    if not re.fullmatch(r"[0-9]{10}", value):
        return False
    return int(value[8:]) == 97 - int(value[:8]) % 97


def codice_ipa(value: str) -> bool:
    """Italian IPA code (0201): six letters or digits."""
    return len(value) == 6 and _ALNUM.fullmatch(value) is not None


def _cf16(value: str) -> bool:
    return (
        _LETTERS.fullmatch(value[0:6]) is not None
        and _is_integer(value[6:8])
        and _LETTERS.fullmatch(value[8:9]) is not None
        and _is_integer(value[9:11])
        and _is_integer(value[14:15])
        and _LETTERS.fullmatch(value[15:16]) is not None
    )


def codice_fiscale(value: str) -> bool:
    """Italian tax code (0210, 9907): 16 characters in the personal layout, or 11 digits."""
    if len(value) == 16:
        return _cf16(value)
    return len(value) == 11 and _is_integer(value)


def _piva_sum(code: str) -> int:
    total, odd = 0, False
    for char in code:
        digit = int(char)
        total += int("0246813579"[digit]) if odd else digit
        odd = not odd
    return total


def partita_iva(value: str) -> bool:
    """Italian VAT number (0211, 9906): with an ``IT`` prefix, eleven digits and a Luhn check."""
    if value[:2] not in ("IT", "it"):
        return True
    code = value[2:]
    return len(code) == 11 and code.isascii() and code.isdigit() and _piva_sum(code) % 10 == 0


def abn(value: str) -> bool:
    """Australian Business Number (0151): eleven digits, weighted sum mod 89 (first digit - 1)."""
    if not re.fullmatch(r"[0-9]{11}", value):
        return False
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [int(c) for c in value]
    digits[0] -= 1
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 89 == 0
