"""Accounting over real HTTP: batches taken exactly once, replayed, exported, cancelled, paid."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.accounting import exports
from service.accounting.exports import BATCH_CSV_COLUMNS
from service.settings import Settings
from storage.db import transaction
from storage.models import Batch, BatchItem, InvoiceRecord, Role, Supplier
from storage.repositories import batches as batches_repo
from tests.documents import jp_invoice
from tests.support import (
    Account,
    LiveServer,
    make_department,
    make_supplier,
    make_user,
    start_live_server,
)

pytestmark = pytest.mark.clock

XML = {"Content-Type": "application/xml"}
ZENGIN = {
    "zengin_requester_code": "1234567890",
    "zengin_requester_name": "ｼﾞﾕﾘﾖｳｼ ｶｲｹｲｶ",
    "zengin_bank_code": "0001",
    "zengin_branch_code": "001",
    "zengin_account_type": "1",
    "zengin_account_number": "7654321",
}


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[LiveServer]:
    """The app with the city's own account configured (JURYO_ZENGIN_*)."""
    with start_live_server(settings.model_copy(update=ZENGIN)) as live:
        yield live


def approve(
    sessions: sessionmaker[Session], server: LiveServer, department: str, invoice_ids: list[int]
) -> None:
    """A clerk of the department approves the invoices through the API."""
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    with server.client(clerk.token) as client:
        for invoice_id in invoice_ids:
            version = client.get(f"/api/v1/invoices/{invoice_id}").json()["version"]
            response = client.post(
                f"/api/v1/invoices/{invoice_id}/approve", json={"version": version}
            )
            assert response.json()["status"] == "approved", response.text


@dataclass(frozen=True)
class Creditor:
    """A supplier with a user, paid into a bank account."""

    registration_number: str
    user: Account


def make_creditor(
    sessions: sessionmaker[Session],
    server: LiveServer,
    admin: Account,
    department: str,
    *,
    holder: str | None = "カ）サンプル",
) -> Creditor:
    """A supplier of ``department``; with ``holder``, an account set through the admin API."""
    number = make_supplier(sessions, department=department)
    if holder is not None:
        with server.client(admin.token) as client:
            response = client.put(
                f"/api/v1/creditors/{number}/bank-account",
                json={
                    "bank_code": "0005",
                    "branch_code": "123",
                    "account_type": "1",
                    "account_number": "42",
                    "account_holder": holder,
                },
            )
            assert response.status_code == 200, response.text
    return Creditor(number, make_user(sessions, Role.SUPPLIER, supplier=number))


def submit(server: LiveServer, creditor: Creditor, count: int = 1) -> list[int]:
    """Submit ``count`` invoices (16,150 JPY each) as the creditor; returns their ids."""
    ids = []
    with server.client(creditor.user.token) as client:
        for _ in range(count):
            response = client.post(
                "/api/v1/invoices",
                content=jp_invoice(seller=creditor.registration_number),
                headers=XML,
            )
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
    return ids


@dataclass(frozen=True)
class Scenario:
    """A department with two paid-by-transfer creditors and their approved invoices."""

    department: str
    accountant: Account
    admin: Account
    first: Creditor
    second: Creditor
    invoice_ids: list[int]


@pytest.fixture
def scenario(sessions: sessionmaker[Session], server: LiveServer) -> Scenario:
    department = make_department(sessions)
    admin = make_user(sessions, Role.ADMIN)
    first = make_creditor(sessions, server, admin, department)
    second = make_creditor(sessions, server, admin, department, holder="ミナト（カ")
    ids = submit(server, first, 2) + submit(server, second, 1)
    approve(sessions, server, department, ids)
    return Scenario(department, make_user(sessions, Role.ACCOUNTING), admin, first, second, ids)


@pytest.fixture
def accountant(server: LiveServer, scenario: Scenario) -> Iterator[httpx.Client]:
    with server.client(scenario.accountant.token) as client:
        yield client


def _payday() -> str:
    return (clock.today() + dt.timedelta(days=3)).isoformat()


def _statuses(sessions: sessionmaker[Session], ids: list[int]) -> set[str]:
    with sessions() as session:
        return set(
            session.execute(select(InvoiceRecord.status).where(InvoiceRecord.id.in_(ids))).scalars()
        )


