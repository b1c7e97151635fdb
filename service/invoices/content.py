"""The canonical content an invoice was stored with, read back typed.

Intake keeps, as JSON beside the untouched original, either the parsed invoice
(``parsers.Invoice``) or, for a document that takes data entry (a plain PDF, Factur-X MINIMUM
or BASIC WL), the parser's guesses (``parsers.Guesses``). Which of the two a row holds follows
from its format and profile, so it is decided here once and said by ``kind``: no page sniffs
the JSON for a ``seller``. The frozen ``parsers`` model round-trips through that JSON, so the
stored data stays exactly what the API has always shown.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, TypeAdapter

from parsers.model import Guesses, Invoice, TaxSubtotal
from parsers.profiles import Format, Profile
from storage.models import InvoiceRecord

_INCOMPLETE_PROFILES = frozenset(p.value for p in Profile if p.lacks_invoice_content)
_INVOICE = TypeAdapter(Invoice)
_GUESSES = TypeAdapter(Guesses)


class ContentKind(enum.StrEnum):
    """What a stored invoice's content is."""

    PARSED = "parsed"
    """A complete invoice read from structured data."""
    GUESSES = "guesses"
    """Values read off a document without complete data; a person confirms them."""


@dataclass(frozen=True, slots=True)
class ParsedContent:
    """The invoice as the parser read it."""

    kind: ClassVar[ContentKind] = ContentKind.PARSED
    invoice: Invoice


@dataclass(frozen=True, slots=True)
class GuessedContent:
    """What the parser guessed for data entry."""

    kind: ClassVar[ContentKind] = ContentKind.GUESSES
    guesses: Guesses


StoredContent = ParsedContent | GuessedContent


def kind_of(format: str, profile: str) -> ContentKind:
    """Guesses for a plain PDF and for the profiles without invoice content, else parsed."""
    if format == Format.PDF.value or profile in _INCOMPLETE_PROFILES:
        return ContentKind.GUESSES
    return ContentKind.PARSED


def read(kind: ContentKind, data: Mapping[str, Any] | None) -> StoredContent | None:
    """The stored JSON as the model it was written from (None when nothing was stored)."""
    if not data:
        return None
    if kind is ContentKind.GUESSES:
        return GuessedContent(_GUESSES.validate_python(data))
    return ParsedContent(_INVOICE.validate_python(data))


class _TaxBreakdown(BaseModel):
    """The part of a parsed invoice that a batch export reads for each of its thousands of
    invoices; the rest of the JSON is left unread (it would cost ten times as much)."""

    tax_breakdown: tuple[TaxSubtotal, ...] = ()


def tax_breakdown(kind: ContentKind, data: Mapping[str, Any] | None) -> tuple[TaxSubtotal, ...]:
    """The stored invoice's tax per category and rate (none for guesses)."""
    if not data or kind is ContentKind.GUESSES:
        return ()
    return _TaxBreakdown.model_validate(data).tax_breakdown


def content_of(invoice: InvoiceRecord) -> StoredContent | None:
    """The invoice row's content, typed."""
    return read(kind_of(invoice.format, invoice.profile), invoice.content)
