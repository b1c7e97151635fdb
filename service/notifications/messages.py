"""What a notification says, in its recipient's language, from the ja/en catalogue.

Texts are rendered when sent, not when planned: the payload holds the facts, the catalogue the
words, so a corrected text reaches notices still waiting in the queue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from service.formatting import money
from service.i18n import translator


@dataclass(frozen=True, slots=True)
class Message:
    """An e-mail's subject and plain-text body."""

    subject: str
    body: str


def render(kind: str, payload: dict[str, Any], language: str, *, public_url: str) -> Message:
    """The e-mail for one notification; links point at ``public_url`` (the city's juryo)."""
    t = translator(language)
    base = public_url.rstrip("/")
    values = {key: "" if value is None else value for key, value in payload.items()}
    values["link"] = _link(kind, payload, public_url)
    if kind == "invoice.paid":
        values["lines"] = "\n".join(
            t("notify.paid.line").format(
                number=line.get("invoice_number") or "—",
                issue_date=line.get("issue_date") or "—",
                amount=money(line.get("amount")),
            )
            for line in payload.get("invoices", [])
        )
        values["total"] = money(payload.get("total"))
    if kind == "digest.daily":
        values["lines"] = "\n".join(
            t("notify.digest.line").format(
                label=t(item["label"]), count=item["count"], link=f"{base}{item['href']}"
            )
            for item in payload.get("items", [])
        )
    if kind == "mail.receipt":
        values["receipt"] = payload.get(f"receipt_{language}", "")
    if kind == "invoice.received":
        values["verdict"] = t(
            "notify.received.refused"
            if payload.get("status") == "invalid"
            else "notify.received.ok"
        )
    subject = t(f"notify.{kind}.subject").format_map(values)
    body = t(f"notify.{kind}.body").format_map(values)
    return Message(subject, f"{body}\n\n{t('notify.footer')}\n")


def _link(kind: str, payload: dict[str, Any], public_url: str) -> str:
    base = public_url.rstrip("/")
    if "invoice_id" in payload:
        return f"{base}/invoices/{payload['invoice_id']}"
    if kind == "delegation.started":
        return f"{base}/inbox"
    return f"{base}/"


def webhook_body(delivery_key: str, kind: str, created: str, payload: dict[str, Any]) -> bytes:
    """The JSON a webhook receives: the event's id (the idempotency key), type, time and data."""
    document = {"id": delivery_key, "type": kind, "created": created, "data": payload}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
