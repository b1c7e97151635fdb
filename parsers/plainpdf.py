"""Guess the key facts of a plain (paper-style) PDF invoice from its text, for a person to confirm.

Nothing here is trusted: the values only prefill a data-entry form. Text is NFKC-normalised first
so full-width digits, the letter T and the yen sign read like their ASCII forms.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import StreamObject

from parsers import registration
from parsers.model import Guesses, TaxGuess
from parsers.pdf import decoded_size

MAX_PAGES = 20
"""Invoices are short; extracting text from a 5,000-page PDF is a denial of service."""

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70-"
_REGISTRATION = re.compile(rf"T[\s{_DASHES}]?((?:\d[\s{_DASHES}]?){{12}}\d)(?!\d)")
_INVOICE_NUMBER = re.compile(
    r"(?:請求書番号|請求番号|請求書No\.?|伝票番号|Invoice\s*(?:No\.?|Number|#))"
    r"\s*[:.#]?\s*([A-Za-z0-9][A-Za-z0-9\-_/]*)",
    re.IGNORECASE,
)
_ERA_DATE = re.compile(r"(令和|平成)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_KANJI_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DATE_LABEL = re.compile(
    r"請求日|発行日|作成日|Invoice\s*Date|Date\s*of\s*issue|Issue\s*Date", re.I
)
_AMOUNT = r"[¥$€]?\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s*(?:円|JPY)?"
_TOTAL_LABELS = (
    "ご請求金額",
    "ご請求額",
    "請求金額",
    "税込合計",
    "合計金額",
    "Total\\s*Due",
    "Amount\\s*Due",
    "Total",
    "合計",
)
_RATE = re.compile(r"(\d{1,2}(?:\.\d+)?)\s*%")
_ERA_BASE = {"令和": 2018, "平成": 1988}


MAX_CONTENT_BYTES = 500_000
"""Decoded page content read per document. pypdf parses content at ~0.5 MB/s, so a 12 KB Flate
bomb of text operators held a worker for minutes before this cap."""
MAX_OPERATORS = 50_000
"""Content operators interpreted per document: a form XObject drawn 10^5 times is re-parsed
each time, which the byte cap alone does not see."""
MAX_XOBJECTS = 1_000


class _OverBudget(Exception):
    """Raised from pypdf's operator callback to stop extraction."""


@dataclass(frozen=True, slots=True)
class PdfText:
    """The text of the first pages, and whether a budget stopped the reading early."""

    text: str
    truncated: bool = False


