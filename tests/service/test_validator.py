"""The validating processes: same verdicts as ``parsers.read``, and a dead one is replaced."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

import parsers
from parsers import Result
from service.invoices.validator import Validator
from tests.documents import jp_invoice
from tests.support import registration_number

MAX_BYTES = 10 * 1024 * 1024


def _die(data: bytes, *, max_bytes: int) -> Result:
    os._exit(3)  # as a segfault in native parsing code would end the process


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


def test_a_killed_process_is_replaced(validator: Validator) -> None:
    document = jp_invoice(seller=registration_number(), number="V-2")
    validator.judge(document, MAX_BYTES)
    for pid in list(validator._pool._processes):
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
