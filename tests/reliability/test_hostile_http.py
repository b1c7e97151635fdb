"""Hostile HTTP around the document: content types, lying or missing lengths, slow senders."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import Role
from tests.reliability import hostile
from tests.support import LiveServer, make_supplier, make_user, start_live_server

LIMIT = 100_000


@pytest.fixture(scope="module")
def seller(sessions: sessionmaker[Session]) -> str:
    return make_supplier(sessions)


@pytest.fixture(scope="module")
def token(sessions: sessionmaker[Session], seller: str) -> str:
    return make_user(sessions, Role.SUPPLIER, supplier=seller).token


@pytest.fixture(scope="module")
def small_server(settings: Settings) -> Iterator[LiveServer]:
    """The app with a 100 KB upload limit."""
    with start_live_server(settings.model_copy(update={"max_upload_bytes": LIMIT})) as server:
        yield server


def _connect(server: LiveServer) -> socket.socket:
    host, port = server.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _head(token: str, path: str, extra: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: juryo\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/xml\r\n{extra}\r\n"
    ).encode()


def _status(sock: socket.socket) -> int:
    received = b""
    while b"\r\n" not in received:
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    return int(received.split(b" ", 2)[1])


@pytest.mark.parametrize("endpoint", ["/api/v1/validate", "/api/v1/invoices"])
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/json"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": "image/png"},
    ],
    ids=["missing", "text-plain", "json", "form", "png"],
)
def test_wrong_content_type_is_415(
    live_server: LiveServer, token: str, seller: str, endpoint: str, headers: dict[str, str]
) -> None:
    with live_server.client(token) as client:
        response = client.post(endpoint, content=hostile.valid_invoice(seller), headers=headers)
    assert response.status_code == 415, response.text
    assert "application/xml" in response.json()["detail"]


def test_multipart_file_neither_xml_nor_pdf_is_415(live_server: LiveServer, token: str) -> None:
    with live_server.client(token) as client:
        response = client.post("/api/v1/validate", files={"file": ("a.png", b"\x89PNG\r\n")})
    assert response.status_code == 415
    assert "neither XML nor PDF" in response.json()["detail"]


def test_empty_body_is_400(live_server: LiveServer, token: str) -> None:
    with live_server.client(token) as client:
        response = client.post(
            "/api/v1/validate", content=b"", headers={"Content-Type": "application/xml"}
        )
    assert response.status_code == 400
    assert "empty" in response.json()["detail"]


def test_declared_length_over_limit_is_413_before_the_body(
    small_server: LiveServer, token: str
) -> None:
    with _connect(small_server) as sock:
        started = time.perf_counter()
        sock.sendall(_head(token, "/api/v1/invoices", "Content-Length: 10000000000\r\n") + b"<In")
        status = _status(sock)
    assert status == 413
    assert time.perf_counter() - started < 5


def test_chunked_body_growing_past_limit_is_413(small_server: LiveServer, token: str) -> None:
    chunk = b"<a>" + b"x" * 16_000 + b"</a>"
    frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    sent = 0
    with _connect(small_server) as sock:
        sock.sendall(_head(token, "/api/v1/validate", "Transfer-Encoding: chunked\r\n"))
        try:
            while sent < 50 * LIMIT:  # never ends by itself: only the server's refusal stops it
                sock.sendall(frame)
                sent += len(chunk)
                sock.settimeout(0.001)
                try:
                    if sock.recv(1, socket.MSG_PEEK):
                        break
                except TimeoutError:
                    pass
                finally:
                    sock.settimeout(10)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status = _status(sock)
    assert status == 413
    assert sent < 10 * LIMIT
    with small_server.client() as client:
        assert client.get("/healthz").status_code == 200


def test_slow_upload_is_accepted_and_does_not_block_others(
    live_server: LiveServer, token: str, seller: str
) -> None:
    document = hostile.valid_invoice(seller)
    pieces = [document[i : i + 400] for i in range(0, len(document), 400)]
    pause = 2.0 / len(pieces)
    result: list[int] = []

    def slow_sender() -> None:
        with _connect(live_server) as sock:
            sock.sendall(_head(token, "/api/v1/validate", f"Content-Length: {len(document)}\r\n"))
            for piece in pieces:
                sock.sendall(piece)
                time.sleep(pause)
            result.append(_status(sock))

    sender = threading.Thread(target=slow_sender)
    started = time.perf_counter()
    sender.start()
    latencies = []
    with live_server.client(token) as client:
        while sender.is_alive():
            begin = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            fast = client.post(
                "/api/v1/validate", content=document, headers={"Content-Type": "application/xml"}
            )
            assert fast.status_code == 200
            latencies.append(time.perf_counter() - begin)
            time.sleep(0.1)
    sender.join()
    print(f"slow upload took {time.perf_counter() - started:.1f} s; {len(latencies)} others served")
    assert result == [200]
    assert time.perf_counter() - started >= 1.8
    assert len(latencies) >= 5
    assert max(latencies) < 1.0
