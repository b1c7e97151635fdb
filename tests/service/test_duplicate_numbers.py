"""One invoice per supplier + number + issue date: in the database, in payment batches, and the
file name and payment day holes found beside it (issue #12)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import Result, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

import parsers
from service import clock
from service.accounting.service import waiting_reasons
from service.auth.principal import Principal
from service.intake import service as intake
from service.intake.submission import Channel, Document, Submission
from service.settings import Settings
from storage.db import transaction
from storage.models import Batch, BatchItem, InvoiceRecord, Original, Role, Supplier, User, utcnow
from storage.objects import open_object_store
from tests.documents import jp_invoice, plain_pdf
from tests.service.test_accounting_api import Creditor, approve, make_creditor
from tests.support import (
    LiveServer,
    make_department,
    make_supplier,
    make_user,
    signed_in,
    start_live_server,
)

XML = {"Content-Type": "application/xml"}


# --- the rule in the database ---------------------------------------------------------------


def _supplier_id(sessions: sessionmaker[Session]) -> int:
    number = make_supplier(sessions)
    with sessions() as session:
        return session.execute(
            select(Supplier.id).where(Supplier.registration_number == number)
        ).scalar_one()


def _invoice(
    supplier_id: int,
    number: str,
    issue_date: dt.date | None,
    *,
    status: str = "pending",
    duplicate_of_id: int | None = None,
) -> InvoiceRecord:
    """An invoice row written straight to the database, as a racing request would."""
    sha256 = uuid.uuid4().hex * 2
    row = InvoiceRecord(
        supplier_id=supplier_id,
        original=Original(sha256=sha256, size=1, media_type="application/xml", object_key=sha256),
        status=status,
        format="ubl-invoice",
        profile="jp-pint",
        invoice_number=number,
        issue_date=issue_date,
    )
    if duplicate_of_id is not None:
        row.duplicate_of_id = duplicate_of_id
    return row


def _insert(sessions: sessionmaker[Session], *rows: InvoiceRecord) -> list[int]:
    with transaction(sessions) as session:
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


@pytest.mark.parametrize("issue_date", [dt.date(2026, 11, 26), None])
def test_the_database_holds_one_live_invoice_per_number(
    sessions: sessionmaker[Session], issue_date: dt.date | None
) -> None:
    supplier_id = _supplier_id(sessions)
    (first,) = _insert(sessions, _invoice(supplier_id, "N-1", issue_date))
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.add(_invoice(supplier_id, "N-1", issue_date))
    # what does not hold the number: invalid and returned ones, and a copy accepted under warn
    _insert(
        sessions,
        _invoice(supplier_id, "N-1", issue_date, status="invalid"),
        _invoice(supplier_id, "N-1", issue_date, status="returned"),
        _invoice(supplier_id, "N-1", issue_date, duplicate_of_id=first),
        _invoice(supplier_id, "N-1", dt.date(2026, 1, 5)),  # another date, another invoice
    )


def _caller(sessions: sessionmaker[Session], seller: str) -> Principal:
    login = make_user(sessions, Role.SUPPLIER, supplier=seller).login
    with sessions() as session:
        return Principal.of(session.execute(select(User).where(User.login == login)).scalar_one())


def test_a_twin_recorded_between_the_checks_is_answered_with_its_record(
    sessions: sessionmaker[Session], settings: Settings
) -> None:
    """The same bytes, recorded by another server after this upload looked for them and before
    it looked for the number: the same submission (200 with that record), not a 409."""
    if sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("on SQLite the write lock holds an upload's checks and insert together")
    seller = make_supplier(sessions)
    caller = _caller(sessions, seller)
    document = jp_invoice(seller=seller)
    store = open_object_store(
        settings.storage_url,
        endpoint_url=settings.s3_endpoint_url,
        retention_years=settings.retention_years,
    )
    judged = intake.Judged(
        Submission(Document(document, "application/xml"), caller, Channel.API),
        "application/xml",
        store.put(document, media_type="application/xml"),
        parsers.read(document, max_bytes=settings.max_upload_bytes),
    )
    arguments = {"judged": judged}
    twins: list[intake.Received] = []
    with sessions() as racing:

        @event.listens_for(racing, "do_orm_execute")
        def twin_commits_meanwhile(state: ORMExecuteState) -> Result[Any] | None:
            entities = [c["entity"] for c in state.statement.column_descriptions]  # type: ignore[attr-defined]
            if twins or not state.is_select or entities != [Original]:
                return None
            looked = state.invoke_statement()  # nothing found yet ...
            with sessions() as other:  # ... and now the twin commits
                twins.append(
                    intake.receive(other, store, **arguments, reject_duplicate_numbers=True)
                )
            return looked

        received = intake.receive(racing, store, **arguments, reject_duplicate_numbers=True)
    assert [twin.created for twin in twins] == [True]
    assert (received.created, received.invoice.id) == (False, twins[0].invoice.id)


# --- payment batches --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def warn_server(settings: Settings) -> Iterator[LiveServer]:
    """The app accepting a second invoice with a received number (with a warning)."""
    with start_live_server(settings.model_copy(update={"duplicate_numbers": "warn"})) as live:
        yield live


@dataclass(frozen=True)
class Pair:
    """Two approved invoices of one creditor with one number and date, and an ordinary one."""

    creditor: Creditor
    first: int
    second: int
    other: int


def _upload(server: LiveServer, creditor: Creditor, document: bytes) -> int:
    with server.client(creditor.user.token) as client:
        response = client.post("/api/v1/invoices", content=document, headers=XML)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _pair(
    sessions: sessionmaker[Session], server: LiveServer, departments: tuple[str, str]
) -> Pair:
    """The pair goes to ``departments`` (by their buyer references), the other one to the
    first."""
    creditor = make_creditor(sessions, server, make_user(sessions, Role.ADMIN), departments[0])
    seller, number = creditor.registration_number, f"W-{uuid.uuid4().hex[:8]}"
    first = _upload(
        server, creditor, jp_invoice(seller=seller, number=number, buyer_reference=departments[0])
    )
    second = _upload(
        server,
        creditor,
        jp_invoice(seller=seller, number=number, buyer_reference=departments[1], note="再送"),
    )
    other = _upload(server, creditor, jp_invoice(seller=seller, buyer_reference=departments[0]))
    approve(sessions, server, departments[0], [first, other])
    approve(sessions, server, departments[1], [second])
    return Pair(creditor, first, second, other)


def _payday() -> str:
    return (clock.today() + dt.timedelta(days=3)).isoformat()


def _numbered_items(sessions: sessionmaker[Session], pair: Pair) -> list[int]:
    with sessions() as session:
        return list(
            session.execute(
                select(BatchItem.invoice_id)
                .where(BatchItem.invoice_id.in_([pair.first, pair.second]))
                .order_by(BatchItem.invoice_id)
            ).scalars()
        )


@pytest.mark.clock
def test_a_batch_never_pays_one_number_and_date_twice(
    warn_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    department = make_department(sessions)
    pair = _pair(sessions, warn_server, (department, department))
    accountant = make_user(sessions, Role.ACCOUNTING)
    body = {"payment_date": _payday(), "department": department}
    with warn_server.client(accountant.token) as client:
        first = client.post("/api/v1/batches", json=body)
        assert first.status_code == 201, first.text
        assert first.json()["invoices"] == [pair.first, pair.other]
        held = {
            "invoice_id": pair.second,
            "registration_number": pair.creditor.registration_number,
            "supplier": f"株式会社テスト {pair.creditor.registration_number}",
            "reason": "duplicate_number",
        }
        assert first.json()["excluded"] == [held]
        with sessions() as session:  # what the accounting page shows beside it
            waiting = [session.get_one(InvoiceRecord, pair.second)]
            assert waiting_reasons(session, waiting) == [(waiting[0], "duplicate_number")]
        while_open = client.post("/api/v1/batches", json=body)
        assert while_open.status_code == 409  # nothing else is waiting
        assert while_open.json()["excluded"] == [held]
        paid = client.post(
            f"/api/v1/batches/{first.json()['id']}/paid",
            json={"paid_on": clock.today().isoformat()},
        )
        assert paid.status_code == 200, paid.text
        once_paid = client.post("/api/v1/batches", json=body)
        assert once_paid.json()["excluded"] == [held]
    assert _numbered_items(sessions, pair) == [pair.first]
    with sessions() as session:
        assert session.get(InvoiceRecord, pair.second).status == "approved"  # type: ignore[union-attr]


@pytest.mark.clock
def test_racing_batches_never_both_take_one_of_a_pair(
    warn_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    departments = (make_department(sessions), make_department(sessions))
    pair = _pair(sessions, warn_server, departments)
    accountant = make_user(sessions, Role.ACCOUNTING)
    start = threading.Barrier(2)
    results: list[httpx.Response] = []

    def batch(department: str) -> None:
        with warn_server.client(accountant.token) as client:
            start.wait()
            body = {"payment_date": _payday(), "department": department}
            results.append(client.post("/api/v1/batches", json=body))

    threads = [threading.Thread(target=batch, args=(d,)) for d in departments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in results) in ([201, 201], [201, 409]), [
        r.text for r in results
    ]
    assert len(_numbered_items(sessions, pair)) == 1
    held = [e for r in results for e in r.json().get("excluded", [])]
    assert [e["reason"] for e in held] == ["duplicate_number"]


def test_the_database_refuses_a_second_item_with_one_number_and_date(
    sessions: sessionmaker[Session],
) -> None:
    supplier_id = _supplier_id(sessions)
    first, second = _insert(
        sessions,
        _invoice(supplier_id, "B-1", dt.date(2026, 11, 1), status="exported"),
        _invoice(supplier_id, "B-2", dt.date(2026, 11, 1), status="exported"),
    )
    with transaction(sessions) as session:
        batch = Batch(status="open", payment_date=clock.today(), created_at=utcnow())
        session.add(batch)
        session.flush()
        batch_id = batch.id
        session.add(
            BatchItem(
                batch_id=batch_id,
                invoice_id=first,
                supplier_id=supplier_id,
                amount=1,
                invoice_number="B-1",
                issue_date=dt.date(2026, 11, 1),
            )
        )
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.add(
            BatchItem(
                batch_id=batch_id,
                invoice_id=second,
                supplier_id=supplier_id,
                amount=1,
                invoice_number="B-1",
                issue_date=dt.date(2026, 11, 1),
            )
        )


# --- small holes ------------------------------------------------------------------------------


def test_a_supplier_downloads_its_original_under_its_own_file_name(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    first, second = make_supplier(sessions), make_supplier(sessions)
    document = plain_pdf(registration_number=first, number=f"P-{uuid.uuid4().hex[:8]}")
    ids = []
    for number, filename in ((first, "first.pdf"), (second, "second.pdf")):
        user = make_user(sessions, Role.SUPPLIER, supplier=number)
        with live_server.client(user.token) as client:
            response = client.post(
                "/api/v1/invoices", files={"file": (filename, document, "application/pdf")}
            )
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
            api = client.get(f"/api/v1/invoices/{ids[-1]}/original")
        with signed_in(live_server, user.login, user.password) as browser:
            page = browser.get(f"/invoices/{ids[-1]}/original")
        for download in (api, page):
            assert download.status_code == 200
            assert download.content == document
            assert download.headers["content-disposition"].endswith(f"''{filename}")


@pytest.mark.clock
def test_a_batch_cannot_be_paid_before_it_was_made(
    warn_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    department = make_department(sessions)
    pair = _pair(sessions, warn_server, (department, department))
    accountant = make_user(sessions, Role.ACCOUNTING)
    with warn_server.client(accountant.token) as client:
        batch = client.post(
            "/api/v1/batches", json={"payment_date": _payday(), "department": department}
        ).json()
        made_on = clock.today()
        for day in ("1900-01-01", (made_on - dt.timedelta(days=1)).isoformat()):
            early = client.post(f"/api/v1/batches/{batch['id']}/paid", json={"paid_on": day})
            assert early.status_code == 422, early.text
            assert early.json()["detail"] == (
                f"The payment day {day} is before the day the batch was made ({made_on})."
            )
            assert early.json()["message_ja"].startswith(f"支払日 {day} は")
        assert client.get(f"/api/v1/batches/{batch['id']}").json()["status"] == "open"
        on_the_day = client.post(
            f"/api/v1/batches/{batch['id']}/paid", json={"paid_on": made_on.isoformat()}
        )
        assert on_the_day.status_code == 200, on_the_day.text
    with sessions() as session:
        assert session.get(InvoiceRecord, pair.first).paid_on == made_on  # type: ignore[union-attr]
