"""Reading what people type into forms and command lines: amounts and dates, one way."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from service.i18n import translator

_SEPARATORS = re.compile(r"[,\s¥円_]")


def code(value: str) -> str:
    """A login or code in one form: NFKC and trimmed, so a login typed in full-width (Japanese
    input mode) is its ASCII self (registration numbers have their own, stricter form in
    ``parsers.registration.normalize``)."""
    return unicodedata.normalize("NFKC", value).strip()


class FormValueError(ValueError):
    """A typed value that is not what the field needs; the message quotes it, in English as
    ``str()`` (the CLI's) and in either language as ``message(lang)`` (the pages')."""

    def __init__(self, key: str, value: str | None) -> None:
        self.key = key
        self.value = value or ""
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The catalogue's sentence, quoting what was typed."""
        return translator(lang)(self.key).format(value=self.value)


def amount_text(value: str | None) -> str | None:
    """The digits of a typed amount: full-width folded, separators and yen signs dropped."""
    if value is None:
        return None
    cleaned = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    return cleaned or None


def amount(value: str | None) -> Decimal | None:
    """A typed amount (``1,000,000``, ``¥16,150``, ``１６１５０円``); None when left empty."""
    text = amount_text(value)
    if text is None:
        return None
    try:
        parsed = Decimal(text)
    except InvalidOperation:
        raise FormValueError("form.not_amount", value) from None
    if not parsed.is_finite():
        raise FormValueError("form.not_amount", value)
    return parsed


def date(value: str | None) -> dt.date | None:
    """A typed date ``YYYY-MM-DD`` (what date inputs send); None when left empty."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(unicodedata.normalize("NFKC", text))
    except ValueError:
        raise FormValueError("form.not_date", value) from None
