"""Writing an invoice for a supplier: the account fills the seller, the register fills the
department, ``parsers.compose`` computes every amount and writes JP PINT, and intake receives
it like any upload (``Channel.WEB_FORM``), so the clerk gets a complete invoice.

The page and ``POST /api/v1/compose`` both call these functions; neither computes anything.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from parsers import Finding, Result, Severity
from parsers.compose import (
    Address,
    Amounts,
    BankAccount,
    Buyer,
    Draft,
    DraftLine,
    Endpoint,
    LineAllowance,
    PrecedingInvoice,
    Rounding,
    Seller,
    amounts,
    compose,
)
from service.auth.principal import Principal
from service.compose.schemas import ComposeIn, SellerIn
from service.errors import Forbidden, NotFound, Unprocessable
from service.intake import service as intake
from service.intake.submission import Channel, Document, Submission
from service.runtime import Runtime
from service.settings import Settings
from storage import audit
from storage.models import BankAccount as AccountColumns
from storage.models import ComposeDraft, Supplier, utcnow
from storage.repositories import compose as repo
from storage.repositories import organisation
from storage.repositories.organisation import RoutingMatch

SELLER_COLUMNS = (
    "postal_zone",
    "prefecture",
    "city",
    "street",
    "building",
    "contact_name",
    "telephone",
    "corporate_number",
)
"""Seller fields the form may save back to the supplier's account as they are."""


class FieldRefused(Unprocessable):
    """The form's input cannot make an invoice; ``extra["fields"]`` names the fields."""

    def __init__(self, detail: str, *, field: str, text_key: str) -> None:
        super().__init__(detail, extra={"fields": {field: text_key}})


@dataclass(frozen=True, slots=True)
class Preview:
    """A draft, its amounts, the XML it makes and what the validator said of it."""

    draft: Draft
    figures: Amounts
    xml: bytes
    result: Result

    @property
    def fatal(self) -> list[Finding]:
        return [f for f in self.result.findings if f.severity is Severity.FATAL]


def supplier_of(session: Session, caller: Principal) -> Supplier:
    """The caller's own supplier account (only suppliers write invoices)."""
    if caller.supplier_id is None:
        raise Forbidden("only supplier accounts write invoices")
    return organisation.supplier_for_routing(session, caller.supplier_id)


def _bank(stated: SellerIn, supplier: Supplier) -> BankAccount | None:
    account = stated.bank_account or supplier.bank_account
    if account is None:
        return None
    return BankAccount(
        account.bank_code,
        account.branch_code,
        account.account_type,
        account.account_number,
        account.account_holder,
    )


def _endpoint(stated: SellerIn, supplier: Supplier) -> Endpoint:
    """BT-34: the corporate number, which a registration number ends with (T + 法人番号) or a
    non-registered seller states."""
    if supplier.registration_number:
        return Endpoint("0188", supplier.registration_number[1:])
    number = stated.corporate_number or supplier.corporate_number
    if not number:
        raise FieldRefused(
            "a seller without a registration number states its corporate number (BT-34)",
            field="seller-corporate_number",
            text_key="compose.need_corporate_number",
        )
    return Endpoint("0188", number)


def seller_of(stated: SellerIn, supplier: Supplier) -> Seller:
    """BG-4: what the form states, the account's value where it states nothing."""

    def pick(name: str) -> str | None:
        value: str | None = getattr(stated, name, None) or getattr(supplier, name, None)
        return value

    return Seller(
        name=stated.name or supplier.name,
        endpoint=_endpoint(stated, supplier),
        registration_number=supplier.registration_number,
        address=Address(
            pick("postal_zone"), pick("prefecture"), pick("city"), pick("street"), pick("building")
        ),
        contact_name=pick("contact_name"),
        telephone=pick("telephone"),
        email=stated.email or supplier.contact_email,
        bank_account=_bank(stated, supplier),
    )


def department_code(session: Session, body: ComposeIn) -> str:
    """BT-10: the department's code, as typed or picked, or found from the order (BT-13)."""
    found = organisation.routing_department(
        session, code=body.buyer_reference or None, po_number=body.purchase_order, fallback_code=""
    )
    if found is not None and found[1] in (RoutingMatch.CODE, RoutingMatch.ALIAS):
        return found[0].code
    if found is not None and found[1] is RoutingMatch.PURCHASE_ORDER and not body.buyer_reference:
        return found[0].code
    by_order = bool(body.purchase_order) and not body.buyer_reference
    raise FieldRefused(
        "name a department of the city (BT-10) or a registered purchase order (BT-13)",
        field="purchase_order" if by_order else "buyer_reference",
        text_key="compose.unknown_department",
    )


