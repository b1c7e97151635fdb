"""The malware-scan gate, against real scanners: a scanner program written here (it detects
the EICAR test string, as clamdscan would with signatures, which Debian's clamav cannot have
offline) and a small ICAP server (RFC 3507) over TCP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import socketserver
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.db import transaction
from storage.models import Original, Role
from tests.documents import jp_invoice
from tests.support import LiveServer, make_supplier, make_user, start_live_server

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

SCANNER = """\
import sys, time
data = sys.stdin.buffer.read()
mode = sys.argv[1]
if mode == "broken":
    print("ERROR: Could not connect to clamd")
    sys.exit(2)
if mode == "slow":
    time.sleep(60)
if EICAR in data:
    print("stream: Eicar-Test-Signature FOUND")
    sys.exit(1)
print("stream: OK")
"""


@pytest.fixture(scope="module")
def scanner(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The command prefix of a scanner that answers like clamdscan: 0 clean, 1 found, 2 error."""
    script = tmp_path_factory.mktemp("scanner") / "scanner.py"
    script.write_text(f"EICAR = {EICAR!r}\n{SCANNER}", encoding="utf-8")
    return f"{sys.executable} {script}"


def infected_invoice(seller: str) -> bytes:
    """A well-formed invoice carrying the EICAR test string in a comment."""
    document = jp_invoice(seller=seller)
    head, rest = document.split(b"?>", 1)
    return head + b"?><!-- " + EICAR + b" -->" + rest


@dataclass(frozen=True)
class Parties:
    seller: str
    supplier_token: str
    admin_token: str


@pytest.fixture(scope="module")
def parties(sessions: sessionmaker[Session]) -> Parties:
    """A supplier and an administrator on the session database."""
    seller = make_supplier(sessions)
    return Parties(
        seller,
        make_user(sessions, Role.SUPPLIER, supplier=seller).token,
        make_user(sessions, Role.ADMIN).token,
    )


@contextmanager
def serving(settings: Settings, **scan: object) -> Iterator[LiveServer]:
    """The app with these scan settings, on the session database and store."""
    with start_live_server(settings.model_copy(update=scan)) as server:
        yield server


