"""Saxon's XPath errors stay out of the server's log.

Runs `juryo serve` as a process of its own, with a validating process beside it, and reads
everything both write to stderr while a document that makes the official EN 16931 stylesheet
stop on an XPath error is judged.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import Role
from tests.parsers.validation_samples import cii_invoice
from tests.reliability.server import ServerProcess
from tests.support import make_supplier, make_user


@pytest.mark.slow
def test_a_saxon_xpath_error_is_a_finding_not_a_log_line(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    # CII still runs on Saxon (UBL is judged natively): a line total that is no number
    document = re.sub(rb"(<ram:LineTotalAmount[^>]*>)", rb"\1abc", cii_invoice(), count=1)
    env = {
        **os.environ,
        "JURYO_DATABASE_URL": settings.database_url,
        "JURYO_STORAGE_URL": f"file:{tmp_path / 'objects'}",
        "JURYO_LOG_LEVEL": "WARNING",
        "JURYO_VALIDATION_PROCESSES": "1",
    }
    server = ServerProcess(env, log=tmp_path / "server.log")
    server.start()
    try:
        answer = httpx.post(
            f"{server.base_url}/api/v1/validate",
            content=document,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"},
            timeout=60,
        )
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()
    assert answer.status_code == 422, answer.text
    assert "JURYO-VALIDATION-ERROR" in [f["rule_id"] for f in answer.json()["findings"]]
    assert "FORG0001" not in log, log
    assert ".xslt" not in log, log
