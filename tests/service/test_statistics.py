"""The monthly statistics (EBPM) against hand-counted invoices with known times, over real HTTP,
on SQLite and PostgreSQL; who may read them; and the open data's suppression.

The fixture month is May 2031 in Tokyo (no other test writes there). Times are Tokyo's wall
clock; ``J`` was received on the evening of 30 April (Tokyo) and ``K`` at 00:30 on 1 May,
which is still 30 April in UTC: the month is Tokyo's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from service import clock
from service.cli import app
from storage.db import transaction
from storage.models import (
    Approval,
    Batch,
    BatchItem,
    BatchStatus,
    Department,
    FindingRecord,
    InvoiceRecord,
    InvoiceStatus,
    Original,
    Role,
    Supplier,
    User,
)
from storage.repositories.statistics import nearest_rank
from tests.service.test_accounting_api import approve, make_creditor
from tests.service.test_accounting_api import submit as submit_as
from tests.service.test_inbox_api import decide, make_office, submit
from tests.support import (
    Account,
    LiveServer,
    make_department,
    make_supplier,
    make_user,
    signed_in,
    unique,
)

pytestmark = pytest.mark.clock

MONTH = "2031-05"
_serial = itertools.count(1)


def tokyo(day: str, time: str = "09:00") -> dt.datetime:
    """A Tokyo wall-clock time in 2031 as an aware UTC instant."""
    local = dt.datetime.fromisoformat(f"2031-{day}T{time}").replace(tzinfo=clock.TOKYO)
    return local.astimezone(dt.UTC)


@dataclass
class Fixture:
    """The department the fixture invoices went to, and who reads their statistics."""

    department: str
    accounting: Account
    auditor: Account
    admin: Account
    clerk: Account
    other_clerk: Account
    supplier: Account


def _invoice(
    session: Session, supplier: Supplier, department: Department | None, **values: Any
) -> InvoiceRecord:
    serial = next(_serial)
    original = Original(
        sha256=unique("s").ljust(64, "0")[:64],
        size=1,
        media_type="application/xml",
        object_key=unique("k"),
    )
    values.setdefault("status", InvoiceStatus.PENDING)
    values.setdefault("format", "ubl-invoice")
    values.setdefault("profile", "jp-pint")
    values.setdefault("invoice_number", unique(f"ST{serial}-"))
    invoice = InvoiceRecord(
        supplier=supplier,
        original=original,
        department=department,
        currency="JPY",
        payable_amount=Decimal(1000),
        issue_date=dt.date(2031, 4, 1),
        **values,
    )
    session.add(invoice)
    session.flush()
    return invoice


def _batch(
    session: Session, created: dt.datetime, paid_on: dt.date, invoices: list[InvoiceRecord]
) -> None:
    batch = Batch(
        status=BatchStatus.PAID,
        payment_date=paid_on,
        created_at=created,
        paid_on=paid_on,
        invoice_count=len(invoices),
        total_amount=Decimal(1000 * len(invoices)),
    )
    session.add(batch)
    session.flush()
    for invoice in invoices:
        invoice.batched_at = created
        session.add(
            BatchItem(
                batch_id=batch.id,
                invoice_id=invoice.id,
                supplier_id=invoice.supplier_id,
                amount=Decimal(1000),
                invoice_number=invoice.invoice_number,
                issue_date=invoice.issue_date,
            )
        )


def _user_id(session: Session, account: Account) -> int:
    return session.execute(select(User.id).where(User.login == account.login)).scalar_one()


def _seed(session: Session, code: str, clerks: tuple[Account, Account]) -> None:
    """The hand-counted month (see the expected figures in the tests below)."""
    department = session.execute(select(Department).where(Department.code == code)).scalar_one()
    supplier = session.execute(
        select(Supplier).where(Supplier.default_department_id == department.id)
    ).scalar_one()
    today = clock.today()
    add = lambda **v: _invoice(session, supplier, department, **v)  # noqa: E731
    a = add(
        channel="api",
        routing_rule="buyer_reference",
        received_at=tokyo("05-01"),
        first_decided_at=tokyo("05-01", "21:00"),
        approved_at=tokyo("05-03"),
        status=InvoiceStatus.PAID,
        paid_on=dt.date(2031, 5, 10),
        payment_deadline=dt.date(2031, 5, 31),
    )
    b = add(
        channel="api",
        routing_rule="buyer_reference",
        received_at=tokyo("05-02"),
        first_decided_at=tokyo("05-03"),
        approved_at=tokyo("05-04"),
        status=InvoiceStatus.PAID,
        paid_on=dt.date(2031, 5, 10),
        payment_deadline=dt.date(2031, 5, 5),
    )
    c = add(
        channel="api",
        routing_rule="buyer_reference",
        received_at=tokyo("05-03"),
        first_decided_at=tokyo("05-06"),
        approved_at=tokyo("05-06"),
        status=InvoiceStatus.PAID,
        paid_on=dt.date(2031, 5, 20),
        payment_deadline=dt.date(2031, 5, 19),
    )
    d = add(
        channel="page",
        routing_rule="forwarded",
        received_at=tokyo("05-04"),
        first_decided_at=tokyo("05-08"),
        status=InvoiceStatus.RETURNED,
        returned_at=tokyo("05-08"),
    )
    add(
        channel="page",
        routing_rule="forwarded",
        received_at=tokyo("05-11"),
        replaces_invoice_id=d.id,
        payment_deadline=today + dt.timedelta(days=3),
    )
    add(
        channel="web_form",
        routing_rule="triage",
        received_at=tokyo("05-05"),
        format="pdf",
        profile="pdf",
        payment_deadline=today - dt.timedelta(days=2),
    )
    g = _invoice(
        session,
        supplier,
        None,
        channel="api",
        received_at=tokyo("05-06"),
        status=InvoiceStatus.INVALID,
        invoice_number="G-1",
    )
    add(
        channel="page",
        routing_rule="triage",
        received_at=tokyo("05-07"),
        invoice_number="G-1",
        payment_deadline=today + dt.timedelta(days=30),
    )
    i = _invoice(
        session,
        supplier,
        None,
        received_at=tokyo("05-07"),
        status=InvoiceStatus.INVALID,
        invoice_number="I-1",
    )
    add(
        received_at=tokyo("04-30", "23:30"),
        first_decided_at=tokyo("05-01", "11:30"),
        routing_rule="buyer_reference",
        status=InvoiceStatus.REJECTED,
    )
    add(
        received_at=tokyo("05-01", "00:30"),
        routing_rule="supplier_default",
        payment_deadline=today + dt.timedelta(days=20),
    )
    for invoice, rules in ((g, ["BR-01"]), (i, ["BR-01", "BR-02"])):
        for rule in rules:
            session.add(
                FindingRecord(
                    invoice_id=invoice.id,
                    rule_id=rule,
                    severity="fatal",
                    message_en=f"{rule} failed",
                    message_ja=f"{rule} 不合格",
                )
            )
        session.add(
            FindingRecord(
                invoice_id=invoice.id,
                rule_id="JP-JURYO-01",
                severity="warning",
                message_en="w",
                message_ja="w",
            )
        )
    _batch(session, tokyo("05-05"), dt.date(2031, 5, 10), [a, b])
    _batch(session, tokyo("05-08"), dt.date(2031, 5, 20), [c])
    first, second = (_user_id(session, clerk) for clerk in clerks)
    for invoice, user, at in (
        (a, first, "05-03"),
        (b, first, "05-04"),
        (c, first, "05-06"),
        (c, second, "05-05"),
    ):
        session.add(Approval(invoice_id=invoice.id, user_id=user, approved_at=tokyo(at)))


@pytest.fixture(scope="module")
def fixture(sessions: sessionmaker[Session]) -> Fixture:
    code = make_department(sessions)
    registration = make_supplier(sessions, department=code)
    clerks = (
        make_user(sessions, Role.CLERK, departments=(code,)),
        make_user(sessions, Role.CLERK, departments=(code,)),
    )
    with transaction(sessions) as session:
        _seed(session, code, clerks)
    return Fixture(
        department=code,
        accounting=make_user(sessions, Role.ACCOUNTING),
        auditor=make_user(sessions, Role.AUDITOR),
        admin=make_user(sessions, Role.ADMIN),
        clerk=clerks[0],
        other_clerk=make_user(sessions, Role.CLERK, departments=(make_department(sessions),)),
        supplier=make_user(sessions, Role.SUPPLIER, supplier=registration),
    )


def _get(live_server: LiveServer, account: Account, **params: str) -> Any:
    with live_server.client(account.token) as client:
        return client.get("/api/v1/statistics", params={"month": MONTH, **params})


def _stats(live_server: LiveServer, account: Account, **params: str) -> dict[str, Any]:
    """The figures ``account`` reads (for May 2031 unless ``month`` is given)."""
    response = _get(live_server, account, **params)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _keyed(counts: list[dict[str, Any]]) -> dict[str, int]:
    return {c["key"]: c["invoices"] for c in counts}


def test_volume_counts_channels_formats_and_the_structured_share(
    live_server: LiveServer, fixture: Fixture
) -> None:
    stats = _stats(live_server, fixture.accounting)
    volume = stats["volume"]
    assert volume["received"] == 10  # J was received in April (Tokyo), K in May
    assert _keyed(volume["by_channel"]) == {"api": 4, "page": 3, "web_form": 1, "unrecorded": 2}
    assert _keyed(volume["by_format"]) == {"ubl-invoice/jp-pint": 9, "pdf/pdf": 1}
    assert _keyed(volume["by_department"]) == {fixture.department: 8}
    assert volume["structured"] == {"part": 9, "whole": 10, "share": 0.9}


def test_acceptance_counts_refusals_rules_corrections_and_resends(
    live_server: LiveServer, fixture: Fixture
) -> None:
    acceptance = _stats(live_server, fixture.admin)["acceptance"]
    assert acceptance["refused"] == {"part": 2, "whole": 10, "share": 0.2}
    assert [(r["rule_id"], r["invoices"], r["message_en"]) for r in acceptance["top_rules"]] == [
        ("BR-01", 2, "BR-01 failed"),
        ("BR-02", 1, "BR-02 failed"),
    ]
    assert acceptance["corrected"] == {"part": 1, "whole": 1, "share": 1.0}
    assert acceptance["resent"] == {"part": 1, "whole": 2, "share": 0.5}


def test_lead_times_are_nearest_rank_medians_and_90th_percentiles(
    live_server: LiveServer, fixture: Fixture
) -> None:
    leads = {
        lt["measure"]: (lt["count"], lt["median_days"], lt["p90_days"])
        for lt in _stats(live_server, fixture.auditor)["lead_times"]
    }
    assert leads == {
        # J 0.5, A 0.5, B 1, C 3, D 4 days: rank ceil(2.5) = 3 and ceil(4.5) = 5
        "received_to_decision": (5, 1.0, 4.0),
        "received_to_approved": (3, 2.0, 3.0),  # A 2, B 2, C 3
        "approved_to_batched": (3, 2.0, 2.0),  # A 2, B 1, C 2
        "batched_to_paid_days": (3, 5.0, 12.0),  # A 5, B 5, C 12 (Tokyo days)
        "returned_to_corrected": (1, 3.0, 3.0),  # D returned 8 May, its correction came 11 May
        "refused_to_resent": (1, 1.0, 1.0),  # G refused 6 May, resent accepted 7 May
    }


def test_payment_law_counts_on_time_late_overdue_and_at_risk(
    live_server: LiveServer, fixture: Fixture
) -> None:
    payment = _stats(live_server, fixture.accounting, department=fixture.department)["payment"]
    assert payment["on_time"] == {"part": 1, "whole": 3, "share": 0.3333}
    assert payment["by_department"] == [
        {"department": fixture.department, "paid": 3, "on_time": payment["on_time"]}
    ]
    assert (payment["paid_late"], payment["overdue_days_median"], payment["overdue_days_p90"]) == (
        2,
        1,
        5,
    )  # B 5 days late, C 1 day late
    assert (payment["overdue_now"], payment["at_risk_now"]) == (1, 1)  # F overdue, E in 3 days


def test_workload_is_aggregates_without_staff(live_server: LiveServer, fixture: Fixture) -> None:
    response = _get(live_server, fixture.accounting, department=fixture.department)
    workload = response.json()["workload"]
    assert workload["by_department"] == [
        {
            "department": fixture.department,
            "received": 8,
            "decided": 5,
            "clerks": 2,
            "invoices_per_clerk": 4.0,
        }
    ]
    # approvals per clerk: 3 and 1 (no clerk named)
    assert (
        workload["clerks_approving"],
        workload["approvals_per_clerk_median"],
        workload["approvals_per_clerk_p90"],
    ) == (2, 1, 3)
    assert _keyed(workload["routing"]) == {
        "buyer_reference": 3,
        "forwarded": 2,
        "triage": 2,
        "supplier_default": 1,
    }
    assert fixture.clerk.login not in response.text


def test_a_clerk_sees_only_its_departments(live_server: LiveServer, fixture: Fixture) -> None:
    mine = _stats(live_server, fixture.clerk)
    assert mine["volume"]["received"] == 8  # the refused G and I belong to no department
    assert mine["acceptance"]["refused"]["part"] == 0
    other = _stats(live_server, fixture.other_clerk)
    assert other["volume"]["received"] == 0
    assert other["lead_times"][0]["count"] == 0
    refused = _get(live_server, fixture.other_clerk, department=fixture.department)
    assert refused.status_code == 404


def test_suppliers_may_not_read_statistics(live_server: LiveServer, fixture: Fixture) -> None:
    assert _get(live_server, fixture.supplier).status_code == 403
    with live_server.client(fixture.supplier.token) as client:
        assert client.get("/api/v1/statistics/export", params={"month": MONTH}).status_code == 403
    with live_server.client() as client:
        assert client.get("/api/v1/statistics", params={"month": MONTH}).status_code == 401


def test_a_month_that_is_not_one_is_refused(live_server: LiveServer, fixture: Fixture) -> None:
    for month in ("2031-13", "2031-5", "May"):
        assert _get(live_server, fixture.accounting, month=month).status_code == 422


def test_percentiles_are_nearest_rank() -> None:
    assert [nearest_rank([4, 1, 3, 2], p) for p in (50, 90)] == [2, 4]
    assert [nearest_rank(list(range(1, 11)), p) for p in (50, 90)] == [5, 9]
    assert nearest_rank([7], 90) == 7
    assert nearest_rank([], 50) is None


def _export(live_server: LiveServer, account: Account, fmt: str) -> bytes:
    with live_server.client(account.token) as client:
        response = client.get("/api/v1/statistics/export", params={"month": MONTH, "format": fmt})
    assert response.status_code == 200, response.text
    return response.content


def test_export_has_no_names_or_numbers_and_suppresses_small_cells(
    live_server: LiveServer, fixture: Fixture, sessions: sessionmaker[Session]
) -> None:
    raw = _export(live_server, fixture.accounting, "csv")
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    with sessions() as session:
        supplier = session.execute(
            select(Supplier)
            .join(User, User.supplier_id == Supplier.id)
            .where(User.login == fixture.supplier.login)
        ).scalar_one()
        numbers = (
            session.execute(
                select(InvoiceRecord.invoice_number).where(InvoiceRecord.supplier_id == supplier.id)
            )
            .scalars()
            .all()
        )
    for secret in [supplier.name, supplier.registration_number, fixture.clerk.login, *numbers]:
        assert secret
        assert secret not in text
    rows = {(r["measure"], r["category"]): r for r in csv.DictReader(io.StringIO(text))}
    # 10 received: shown; every channel has fewer than 10 (the default N): hidden
    assert rows[("received", "")]["value"] == "10"
    for channel in ("api", "page", "web_form", "unrecorded"):
        assert (
            rows[("received_by_channel", channel)] | {"value": "", "suppressed": "true"}
            == rows[("received_by_channel", channel)]
        )
    assert rows[("received_to_decision_median", "")]["suppressed"] == "true"  # 5 < 10
    published = json.loads(_export(live_server, fixture.accounting, "json"))
    assert published["minimum_cell"] == 10
    assert {r["measure"] for r in published["rows"]} >= {"received", "refused_share"}
    assert all(r["value"] is None for r in published["rows"] if r["suppressed"])


def _times(sessions: sessionmaker[Session], invoice_id: int) -> tuple[Any, ...]:
    with sessions() as session:
        row = session.execute(
            select(
                InvoiceRecord.channel,
                InvoiceRecord.received_at,
                InvoiceRecord.first_decided_at,
                InvoiceRecord.approved_at,
            ).where(InvoiceRecord.id == invoice_id)
        ).one()
    return tuple(row)


def test_intake_and_decisions_record_what_the_statistics_read(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    office = make_office(sessions, threshold=Decimal(1))  # two clerks must approve
    approved, returned = (int(submit(live_server, office)["id"]) for _ in range(2))
    assert decide(live_server, office.clerk, approved, "approve").status_code == 200
    channel, received, first, none = _times(sessions, approved)
    assert (channel, none) == ("api", None)
    assert first is not None
    assert first >= received
    assert decide(live_server, office.clerk2, approved, "approve").status_code == 200
    assert _times(sessions, approved)[2:3] == (first,)  # the second approval keeps the first
    assert _times(sessions, approved)[3] >= first
    assert decide(live_server, office.clerk, returned, "return", reason="x").status_code == 200
    assert _times(sessions, returned)[2] is not None
    month = clock.local_date(received).strftime("%Y-%m")
    stats = _stats(live_server, office.clerk, month=month)
    assert _keyed(stats["volume"]["by_channel"]) == {"api": 2}
    assert stats["lead_times"][1]["count"] == 1  # received -> approved


def juryo(database_url: str, tmp_path: Path, *args: str) -> tuple[int, str]:
    """The ``juryo`` command in-process against the session database."""
    env = {"JURYO_DATABASE_URL": database_url, "JURYO_STORAGE_URL": f"file:{tmp_path}/objects"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_cli_export_writes_what_the_page_downloads(
    live_server: LiveServer, fixture: Fixture, database_url: str, tmp_path: Path
) -> None:
    for fmt in ("csv", "json"):
        target = tmp_path / f"stats.{fmt}"
        code, out = juryo(
            database_url,
            tmp_path,
            "stats",
            "export",
            "--month",
            MONTH,
            "--format",
            fmt,
            "--output",
            str(target),
        )
        assert code == 0, out
        assert target.read_bytes() == _export(live_server, fixture.accounting, fmt)
    code, out = juryo(database_url, tmp_path, "stats", "export", "--month", "2031-13")
    assert code == 1
    assert "YYYY-MM" in out


def test_rebuild_dates_decisions_from_the_audit_log(
    live_server: LiveServer, sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    office = make_office(sessions)
    invoice = int(submit(live_server, office)["id"])
    assert decide(live_server, office.clerk, invoice, "approve").status_code == 200
    recorded = _times(sessions, invoice)[2:]
    with transaction(sessions) as session:
        session.execute(
            update(InvoiceRecord)
            .where(InvoiceRecord.id == invoice)
            .values(first_decided_at=None, approved_at=None)
        )
    code, out = juryo(database_url, tmp_path, "stats", "rebuild")
    assert code == 0, out
    rebuilt = _times(sessions, invoice)[2:]
    for before, after in zip(recorded, rebuilt, strict=True):
        assert after is not None
        assert abs((after - before).total_seconds()) < 5  # the audit event's own instant


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_page_draws_each_chart_with_its_table(
    live_server: LiveServer, fixture: Fixture, lang: str
) -> None:
    account = fixture.auditor
    with signed_in(live_server, account.login, account.password) as browser:
        page = browser.get("/statistics", params={"month": MONTH, "lang": lang})
    assert page.status_code == 200, page.text
    html = page.text
    assert f'<html lang="{lang}">' in html
    assert html.count('<svg role="img"') == 3
    assert html.count("<table") >= 3 + 1  # a table for each chart, and the headline figures
    assert '<td data-value="received">10</td>' in html
    assert "2030-05" in html  # the same month a year earlier
    heading = {"ja": "請求書受領の月次統計", "en": "Monthly invoice statistics"}[lang]
    assert heading in html
    assert "/api/v1/statistics/export?month=2031-05&amp;format=csv" in html


def test_the_page_refuses_suppliers_and_shows_a_clerk_its_departments(
    live_server: LiveServer, fixture: Fixture
) -> None:
    supplier = fixture.supplier
    with signed_in(live_server, supplier.login, supplier.password) as browser:
        assert browser.get("/statistics", params={"month": MONTH}).status_code == 403
    clerk = fixture.clerk
    with signed_in(live_server, clerk.login, clerk.password) as browser:
        page = browser.get("/statistics", params={"month": MONTH})
    assert page.status_code == 200
    assert '<td data-value="received">8</td>' in page.text


def test_the_api_is_documented_in_openapi(live_server: LiveServer) -> None:
    with live_server.client() as client:
        schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/statistics"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"month", "department"}
    assert "nearest-rank" in schema["components"]["schemas"]["LeadTime"]["description"]
    assert "/api/v1/statistics/export" in schema["paths"]


def _batched_at(sessions: sessionmaker[Session], invoice_id: int) -> dt.datetime | None:
    with sessions() as session:
        return session.execute(
            select(InvoiceRecord.batched_at).where(InvoiceRecord.id == invoice_id)
        ).scalar_one()


def test_a_batch_dates_its_invoices_a_cancel_clears_it_and_rebuild_restores_it(
    live_server: LiveServer, sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    department = make_department(sessions)
    creditor = make_creditor(sessions, live_server, make_user(sessions, Role.ADMIN), department)
    [invoice] = submit_as(live_server, creditor)
    approve(sessions, live_server, department, [invoice])
    accounting = make_user(sessions, Role.ACCOUNTING)
    payday = (clock.today() + dt.timedelta(days=3)).isoformat()
    body = {"payment_date": payday, "department": department}
    with live_server.client(accounting.token) as client:
        first = client.post("/api/v1/batches", json=body)
        assert first.status_code == 201, first.text
        assert _batched_at(sessions, invoice) is not None
        assert client.post(f"/api/v1/batches/{first.json()['id']}/cancel").status_code == 200
        assert _batched_at(sessions, invoice) is None
        assert client.post("/api/v1/batches", json=body).status_code == 201
    batched = _batched_at(sessions, invoice)
    assert batched is not None
    with transaction(sessions) as session:
        session.execute(
            update(InvoiceRecord).where(InvoiceRecord.id == invoice).values(batched_at=None)
        )
    code, out = juryo(database_url, tmp_path, "stats", "rebuild")
    assert code == 0, out
    rebuilt = _batched_at(sessions, invoice)
    assert rebuilt is not None
    assert abs((rebuilt - batched).total_seconds()) < 5  # the batch's own instant