def _content_bytes(page: PageObject, cap: int) -> int:
    """Decoded size of the page's content and every form XObject it can draw (> cap: stop)."""
    total = 0
    seen: set[int] = set()

    def add(stream: Any) -> None:
        nonlocal total
        stream = stream.get_object() if stream is not None else None
        if not isinstance(stream, StreamObject) or id(stream) in seen:
            return
        seen.add(id(stream))
        if len(seen) > MAX_XOBJECTS:
            raise _OverBudget
        total += decoded_size(stream, cap - total)
        if total > cap:
            raise _OverBudget
        walk(stream.get("/Resources"))

    def walk(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if isinstance(resources, dict) else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        if isinstance(xobjects, dict):
            for value in xobjects.values():
                obj = value.get_object()
                if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Form":
                    add(obj)

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    for stream in contents if isinstance(contents, list) else [contents]:
        add(stream)
    walk(page.get("/Resources"))
    return total


def read_text(
    reader: PdfReader,
    *,
    max_pages: int = MAX_PAGES,
    max_bytes: int = MAX_CONTENT_BYTES,
    max_operators: int = MAX_OPERATORS,
) -> PdfText:
    """Text of the first ``max_pages`` pages within the byte and operator budgets."""
    parts: list[str] = []
    remaining = max_bytes
    operators = 0

    def count(*_: object) -> None:
        nonlocal operators
        operators += 1
        if operators > max_operators:
            raise _OverBudget

    visitor: Callable[[Any, Any, Any, Any], None] = count
    for index in range(min(len(reader.pages), max_pages)):
        try:
            page = reader.pages[index]
            remaining -= _content_bytes(page, remaining)
            parts.append(page.extract_text(visitor_operand_before=visitor))
        except _OverBudget:
            return PdfText("\n".join(parts), truncated=True)
        except Exception:  # one broken content stream must not lose the other pages
            continue
    return PdfText("\n".join(parts))


def extract_text(reader: PdfReader, *, max_pages: int = MAX_PAGES) -> str:
    """Text of the first ``max_pages`` pages; a page that fails to extract is skipped."""
    return read_text(reader, max_pages=max_pages).text


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def guess_registration_number(text: str) -> str | None:
    """The first ``T`` + 13 digits with a valid check digit, else the first well-formed one."""
    candidates = ["T" + re.sub(r"\D", "", m[1]) for m in _REGISTRATION.finditer(_normalise(text))]
    valid = [c for c in candidates if registration.is_valid(c)]
    return next(iter(valid or candidates), None)


def guess_invoice_number(text: str) -> str | None:
    """The value after 請求書番号 / Invoice No."""
    match = _INVOICE_NUMBER.search(_normalise(text))
    return match[1] if match else None


def _date_at(text: str, pos: int) -> tuple[int, dt.date] | None:
    """The first date at or after ``pos``, with where it starts."""
    found: list[tuple[int, dt.date]] = []
    for pattern in (_ERA_DATE, _KANJI_DATE, _NUMERIC_DATE):
        for match in pattern.finditer(text, pos):
            if pattern is _ERA_DATE:
                era_year = 1 if match[2] == "元" else int(match[2])
                year, month, day = _ERA_BASE[match[1]] + era_year, int(match[3]), int(match[4])
            else:
                year, month, day = int(match[1]), int(match[2]), int(match[3])
            try:
                found.append((match.start(), dt.date(year, month, day)))
            except ValueError:
                continue
            break
    return min(found, key=lambda item: item[0]) if found else None


def guess_issue_date(text: str) -> dt.date | None:
    """The date after a 請求日 / Invoice Date label, else the first date in the text."""
    text = _normalise(text)
    label = _DATE_LABEL.search(text)
    if label and (near := _date_at(text, label.end())) and near[0] - label.end() < 40:
        return near[1]
    first = _date_at(text, 0)
    return first[1] if first else None


def guess_total(text: str) -> Decimal | None:
    """The amount after the most specific total label (ご請求金額 before 合計)."""
    text = _normalise(text)
    for label in _TOTAL_LABELS:
        pattern = re.compile(rf"{label}(?!\s*\d{{1,2}}\s*%)[^\d\n¥$€-]{{0,20}}{_AMOUNT}", re.I)
        if match := pattern.search(text):
            return _amount(match[1])
    return None


def guess_taxes(text: str) -> tuple[TaxGuess, ...]:
    """Per rate: the amount after ``10%対象`` and the tax after ``消費税``, line by line."""
    by_rate: dict[Decimal, tuple[Decimal | None, Decimal | None]] = {}
    for line in _normalise(text).splitlines():
        rate_match = _RATE.search(line)
        if rate_match is None:
            continue
        rate = Decimal(rate_match[1])
        taxable, tax = by_rate.get(rate, (None, None))
        if match := re.search(rf"対象[^\d\n¥]{{0,10}}{_AMOUNT}", line):
            taxable = taxable if taxable is not None else _amount(match[1])
        elif match := re.search(rf"(?:Taxable|Net)[^\d\n¥]{{0,10}}{_AMOUNT}", line, re.I):
            taxable = taxable if taxable is not None else _amount(match[1])
        rest = line[rate_match.end() :]
        if match := re.search(rf"(?:消費税|税額|Tax|VAT)[^\d\n¥]{{0,12}}{_AMOUNT}", rest, re.I):
            tax = tax if tax is not None else _amount(match[1])
        elif re.search(r"消費税|税額|\bTax\b|\bVAT\b", line[: rate_match.start()], re.I):
            if match := re.match(rf"[^\d\n¥]{{0,12}}{_AMOUNT}", rest):
                tax = tax if tax is not None else _amount(match[1])
        if taxable is not None or tax is not None:
            by_rate[rate] = (taxable, tax)
    return tuple(TaxGuess(rate, taxable, tax) for rate, (taxable, tax) in sorted(by_rate.items()))


def guess_currency(text: str) -> str | None:
    """JPY for 円 / ¥; otherwise unknown (EUR and USD are not the city's business)."""
    text = _normalise(text)
    return "JPY" if ("円" in text or "¥" in text or "JPY" in text) else None


def guess(text: str) -> Guesses:
    """Every guess from one document's text."""
    return Guesses(
        registration_number=guess_registration_number(text),
        invoice_number=guess_invoice_number(text),
        issue_date=guess_issue_date(text),
        total=guess_total(text),
        currency=guess_currency(text),
        taxes=guess_taxes(text),
        text_found=bool(text.strip()),
    )
