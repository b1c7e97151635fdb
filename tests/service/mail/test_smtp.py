"""Invoices by e-mail over the real SMTP protocol: ``smtplib`` against the running listener."""

from __future__ import annotations

import base64
import smtplib
import time
import uuid
from email.header import Header
from email.utils import make_msgid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import FindingRecord, InvoiceRecord, InvoiceStatus, Mail, MailStatus
from tests.documents import jp_invoice, plain_pdf
from tests.service.mail.conftest import (
    CITY,
    MAX_BYTES,
    Listener,
    Sender,
    message,
    stored_mail,
    wire,
)
from tests.support import registration_number


def _invoice_count(sessions: sessionmaker[Session], supplier_number: str) -> int:
    with sessions() as session:
        return session.execute(
            select(func.count(InvoiceRecord.id)).where(
                InvoiceRecord.seller_registration_number == supplier_number
            )
        ).scalar_one()


def test_a_known_sender_s_xml_and_pdf_each_become_an_invoice_and_the_rest_is_refused(
    listener: Listener, sender: Sender, sessions: sessionmaker[Session]
) -> None:
    mail = message(sender.address, body="11月分の請求書を送付します。")
    mail.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="請求書.xml",
    )
    mail.add_attachment(
        plain_pdf(registration_number=sender.registration_number),
        maintype="application",
        subtype="pdf",
        filename="invoice.pdf",
    )
    mail.add_attachment(
        b"MZ\x90\x00" + bytes(64), maintype="application", subtype="octet-stream", filename="a.exe"
    )
    mail.add_attachment(
        b"PK\x03\x04" + bytes(64), maintype="application", subtype="zip", filename="請求書.zip"
    )

    answer = listener.send(mail, sender.address)

    [row] = stored_mail(sessions, mail["Message-ID"])
    assert answer.startswith(f"2.0.0 Received (mail {row.id}: accepted)")
    assert row.status is MailStatus.ACCEPTED
    assert row.body is not None
    assert "11月分の請求書" in row.body
    outcomes = [(a.filename, a.refusal, a.invoice is not None) for a in row.attachments]
    assert outcomes == [
        ("請求書.xml", None, True),
        ("invoice.pdf", None, True),
        ("a.exe", "mail.part.executable", False),
        ("請求書.zip", "mail.part.archive", False),
    ]
    xml_invoice = row.attachments[0].invoice
    assert xml_invoice is not None
    assert xml_invoice.status is InvoiceStatus.PENDING
    assert xml_invoice.filename == "請求書.xml"
    # the raw message is kept as an original beside the invoices made from it
    assert row.original is not None
    assert row.original.media_type == "message/rfc822"
    assert listener.runtime.store.get(row.original.object_key) == wire(mail)
    assert row.receipt_ja is not None
    assert row.receipt_en is not None
    assert f"請求書 {xml_invoice.id} として受け付けました" in row.receipt_ja
    assert "a.exe: not accepted (Executable files are not accepted.)" in row.receipt_en
    assert "ZIP" in row.receipt_ja


def test_the_seller_must_be_the_supplier_that_sent_the_mail(
    listener: Listener, sender: Sender, sessions: sessionmaker[Session]
) -> None:
    someone_else = registration_number()
    mail = message(sender.address)
    mail.add_attachment(
        jp_invoice(seller=someone_else), maintype="application", subtype="xml", filename="x.xml"
    )

    listener.send(mail, sender.address)

    [row] = stored_mail(sessions, mail["Message-ID"])
    invoice = row.attachments[0].invoice
    assert invoice is not None
    assert invoice.status is InvoiceStatus.INVALID
    with sessions() as session:
        rules = session.execute(
            select(FindingRecord.rule_id).where(FindingRecord.invoice_id == invoice.id)
        ).scalars()
        assert "JURYO-INTAKE-SELLER" in list(rules)
    assert row.receipt_en is not None
    assert f"x.xml: received as invoice {invoice.id} (status: Invalid (not accepted))." in (
        row.receipt_en
    )