def test_batch_takes_every_approved_invoice_once(
    accountant: httpx.Client, scenario: Scenario, sessions: sessionmaker[Session]
) -> None:
    body = {"payment_date": _payday(), "department": scenario.department}
    response = accountant.post("/api/v1/batches", json=body)
    assert response.status_code == 201, response.text
    batch = response.json()
    assert sorted(batch["invoices"]) == sorted(scenario.invoice_ids)
    assert batch["invoice_count"] == 3
    assert batch["total_amount"] == "48450"
    assert batch["payment_date"] == _payday()
    assert batch["status"] == "open"
    assert batch["excluded"] == []
    assert _statuses(sessions, scenario.invoice_ids) == {"exported"}

    again = accountant.post("/api/v1/batches", json=body)
    assert again.status_code == 409  # nothing left to take
    assert accountant.get(f"/api/v1/batches/{batch['id']}").json()["invoices"] == sorted(
        scenario.invoice_ids
    )
    listed = accountant.get("/api/v1/batches").json()
    assert batch["id"] in [b["id"] for b in listed["items"]]


def test_idempotency_key_replays_the_same_batch(
    accountant: httpx.Client, scenario: Scenario
) -> None:
    body = {"payment_date": _payday(), "department": scenario.department}
    headers = {"Idempotency-Key": f"batch-{scenario.department}"}
    first = accountant.post("/api/v1/batches", json=body, headers=headers)
    replay = accountant.post("/api/v1/batches", json=body, headers=headers)
    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.json()["id"] == first.json()["id"]
    assert replay.json()["invoices"] == first.json()["invoices"]
    other = accountant.post(
        "/api/v1/batches", json={**body, "payment_date": "2099-01-04"}, headers=headers
    )
    assert other.status_code == 409


def test_racing_requests_never_share_an_invoice(
    server: LiveServer, scenario: Scenario, sessions: sessionmaker[Session]
) -> None:
    more = submit(server, scenario.first, 5)
    approve(sessions, server, scenario.department, more)
    everything = sorted(scenario.invoice_ids + more)
    body = {"payment_date": _payday(), "department": scenario.department}
    start = threading.Barrier(2)
    results: list[httpx.Response] = []

    def race() -> None:
        with server.client(scenario.accountant.token) as client:
            start.wait()
            results.append(client.post("/api/v1/batches", json=body))

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = [r.json()["invoices"] for r in results if r.status_code == 201]
    assert {r.status_code for r in results} <= {201, 409}
    assert taken
    flat = [i for ids in taken for i in ids]
    assert len(flat) == len(set(flat))  # no invoice in two batches
    assert sorted(flat) == everything
    with sessions() as session:
        in_items = session.execute(
            select(BatchItem.invoice_id).where(BatchItem.invoice_id.in_(everything))
        ).scalars()
        assert sorted(in_items) == everything


def test_the_database_refuses_an_invoice_in_two_batches(
    accountant: httpx.Client, scenario: Scenario, sessions: sessionmaker[Session]
) -> None:
    batch = accountant.post(
        "/api/v1/batches", json={"payment_date": _payday(), "department": scenario.department}
    ).json()
    with sessions() as session:
        item = session.execute(
            select(BatchItem).where(BatchItem.batch_id == batch["id"]).limit(1)
        ).scalar_one()
        duplicate = BatchItem(
            batch_id=batch["id"],
            invoice_id=item.invoice_id,
            supplier_id=item.supplier_id,
            amount=item.amount,
        )
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.add(duplicate)


def _batch(accountant: httpx.Client, scenario: Scenario) -> dict[str, object]:
    response = accountant.post(
        "/api/v1/batches", json={"payment_date": _payday(), "department": scenario.department}
    )
    assert response.status_code == 201, response.text
    batch: dict[str, object] = response.json()
    return batch


def test_zengin_export_has_one_transfer_per_creditor(
    accountant: httpx.Client, scenario: Scenario
) -> None:
    batch = _batch(accountant, scenario)
    response = accountant.get(f"/api/v1/batches/{batch['id']}/export", params={"format": "zengin"})
    assert response.status_code == 200, response.text
    assert "shift_jis" in response.headers["content-type"].lower()
    assert "attachment" in response.headers["content-disposition"]
    lines = response.content.split(b"\r\n")
    assert lines[-1] == b""
    records = lines[:-1]
    assert all(len(r) == 120 for r in records)
    text = [r.decode("shift_jis") for r in records]
    assert [t[0] for t in text] == ["1", "2", "2", "8", "9"]
    header = text[0]
    assert header[1:3] == "21"
    assert header[4:14] == "1234567890"
    assert header[14:54].rstrip() == "ｼﾞﾕﾘﾖｳｼ ｶｲｹｲｶ"
    pay = dt.date.fromisoformat(_payday())
    assert header[54:58] == f"{pay:%m%d}"
    first, second = text[1], text[2]
    assert first[50:80].rstrip() == "ｶ)ｻﾝﾌﾟﾙ"
    assert first[80:90] == "0000032300"  # two invoices of one creditor: one transfer
    assert first[43:50] == "0000042"
    assert second[50:80].rstrip() == "ﾐﾅﾄ(ｶ"
    assert second[80:90] == "0000016150"
    assert text[3][1:7] == "000002"
    assert text[3][7:19] == "000000048450"


