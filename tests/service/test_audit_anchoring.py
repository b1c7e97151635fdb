"""A running server anchors the audit chain by itself, at its interval, only when it grew."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from service.settings import Settings, SettingsError, load_settings
from storage import anchors
from tests.ledger import KEY, Ledger, open_ledger
from tests.reliability.server import ServerProcess
from tests.support import start_live_server


@pytest.fixture
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """A database and anchor store of its own (on S3: a bucket with Object Lock)."""
    with open_ledger(request, tmp_path, locked=True) as opened:
        yield opened


def _anchored_event_ids(ledger: Ledger) -> list[int]:
    stored = [
        anchors.parse(ledger.store.get_named(n)) for n in ledger.store.list_named("audit-anchors")
    ]
    return [anchor.event_id for anchor in stored]


def _wait_for_anchor_at(ledger: Ledger, event_id: int, seconds: float = 20) -> list[int]:
    """Poll the store until an anchor names ``event_id``; the event ids anchored so far."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        anchored = _anchored_event_ids(ledger)
        if event_id in anchored:
            return anchored
        time.sleep(0.05)
    raise AssertionError(f"no anchor at event {event_id} within {seconds} s: {anchored}")


def test_server_anchors_the_head_at_its_interval(ledger: Ledger) -> None:
    settings = Settings(
        database_url=ledger.env["JURYO_DATABASE_URL"],
        storage_url=ledger.env["JURYO_STORAGE_URL"],
        s3_endpoint_url=ledger.env.get("JURYO_S3_ENDPOINT_URL"),
        audit_key=SecretStr(KEY.decode()),
        audit_anchor_interval_seconds=0.2,
        log_json=False,
        log_level="WARNING",
    )
    with start_live_server(settings):
        ledger.append(3)
        assert _wait_for_anchor_at(ledger, 3) == [3]
        ledger.append(2)
        assert _wait_for_anchor_at(ledger, 5) == [3, 5]
        # Nothing to poll for when nothing should happen: let three intervals pass.
        time.sleep(0.6)
        assert _anchored_event_ids(ledger) == [3, 5]
    assert ledger.check().intact


def test_two_worker_processes_keep_one_numbering(ledger: Ledger, tmp_path: Path) -> None:
    env = {
        **ledger.env,
        "JURYO_AUDIT_ANCHOR_INTERVAL_SECONDS": "0.1",
        "JURYO_VALIDATION_PROCESSES": "1",
    }
    server = ServerProcess(env, workers=2, log=tmp_path / "server.log")
    server.start()
    try:
        for count in range(1, 9):
            ledger.append(1)
            _wait_for_anchor_at(ledger, count)
    finally:
        server.stop()
    checked = ledger.check()
    assert checked.intact, checked.findings
    assert checked.newest is not None
    assert (checked.newest.seq, checked.newest.event_id) == (checked.anchors, 8)


def test_audit_key_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = KEY.decode()
    monkeypatch.setenv("JURYO_AUDIT_KEY", secret)
    settings = load_settings()
    assert settings.audit_signing_key == KEY
    assert secret not in repr(settings)
    assert secret not in settings.model_dump_json()


def test_short_audit_key_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JURYO_AUDIT_KEY", "short-secret")
    with pytest.raises(SettingsError, match=r"JURYO_AUDIT_KEY: .*at least 32 bytes") as caught:
        load_settings()
    assert "short-secret" not in str(caught.value)


def test_an_empty_audit_key_means_no_anchors(monkeypatch: pytest.MonkeyPatch) -> None:
    """docker-compose passes ``JURYO_AUDIT_KEY`` through empty when the host has none."""
    monkeypatch.setenv("JURYO_AUDIT_KEY", "")
    assert load_settings().audit_key is None