def draft_of(session: Session, settings: Settings, caller: Principal, body: ComposeIn) -> Draft:
    """The parsers' draft for a validated body: seller from the account, buyer the city."""
    supplier = supplier_of(session, caller)
    if body.credit_note and supplier.registration_number is None:
        # JP PINT has no credit note for non-registered sellers (ibr-cl-01-jp-ntr): they
        # correct with a new invoice that names the old one (BT-25).
        raise FieldRefused(
            "a seller without a registration number corrects with an invoice, not a credit note",
            field="credit_note",
            text_key="compose.no_credit_note",
        )
    scheme, _, identifier = settings.city_endpoint.partition(":")
    return Draft(
        number=body.invoice_number,
        issue_date=body.issue_date,
        seller=seller_of(body.seller, supplier),
        buyer=Buyer(
            name=settings.city_name,
            endpoint=Endpoint(scheme, identifier),
            department_reference=department_code(session, body),
            purchase_order=body.purchase_order or None,
        ),
        lines=tuple(
            DraftLine(
                line.description,
                line.quantity,
                line.unit,
                line.unit_price,
                line.tax,
                tuple(LineAllowance(a.amount, a.reason) for a in line.allowances),
            )
            for line in body.lines
        ),
        credit_note=body.credit_note,
        rounding=body.rounding or Rounding(supplier.rounding),
        due_date=body.due_date,
        delivery_date=body.delivery_date,
        period_start=body.period_start,
        period_end=body.period_end,
        payment_terms=body.payment_terms or None,
        note=body.note or None,
        preceding=PrecedingInvoice(body.preceding_invoice, body.preceding_issue_date)
        if body.preceding_invoice
        else None,
    )


def preview(runtime: Runtime, session: Session, caller: Principal, body: ComposeIn) -> Preview:
    """The invoice the body makes and the validator's verdict on it; nothing is stored."""
    draft = draft_of(session, runtime.settings, caller, body)
    xml = compose(draft)
    result = intake.dry_run(runtime, _document(draft, xml))
    return Preview(draft, amounts(draft), xml, result)


def _document(draft: Draft, xml: bytes) -> Document:
    return Document(xml, "application/xml", filename=f"{draft.number}.xml")


def submit(
    runtime: Runtime,
    session: Session,
    caller: Principal,
    body: ComposeIn,
    *,
    idempotency_key: str | None = None,
    replaces: int | None = None,
) -> intake.Received:
    """Write the XML and hand it to intake, exactly as an upload of it would be received."""
    draft = draft_of(session, runtime.settings, caller, body)
    submission = Submission(
        _document(draft, compose(draft)),
        caller,
        Channel.WEB_FORM,
        idempotency_key=idempotency_key,
        replaces=replaces,
    )
    return intake.submit(runtime, session, submission)


def save_seller(
    session: Session, caller: Principal, stated: SellerIn, rounding: Rounding | None
) -> None:
    """Save what the form states about the seller back to the account (and audit it)."""
    supplier = supplier_of(session, caller)
    changed: dict[str, Any] = {}
    for name in SELLER_COLUMNS:
        value = getattr(stated, name)
        if value and value != getattr(supplier, name):
            setattr(supplier, name, value)
            changed[name] = value
    if stated.name and stated.name != supplier.name:
        supplier.name = changed["name"] = stated.name
    if stated.email and stated.email != supplier.contact_email:
        supplier.contact_email = changed["contact_email"] = stated.email
    if stated.bank_account is not None:
        supplier.bank_account = AccountColumns(**stated.bank_account.model_dump())
        changed["bank_account"] = True
    if rounding is not None and rounding != supplier.rounding:
        supplier.rounding = changed["rounding"] = rounding.value
    audit.record(
        session,
        actor=caller.actor,
        action="supplier.update_profile",
        entity_type="supplier",
        entity_id=supplier.id,
        details={"changed": sorted(changed)},
    )


# --- numbers, dates, drafts --------------------------------------------------------------------

_LAST_DIGITS = re.compile(r"(\d+)(?=\D*$)")


def next_number(session: Session, caller: Principal, today: dt.date) -> str:
    """The supplier's last number with its last digits counted up (INV-0009 → INV-0010),
    one not used among its recent invoices; the year and 0001 for a first invoice."""
    assert caller.supplier_id is not None
    used = repo.recent_numbers(session, caller.supplier_id)
    for number in used:
        match = _LAST_DIGITS.search(number)
        if match is None:
            continue
        digits = match.group(1)
        for step in range(1, len(used) + 2):
            candidate = (
                number[: match.start()]
                + str(int(digits) + step).zfill(len(digits))
                + number[match.end() :]
            )
            if candidate not in used:
                return candidate
    return f"{today.year}-0001"


def shift_months(value: dt.date | None, months: int) -> dt.date | None:
    """The same day ``months`` later (the month's last day where it has fewer days); a period
    that ended on a month's last day ends on the later month's last day."""
    if value is None or months == 0:
        return value
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    month_end = value.day == calendar.monthrange(value.year, value.month)[1]
    return dt.date(year, month + 1, last if month_end else min(value.day, last))


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def save_draft(
    session: Session,
    caller: Principal,
    values: dict[str, str],
    *,
    template: bool,
    name: str,
    draft_id: int | None = None,
) -> ComposeDraft:
    """Keep the form as typed (unfinished is fine) as a draft or a reusable template."""
    assert caller.supplier_id is not None
    row = repo.draft(session, caller.supplier_id, draft_id) if draft_id else None
    if draft_id and row is None:
        raise NotFound(f"no draft {draft_id}")
    if row is None or row.template != template:
        row = ComposeDraft(supplier_id=caller.supplier_id)
        session.add(row)
    row.template, row.name, row.body, row.updated_at = template, name[:200], values, utcnow()
    session.flush()
    return row


def delete_draft(session: Session, caller: Principal, draft_id: int) -> None:
    assert caller.supplier_id is not None
    row = repo.draft(session, caller.supplier_id, draft_id)
    if row is None:
        raise NotFound(f"no draft {draft_id}")
    session.delete(row)
