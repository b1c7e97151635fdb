"""An unhandled error is logged once, with its request id and one traceback.

Runs `juryo serve` as a process of its own and reads what it writes to stderr, so that the
server's own logging (uvicorn's included) is part of what is checked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import Role
from tests.documents import jp_invoice
from tests.reliability.server import ServerProcess
from tests.support import make_supplier, make_user

TRACEBACK = "Traceback (most recent call last)"


def _records(log: str) -> list[dict[str, Any]]:
    """The JSON log records among the server's output (uvicorn writes plain lines too)."""
    records = []
    for line in log.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records


@pytest.mark.slow
def test_an_unhandled_error_is_logged_once_with_its_request_id(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    not_a_directory = tmp_path / "objects"
    not_a_directory.write_text("a file where the object directory should be")
    env = {
        **os.environ,
        "JURYO_DATABASE_URL": settings.database_url,
        "JURYO_STORAGE_URL": f"file:{not_a_directory}",  # every write of an original fails
        "JURYO_LOG_LEVEL": "WARNING",
        "JURYO_LOG_JSON": "true",
        "JURYO_VALIDATION_PROCESSES": "1",
    }
    server = ServerProcess(env, log=tmp_path / "server.log")
    server.start()
    try:
        answer = httpx.post(
            f"{server.base_url}/api/v1/invoices",
            content=jp_invoice(seller=seller),
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/xml",
                "X-Request-ID": "unhandled-1",
            },
            timeout=30,
        )
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()
    errors = [r for r in _records(log) if r["message"] == "unhandled error"]
    assert len(errors) == 1, log
    assert errors[0]["request_id"] == "unhandled-1"
    assert "NotADirectoryError" in errors[0]["exception"]
    # Every traceback the server wrote is the one in that record (a chained exception has
    # more than one "Traceback" header, hence the count rather than 1).
    assert log.count(TRACEBACK) == errors[0]["exception"].count(TRACEBACK), log
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal_error", "detail": "an unexpected error occurred"}
    assert answer.headers["x-request-id"] == "unhandled-1"
