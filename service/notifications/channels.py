"""The webhook channel: a signed POST to a URL juryo may call. It blocks (sockets), so the
worker calls it in a thread of its own; e-mail is ``service.notifications.mail``."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit, urlunsplit

import httpx

from service.i18n import TEXTS
from service.settings import Settings
from storage.models import utcnow

SIGNATURE_HEADER = "Juryo-Signature"
"""``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>``: the Stripe pattern, so a
receiver checks both the body and its age (a replayed old body fails the age check)."""


class DeliveryFailed(Exception):
    """The recipient's side did not take the notification; the worker tries again later."""


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


@dataclass(frozen=True, slots=True)
class UrlProblem:
    """Why juryo will not call a URL: a catalogue key (``notify.url.*``) and its values."""

    key: str
    host: str = ""
    address: str = ""

    def english(self) -> str:
        """The problem as the delivery log records it."""
        return TEXTS[self.key][1].format(host=self.host, address=self.address)


def url_problem(url: str, *, private_allowed: bool) -> UrlProblem | None:
    """Why juryo will not call ``url``, or None. Without ``private_allowed`` it must be HTTPS
    to a public address, so a supplier's webhook cannot reach into the city's network."""
    if private_allowed:
        return None if _well_formed(urlsplit(url)) else UrlProblem("notify.url.form")
    found = vetted_address(url, private_allowed=False)
    return found if isinstance(found, UrlProblem) else None


def _well_formed(parts: SplitResult) -> bool:
    return parts.scheme in ("https", "http") and bool(parts.hostname)


def vetted_address(url: str, *, private_allowed: bool) -> str | UrlProblem:
    """The one address juryo connects to for ``url`` (its host name resolved once, here), or
    why it will not call it. Without ``private_allowed`` every address the name has must be
    public, so a supplier's webhook cannot reach into the city's network."""
    parts = urlsplit(url)
    if not _well_formed(parts):
        return UrlProblem("notify.url.form")
    host = parts.hostname or ""
    if not private_allowed and parts.scheme != "https":
        return UrlProblem("notify.url.https")
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    except (OSError, ValueError):
        return UrlProblem("notify.url.unresolved", host)
    for address in addresses:
        if not private_allowed and not address.is_global:
            return UrlProblem("notify.url.private", host, str(address))
    return str(addresses[0])


def pinned_request(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """``url`` with its host replaced by the vetted ``address``, the ``Host`` header and the
    TLS server name it had: the request reaches the address juryo checked even if the name
    resolves elsewhere by now (DNS rebinding), and TLS still verifies the certificate against
    the name."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    pinned = urlunsplit(parts._replace(netloc=netloc))
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    return pinned, {"Host": host_header}, {"sni_hostname": host}


def post_webhook(
    settings: Settings, *, url: str, secret: str, body: bytes, key: str, private_allowed: bool
) -> str:
    """POST one signed body to the address vetted just before; a 2xx answer is delivered,
    anything else is tried again."""
    address = vetted_address(url, private_allowed=private_allowed)
    if isinstance(address, UrlProblem):
        raise DeliveryFailed(f"webhook URL: {address.english()}")
    target, host, extensions = pinned_request(url, address)
    headers = {
        **host,
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: signature(secret, body, int(utcnow().timestamp())),
        "Idempotency-Key": key,
        "User-Agent": "juryo-webhooks",
    }
    try:
        with httpx.Client(
            timeout=settings.notification_timeout_seconds, follow_redirects=False
        ) as client:
            answer = client.post(target, content=body, headers=headers, extensions=extensions)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"webhook: {exc!r}") from None
    if not answer.is_success:
        raise DeliveryFailed(f"webhook answered {answer.status_code}")
    return f"webhook answered {answer.status_code}"
