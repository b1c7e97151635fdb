"""Every hostile document, over real HTTP to both upload endpoints: a clean answer, never a 5xx.

The server runs in a thread of this process, so its memory is this process's memory: the last
test compares VmRSS with the figure taken before the first hostile document. A TCP listener on
127.0.0.1 is the target of every URL in the documents; it must never see a connection.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.reliability import hostile
from tests.support import LiveServer, make_supplier, make_user

ENDPOINTS = ("/api/v1/validate", "/api/v1/invoices")
SECRET = "JURYO-SECRET-9f2c1e"
ACCEPTED = frozenset({200, 201})
"""Harmless after all: the hostile part (a schema URL, a BOM, UTF-16) was ignored or honoured."""
SLOWEST_SECONDS = 15.0


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process (the live server's too) from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} in /proc/self/status")


@dataclass(frozen=True)
class Context:
    """What the documents may point at: our trap listener, a secret file, the supplier."""

    url: str
    secret: Path
    seller: str


@dataclass(frozen=True)
class Case:
    """One hostile document and the answer it must get."""

    make: Callable[[Context], bytes]
    content_type: str
    rule: str | None
    """The rule id of the finding that must name the problem; ``None``: no fatal finding."""
    statuses: frozenset[int] = frozenset({422})
    message: str = ""
    """A word the English message must contain, case-blind."""


XML, PDF = "application/xml", "application/pdf"
CASES: dict[str, Case] = {
    "xxe-file": Case(lambda c: hostile.xxe_file(str(c.secret)), XML, "JURYO-XML-ENTITY"),
    "xxe-url": Case(lambda c: hostile.xxe_url(c.url), XML, "JURYO-XML-ENTITY"),
    "xxe-parameter": Case(lambda c: hostile.xxe_parameter_entity(c.url), XML, "JURYO-XML-ENTITY"),
    "external-dtd": Case(lambda c: hostile.external_dtd(c.url), XML, "JURYO-XML-DTD"),
    "internal-dtd": Case(lambda c: hostile.internal_dtd(), "text/xml", "JURYO-XML-DTD"),
    "billion-laughs": Case(lambda c: hostile.billion_laughs(), XML, "JURYO-XML-ENTITY"),
    "quadratic-blowup": Case(lambda c: hostile.quadratic_blowup(), XML, "JURYO-XML-ENTITY"),
    "schema-location-url": Case(
        lambda c: hostile.schema_location(c.url + "/invoice.xsd").replace(
            hostile.SELLER.encode(), c.seller.encode()
        ),
        XML,
        None,
        ACCEPTED,
    ),
    "xinclude-file": Case(
        lambda c: hostile.xinclude(f"file://{c.secret}"), XML, "XSD", message="Note"
    ),
    "xinclude-url": Case(lambda c: hostile.xinclude(c.url), XML, "XSD", message="Note"),
    "deep-nesting-1e5": Case(
        lambda c: hostile.deep_nesting(), XML, "JURYO-XML-SYNTAX", message="depth"
    ),
    "huge-attribute-12MB": Case(
        lambda c: hostile.huge_attribute(), XML, "JURYO-XML-SYNTAX", message="limit"
    ),
    "utf16-with-bom": Case(
        lambda c: hostile.utf16_with_bom().replace(
            hostile.SELLER.encode("utf-16-le"), c.seller.encode("utf-16-le")
        ),
        XML,
        None,
        ACCEPTED,
    ),
    "utf8-with-bom": Case(
        lambda c: b"\xef\xbb\xbf" + hostile.valid_invoice(c.seller), XML, None, ACCEPTED
    ),
    "utf16-no-bom-declared-utf8": Case(
        lambda c: hostile.valid_invoice(c.seller).decode().encode("utf-16-le"), XML, None, ACCEPTED
    ),
    "shift-jis-declared-but-utf8": Case(
        lambda c: hostile.shift_jis_declared_utf8(), XML, "JURYO-XML-SYNTAX", message="Shift_JIS"
    ),
    "utf8-declared-but-shift-jis": Case(
        lambda c: hostile.utf8_declared_shift_jis(), XML, "JURYO-XML-SYNTAX", message="UTF-8"
    ),
    "unknown-encoding": Case(
        lambda c: hostile.unknown_encoding(), XML, "JURYO-XML-SYNTAX", message="X-JURYO-NOPE"
    ),
    "pdf-encrypted": Case(lambda c: hostile.encrypted_pdf(), PDF, "JURYO-PDF-ENCRYPTED"),
    "pdf-truncated": Case(lambda c: hostile.truncated_pdf(), PDF, "JURYO-PDF-CORRUPT"),
    "pdf-flate-bomb-attachment-50MB": Case(
        lambda c: hostile.flate_bomb_attachment(), PDF, "JURYO-PDF-ATTACHMENT-SIZE"
    ),
    "pdf-flate-bomb-lying-size": Case(
        lambda c: hostile.writer_flate_bomb(), PDF, "JURYO-PDF-ATTACHMENT-SIZE"
    ),
    "pdf-huge-embedded-file-11MB": Case(
        lambda c: hostile.huge_embedded_file(), PDF, "JURYO-PDF-ATTACHMENT-SIZE"
    ),
    "pdf-1000-attachments": Case(
        lambda c: hostile.many_attachments(), PDF, "JURYO-PDF-ATTACHMENT-COUNT"
    ),
    "pdf-javascript": Case(lambda c: hostile.javascript_pdf(), PDF, "JURYO-PDF-JAVASCRIPT"),
    "pdf-array-nested-1e4": Case(lambda c: hostile.deep_array_nesting(), PDF, "JURYO-PDF-CORRUPT"),
    "pdf-page-tree-1e4-deep": Case(
        lambda c: hostile.deep_object_chain(), PDF, "JURYO-PDF-CORRUPT", message="depth"
    ),
    "pdf-page-tree-loop": Case(lambda c: hostile.reference_loop(), PDF, "JURYO-PDF-CORRUPT"),
    # A plain PDF may be a picture of paper: accepted for data entry, its text read within budget.
    "pdf-content-flate-bomb-50MB": Case(
        lambda c: hostile.flate_bomb_content(), PDF, "JURYO-PDF-TEXT-LIMIT", ACCEPTED
    ),
    "pdf-text-operator-bomb": Case(
        lambda c: hostile.text_bomb(), PDF, "JURYO-PDF-TEXT-LIMIT", ACCEPTED
    ),
    "pdf-xobject-drawn-150000-times": Case(
        lambda c: hostile.xobject_amplification(), PDF, "JURYO-PDF-TEXT-LIMIT", ACCEPTED
    ),
}


@pytest.fixture(scope="module")
def trap() -> Iterator[socket.socket]:
    """A listener every URL in the documents points at; it must stay unvisited."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        yield listener


