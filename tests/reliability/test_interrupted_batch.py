"""A batch request cut off by SIGKILL half-way leaves no invoice half-exported."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.settings import Settings
from storage.models import Batch, BatchItem, InvoiceRecord, Role
from storage.repositories import organisation
from tests.reliability.seed import seed_approved
from tests.reliability.server import ServerProcess
from tests.reliability.test_crash import server_env
from tests.support import make_department, make_user

INVOICES = 6000


def _state(sessions: sessionmaker[Session], department_id: int) -> tuple[dict[str, int], bool]:
    """Invoice counts by status, and whether every batch holds exactly what it says."""
    with sessions() as session:
        statuses = dict(
            session.execute(
                select(InvoiceRecord.status, func.count())
                .where(InvoiceRecord.department_id == department_id)
                .group_by(InvoiceRecord.status)
            ).all()
        )
        exported_without_item = session.execute(
            select(func.count())
            .select_from(InvoiceRecord)
            .outerjoin(BatchItem, BatchItem.invoice_id == InvoiceRecord.id)
            .where(
                InvoiceRecord.department_id == department_id,
                InvoiceRecord.status == "exported",
                BatchItem.id.is_(None),
            )
        ).scalar_one()
        approved_with_item = session.execute(
            select(func.count())
            .select_from(InvoiceRecord)
            .join(BatchItem, BatchItem.invoice_id == InvoiceRecord.id)
            .where(InvoiceRecord.department_id == department_id, InvoiceRecord.status == "approved")
        ).scalar_one()
        batches = session.execute(
            select(Batch.invoice_count, func.count(BatchItem.id))
            .outerjoin(BatchItem, BatchItem.batch_id == Batch.id)
            .where(Batch.department_id == department_id, Batch.status != "cancelled")
            .group_by(Batch.id)
        ).all()
    whole = (
        exported_without_item == 0
        and approved_with_item == 0
        and all(count == items for count, items in batches)
    )
    return statuses, whole


def test_killed_batch_requests_leave_whole_batches_or_none(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    code = make_department(sessions)
    with sessions() as session:
        department = organisation.department_by_code(session, code)
        assert department is not None
        department_id = department.id
    seed_approved(sessions, INVOICES, 500, department_id=department_id)
    token = make_user(sessions, Role.ACCOUNTING).token
    server = ServerProcess(server_env(settings), log=tmp_path / "server.log")
    server.start()
    rng = random.Random(11)
    body = {
        "payment_date": (clock.today() + dt.timedelta(days=5)).isoformat(),
        "department": code,
    }
    try:
        for _ in range(3):
            outcome: list[int | str] = []

            def request(outcome: list[int | str] = outcome) -> None:
                try:
                    with httpx.Client(
                        base_url=server.base_url,
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=60,
                    ) as client:
                        outcome.append(client.post("/api/v1/batches", json=body).status_code)
                except httpx.HTTPError as exc:
                    outcome.append(type(exc).__name__)

            thread = threading.Thread(target=request)
            thread.start()
            time.sleep(rng.uniform(0.05, 0.4))
            server.kill()
            thread.join()
            statuses, whole = _state(sessions, department_id)
            print(f"after the kill ({outcome}): {statuses}, batches whole: {whole}")
            assert whole
            assert sum(statuses.values()) == INVOICES
            server.start()
            if statuses.get("exported"):  # it committed before the kill: cancel, go again
                with httpx.Client(
                    base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}
                ) as client:
                    for batch in client.get("/api/v1/batches").json()["items"]:
                        if batch.get("department") == code and batch["status"] == "open":
                            client.post(f"/api/v1/batches/{batch['id']}/cancel")
        with httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as client:
            final = client.post("/api/v1/batches", json=body)
        assert final.status_code == 201, final.text
        assert final.json()["invoice_count"] == _state(sessions, department_id)[0]["exported"]
        assert _state(sessions, department_id)[1]
    finally:
        server.stop()
