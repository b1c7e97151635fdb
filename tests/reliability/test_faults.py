"""Dependencies failing under a running server: clear 503s, nothing half-written, and recovery
without restarting juryo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.db import create_db_engine, session_factory
from storage.migrate import upgrade
from storage.models import InvoiceRecord, Role
from tests.documents import jp_invoice
from tests.reliability.postgres import PostgresCluster
from tests.reliability.server import AWS_KEY, MotoProcess
from tests.support import make_supplier, make_user, start_live_server

XML = {"Content-Type": "application/xml"}


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.execute(select(func.count()).select_from(InvoiceRecord)).scalar_one()


def _upload(client: httpx.Client, seller: str) -> httpx.Response:
    return client.post("/api/v1/invoices", content=jp_invoice(seller=seller), headers=XML)


@pytest.fixture
def moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoProcess]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AWS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = MotoProcess()
    server.start()
    yield server
    server.stop()


def test_object_store_outage_gives_503_and_recovers_without_restart(
    moto: MotoProcess, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    moto.create_bucket("juryo-fault")
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    served = settings.model_copy(
        update={"storage_url": "s3://juryo-fault", "s3_endpoint_url": moto.endpoint}
    )
    with start_live_server(served) as server, server.client(token) as client:
        assert _upload(client, seller).status_code == 201
        moto.stop()
        before = _count(sessions)
        down = _upload(client, seller)
        assert down.status_code == 503
        assert down.headers["retry-after"]
        assert down.json()["detail"] == "the object store is unavailable"
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["storage"].startswith("down")
        assert _count(sessions) == before
        moto.start()  # moto forgets everything: the bucket must be made again
        moto.create_bucket("juryo-fault")
        assert client.get("/readyz").status_code == 200
        assert _upload(client, seller).status_code == 201


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    try:
        made = PostgresCluster.create()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    made.start()
    yield made
    made.destroy()


def test_database_outage_gives_503_and_recovers_without_restart(
    cluster: PostgresCluster, settings: Settings, tmp_path: Path
) -> None:
    upgrade(cluster.url)
    engine = create_db_engine(cluster.url)
    sessions = session_factory(engine)
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    served = settings.model_copy(
        update={
            "database_url": cluster.url,
            "storage_url": f"file:{tmp_path}/objects",
            "s3_endpoint_url": None,
        }
    )
    with start_live_server(served) as server, server.client(token) as client:
        assert _upload(client, seller).status_code == 201
        engine.dispose()
        cluster.stop()
        down = _upload(client, seller)
        assert down.status_code == 503
        assert down.json() == {
            "error": "service_unavailable",
            "detail": "the database is unavailable",
        }
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"].startswith("down")
        cluster.start()
        assert _count(sessions) == 1
        assert client.get("/readyz").status_code == 200
        assert _upload(client, seller).status_code == 201
        assert _count(sessions) == 2
    engine.dispose()
