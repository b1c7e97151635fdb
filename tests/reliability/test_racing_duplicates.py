"""Twenty uploads of one invoice number at once, over two ``juryo serve`` processes on one
database (as if on two machines): the database, not a read before the insert, decides.

On PostgreSQL the two servers race for real; on SQLite they share the database file and its
write lock. Each trial prints how many uploads were accepted (the README's Reliability figures).
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import InvoiceRecord, Role
from tests.documents import jp_invoice
from tests.reliability.server import ServerProcess
from tests.reliability.test_crash import server_env
from tests.support import make_supplier, make_user

pytestmark = pytest.mark.slow

UPLOADS = 20
TRIALS = 5
XML = {"Content-Type": "application/xml"}


@contextmanager
def _two_servers(settings: Settings, logs: Path, duplicate_numbers: str) -> Iterator[list[str]]:
    """Two servers on the test database and store; their base URLs."""
    env = {**server_env(settings), "JURYO_DUPLICATE_NUMBERS": duplicate_numbers}
    started = [ServerProcess(env, log=logs / f"server-{i}.log") for i in range(2)]
    try:
        for server in started:
            server.start()
        yield [server.base_url for server in started]
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="module")
def servers(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two servers refusing a second invoice with a received number (the default)."""
    with _two_servers(settings, tmp_path_factory.mktemp("servers"), "reject") as urls:
        yield urls


def _race(servers: list[str], token: str, documents: list[bytes]) -> list[httpx.Response]:
    """Post the documents all at once (a barrier), alternating between the servers."""
    start = threading.Barrier(len(documents))
    answers: list[httpx.Response] = []
    headers = {**XML, "Authorization": f"Bearer {token}"}

    def upload(index: int) -> None:
        with httpx.Client(base_url=servers[index % 2], headers=headers, timeout=120) as client:
            client.get("/healthz")  # connected before the barrier: the posts leave together
            start.wait(timeout=60)
            answers.append(client.post("/api/v1/invoices", content=documents[index]))

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(len(documents))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(answers) == len(documents), "an upload did not come back"
    return answers


def test_one_number_with_other_content_is_accepted_once(
    servers: list[str], sessions: sessionmaker[Session]
) -> None:
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    accepted_per_trial = []
    for trial in range(TRIALS):
        number = f"RACE-{trial}-{uuid.uuid4().hex[:6]}"
        documents = [
            jp_invoice(seller=seller, number=number, note=f"明細 {i}") for i in range(UPLOADS)
        ]
        answers = _race(servers, token, documents)
        statuses = Counter(answer.status_code for answer in answers)
        accepted_per_trial.append(statuses[201])
        print(f"trial {trial + 1}: {dict(statuses)}")
        assert statuses == {201: 1, 409: UPLOADS - 1}, [a.text for a in answers]
        winner = next(a.json()["id"] for a in answers if a.status_code == 201)
        assert {a.json()["existing_id"] for a in answers if a.status_code == 409} == {winner}
    print(f"accepted per trial ({UPLOADS} racing uploads, 2 servers): {accepted_per_trial}")


def test_identical_uploads_get_one_record(
    servers: list[str], sessions: sessionmaker[Session]
) -> None:
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    for trial in range(TRIALS):
        document = jp_invoice(seller=seller, number=f"SAME-{trial}-{uuid.uuid4().hex[:6]}")
        answers = _race(servers, token, [document] * UPLOADS)
        statuses = Counter(answer.status_code for answer in answers)
        print(f"trial {trial + 1}: {dict(statuses)}")
        assert statuses == {201: 1, 200: UPLOADS - 1}, [a.text for a in answers]
        assert len({a.json()["id"] for a in answers}) == 1


def test_under_warn_every_copy_is_recorded_and_one_holds_the_number(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    number = f"WARN-{uuid.uuid4().hex[:6]}"
    documents = [jp_invoice(seller=seller, number=number, note=f"明細 {i}") for i in range(UPLOADS)]
    with _two_servers(settings, tmp_path, "warn") as urls:
        answers = _race(urls, token, documents)
    assert Counter(a.status_code for a in answers) == {201: UPLOADS}, [a.text for a in answers]
    warned = [a for a in answers if "JURYO-INTAKE-DUPLICATE" in a.text]
    assert len(warned) == UPLOADS - 1
    with sessions() as session:
        holders = session.execute(
            select(InvoiceRecord.duplicate_of_id).where(InvoiceRecord.invoice_number == number)
        ).scalars()
        assert Counter(holder is None for holder in holders) == {True: 1, False: UPLOADS - 1}
