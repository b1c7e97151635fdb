"""What schemathesis found (tests/reliability/test_schemathesis.py), pinned down one by one:
numbers the database cannot hold and unreadable CSV are 4xx answers, never 5xx; and 422 is
documented as the error body the app really sends."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.app import create_app
from service.organisation.service import MAX_CSV_BYTES
from service.settings import Settings
from storage.models import Role
from tests.support import LiveServer, make_department, make_supplier, make_user

TOO_BIG = 10**20  # beyond a 64-bit integer: SQLite raised OverflowError (a 500)


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/invoices/{TOO_BIG}",
        f"/api/v1/invoices/{TOO_BIG}/routing",
        f"/api/v1/invoices?offset={TOO_BIG}",
        f"/api/v1/overdue?offset={TOO_BIG}",
        f"/api/v1/admin/purchase-orders?offset={TOO_BIG}",
    ],
)
def test_out_of_range_numbers_are_422_not_500(
    live_server: LiveServer, sessions: sessionmaker[Session], path: str
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    with live_server.client(admin.token) as client:
        response = client.get(path)
    assert response.status_code == 422, response.text


def test_out_of_range_version_replaces_and_batch_ids_are_422(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    clerk = make_user(sessions, Role.CLERK, departments=(make_department(sessions),))
    with live_server.client(clerk.token) as client:
        works = client.post("/api/v1/invoices/1/works", json={"works": True, "version": TOO_BIG})
    supplier = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with live_server.client(supplier.token) as client:
        replaces = client.post(
            "/api/v1/invoices",
            params={"replaces": TOO_BIG},
            content=b"<x/>",
            headers={"Content-Type": "application/xml"},
        )
    accountant = make_user(sessions, Role.ACCOUNTING)
    with live_server.client(accountant.token) as client:
        batches = client.get("/api/v1/batches", params={"offset": TOO_BIG})
        batch = client.get(f"/api/v1/batches/{TOO_BIG}")
    statuses = [r.status_code for r in (works, replaces, batches, batch)]
    assert statuses == [422, 422, 422, 422]


def test_a_threshold_beyond_the_money_column_is_422(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    code = make_department(sessions)
    with live_server.client(admin.token) as client:
        created = client.post(
            "/api/v1/admin/departments",
            json={"code": f"{code}-X", "name": "x", "approval_threshold": "1e30"},
        )
        patched = client.patch(
            f"/api/v1/admin/departments/{code}", json={"approval_threshold": "1e30"}
        )
    assert (created.status_code, patched.status_code) == (422, 422)


def test_unreadable_purchase_order_csv_is_400_not_500(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    with live_server.client(admin.token) as client:
        response = client.post(
            "/api/v1/admin/purchase-orders",
            content=b"PO-1,\rDEPT\n",
            headers={"Content-Type": "text/csv"},
        )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_request"


def test_422_is_documented_as_the_error_body_the_app_sends(settings: Settings) -> None:
    app = create_app(settings)
    try:
        schema = app.openapi()
    finally:
        app.state.runtime.close()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    documented = schema["paths"]["/api/v1/invoices"]["get"]["responses"]["422"]
    assert documented["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }


@pytest.mark.parametrize("alias", ["NUL\u0000ALIAS", "ok-\u0000"])
def test_text_the_database_refuses_is_a_4xx(
    live_server: LiveServer, sessions: sessionmaker[Session], alias: str
) -> None:
    """PostgreSQL refuses NUL characters in text (found by schemathesis on the CI's second
    leg); SQLite stores them. Either way the answer is not a 5xx and nothing half-written stays."""
    admin = make_user(sessions, Role.ADMIN)
    department = make_department(sessions)
    with live_server.client(admin.token) as client:
        response = client.post(
            f"/api/v1/admin/departments/{department}/aliases", json={"alias": alias}
        )
        assert response.status_code in (204, 422), response.text
        listed = client.get("/api/v1/admin/departments").json()
    aliases = next(d["aliases"] for d in listed if d["code"] == department)
    assert aliases == ([alias] if response.status_code == 204 else [])


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "chunked"])
def test_an_oversized_purchase_order_csv_is_413_before_the_rest_is_read(
    live_server: LiveServer, sessions: sessionmaker[Session], declared: bool
) -> None:
    """The page reads at most 20 MiB of a register; so does the API, declared or chunked.

    The body never ends: a server that read on would never answer, and the socket's timeout
    would fail the test.
    """
    admin = make_user(sessions, Role.ADMIN)
    rows = b"PO-1,DEPT\n" * (MAX_CSV_BYTES // 10 + 1)  # one row past the cap
    framing = f"Content-Length: {10 * MAX_CSV_BYTES}" if declared else "Transfer-Encoding: chunked"
    head = (
        f"POST /api/v1/admin/purchase-orders HTTP/1.1\r\nHost: juryo\r\n"
        f"Authorization: Bearer {admin.token}\r\nContent-Type: text/csv\r\n{framing}\r\n\r\n"
    ).encode()
    body = rows[: 1024 * 1024] if declared else b"%x\r\n%s\r\n" % (len(rows), rows)
    host, port = live_server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head)
        try:
            sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered and closed without reading the rest: what we want
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
