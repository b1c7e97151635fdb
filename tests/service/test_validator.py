"""The validating processes: same verdicts as ``parsers.read``, and a dead one is replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import parsers
from parsers import Result
from service.validator import Validator
from tests.documents import jp_invoice
from tests.support import registration_number

REPO = Path(__file__).resolve().parents[2]
MAX_BYTES = 10 * 1024 * 1024


def _die(data: bytes, *, max_bytes: int) -> Result:
    os._exit(3)  # as a segfault in native parsing code would end the process


def _hang(data: bytes, *, max_bytes: int) -> Result:
    time.sleep(60)  # as a document that sent a stylesheet into a loop would
    raise AssertionError("the validating process was not stopped")


@pytest.fixture(scope="module")
def validator() -> Iterator[Validator]:
    started = Validator(1)
    started.start()
    yield started
    started.close()


def test_verdicts_are_those_of_read(validator: Validator) -> None:
    good = jp_invoice(seller=registration_number(), number="V-1")
    bad = good.replace(b"<cbc:ID>V-1</cbc:ID>", b"", 1)

    for document in (good, bad, b"not a document"):
        assert validator.judge(document, MAX_BYTES) == parsers.read(document, max_bytes=MAX_BYTES)
    assert validator.judge(good, MAX_BYTES).acceptable
    assert not validator.judge(bad, MAX_BYTES).acceptable


def test_ready_once_every_process_has_compiled() -> None:
    fresh = Validator(2)
    try:
        fresh.start()
        assert not fresh.ready()  # compiling the stylesheets takes seconds
        deadline = time.monotonic() + 60
        while not fresh.ready() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert fresh.ready()
        fresh.judge(b"<Invoice/>", MAX_BYTES)
        assert fresh.ready()
    finally:
        fresh.close()


def test_a_killed_process_is_replaced(validator: Validator) -> None:
    document = jp_invoice(seller=registration_number(), number="V-2")
    validator.judge(document, MAX_BYTES)
    for pid in validator.process_ids():
        os.kill(pid, signal.SIGKILL)

    assert validator.judge(document, MAX_BYTES).acceptable


def test_a_document_that_kills_every_try_is_refused_with_a_finding() -> None:
    dying = Validator(1, read=_die)
    try:
        result = dying.judge(b"<Invoice/>", MAX_BYTES)
    finally:
        dying.close()

    assert not result.acceptable
    assert [f.rule_id for f in result.findings] == ["JURYO-VALIDATION-ERROR"]
    assert "stopped" in result.findings[0].message_en


def test_a_document_that_takes_too_long_is_refused_and_its_process_replaced() -> None:
    hanging = Validator(1, timeout=0.5, read=_hang)
    try:
        hanging.start()
        before = hanging.process_ids()
        started = time.monotonic()
        result = hanging.judge(b"<Invoice/>", MAX_BYTES)
        waited = time.monotonic() - started
        after = hanging.process_ids()
    finally:
        hanging.close()

    assert [f.rule_id for f in result.findings] == ["JURYO-VALIDATION-ERROR"]
    assert "longer than 0.5 s" in result.findings[0].message_en
    assert waited < 30  # compiling first, then half a second: not the minute it would hang
    assert len(before) == len(after) == 1
    assert before != after
    assert not _running(before[0])


_OWNER = """
import os, signal
from service.validator import Validator
validator = Validator(2)
validator.start()
validator.judge(b"<Invoice/>", 1000)
print(*validator.process_ids(), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # no exit handlers, as after uvicorn re-raises SIGTERM
"""


def test_validators_leave_when_their_worker_dies_by_a_signal() -> None:
    owner = subprocess.run(
        [sys.executable, "-c", _OWNER], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert owner.returncode == -signal.SIGKILL
    pids = [int(pid) for pid in owner.stdout.split()]
    assert len(pids) == 2

    deadline = time.monotonic() + 10
    while any(map(_running, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if _running(pid)]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's reaping is left
