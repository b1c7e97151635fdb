# ruff: noqa: RUF003  (yen arithmetic written with × on purpose)
"""Any invoice the form or the API accepts is valid JP PINT that reads back to what was typed
and taxes each rate once, the supplier's way.

The input is what a person types into the form (any text, any number-like string); it passes
the same layers a submission does: the form's fields → the API's ``ComposeIn`` → the draft
with the account's seller and the register's department → ``parsers.compose``. What any layer
refuses is not an invoice; everything else must pass the validator with no fatal finding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parsers import Severity, read
from parsers.compose import UNITS, Rounding, TaxRate, compose
from service.auth.principal import Principal
from service.compose import form
from service.compose.schemas import ComposeIn
from service.compose.service import FieldRefused, draft_of
from service.settings import Settings
from storage.db import transaction
from storage.models import Role, Supplier
from tests.service.compose_support import Composer, make_composer


@pytest.fixture(scope="module")
def suppliers(sessions: sessionmaker[Session]) -> tuple[Composer, Composer]:
    """A registered supplier and one without a registration number (免税事業者)."""
    registered, unregistered = make_composer(sessions), make_composer(sessions)
    with transaction(sessions) as session:
        row = session.execute(
            select(Supplier).where(Supplier.registration_number == unregistered.registration_number)
        ).scalar_one()
        row.registration_number, row.corporate_number = None, "8010001008843"
    return registered, unregistered


def _principal(sessions: sessionmaker[Session], composer: Composer) -> Principal:
    with sessions() as session:
        from storage.models import User

        user = session.execute(select(User).where(User.login == composer.user.login)).scalar_one()
        return Principal(
            user_id=user.id,
            login=user.login,
            role=Role.SUPPLIER,
            supplier_id=user.supplier_id,
            department_ids=frozenset(),
            department_codes=(),
            supplier_approved=True,
        )


_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")),
    min_size=1,
    max_size=24,
)
_TYPED = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=24)
"""Anything a person (or a script) may type, control characters included."""
_QUANTITY = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(99999), places=4)
_PRICE = st.decimals(min_value=Decimal(0), max_value=Decimal(10_000_000), places=2)
_DATE = st.dates().map(lambda d: d.isoformat())
_JUNK = st.one_of(_TYPED, st.sampled_from(["0", "-1", "1,5", "1e3", "", "1.23456", "XYZ"]))


@st.composite
def _line(draw: st.DrawFn, index: int) -> dict[str, str]:
    prefix = f"line-{index}-"
    quantity, price = draw(_QUANTITY), draw(_PRICE)
    gross = int(quantity * price)
    return {
        prefix + "description": draw(_TEXT),
        prefix + "quantity": str(quantity),
        prefix + "unit": draw(st.sampled_from([u.code for u in UNITS])),
        prefix + "unit_price": str(price),
        prefix + "tax": draw(st.sampled_from([t.value for t in TaxRate])),
        prefix + "allowance": draw(
            st.one_of(st.just(""), st.integers(min_value=1, max_value=max(1, gross)).map(str))
        ),
    }


@st.composite
def _form(draw: st.DrawFn, department: str) -> dict[str, str]:
    """A form as typed: mostly what a careful person types, sometimes one field of junk."""
    values = {
        "invoice_number": draw(st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,15}", fullmatch=True)),
        "issue_date": draw(_DATE),
        "buyer_reference": department,
        "rounding": draw(st.sampled_from([r.value for r in Rounding])),
        "note": draw(st.one_of(st.just(""), _TEXT)),
        "payment_terms": draw(st.one_of(st.just(""), _TEXT)),
        "credit_note": draw(st.sampled_from(["", "1"])),
        "preceding_invoice": draw(st.sampled_from(["", "A-0001"])),
    }
    for name in ("delivery_date", "period_start", "period_end", "due_date"):
        values[name] = draw(st.one_of(st.just(""), _DATE))
    for index in range(draw(st.integers(min_value=1, max_value=5))):
        values.update(draw(_line(index)))
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        values[draw(st.sampled_from(sorted(values)))] = draw(_JUNK)
    return values


def _rounded(value: Decimal, rounding: Rounding) -> int:
    """Whole yen of a non-negative amount, by integer arithmetic on its exact fraction."""
    numerator, denominator = value.as_integer_ratio()
    if rounding is Rounding.DOWN:
        return numerator // denominator
    if rounding is Rounding.UP:
        return -(-numerator // denominator)
    return (2 * numerator + denominator) // (2 * denominator)


def _accepted(
    sessions: sessionmaker[Session], settings_: Settings, caller: Principal, values: dict[str, str]
) -> tuple[ComposeIn, Any] | None:
    """The body and draft, or None where the form, the API or the service refuses."""
    body, _ = form.body_of(values)
    try:
        model = ComposeIn.model_validate(body)
        with sessions() as session:
            return model, draft_of(session, settings_, caller, model)
    except (ValidationError, FieldRefused):
        return None


@settings(
    max_examples=250,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), registered=st.booleans())
def test_whatever_the_form_accepts_is_valid_and_taxed_once_per_rate(
    data: st.DataObject,
    registered: bool,
    suppliers: tuple[Composer, Composer],
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:
    composer = suppliers[0 if registered else 1]
    values = data.draw(_form(composer.department))
    accepted = _accepted(sessions, settings, _principal(sessions, composer), values)
    assume(accepted is not None)
    assert accepted is not None
    model, draft = accepted
    result = read(compose(draft))
    fatal = [(f.rule_id, f.location) for f in result.findings if f.severity is Severity.FATAL]
    assert fatal == []
    invoice = result.invoice
    assert invoice is not None
    rounding = model.rounding or Rounding.DOWN
    expected = [
        _rounded(line.quantity * line.unit_price, rounding)
        - int(sum(a.amount for a in line.allowances))
        for line in model.lines
    ]
    assert (invoice.number, invoice.issue_date) == (model.invoice_number, model.issue_date)
    assert invoice.due_date == model.due_date
    assert (invoice.notes, invoice.payment_terms) == (
        (model.note,) if model.note else (), model.payment_terms,
    )  # fmt: skip
    assert [p.number for p in invoice.preceding_invoices] == (
        [model.preceding_invoice] if model.preceding_invoice else []
    )
    assert invoice.buyer_reference == composer.department
    assert [line.net_amount for line in invoice.lines] == expected
    assert [line.item_name for line in invoice.lines] == [line.description for line in model.lines]
    assert [line.quantity for line in invoice.lines] == [line.quantity for line in model.lines]
    assert [line.price for line in invoice.lines] == [line.unit_price for line in model.lines]
    assert [line.unit for line in invoice.lines] == [line.unit for line in model.lines]
    taxable: dict[TaxRate, int] = {}
    for line, amount in zip(model.lines, expected, strict=True):
        taxable[line.tax] = taxable.get(line.tax, 0) + amount
    rows = {
        (
            rate.category,
            taxable[rate],
            _rounded(Decimal(taxable[rate]) * (rate.percent or 0) / 100, rounding)
            if registered
            else 0,
        )
        for rate in taxable
    }
    assert {(r.category, r.taxable_amount, r.tax_amount) for r in invoice.tax_breakdown} == rows
    assert invoice.totals.payable == sum(expected) + sum(t for *_, t in rows)
