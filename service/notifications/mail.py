"""The e-mail channel: a notice as plain text plus HTML, handed to the city's relay over SMTP
(plain, STARTTLS or implicit TLS). It blocks (sockets), so the worker calls it in a thread.

Japanese mail is often still read in ISO-2022-JP (JIS); ``JURYO_MAIL_CHARSET`` chooses it or
UTF-8. A notice ISO-2022-JP cannot hold (a name in an extended kanji such as 髙) goes in UTF-8
rather than garbled, and the delivery log says so.
"""

from __future__ import annotations

import html
import re
import smtplib
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid

from service.notifications.channels import DeliveryFailed
from service.notifications.messages import Message
from service.settings import Settings

LINK = re.compile(r"https?://[^\s<>\"]+")


def as_html(message: Message, language: str) -> str:
    """The body as a small HTML page: the same words, escaped, with its links clickable."""

    def paragraph(text: str) -> str:
        escaped = html.escape(text)
        linked = LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        return f"<p>{linked.replace(chr(10), '<br>')}</p>"

    paragraphs = "".join(paragraph(part) for part in message.body.strip().split("\n\n"))
    title = html.escape(message.subject)
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>{paragraphs}</body></html>"
    )


def _encodable(message: Message, charset: str) -> bool:
    try:
        (message.subject + message.body).encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def compose(
    settings: Settings, to: str, message: Message, language: str, key: str
) -> MIMEMultipart:
    """The e-mail: multipart/alternative, text then HTML, in the configured charset when it
    can hold the text, else UTF-8."""
    charset = settings.mail_charset
    if not _encodable(message, charset):
        charset = "utf-8"
    mail = MIMEMultipart("alternative")
    mail["From"] = settings.mail_from
    mail["To"] = to
    mail["Subject"] = Header(message.subject, charset, header_name="Subject").encode()
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    mail["X-Juryo-Notification"] = key
    mail.attach(MIMEText(message.body, "plain", charset))
    mail.attach(MIMEText(as_html(message, language), "html", charset))
    return mail


def _relay(settings: Settings) -> smtplib.SMTP:
    assert settings.smtp_host is not None
    timeout = settings.notification_timeout_seconds
    if settings.smtp_security == "tls":
        return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout)
    relay = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    if settings.smtp_security == "starttls":
        relay.starttls()
    return relay


def send(settings: Settings, to: str, message: Message, language: str, key: str) -> str:
    """Hand one e-mail to the relay; what became of it, for the delivery log."""
    if settings.smtp_host is None:
        raise DeliveryFailed("no mail relay is configured (JURYO_SMTP_HOST)")
    mail = compose(settings, to, message, language, key)
    try:
        with _relay(settings) as relay:
            if settings.smtp_username and settings.smtp_password:
                relay.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            refused = relay.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"mail relay: {exc}") from None
    if refused:
        raise DeliveryFailed(f"mail relay refused {sorted(refused)}")
    charset = mail.get_payload(0).get_content_charset()  # type: ignore[union-attr]
    return f"accepted by {settings.smtp_host}:{settings.smtp_port} ({charset})"
