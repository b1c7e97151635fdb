"""The malware scan every original passes before intake acknowledges it.

Two kinds of scanner, as a city runs them:

- ``JURYO_SCAN_COMMAND``: a program reading the file on stdin that answers by its exit code,
  as ``clamdscan --fdpass --no-summary -`` does: 0 clean, 1 infected, anything else failed.
- ``JURYO_SCAN_ICAP_URL``: an ICAP service (RFC 3507), the protocol of mail and web gateways.
  The file goes as the body of an encapsulated HTTP response (RESPMOD, RFC 3507 §4.9) with
  ``Allow: 204``: ``204 No Content`` means unchanged, so clean; ``200`` means the service
  replaced the content (its block page), so infected, named by ``X-Infection-Found`` /
  ``X-Virus-ID`` when the service says; anything else failed.

A scanner that fails or times out raises ``ScannerFailed`` (503 with Retry-After: nothing is
acknowledged) unless ``JURYO_SCAN_FAIL_OPEN`` lets the original in as ``unscanned``. With no
scanner configured every original is ``unscanned``, and ``/readyz`` and the admin pages say so.
Callers run ``scan`` in a worker thread (intake's), never on the event loop.
"""

from __future__ import annotations

import enum
import shlex
import socket
import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit

from service.errors import ServiceUnavailable
from service.settings import Settings

DETAIL_LENGTH = 500
ICAP_MAX_ANSWER = 64 * 1024


class ScanResult(enum.StrEnum):
    """What is recorded on the original."""

    CLEAN = "clean"
    INFECTED = "infected"
    UNSCANNED = "unscanned"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The scan's result and the scanner's own words (a signature name, a failure)."""

    result: ScanResult
    detail: str | None = None


class ScannerFailed(ServiceUnavailable):
    """The scanner could not say; nothing is acknowledged (fail closed)."""

    error = "scanner_unavailable"
    retry_after_seconds = 60


def mode(settings: Settings) -> str:
    """Which scanner runs: ``command``, ``icap`` or ``off`` (for /readyz and the admin page)."""
    if settings.scan_command:
        return "command"
    if settings.scan_icap_url:
        return "icap"
    return "off"


def scan(settings: Settings, data: bytes) -> Verdict:
    """Scan one original with the configured scanner; fail closed unless told otherwise."""
    try:
        if settings.scan_command:
            return _by_command(settings.scan_command, data, settings.scan_timeout_seconds)
        if settings.scan_icap_url:
            return _by_icap(settings.scan_icap_url, data, settings.scan_timeout_seconds)
    except ScannerFailed as exc:
        if settings.scan_fail_open:
            return Verdict(ScanResult.UNSCANNED, f"scanner failed, let through: {exc.detail}")
        raise
    return Verdict(ScanResult.UNSCANNED, "no scanner configured")


def _clip(text: str) -> str:
    return " ".join(text.split())[:DETAIL_LENGTH]


def _by_command(command: str, data: bytes, timeout: float) -> Verdict:
    try:
        done = subprocess.run(  # the administrator's own command, no shell
            shlex.split(command), input=data, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise ScannerFailed(f"the malware scanner did not answer within {timeout:g} s") from None
    except OSError as exc:
        raise ScannerFailed(f"the malware scanner could not be started: {exc}") from None
    said = _clip(done.stdout.decode("utf-8", "replace") or done.stderr.decode("utf-8", "replace"))
    if done.returncode == 0:
        return Verdict(ScanResult.CLEAN, said or None)
    if done.returncode == 1:
        return Verdict(ScanResult.INFECTED, said or "infected")
    raise ScannerFailed(f"the malware scanner failed (exit {done.returncode}): {said}")


def icap_request(url: str, data: bytes) -> bytes:
    """A RESPMOD request carrying ``data`` as an HTTP response body, chunked (RFC 3507 §4.5)."""
    parts = urlsplit(url)
    http_headers = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/octet-stream\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    ).encode()
    icap_headers = (
        f"RESPMOD {url} ICAP/1.0\r\n"
        f"Host: {parts.netloc}\r\n"
        "Allow: 204\r\n"
        f"Encapsulated: res-hdr=0, res-body={len(http_headers)}\r\n\r\n"
    ).encode()
    body = (f"{len(data):x}\r\n".encode() + data + b"\r\n") if data else b""
    return icap_headers + http_headers + body + b"0\r\n\r\n"


def _read_answer(sock: socket.socket) -> bytes:
    """The ICAP status line and headers (the block page after them is not needed)."""
    answer = b""
    while b"\r\n\r\n" not in answer and len(answer) < ICAP_MAX_ANSWER:
        chunk = sock.recv(8192)
        if not chunk:
            break
        answer += chunk
    return answer


def _by_icap(url: str, data: bytes, timeout: float) -> Verdict:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 1344), timeout) as sock:
            sock.sendall(icap_request(url, data))
            answer = _read_answer(sock)
    except OSError as exc:
        raise ScannerFailed(f"the ICAP service did not answer: {exc}") from None
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    status_line, *header_lines = head.split("\r\n")
    fields = status_line.split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("ICAP/"):
        raise ScannerFailed(f"the ICAP service answered {_clip(status_line)!r}")
    if fields[1] == "204":
        return Verdict(ScanResult.CLEAN)
    if fields[1] == "200":
        headers = dict(line.split(":", 1) for line in header_lines if ":" in line)
        found = {k.strip().lower(): v.strip() for k, v in headers.items()}
        named = found.get("x-infection-found") or found.get("x-virus-id")
        return Verdict(ScanResult.INFECTED, _clip(named or "blocked by the ICAP service"))
    raise ScannerFailed(f"the ICAP service answered {_clip(status_line)!r}")
