"""The pre-aggregated monthly tables are kept current by the invoices' own changes: after real
operations over HTTP they equal a rebuild from scratch, and a rolled-back change leaves them
as they were. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.accounting import service as accounting
from service.statistics import service as statistics
from storage.audit import Actor
from storage.db import transaction
from storage.models import Department, InvoiceRecord, InvoiceStatus, Role, Supplier
from storage.monthly_statistics import TRIGGERS, refill
from storage.repositories import statistics as repo
from storage.repositories.invoices import Scope
from storage.repositories.statistics import Cut, nearest_rank
from tests.documents import jp_invoice
from tests.service.test_accounting_api import approve, make_creditor
from tests.service.test_inbox_api import XML, Office, decide, submit
from tests.service.test_statistics import _invoice
from tests.support import LiveServer, make_department, make_supplier, make_user

Snapshot = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _snapshot(connection: Connection) -> Snapshot:
    """Both tables, in order; a count that went back to zero is no count."""
    counts = connection.execute(
        text(
            "SELECT month, department_id, figure, key, n FROM monthly_counts WHERE n <> 0 "
            "ORDER BY month, department_id, figure, key"
        )
    )
    lead_times = connection.execute(
        text(
            "SELECT invoice_id, measure, month, department_id, value FROM lead_times "
            "ORDER BY invoice_id, measure"
        )
    )
    return [tuple(r) for r in counts], [tuple(r) for r in lead_times]


def _kept(sessions: sessionmaker[Session]) -> Snapshot:
    with sessions() as session:
        return _snapshot(session.connection())


def _rebuilt(sessions: sessionmaker[Session]) -> Snapshot:
    """What ``juryo stats rebuild`` would compute, without keeping it."""
    with sessions() as session:
        refill(session.connection())
        rebuilt = _snapshot(session.connection())
        session.rollback()
    return rebuilt


def _office(sessions: sessionmaker[Session], server: LiveServer) -> tuple[Office, Any]:
    """A department whose supplier is paid by transfer (so its invoices can be batched)."""
    department = make_department(sessions, threshold=Decimal(1_000_000))
    creditor = make_creditor(sessions, server, make_user(sessions, Role.ADMIN), department)
    office = Office(
        department=department,
        clerk=make_user(sessions, Role.CLERK, departments=(department,)),
        clerk2=make_user(sessions, Role.CLERK, departments=(department,)),
        supplier=creditor.user,
        registration_number=creditor.registration_number,
    )
    return office, creditor


def _refused_then_resent(server: LiveServer, office: Office) -> None:
    """Refused at intake (another supplier's number), then sent again correctly."""
    with server.client(office.supplier.token) as client:
        refused = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller="T7123456789012", number="RS-1"),
            headers=XML,
        )
    assert refused.json()["status"] == "invalid", refused.text
    submit(server, office, jp_invoice(seller=office.registration_number, number="RS-1"))


