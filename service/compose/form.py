"""The web form's flat fields (``line-0-quantity``, ``seller-name``) to and from the nested
``ComposeIn``, and where on the form a problem belongs.

A problem is shown at its field: a schema error by its location, a validator finding by its
business term (BT-n) and, for a line, the line's position in the XML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from parsers import Finding

DOCUMENT_FIELDS = (
    "invoice_number",
    "issue_date",
    "due_date",
    "buyer_reference",
    "purchase_order",
    "delivery_date",
    "period_start",
    "period_end",
    "payment_terms",
    "note",
    "preceding_invoice",
    "preceding_issue_date",
    "rounding",
)
SELLER_FIELDS = (
    "name",
    "corporate_number",
    "postal_zone",
    "prefecture",
    "city",
    "street",
    "building",
    "contact_name",
    "telephone",
    "email",
)
BANK_FIELDS = ("bank_code", "branch_code", "account_type", "account_number", "account_holder")
LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "tax", "allowance")
MAX_FORM_LINES = 100
BLANK_LINES = 1
"""Empty rows the form offers after the filled ones (JS adds more; without JS, "add line")."""

_TERMS = {
    "BT-1": "invoice_number",
    "BT-2": "issue_date",
    "BT-9": "due_date",
    "BT-10": "buyer_reference",
    "BT-13": "purchase_order",
    "BT-20": "payment_terms",
    "BT-22": "note",
    "BT-25": "preceding_invoice",
    "BT-26": "preceding_issue_date",
    "BT-27": "seller-name",
    "BT-34": "seller-corporate_number",
    "BT-72": "delivery_date",
    "BT-73": "period_start",
    "BT-74": "period_end",
    "BG-14": "period_start",
    "BT-84": "seller-account_number",
    "BT-85": "seller-account_holder",
    "BT-129": "quantity",
    "BT-130": "unit",
    "BT-146": "unit_price",
    "BT-153": "description",
    "BT-136": "allowance",
}
_LINE_TERMS = frozenset({"BT-129", "BT-130", "BT-146", "BT-153", "BT-136"})
_LINE_IN_XPATH = re.compile(r"(?:Invoice|CreditNote)Line\[(\d+)\]")


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def line_count(values: Mapping[str, str]) -> int:
    """How many line rows the submitted form had."""
    count = 0
    while count < MAX_FORM_LINES and any(f"line-{count}-{f}" in values for f in LINE_FIELDS):
        count += 1
    return count


def _line(values: Mapping[str, str], index: int) -> dict[str, Any] | None:
    row = {f: values.get(f"line-{index}-{f}", "").strip() for f in LINE_FIELDS}
    if all(_blank(row[f]) for f in ("description", "quantity", "unit_price", "allowance")):
        return None  # an empty row is no line
    allowance = row.pop("allowance")
    line: dict[str, Any] = {k: v for k, v in row.items() if v}
    line["allowances"] = [{"amount": allowance}] if allowance else []
    return line


def body_of(values: Mapping[str, str]) -> tuple[dict[str, Any], list[int]]:
    """The nested body for ``ComposeIn`` from the form's fields, and the form row of each line
    (so a problem with line 2 of the body is shown at the row it came from)."""
    body: dict[str, Any] = {
        f: values[f].strip() for f in DOCUMENT_FIELDS if not _blank(values.get(f))
    }
    body["credit_note"] = values.get("credit_note") == "1"
    seller: dict[str, Any] = {
        f: values[f"seller-{f}"].strip()
        for f in SELLER_FIELDS
        if not _blank(values.get(f"seller-{f}"))
    }
    bank = {f: values.get(f"seller-{f}", "").strip() for f in BANK_FIELDS}
    if any(bank.values()):
        seller["bank_account"] = bank
    body["seller"] = seller
    rows: list[int] = []
    lines: list[dict[str, Any]] = []
    for index in range(line_count(values)):
        line = _line(values, index)
        if line is not None:
            rows.append(index)
            lines.append(line)
    body["lines"] = lines
    return body, rows


def values_of(body: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields for a nested body (an earlier invoice, a template)."""
    values = {f: _str(body.get(f)) for f in DOCUMENT_FIELDS if body.get(f) is not None}
    if body.get("credit_note"):
        values["credit_note"] = "1"
    seller = body.get("seller") or {}
    values.update({f"seller-{f}": _str(seller[f]) for f in SELLER_FIELDS if seller.get(f)})
    bank = seller.get("bank_account") or {}
    values.update({f"seller-{f}": _str(bank[f]) for f in BANK_FIELDS if bank.get(f)})
    for index, line in enumerate(body.get("lines") or []):
        for f in ("description", "quantity", "unit", "unit_price", "tax"):
            if line.get(f) is not None:
                values[f"line-{index}-{f}"] = _str(line[f])
        allowances = line.get("allowances") or []
        if allowances:
            values[f"line-{index}-allowance"] = _str(sum(a["amount"] for a in allowances))
    return values


def _str(value: Any) -> str:
    return str(value.value if hasattr(value, "value") else value)


_TERM_IN_TEXT = re.compile(r"\b(B[TG]-\d+)\b")


def field_of_error(loc: tuple[int | str, ...], rows: list[int], message: str = "") -> str | None:
    """The form field a schema error's location names (``("lines", 1, "quantity")``); for a
    rule over several fields, the first business term its message names."""
    if not loc:
        term = _TERM_IN_TEXT.search(message)
        return _TERMS.get(term.group(1)) if term else None
    if loc[0] == "lines" and len(loc) >= 3 and isinstance(loc[1], int) and loc[1] < len(rows):
        name = "allowance" if loc[2] == "allowances" else loc[2]
        return f"line-{rows[loc[1]]}-{name}"
    if loc[0] == "seller" and len(loc) >= 2:
        return f"seller-{loc[-1]}"
    return str(loc[0]) if isinstance(loc[0], str) and loc[0] != "lines" else None


def field_of_finding(finding: Finding, rows: list[int]) -> str | None:
    """The form field a validator finding concerns, by its business term and line."""
    name = _TERMS.get(finding.business_term or "")
    if name is None or finding.business_term not in _LINE_TERMS:
        return name
    match = _LINE_IN_XPATH.search(finding.location or "")
    if match is None or int(match.group(1)) > len(rows):
        return None
    return f"line-{rows[int(match.group(1)) - 1]}-{name}"
