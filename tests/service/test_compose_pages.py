"""The invoice form over real HTTP, without JavaScript: pre-filled from the account, problems
at their fields before anything is stored, the server's preview, drafts and templates, saving
the seller back, and the variant for a seller without a registration number."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.db import transaction
from storage.models import InvoiceRecord, Role, Supplier
from tests.service.compose_support import Composer, body, make_composer
from tests.support import LiveServer, form_token, make_user, signed_in


@pytest.fixture
def composer(sessions: sessionmaker[Session]) -> Composer:
    return make_composer(sessions)


@pytest.fixture
def browser(live_server: LiveServer, composer: Composer) -> Iterator[httpx.Client]:
    with signed_in(live_server, composer.user.login, composer.user.password) as client:
        yield client


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.execute(select(func.count()).select_from(InvoiceRecord)).scalar_one()


def _inputs(html: str) -> dict[str, str]:
    """Every input's name and value, whatever the order of its attributes."""
    found: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and 'type="checkbox"' not in tag:
            found[name.group(1)] = value.group(1)
    return found


def _value(html: str, name: str) -> str:
    return _inputs(html)[name]


def _values(html: str) -> dict[str, str]:
    """What the browser would post: every input's value and every select's chosen option."""
    values = _inputs(html)
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("csrf_token", None)
    values["csrf_token"] = form_token(html)
    return values


def _filled(html: str, department: str, **changes: str) -> dict[str, Any]:
    values = _values(html)
    values.update(
        {
            "buyer_reference": department,
            "delivery_date": "2026-11-20",
            "line-0-description": "清掃業務",
            "line-0-quantity": "1",
            "line-0-unit": "MON",
            "line-0-unit_price": "55000",
            **changes,
        }
    )
    return values


def test_the_form_starts_from_the_account_the_next_number_and_tokyos_today(
    browser: httpx.Client, composer: Composer, live_server: LiveServer
) -> None:
    with live_server.client(composer.user.token) as api:
        sent = api.post("/api/v1/compose", json=body(composer.department, number="P-0041"))
        assert sent.status_code == 201, sent.text
    html = browser.get("/compose").text
    assert _value(html, "invoice_number") == "P-0042"
    assert _value(html, "issue_date") == clock.today().isoformat()
    assert _value(html, "seller-street") == "四谷4-29-1"
    assert _value(html, "seller-account_number") == "1234567"
    assert 'src="/static/compose.js"' in html
    assert "<script>" not in html  # the CSP allows no inline script


def test_a_problem_is_shown_at_its_field_and_nothing_is_stored(
    browser: httpx.Client, composer: Composer, sessions: sessionmaker[Session]
) -> None:
    before = _count(sessions)
    html = browser.get("/compose").text
    typo = _filled(html, composer.department, **{"line-0-quantity": "1,5x"}, action="submit")
    response = browser.post("/compose", data=typo)
    assert response.status_code == 400
    assert 'id="err-line-0-quantity"' in response.text
    assert 'aria-invalid="true" aria-describedby="err-line-0-quantity"' in response.text
    no_period = _filled(html, composer.department, delivery_date="", action="submit")
    response = browser.post("/compose", data=no_period)
    assert response.status_code == 400
    assert 'id="err-delivery_date"' in response.text
    assert _count(sessions) == before


def test_the_preview_computes_the_amounts_on_the_server_without_javascript(
    browser: httpx.Client, composer: Composer
) -> None:
    html = browser.get("/compose").text
    values = _filled(
        html,
        composer.department,
        **{
            "line-0-quantity": "3",
            "line-0-unit_price": "540",
            "line-0-tax": "reduced",
            "line-0-unit": "H87",
        },
        action="preview",
        rounding="half_up",
    )
    response = browser.post("/compose", data=values)
    assert response.status_code == 200, response.text
    # 1,620 * 8 % = 129.6: 四捨五入 → 130, once for the rate
    assert re.search(r'id="tax-reduced">¥130<', response.text)
    assert re.search(r'id="total-payable"><strong>¥1,750<', response.text)
    assert 'id="compose-valid"' in response.text


def test_a_submitted_form_arrives_complete_in_the_departments_inbox(
    browser: httpx.Client, composer: Composer, sessions: sessionmaker[Session]
) -> None:
    html = browser.get("/compose").text
    response = browser.post("/compose", data=_filled(html, composer.department, action="submit"))
    assert response.status_code == 303, response.text
    invoice_id = int(response.headers["location"].split("/")[2].split("?")[0])
    with sessions() as session:
        invoice = session.get(InvoiceRecord, invoice_id)
        assert invoice is not None
        assert (invoice.status, invoice.needs_data_entry) == ("pending", False)
        assert invoice.department is not None
        assert invoice.department.code == composer.department
        assert invoice.payable_amount == 60500