def _send(
    server: LiveServer, parties: Parties, document: bytes
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Upload as the supplier: (status, headers, JSON body)."""
    with server.client(parties.supplier_token) as client:
        answer = client.post(
            "/api/v1/invoices", content=document, headers={"Content-Type": "application/xml"}
        )
    return answer.status_code, dict(answer.headers), answer.json()


def _original(sessions: sessionmaker[Session], document: bytes) -> Original | None:
    digest = hashlib.sha256(document).hexdigest()
    with transaction(sessions) as session:
        found = session.scalars(select(Original).where(Original.sha256 == digest)).first()
        if found is not None:
            session.expunge(found)
        return found


def test_without_a_scanner_readyz_says_the_scan_is_off(live_server: LiveServer) -> None:
    with live_server.client() as client:
        assert client.get("/readyz").json()["malware_scan"] == "off"


def test_a_clean_original_is_acknowledged_and_recorded_clean(
    settings: Settings, sessions: sessionmaker[Session], parties: Parties, scanner: str
) -> None:
    document = jp_invoice(seller=parties.seller)
    with serving(settings, scan_command=f"{scanner} scan") as server:
        status, _, _ = _send(server, parties, document)
        with server.client() as client:
            assert client.get("/readyz").json()["malware_scan"] == "command"
    assert status == 201
    original = _original(sessions, document)
    assert original is not None
    assert original.scan_result == "clean"


def test_an_infected_original_is_refused_quarantined_and_served_only_to_admins(
    settings: Settings, sessions: sessionmaker[Session], parties: Parties, scanner: str
) -> None:
    document = infected_invoice(parties.seller)
    with serving(settings, scan_command=f"{scanner} scan") as server:
        status, _, body = _send(server, parties, document)
        assert status == 422
        assert body["status"] == "invalid"
        (finding,) = body["findings"]
        assert finding["rule_id"] == "JURYO-INTAKE-MALWARE"
        assert "Eicar-Test-Signature" in finding["message_en"]
        assert "隔離" in finding["message_ja"]
        path = f"/api/v1/invoices/{body['id']}/original"
        with server.client(parties.supplier_token) as supplier:
            refused = supplier.get(path)
        with server.client(parties.admin_token) as admin:
            served = admin.get(path)
    original = _original(sessions, document)
    assert original is not None
    assert original.scan_result == "infected"
    assert "Eicar-Test-Signature" in (original.scan_detail or "")
    assert refused.status_code == 403
    assert "quarantine" in refused.json()["detail"]
    assert served.status_code == 200
    assert served.content == document
    assert served.headers["content-type"] == "application/octet-stream"
    assert ".quarantined" in served.headers["content-disposition"]
    assert "malware found" in served.headers["x-juryo-warning"]


@pytest.mark.parametrize(
    ("mode", "extra"),
    [("broken", {}), ("slow", {"scan_timeout_seconds": 1.0})],
    ids=["scanner-error", "scanner-timeout"],
)
def test_a_failing_scanner_answers_503_and_acknowledges_nothing(
    settings: Settings,
    sessions: sessionmaker[Session],
    parties: Parties,
    scanner: str,
    mode: str,
    extra: dict[str, object],
) -> None:
    document = jp_invoice(seller=parties.seller)
    with serving(settings, scan_command=f"{scanner} {mode}", **extra) as server:
        status, headers, body = _send(server, parties, document)
    assert status == 503
    assert int(headers["retry-after"]) > 0
    assert body["error"] == "scanner_unavailable"
    assert _original(sessions, document) is None


def test_fail_open_lets_the_original_in_as_unscanned(
    settings: Settings, sessions: sessionmaker[Session], parties: Parties, scanner: str
) -> None:
    document = jp_invoice(seller=parties.seller)
    with serving(settings, scan_command=f"{scanner} broken", scan_fail_open=True) as server:
        status, _, _ = _send(server, parties, document)
    assert status == 201
    original = _original(sessions, document)
    assert original is not None
    assert original.scan_result == "unscanned"


# --- ICAP ---------------------------------------------------------------------------------------


@dataclass
class Icap:
    """A small ICAP server (RFC 3507): RESPMOD, chunked bodies, 204 clean / 200 infected."""

    url: str
    bodies: list[bytes] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    broken: bool = False


def _icap_handler(state: Icap) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            request_line = self.rfile.readline().decode("latin-1").strip()
            headers = {}
            for _ in range(100):
                line = self.rfile.readline().decode("latin-1").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            parts = dict(p.strip().split("=") for p in headers["encapsulated"].split(","))
            self.rfile.read(int(parts["res-body"]))  # the encapsulated HTTP headers
            body = b""
            for _ in range(1_000_000):
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
            state.methods.append(request_line.split(" ")[0])
            state.bodies.append(body)
            self.wfile.write(self._answer(body))

        def _answer(self, body: bytes) -> bytes:
            if state.broken:
                return b"ICAP/1.0 500 Server Error\r\nEncapsulated: null-body=0\r\n\r\n"
            if EICAR in body:
                return (
                    b'ICAP/1.0 200 OK\r\nISTag: "juryo-test"\r\n'
                    b"X-Infection-Found: Type=0; Resolution=2; Threat=Eicar-Test-Signature;\r\n"
                    b"Encapsulated: res-hdr=0, null-body=19\r\n\r\nHTTP/1.1 403 Blocked\r\n\r\n"
                )
            return (
                b'ICAP/1.0 204 No Content\r\nISTag: "juryo-test"\r\n'
                b"Encapsulated: null-body=0\r\n\r\n"
            )

    return Handler


@pytest.fixture
def icap() -> Iterator[Icap]:
    """The ICAP server on a free port of 127.0.0.1, in a thread."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), lambda *a: None)  # type: ignore[arg-type]
    state = Icap(f"icap://127.0.0.1:{server.server_address[1]}/avscan")
    server.RequestHandlerClass = _icap_handler(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_icap_clean_and_infected(
    settings: Settings, sessions: sessionmaker[Session], parties: Parties, icap: Icap
) -> None:
    clean = jp_invoice(seller=parties.seller)
    infected = infected_invoice(parties.seller)
    with serving(settings, scan_icap_url=icap.url) as server:
        clean_status, _, _ = _send(server, parties, clean)
        infected_status, _, body = _send(server, parties, infected)
    assert icap.methods == ["RESPMOD", "RESPMOD"]
    assert icap.bodies == [clean, infected]
    assert clean_status == 201
    assert infected_status == 422
    assert [f["rule_id"] for f in body["findings"]] == ["JURYO-INTAKE-MALWARE"]
    found = _original(sessions, infected)
    assert found is not None
    assert found.scan_result == "infected"
    assert "Threat=Eicar-Test-Signature" in (found.scan_detail or "")


def test_an_icap_error_or_no_icap_server_answers_503(
    settings: Settings, sessions: sessionmaker[Session], parties: Parties, icap: Icap
) -> None:
    icap.broken = True
    document = jp_invoice(seller=parties.seller)
    with serving(settings, scan_icap_url=icap.url) as server:
        broken, headers, _ = _send(server, parties, document)
    with serving(settings, scan_icap_url="icap://127.0.0.1:9/avscan") as server:
        unreachable, _, _ = _send(server, parties, document)
    assert (broken, unreachable) == (503, 503)
    assert "retry-after" in headers
    assert _original(sessions, document) is None