def test_the_same_mail_twice_is_received_once(
    listener: Listener, sender: Sender, sessions: sessionmaker[Session]
) -> None:
    mail = message(sender.address)
    mail.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="a.xml",
    )

    first = listener.send(mail, sender.address)
    again = listener.send(mail, sender.address)
    # the gateway re-sending it with a trace header more: another mail, the same invoice
    relayed = b"Received: from relay.city.example.jp\r\n" + wire(mail)
    listener.send(relayed, sender.address)

    assert first == again
    rows = stored_mail(sessions, mail["Message-ID"])
    assert len(rows) == 2
    assert rows[0].attachments[0].invoice_id == rows[1].attachments[0].invoice_id
    assert _invoice_count(sessions, sender.registration_number) == 1


def test_mail_from_an_unknown_address_is_held_and_makes_no_invoice(
    listener: Listener, sessions: sessionmaker[Session]
) -> None:
    seller = registration_number()
    mail = message(f"stranger-{uuid.uuid4().hex[:6]}@example.com")
    mail.add_attachment(
        jp_invoice(seller=seller), maintype="application", subtype="xml", filename="a.xml"
    )

    answer = listener.send(mail)

    [row] = stored_mail(sessions, mail["Message-ID"])
    assert "quarantined" in answer
    assert row.status is MailStatus.QUARANTINED
    assert row.supplier_id is None
    assert [a.invoice_id for a in row.attachments] == [None]
    assert _invoice_count(sessions, seller) == 0
    assert row.receipt_en is not None
    assert "not registered" in row.receipt_en


def _raw(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode("ascii") + b"\r\n" + body


def test_japanese_mail_as_mail_programs_write_it(
    listener: Listener, sender: Sender, sessions: sessionmaker[Session]
) -> None:
    """ISO-2022-JP subject and body, a Shift_JIS (Windows-31J) forwarded part with ① in it,
    an RFC 2231 file name in ISO-2022-JP and an RFC 2047 one in Shift_JIS, inside a forwarded
    message/rfc822."""
    message_id = make_msgid(domain="supplier.example.jp")
    invoice = jp_invoice(seller=sender.registration_number)
    pdf = plain_pdf(registration_number=sender.registration_number, number="B-7")
    # ① is not in ISO-2022-JP proper: Microsoft's mailers write it as NEC row 13 (CP50220)
    jis = "請求書の送付".encode("iso2022_jp")
    cp50220 = jis[:-3] + b"\x2d\x21" + jis[-3:]
    jis_subject = "=?ISO-2022-JP?B?" + base64.b64encode(cp50220).decode() + "?="
    jis_body = "請求書を送付いたします。".encode("iso2022_jp")
    sjis_body = "①月分の請求書です。".encode("cp932")
    rfc2231 = "".join(f"%{b:02X}" for b in "請求書.xml".encode("iso2022_jp"))
    rfc2047 = "=?shift_jis?B?" + base64.b64encode("御請求書①.pdf".encode("cp932")).decode() + "?="
    forwarded = _raw(
        f"""From: {Header("田中", "iso-2022-jp").encode()} <{sender.address}>
Subject: {Header("請求書", "iso-2022-jp").encode()}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"
""",
        b"--inner\r\nContent-Type: text/plain; charset=Windows-31J\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + sjis_body + b"\r\n"
        b"--inner\r\nContent-Type: application/xml\r\n"
        b"Content-Disposition: attachment; filename*=ISO-2022-JP''" + rfc2231.encode() + b"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(invoice).replace(b"\n", b"\r\n")
        + b"--inner\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="' + rfc2047.encode() + b'"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(pdf).replace(b"\n", b"\r\n")
        + b"--inner--\r\n",
    )
    raw = _raw(
        f"""From: {Header("経理", "iso-2022-jp").encode()} <{sender.address}>
To: {CITY}
Subject: {jis_subject}
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"
""",
        b"--outer\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n"
        b"Content-Transfer-Encoding: 7bit\r\n\r\n" + jis_body + b"\r\n"
        b"--outer\r\nContent-Type: message/rfc822\r\n\r\n" + forwarded + b"\r\n--outer--\r\n",
    )

    listener.send(raw, sender.address)

    [row] = stored_mail(sessions, message_id)
    assert row.subject == "請求書の送付①"
    assert row.body == "請求書を送付いたします。\n\n①月分の請求書です。"
    assert [(a.filename, a.invoice is not None) for a in row.attachments] == [
        ("請求書.xml", True),
        ("御請求書①.pdf", True),
    ]
    assert row.status is MailStatus.ACCEPTED


def _wide_bomb(sender: str, parts: int) -> bytes:
    pieces = [f"--B\r\nContent-Type: text/plain\r\n\r\n{i}\r\n" for i in range(parts)]
    head = f"From: {sender}\nMessage-ID: {make_msgid()}\nMIME-Version: 1.0\n"
    head += 'Content-Type: multipart/mixed; boundary="B"\n'
    return _raw(head, ("".join(pieces) + "--B--\r\n").encode())


def _headers(sender: str) -> bytes:
    return f"From: {sender}\r\nMessage-ID: {make_msgid()}\r\nMIME-Version: 1.0\r\n".encode()


def _deep_bomb(sender: str, depth: int) -> bytes:
    """Multiparts nested ``depth`` deep, each the only part of the one around it."""
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth)
    )
    closing = "".join(f"\r\n--b{i}--" for i in reversed(range(depth)))
    text = "Content-Type: text/plain\r\n\r\nhi"
    return _headers(sender) + (opening + text + closing + "\r\n").encode()


