"""The webhook channel: a signed POST to a URL juryo may call. It blocks (sockets), so the
worker calls it in a thread of its own; e-mail is ``service.notifications.mail``."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

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
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return UrlProblem("notify.url.form")
    if private_allowed:
        return None
    if parts.scheme != "https":
        return UrlProblem("notify.url.https")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError:
        return UrlProblem("notify.url.unresolved", parts.hostname)
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return UrlProblem("notify.url.private", parts.hostname, str(address))
    return None


def post_webhook(
    settings: Settings, *, url: str, secret: str, body: bytes, key: str, private_allowed: bool
) -> str:
    """POST one signed body; a 2xx answer is delivered, anything else is tried again."""
    problem = url_problem(url, private_allowed=private_allowed)
    if problem is not None:
        raise DeliveryFailed(f"webhook URL: {problem.english()}")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: signature(secret, body, int(utcnow().timestamp())),
        "Idempotency-Key": key,
        "User-Agent": "juryo-webhooks",
    }
    try:
        with httpx.Client(
            timeout=settings.notification_timeout_seconds, follow_redirects=False
        ) as client:
            answer = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"webhook: {exc!r}") from None
    if not answer.is_success:
        raise DeliveryFailed(f"webhook answered {answer.status_code}")
    return f"webhook answered {answer.status_code}"