def test_a_template_opens_with_a_new_number_and_its_dates_in_this_month(
    browser: httpx.Client, composer: Composer
) -> None:
    html = browser.get("/compose").text
    values = _filled(
        html,
        composer.department,
        action="save_template",
        draft_name="清掃 毎月",
        issue_date="2026-01-31",
        period_start="2026-01-01",
        period_end="2026-01-31",
        delivery_date="",
    )
    saved = browser.post("/compose/save", data=values)
    assert saved.status_code == 200, saved.text
    template_id = re.search(r'href="/compose\?draft=(\d+)"[^>]*>[^<]*清掃 毎月', saved.text)
    assert template_id is not None
    opened = browser.get(f"/compose?draft={template_id.group(1)}").text
    today = clock.today()
    assert _value(opened, "issue_date") == today.isoformat()
    assert _value(opened, "period_start") == today.replace(day=1).isoformat()
    next_month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    assert _value(opened, "period_end") == (next_month - dt.timedelta(days=1)).isoformat()
    assert _value(opened, "line-0-description") == "清掃業務"


def test_the_sellers_details_are_saved_back_to_the_account(
    browser: httpx.Client, composer: Composer, sessions: sessionmaker[Session]
) -> None:
    html = browser.get("/compose").text
    values = _filled(
        html, composer.department, action="save_seller", rounding="up",
        **{"seller-telephone": "03-9999-0000"},
    )  # fmt: skip
    response = browser.post("/compose/seller", data=values)
    assert response.status_code == 200, response.text
    with sessions() as session:
        supplier = session.execute(
            select(Supplier).where(Supplier.registration_number == composer.registration_number)
        ).scalar_one()
        assert (supplier.telephone, supplier.rounding) == ("03-9999-0000", "up")


def test_a_seller_without_registration_number_writes_the_non_registered_variant(
    browser: httpx.Client, composer: Composer, sessions: sessionmaker[Session]
) -> None:
    with transaction(sessions) as session:
        supplier = session.execute(
            select(Supplier).where(Supplier.registration_number == composer.registration_number)
        ).scalar_one()
        supplier.registration_number, supplier.corporate_number = None, "8010001008843"
    html = browser.get("/compose").text
    assert 'id="non-registered"' in html
    response = browser.post("/compose", data=_filled(html, composer.department, action="submit"))
    assert response.status_code == 303, response.text
    invoice_id = int(response.headers["location"].split("/")[2].split("?")[0])
    with sessions() as session:
        invoice = session.get(InvoiceRecord, invoice_id)
        assert invoice is not None
        assert (invoice.profile, invoice.tax_amount, invoice.payable_amount) == (
            "jp-pint-ntr", 0, 55000,
        )  # fmt: skip


def test_another_suppliers_draft_is_not_found(
    browser: httpx.Client, sessions: sessionmaker[Session], live_server: LiveServer
) -> None:
    html = browser.get("/compose").text
    saved = browser.post("/compose/save", data={**_values(html), "action": "save_draft"})
    draft_id = re.search(r'href="/compose\?draft=(\d+)"', saved.text)
    assert draft_id is not None
    other = make_composer(sessions)
    with signed_in(live_server, other.user.login, other.user.password) as stranger:
        assert stranger.get(f"/compose?draft={draft_id.group(1)}").status_code == 404
        token = form_token(stranger.get("/compose").text)
        deleted = stranger.post(
            f"/compose/drafts/{draft_id.group(1)}/delete", data={"csrf_token": token}
        )
        assert deleted.status_code == 404


def test_a_corrected_invoice_replaces_the_returned_one_and_names_it(
    browser: httpx.Client,
    composer: Composer,
    sessions: sessionmaker[Session],
    live_server: LiveServer,
) -> None:
    with live_server.client(composer.user.token) as api:
        sent = api.post("/api/v1/compose", json=body(composer.department, number="RET-1"))
    returned_id = sent.json()["id"]
    clerk = make_user(sessions, Role.CLERK, departments=(composer.department,))
    with live_server.client(clerk.token) as staff:
        version = staff.get(f"/api/v1/invoices/{returned_id}").json()["version"]
        answer = staff.post(
            f"/api/v1/invoices/{returned_id}/return",
            json={"reason": "単価誤り", "version": version},
        )
        assert answer.status_code == 200, answer.text
    html = browser.get(f"/compose?correct={returned_id}").text
    values = _values(html)
    assert (values["replaces"], values["preceding_invoice"]) == (str(returned_id), "RET-1")
    values.update({"delivery_date": "2026-11-20", "line-2-unit_price": "1200", "action": "submit"})
    response = browser.post("/compose", data=values)
    assert response.status_code == 303, response.text
    with sessions() as session:
        corrected = session.get(
            InvoiceRecord, int(response.headers["location"].split("/")[2].split("?")[0])
        )
        assert corrected is not None
        assert (corrected.replaces_invoice_id, corrected.status) == (returned_id, "pending")