def test_json_and_csv_exports(accountant: httpx.Client, scenario: Scenario) -> None:
    batch = _batch(accountant, scenario)
    url = f"/api/v1/batches/{batch['id']}/export"
    body = accountant.get(url, params={"format": "json"}).json()
    assert body["id"] == batch["id"]
    assert body["total_amount"] == "48450"
    assert len(body["invoices"]) == 3
    one = body["invoices"][0]
    assert one["payable_amount"] == "16150"
    assert one["supplier"]["registration_number"] == scenario.first.registration_number
    assert one["supplier"]["bank_account"] == {
        "bank_code": "0005",
        "branch_code": "123",
        "account_type": "1",
        "account_number": "0000042",
        "account_holder": "ｶ)ｻﾝﾌﾟﾙ",
    }
    assert one["issue_date"] == "2026-11-26"
    assert one["invoice_number"]
    assert {t["rate"] for t in one["taxes"]} >= {"10"}

    response = accountant.get(url, params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == BATCH_CSV_COLUMNS
    assert len(rows) == 4
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["payable_amount"] == "16150"
    assert record["account_holder"] == "ｶ)ｻﾝﾌﾟﾙ"
    assert response.content.count(b"\r\n") == 4


def test_unknown_format_is_400(accountant: httpx.Client, scenario: Scenario) -> None:
    batch = _batch(accountant, scenario)
    response = accountant.get(f"/api/v1/batches/{batch['id']}/export", params={"format": "xls"})
    assert response.status_code == 400
    assert accountant.get("/api/v1/batches/999999/export").status_code == 404


def test_a_new_export_format_is_one_row_and_its_renderer(
    accountant: httpx.Client, scenario: Scenario
) -> None:
    batch = _batch(accountant, scenario)

    def invoice_ids(session: Session, batch: Batch) -> Iterator[str]:
        yield from (f"{row[0]}\n" for row in batches_repo.export_rows(session, batch.id))

    exports.BATCH_FORMATS["ids"] = exports.StreamedExport("text/plain", ".txt", invoice_ids)
    try:
        response = accountant.get(f"/api/v1/batches/{batch['id']}/export", params={"format": "ids"})
    finally:
        del exports.BATCH_FORMATS["ids"]
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith('.txt"')
    assert sorted(int(line) for line in response.text.split()) == sorted(batch["invoices"])


def test_payment_date_in_the_past_is_422(accountant: httpx.Client, scenario: Scenario) -> None:
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    response = accountant.post(
        "/api/v1/batches", json={"payment_date": yesterday, "department": scenario.department}
    )
    assert response.status_code == 422
    assert "past" in response.json()["detail"]


def test_cancel_returns_invoices_to_approved_and_paid_batches_stay(
    accountant: httpx.Client,
    scenario: Scenario,
    sessions: sessionmaker[Session],
    server: LiveServer,
) -> None:
    batch = _batch(accountant, scenario)
    cancelled = accountant.post(f"/api/v1/batches/{batch['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert _statuses(sessions, scenario.invoice_ids) == {"approved"}
    assert accountant.post(f"/api/v1/batches/{batch['id']}/cancel").status_code == 409
    export = accountant.get(f"/api/v1/batches/{batch['id']}/export", params={"format": "csv"})
    assert export.status_code == 409

    again = _batch(accountant, scenario)  # the same invoices may join a new batch
    assert sorted(again["invoices"]) == sorted(scenario.invoice_ids)  # type: ignore[type-var]
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    future = accountant.post(f"/api/v1/batches/{again['id']}/paid", json={"paid_on": tomorrow})
    assert future.status_code == 422
    today = clock.today().isoformat()
    paid = accountant.post(f"/api/v1/batches/{again['id']}/paid", json={"paid_on": today})
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "paid"
    assert paid.json()["paid_on"] == today
    assert _statuses(sessions, scenario.invoice_ids) == {"paid"}
    assert accountant.post(f"/api/v1/batches/{again['id']}/cancel").status_code == 409

    with server.client(scenario.first.user.token) as supplier:
        seen = supplier.get(f"/api/v1/invoices/{scenario.invoice_ids[0]}").json()
    assert (seen["status"], seen["paid_on"]) == ("paid", today)
    actions = [event["action"] for event in seen["history"]]
    assert actions[:2] == ["invoice.receive", "invoice.approve"]
    assert actions[-2:] == ["batch.create", "batch.paid"]


def test_creditor_without_account_is_reported_not_skipped(
    server: LiveServer, scenario: Scenario, sessions: sessionmaker[Session]
) -> None:
    unpaid = make_creditor(sessions, server, scenario.admin, scenario.department, holder=None)
    blocked = submit(server, unpaid)
    approve(sessions, server, scenario.department, blocked)
    with server.client(scenario.accountant.token) as client:
        response = client.post(
            "/api/v1/batches",
            json={"payment_date": _payday(), "department": scenario.department},
        )
    assert response.status_code == 201
    assert blocked[0] not in response.json()["invoices"]
    assert response.json()["excluded"] == [
        {
            "invoice_id": blocked[0],
            "registration_number": unpaid.registration_number,
            "supplier": f"株式会社テスト {unpaid.registration_number}",
            "reason": "no_bank_account",
        }
    ]
    assert _statuses(sessions, blocked) == {"approved"}


def test_zengin_refuses_unconvertible_names_and_oversized_amounts(
    accountant: httpx.Client, scenario: Scenario, sessions: sessionmaker[Session]
) -> None:
    batch = _batch(accountant, scenario)
    with transaction(sessions) as session:
        session.execute(
            update(Supplier)
            .where(Supplier.registration_number == scenario.second.registration_number)
            .values(account_holder="ミナト建設")
        )
        session.execute(
            update(BatchItem)
            .where(
                BatchItem.batch_id == batch["id"],
                BatchItem.invoice_id == scenario.invoice_ids[0],
            )
            .values(amount=Decimal(10_000_000_000))
        )
    response = accountant.get(f"/api/v1/batches/{batch['id']}/export", params={"format": "zengin"})
    assert response.status_code == 422
    problems = {c["registration_number"]: c["problem"] for c in response.json()["creditors"]}
    assert "建設" in problems[scenario.second.registration_number]
    assert "beyond the Zengin field" in problems[scenario.first.registration_number]
    assert scenario.second.registration_number in response.json()["detail"]


def test_roles_and_bank_account_validation(
    server: LiveServer, scenario: Scenario, sessions: sessionmaker[Session]
) -> None:
    clerk = make_user(sessions, Role.CLERK, departments=(scenario.department,))
    with server.client(clerk.token) as client:
        assert client.post("/api/v1/batches", json={"payment_date": _payday()}).status_code == 403
        assert client.get("/api/v1/batches").status_code == 403
    with server.client(scenario.accountant.token) as client:
        refused = client.put(
            f"/api/v1/creditors/{scenario.first.registration_number}/bank-account",
            json={
                "bank_code": "1",
                "branch_code": "1",
                "account_type": "1",
                "account_number": "1",
                "account_holder": "ｱ",
            },
        )
        assert refused.status_code == 403
    with server.client(scenario.admin.token) as client:
        bad = client.put(
            f"/api/v1/creditors/{scenario.first.registration_number}/bank-account",
            json={
                "bank_code": "12",
                "branch_code": "x01",
                "account_type": "5",
                "account_number": "12a4",
                "account_holder": "山田",
            },
        )
        assert bad.status_code == 422
        detail = bad.json()["detail"]
        for part in ("bank code", "branch code", "account type", "account number", "山田"):
            assert part in detail
        seen = client.get(f"/api/v1/creditors/{scenario.first.registration_number}").json()
        assert seen["account_holder"] == "ｶ)ｻﾝﾌﾟﾙ"


def test_a_batch_of_chosen_invoices_takes_only_those(
    accountant: httpx.Client,
    scenario: Scenario,
    sessions: sessionmaker[Session],
    server: LiveServer,
) -> None:
    first, second, third = scenario.invoice_ids
    pending = submit(server, scenario.first)[0]  # not approved: reported, never taken
    body = {"payment_date": _payday(), "invoice_ids": [third, first, pending, first]}
    response = accountant.post("/api/v1/batches", json=body)
    assert response.status_code == 201, response.text
    batch = response.json()
    assert batch["invoices"] == [first, third]
    assert batch["invoice_count"] == 2
    assert batch["total_amount"] == "32300"
    assert [(e["invoice_id"], e["reason"]) for e in batch["excluded"]] == [(pending, "not_waiting")]
    assert _statuses(sessions, [first, third]) == {"exported"}
    assert _statuses(sessions, [second]) == {"approved"}
    assert _statuses(sessions, [pending]) == {"pending"}

    taken_already = accountant.post(
        "/api/v1/batches", json={"payment_date": _payday(), "invoice_ids": [first]}
    )
    assert taken_already.status_code == 409  # in a batch already: nothing to take
    assert taken_already.json()["excluded"][0]["reason"] == "not_waiting"
    narrowed = accountant.post(  # the filters still apply to the chosen invoices
        "/api/v1/batches",
        json={"payment_date": _payday(), "invoice_ids": [second], "department": "triage"},
    )
    assert narrowed.status_code == 409
    assert narrowed.json()["excluded"][0]["reason"] == "not_waiting"
    unknown = accountant.post(
        "/api/v1/batches", json={"payment_date": _payday(), "invoice_ids": [second, 10**9]}
    )
    assert unknown.status_code == 422
    assert str(10**9) in unknown.json()["detail"]
    empty = accountant.post("/api/v1/batches", json={"payment_date": _payday(), "invoice_ids": []})
    assert empty.status_code == 422  # an empty choice is not "everything"
    assert _statuses(sessions, [second]) == {"approved"}


def test_a_replayed_choice_must_be_the_same(accountant: httpx.Client, scenario: Scenario) -> None:
    first, second, _ = scenario.invoice_ids
    headers = {"Idempotency-Key": f"chosen-{scenario.department}"}
    body = {"payment_date": _payday(), "invoice_ids": [first]}
    made = accountant.post("/api/v1/batches", json=body, headers=headers)
    replay = accountant.post("/api/v1/batches", json=body, headers=headers)
    assert (made.status_code, replay.status_code) == (201, 200)
    assert replay.json()["invoices"] == [first]
    other = accountant.post(
        "/api/v1/batches", json={**body, "invoice_ids": [second]}, headers=headers
    )
    assert other.status_code == 409


@pytest.mark.parametrize("role", [Role.CLERK, Role.AUDITOR, Role.ADMIN, Role.SUPPLIER])
def test_only_accounting_makes_a_batch_of_chosen_invoices(
    server: LiveServer, scenario: Scenario, sessions: sessionmaker[Session], role: Role
) -> None:
    caller = make_user(
        sessions,
        role,
        departments=(scenario.department,) if role is Role.CLERK else (),
        supplier=scenario.first.registration_number if role is Role.SUPPLIER else None,
    )
    body = {"payment_date": _payday(), "invoice_ids": scenario.invoice_ids}
    with server.client(caller.token) as client:
        assert client.post("/api/v1/batches", json=body).status_code == 403
    assert _statuses(sessions, scenario.invoice_ids) == {"approved"}


def test_chosen_invoices_racing_a_filter_batch_never_share_an_invoice(
    server: LiveServer, scenario: Scenario, sessions: sessionmaker[Session]
) -> None:
    """Two real requests at once on two connections: one takes the department by its filter,
    the other a hand-picked half of the same invoices. Each invoice ends in exactly one batch."""
    more = submit(server, scenario.first, 7)
    approve(sessions, server, scenario.department, more)
    everything = sorted(scenario.invoice_ids + more)
    chosen = everything[::2]
    bodies = [
        {"payment_date": _payday(), "department": scenario.department},
        {"payment_date": _payday(), "invoice_ids": chosen},
    ]
    start = threading.Barrier(2)
    results: dict[int, httpx.Response] = {}

    def race(leg: int) -> None:
        with server.client(scenario.accountant.token) as client:
            start.wait()
            results[leg] = client.post("/api/v1/batches", json=bodies[leg])

    threads = [threading.Thread(target=race, args=(leg,)) for leg in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.status_code for r in results.values()} <= {201, 409}, [
        r.text for r in results.values()
    ]
    taken = {leg: r.json()["invoices"] for leg, r in results.items() if r.status_code == 201}
    assert taken
    assert set(taken.get(1, [])) <= set(chosen)  # the choice only narrows
    flat = [i for ids in taken.values() for i in ids]
    assert len(flat) == len(set(flat))  # no invoice in two batches
    assert sorted(flat) == everything
    with sessions() as session:
        in_items = session.execute(
            select(BatchItem.invoice_id).where(BatchItem.invoice_id.in_(everything))
        ).scalars()
        assert sorted(in_items) == everything
    assert _statuses(sessions, everything) == {"exported"}
