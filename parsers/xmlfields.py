"""Tolerant field access shared by the UBL and CII readers.

Schema-invalid input is normal here: a missing element, an empty one or ``12,5`` where a
number belongs all read as ``None``, and validation says why. Nothing in here raises on content.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation

from lxml import etree

from parsers import registration

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BASIC_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MAX_DECIMAL_CHARS = 64  # no invoice amount needs more; stops 10**100000 games


def parse_decimal(text: str | None) -> Decimal | None:
    """A finite ``Decimal`` from XSD decimal text, else ``None``."""
    if text is None:
        return None
    text = text.strip()
    if not text or len(text) > _MAX_DECIMAL_CHARS:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_date(text: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` (UBL, also with a time zone) or ``YYYYMMDD`` (CII format 102)."""
    if text is None:
        return None
    text = text.strip()
    match = _ISO_DATE.match(text) or _BASIC_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def jp_registration_number(*candidates: str | None) -> str | None:
    """The first candidate that is a well-formed ``T`` + 13 digits number, normalised."""
    for candidate in candidates:
        if candidate and registration.is_well_formed(registration.normalize(candidate)):
            return registration.normalize(candidate)
    return None


def base64_size(text: str | None) -> int | None:
    """Decoded size of base64 text, computed without decoding it."""
    if not text:
        return None
    compact = "".join(text.split())
    return len(compact) * 3 // 4 - compact[-2:].count("=")


class Fields:
    """An element and its namespace prefixes, with lookups that return ``None`` when absent."""

    __slots__ = ("element", "namespaces")

    def __init__(self, element: etree._Element, namespaces: Mapping[str, str]) -> None:
        self.element = element
        self.namespaces = namespaces

    def node(self, path: str) -> Fields | None:
        """The first element at ``path``."""
        found = self.element.find(path, self.namespaces)
        return None if found is None else Fields(found, self.namespaces)

    def all(self, path: str) -> Iterator[Fields]:
        """Every element at ``path``, in document order."""
        for found in self.element.iterfind(path, self.namespaces):
            yield Fields(found, self.namespaces)

    def text(self, path: str | None = None) -> str | None:
        """Stripped text at ``path`` (or of this element); empty counts as absent."""
        element = self.element if path is None else self.element.find(path, self.namespaces)
        if element is None:
            return None
        value = "".join(element.itertext()).strip()
        return value or None

    def texts(self, path: str) -> tuple[str, ...]:
        """Every non-empty text at ``path``."""
        return tuple(t for f in self.all(path) if (t := f.text()) is not None)

    def attr(self, path: str | None, name: str) -> str | None:
        """Attribute ``name`` of the element at ``path`` (or of this element)."""
        element = self.element if path is None else self.element.find(path, self.namespaces)
        if element is None:
            return None
        value = element.get(name)
        return value.strip() or None if value is not None else None

    def decimal(self, path: str) -> Decimal | None:
        """A decimal at ``path``."""
        return parse_decimal(self.text(path))

    def date(self, path: str) -> dt.date | None:
        """A date at ``path``."""
        return parse_date(self.text(path))
