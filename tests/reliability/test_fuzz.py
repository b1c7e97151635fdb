"""Property tests: ``read()`` never raises, and the upload endpoint never answers 5xx.

Short and derandomised for CI; ``bench/fuzz.py`` runs the same idea over 100,000 inputs.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from parsers import Format, read
from storage.models import Role
from tests.reliability import hostile
from tests.support import LiveServer, make_supplier, make_user

SEEDS = [
    hostile.valid_invoice(),
    hostile.plain_invoice_pdf(),
    hostile.utf16_with_bom(),
    hostile.javascript_pdf(),
    hostile.many_attachments(5),
]
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed with byte flips, a truncation, or a splice of another seed."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    action = draw(st.sampled_from(["none", "truncate", "splice", "insert"]))
    position = draw(st.integers(0, len(data)))
    if action == "truncate":
        del data[position:]
    elif action == "splice":
        other = draw(st.sampled_from(SEEDS))
        data[position:] = other[draw(st.integers(0, len(other))) :]
    elif action == "insert":
        data[position:position] = draw(st.binary(max_size=256))
    return bytes(data)


def _judged(data: bytes) -> None:
    result = read(data)
    assert isinstance(result.format, Format)
    assert result.acceptable or result.findings


@FUZZ
@given(st.binary(max_size=2048))
def test_read_random_bytes(data: bytes) -> None:
    _judged(data)


@FUZZ
@given(mutated())
def test_read_mutated_documents(data: bytes) -> None:
    _judged(data)


@pytest.fixture(scope="module")
def client(live_server: LiveServer, sessions: sessionmaker[Session]) -> Iterator[httpx.Client]:
    seller = make_supplier(sessions)
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    with live_server.client(token) as client:
        yield client


CONTENT_TYPES = st.sampled_from(
    [
        "application/xml",
        "text/xml; charset=shift_jis",
        "application/pdf",
        "multipart/form-data; boundary=x",
        "multipart/form-data",
        "text/plain",
        "",
    ]
)


@settings(FUZZ, max_examples=60)
@given(
    body=st.one_of(mutated(), st.binary(max_size=512)),
    content_type=CONTENT_TYPES,
    endpoint=st.sampled_from(["/api/v1/validate", "/api/v1/invoices"]),
)
def test_upload_never_answers_5xx(
    client: httpx.Client, body: bytes, content_type: str, endpoint: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(endpoint, content=body, headers=headers)
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json")


def test_attachment_name_that_is_not_text() -> None:
    """Found by bench/fuzz.py: a name pypdf returns as bytes crashed ``_choose`` (TypeError)."""
    data = hostile.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names "
            b"[(x\xad.xml) 4 0 R] >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
            b"<< /Type /Filespec /F (a) /EF << /F 5 0 R >> >>",
            b"<< /Length 4 >>\nstream\n<a/>\nendstream",
        ]
    )
    result = read(data)
    assert result.format is Format.PDF
    assert result.acceptable, result.findings