def _forward_bomb(sender: str, depth: int) -> bytes:
    """A message forwarded as message/rfc822 ``depth`` times over."""
    inner = b"Content-Type: text/plain\r\n\r\nhi\r\n"
    for _ in range(depth):
        inner = b"From: a@example.jp\r\nContent-Type: message/rfc822\r\n\r\n" + inner
    return _headers(sender) + b"Content-Type: message/rfc822\r\n\r\n" + inner


@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param(lambda s: _wide_bomb(s, 20_000), id="20000-parts"),
        pytest.param(lambda s: _deep_bomb(s, 5_000), id="5000-deep-multipart"),
        pytest.param(lambda s: _forward_bomb(s, 5_000), id="5000-deep-forwards"),
        pytest.param(lambda s: _deep_bomb(s, 20), id="20-deep-multipart"),
        pytest.param(lambda s: _forward_bomb(s, 12), id="12-deep-forwards"),
    ],
)
def test_a_mime_bomb_is_refused_quickly_and_recorded_and_the_next_mail_is_received(
    listener: Listener, sender: Sender, sessions: sessionmaker[Session], bomb: object
) -> None:
    assert callable(bomb)
    raw: bytes = bomb(sender.address)
    assert len(raw) < MAX_BYTES
    message_id = raw.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0].decode()

    started = time.monotonic()
    answer = listener.send(raw, sender.address)
    elapsed = time.monotonic() - started

    assert "refused" in answer
    assert elapsed < 5, elapsed
    [row] = stored_mail(sessions, message_id)
    assert row.status is MailStatus.REFUSED
    assert row.refusal == "mail.refused.bomb"
    assert row.original is not None  # kept, for whoever investigates
    assert row.receipt_ja is not None
    assert "入れ子" in row.receipt_ja
    follow_up = message(sender.address)
    follow_up.add_attachment(
        jp_invoice(seller=sender.registration_number),
        maintype="application",
        subtype="xml",
        filename="a.xml",
    )
    assert "accepted" in listener.send(follow_up, sender.address)


def test_an_oversize_mail_is_refused_at_data_and_recorded(
    listener: Listener, sender: Sender, sessions: sessionmaker[Session]
) -> None:
    mail = message(sender.address)
    mail.add_attachment(
        b"%PDF-1.4\n" + b"0" * MAX_BYTES, maintype="application", subtype="pdf", filename="big.pdf"
    )
    envelope = f"big-{uuid.uuid4().hex[:8]}@supplier.example.jp"

    with smtplib.SMTP("127.0.0.1", listener.port, timeout=60) as client:
        client.ehlo("gateway.city.example.jp")
        # announced: refused before a byte is sent
        code, _ = client.mail(envelope, [f"SIZE={len(wire(mail))}"])
        assert code == 552
        client.rset()
        # not announced: the bytes stream in, are discarded, and the refusal is recorded
        client.mail(envelope)
        client.rcpt(CITY)
        code, answer = client.data(wire(mail))
        assert code == 552, answer
        assert b"too big" in answer
        # the connection stays usable
        assert client.noop()[0] == 250

    with sessions() as session:
        refused = session.execute(select(Mail).where(Mail.envelope_from == envelope)).scalar_one()
    assert refused.status is MailStatus.REFUSED
    assert refused.refusal == "mail.refused.too_large"
    assert refused.receipt_ja is not None
    assert "大きすぎる" in refused.receipt_ja