def test_the_tables_equal_a_rebuild_after_real_operations(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    office, _ = _office(sessions, live_server)
    elsewhere = make_department(sessions)
    *paid, forwarded = (int(submit(live_server, office)["id"]) for _ in range(3))
    number = "RT-1"
    sent = submit(live_server, office, jp_invoice(seller=office.registration_number, number=number))
    returned = int(sent["id"])
    assert decide(live_server, office.clerk, returned, "return", reason="x").status_code == 200
    submit(
        live_server,
        office,
        jp_invoice(seller=office.registration_number, number=number, note="訂正"),
        replaces=returned,
    )
    _refused_then_resent(live_server, office)
    approve(sessions, live_server, office.department, paid)
    moved = decide(live_server, office.clerk, forwarded, "forward", department=elsewhere)
    assert moved.status_code == 200, moved.text
    accountant = make_user(sessions, Role.ACCOUNTING)
    body = {"payment_date": (clock.today() + dt.timedelta(days=3)).isoformat()}
    with live_server.client(accountant.token) as client:
        first = client.post("/api/v1/batches", json={**body, "department": office.department})
        assert first.status_code == 201, first.text
        assert client.post(f"/api/v1/batches/{first.json()['id']}/cancel").status_code == 200
        again = client.post("/api/v1/batches", json={**body, "department": office.department})
        assert again.status_code == 201, again.text
        today = {"paid_on": clock.today().isoformat()}
        done = client.post(f"/api/v1/batches/{again.json()['id']}/paid", json=today)
        assert done.status_code == 200, done.text

    kept = _kept(sessions)
    assert kept == _rebuilt(sessions)
    measured = {(invoice, measure) for invoice, measure, *_ in kept[1]}
    assert {(i, m) for i in paid for m in ("received_to_approved", "batched_to_paid_days")} <= (
        measured
    )
    with sessions() as session:
        moved_to = session.execute(
            select(InvoiceRecord.department_id).where(InvoiceRecord.id == forwarded)
        ).scalar_one()
    assert any(d == moved_to and f == "routing" and k == "forwarded" for _, d, f, k, _ in kept[0])


def test_a_rolled_back_change_leaves_the_tables_as_they_were(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    office, _ = _office(sessions, live_server)
    invoices = [int(submit(live_server, office)["id"]) for _ in range(2)]
    approve(sessions, live_server, office.department, invoices)
    accountant = make_user(sessions, Role.ACCOUNTING)
    payday = (clock.today() + dt.timedelta(days=3)).isoformat()
    with live_server.client(accountant.token) as client:
        made = client.post(
            "/api/v1/batches", json={"payment_date": payday, "department": office.department}
        )
    assert made.status_code == 201, made.text
    before = _kept(sessions)

    with pytest.raises(Abandoned):
        _pay_then_fail(sessions, int(made.json()["id"]), before)
    assert _kept(sessions) == before


class Abandoned(Exception):
    """Stands for anything that fails after the payment was written."""


def _pay_then_fail(sessions: sessionmaker[Session], batch_id: int, before: Snapshot) -> None:
    with transaction(sessions) as session:
        accounting.mark_paid(
            session, actor=Actor("test", "accounting"), batch_id=batch_id, paid_on=clock.today()
        )
        assert _snapshot(session.connection()) != before  # the payment counted, for now
        raise Abandoned


def test_every_trigger_is_in_place(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        names = set(connection.execute(text(query)).scalars())
    assert set(TRIGGERS) <= names


def test_percentiles_found_through_the_buckets_are_the_exact_nearest_rank(
    sessions: sessionmaker[Session],
) -> None:
    """Durations across hour buckets (negative, zero, edges, repeats) and overdue days give
    the same median and 90th percentile as sorting them, per department and city-wide."""
    code = make_department(sessions)
    number = make_supplier(sessions, department=code)
    seconds = [-5000, -3600, -10, 0, 0, 59, 3599, 3600, 3600, 3601, 7300, 86_417, 90_000]
    seconds += [(k * 7919) % 200_000 for k in range(40)]
    days = [1, 1, 2, 5, 9, 30, 31]
    start = dt.datetime(2033, 7, 10, 3, 0, tzinfo=dt.UTC)
    with transaction(sessions) as session:
        supplier = session.execute(
            select(Supplier).where(Supplier.registration_number == number)
        ).scalar_one()
        department = session.execute(select(Department).where(Department.code == code)).scalar_one()
        for value in seconds:
            received = start - dt.timedelta(seconds=value) if value > 0 else start
            decided = received + dt.timedelta(seconds=value)
            _invoice(session, supplier, department, received_at=received, first_decided_at=decided)
        for late in days:
            paid = dt.date(2033, 7, 20)
            _invoice(
                session,
                supplier,
                department,
                received_at=start,
                status=InvoiceStatus.PAID,
                payment_deadline=paid - dt.timedelta(days=late),
                paid_on=paid,
            )
        department_id = department.id
    month = statistics.month_of("2033-07")
    for cut in (Cut(Scope(everything=True), department_id), Cut(Scope(everything=True))):
        with sessions() as session:
            found = repo.distributions(session, month, cut)
        for measure, values in (("received_to_decision", seconds), ("overdue_days", days)):
            expected = [nearest_rank(values, p) for p in (50, 90)]
            assert (found[measure].count, found[measure].p50, found[measure].p90) == (
                len(values),
                *expected,
            ), measure
