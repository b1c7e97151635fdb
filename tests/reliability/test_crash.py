"""The short CI variant of the crash-consistency run (``bench/crash.py`` is the long one)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import Role
from storage.objects import open_object_store
from tests.reliability.crash import run_campaign
from tests.reliability.server import ServerProcess
from tests.support import make_supplier, make_user


def server_env(settings: Settings) -> dict[str, str]:
    """The environment of a ``juryo serve`` process on the test database and store."""
    env = {
        **os.environ,
        "JURYO_DATABASE_URL": settings.database_url,
        "JURYO_STORAGE_URL": settings.storage_url,
        "JURYO_LOG_LEVEL": "WARNING",
    }
    if settings.s3_endpoint_url:
        env["JURYO_S3_ENDPOINT_URL"] = settings.s3_endpoint_url
    return env


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(server_env(settings), log=tmp_path / "server.log")
    process.start()
    yield process
    process.stop()


def test_sigkill_loses_no_acknowledged_upload(
    server: ServerProcess, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    store = open_object_store(
        settings.storage_url,
        endpoint_url=settings.s3_endpoint_url,
        retention_years=settings.retention_years,
    )
    report = run_campaign(
        server,
        token=token,
        seller=seller,
        uploaders=4,
        per_uploader=25,
        kills=5,
        sessions=sessions,
        store=store,
    )
    print("\n".join(report.lines()))
    assert report.kills == 5
    assert report.sent >= 100
    assert report.acknowledged == report.sent
    assert report.unanswered > 0
    assert report.missing == []
    assert report.found == report.acknowledged
    assert report.rows_without_object == 0
    assert report.retried_accepted == report.unanswered
    assert report.duplicates == []