@pytest.fixture(scope="module")
def context(trap: socket.socket, tmp_path_factory: pytest.TempPathFactory) -> Context:
    secret = tmp_path_factory.mktemp("secret") / "secret.txt"
    secret.write_text(SECRET)
    return Context(f"http://127.0.0.1:{trap.getsockname()[1]}", secret, "")


@pytest.fixture(scope="module")
def seller(sessions: sessionmaker[Session]) -> str:
    return make_supplier(sessions)


@pytest.fixture(scope="module")
def client(
    live_server: LiveServer, sessions: sessionmaker[Session], seller: str
) -> Iterator[httpx.Client]:
    token = make_user(sessions, Role.SUPPLIER, supplier=seller).token
    with live_server.client(token) as client:
        yield client


@pytest.fixture(scope="module")
def baseline_mb(client: httpx.Client, seller: str) -> float:
    """VmRSS once the server has judged one good document (schemas compiled, caches warm)."""
    warm = client.post("/api/v1/validate", content=hostile.valid_invoice(seller), headers=_ct(XML))
    assert warm.status_code == 200, warm.text
    return rss_mb()


def _ct(content_type: str) -> dict[str, str]:
    return {"Content-Type": content_type}


def _connections(trap: socket.socket) -> int:
    count = 0
    while True:
        try:
            connection, _ = trap.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_document_gets_a_clean_answer(
    name: str,
    endpoint: str,
    client: httpx.Client,
    context: Context,
    seller: str,
    baseline_mb: float,
    trap: socket.socket,
) -> None:
    case = CASES[name]
    data = case.make(Context(context.url, context.secret, seller))
    started = time.perf_counter()
    response = client.post(endpoint, content=data, headers=_ct(case.content_type))
    elapsed = time.perf_counter() - started
    print(f"{name} {endpoint}: {len(data):,} B → {response.status_code} in {elapsed:.2f} s")

    assert response.status_code in case.statuses, response.text[:2000]
    assert elapsed < SLOWEST_SECONDS
    assert SECRET not in response.text
    findings = response.json()["findings"]
    fatal = [f for f in findings if f["severity"] == "fatal"]
    if case.rule is None:
        assert not fatal, fatal
    else:
        named = [f for f in findings if f["rule_id"] == case.rule]
        assert named, findings
        assert case.message.lower() in named[0]["message_en"].lower(), named[0]
        assert named[0]["message_ja"]
    assert _connections(trap) == 0, "the server reached out to a URL in the document"


def test_memory_bounded_and_server_alive(
    client: httpx.Client, baseline_mb: float, trap: socket.socket
) -> None:
    growth = rss_mb() - baseline_mb
    print(
        f"VmRSS growth over all hostile documents: {growth:.1f} MB; peak {rss_mb('VmHWM'):.0f} MB"
    )
    assert growth < 300
    assert client.get("/healthz").json() == {"status": "ok"}
    assert _connections(trap) == 0
