"""Bodies of the web forms over a raw socket: the session is checked before the body is read,
and no more than the limit is ever read (anonymously, 3,000 MiB used to be read in full).

Each test sends only the start of a huge body and then waits for the answer: a server that
reads on would never answer, and the socket's timeout fails the test.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.deps import SESSION_COOKIE
from service.settings import Settings
from storage.models import Role
from tests.support import LiveServer, make_supplier, make_user, signed_in, start_live_server

UPLOAD_LIMIT = 100_000
FORM_LIMIT = 4_096
HUGE = 3_000 * 1024 * 1024
SENT = 1024 * 1024
"""What a test sends of a huge body before it waits for the answer."""
ANSWER_SECONDS = 10


@pytest.fixture(scope="module")
def small_server(settings: Settings) -> Iterator[LiveServer]:
    """The app with a 100 kB upload limit and a 4 kB form limit."""
    limits = {"max_upload_bytes": UPLOAD_LIMIT, "form_max_bytes": FORM_LIMIT}
    with start_live_server(settings.model_copy(update=limits)) as server:
        yield server


@pytest.fixture(scope="module")
def supplier_cookie(small_server: LiveServer, sessions: sessionmaker[Session]) -> str:
    """A signed-in supplier's session cookie."""
    account = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with signed_in(small_server, account.login, account.password) as client:
        return str(client.cookies[SESSION_COOKIE])


def _connect(server: LiveServer) -> socket.socket:
    host, port = server.base_url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=ANSWER_SECONDS)


def _head(path: str, *, length: int | None, cookie: str | None = None, html: bool = False) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: juryo",
        "Content-Type: multipart/form-data; boundary=xyz",
        f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked",
    ]
    if cookie:
        lines.append(f"Cookie: {SESSION_COOKIE}={cookie}")
    if html:
        lines.append("Accept: text/html")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _answer(sock: socket.socket) -> bytes:
    """The status line and headers, read before the body was finished."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def _send_then_answer(server: LiveServer, head: bytes, body: bytes) -> tuple[int, bytes]:
    """Send ``head`` and the start of a body that never ends; (status, answer head)."""
    with _connect(server) as sock:
        sock.sendall(head)
        try:
            sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed without reading the rest: what we want
        answer = _answer(sock)
    return int(answer.split(b" ", 2)[1]), answer


def _file_part(size: int) -> bytes:
    """The start of a well-formed multipart body: one file part of ``size`` bytes, unfinished."""
    return (
        b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.xml"\r\n'
        b"Content-Type: application/xml\r\n\r\n" + b"x" * size
    )


def _chunked(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


@pytest.mark.parametrize("path", ["/invoices/upload", "/invoices/1/correct", "/logout"])
def test_an_anonymous_huge_form_is_refused_before_its_body_is_read(
    small_server: LiveServer, path: str
) -> None:
    status, _ = _send_then_answer(small_server, _head(path, length=HUGE), _file_part(SENT))
    assert status == 401


def test_an_anonymous_browser_is_sent_to_sign_in_before_the_body_is_read(
    small_server: LiveServer,
) -> None:
    head = _head("/invoices/upload", length=HUGE, html=True)
    status, answer = _send_then_answer(small_server, head, _file_part(SENT))
    assert status == 303
    assert b"location: /login?next=" in answer.lower()


def test_an_anonymous_chunked_form_is_refused_before_its_body_is_read(
    small_server: LiveServer,
) -> None:
    head = _head("/invoices/upload", length=None)
    status, _ = _send_then_answer(small_server, head, _chunked(_file_part(SENT)))
    assert status == 401


def test_a_stale_session_cookie_is_no_session(small_server: LiveServer) -> None:
    head = _head("/invoices/upload", length=HUGE, cookie="not-a-session")
    status, _ = _send_then_answer(small_server, head, _file_part(SENT))
    assert status == 401


def test_a_declared_upload_over_the_limit_is_413_at_once(
    small_server: LiveServer, supplier_cookie: str
) -> None:
    head = _head("/invoices/upload", length=HUGE, cookie=supplier_cookie)
    status, answer = _send_then_answer(small_server, head, _file_part(SENT))
    assert status == 413
    assert b"connection: close" in answer.lower()


def test_a_browser_is_told_the_limit_in_its_language(
    small_server: LiveServer, supplier_cookie: str
) -> None:
    head = _head("/invoices/upload", length=HUGE, cookie=supplier_cookie, html=True)
    with _connect(small_server) as sock:
        sock.sendall(head)
        received = b""
        while b"</html>" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    assert received.startswith(b"HTTP/1.1 413")
    assert f"上限（{UPLOAD_LIMIT + 64 * 1024:,} バイト）".encode() in received


def test_a_chunked_upload_is_cut_off_at_the_limit(
    small_server: LiveServer, supplier_cookie: str
) -> None:
    head = _head("/invoices/upload", length=None, cookie=supplier_cookie)
    status, _ = _send_then_answer(small_server, head, _chunked(_file_part(UPLOAD_LIMIT + 70_000)))
    assert status == 413


@pytest.mark.parametrize("path", ["/login", "/signup"])
def test_the_anonymous_forms_take_only_the_small_limit(small_server: LiveServer, path: str) -> None:
    status, _ = _send_then_answer(small_server, _head(path, length=HUGE), _file_part(SENT))
    assert status == 413
    head = _head(path, length=None)
    status, _ = _send_then_answer(small_server, head, _chunked(_file_part(FORM_LIMIT + 1)))
    assert status == 413


def test_a_signed_in_form_without_files_takes_only_the_small_limit(
    small_server: LiveServer, supplier_cookie: str
) -> None:
    head = (
        f"POST /account/users HTTP/1.1\r\nHost: juryo\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {FORM_LIMIT + 1}\r\n"
        f"Cookie: {SESSION_COOKIE}={supplier_cookie}\r\n\r\n"
    ).encode()
    status, _ = _send_then_answer(small_server, head, b"x" * 100)
    assert status == 413


def test_an_upload_within_the_limit_still_works(
    small_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    account = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with signed_in(small_server, account.login, account.password) as client:
        page = client.get("/invoices/upload")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        files = [("files", ("a.xml", b"<not-an-invoice/>" * 10, "application/xml"))]
        response = client.post(
            "/invoices/upload", data={"csrf_token": token, "mode": "validate"}, files=files
        )
    assert response.status_code == 200, response.text
