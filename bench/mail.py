"""E-mail intake: how long a MIME bomb takes to refuse, and mails per second over SMTP.

Bombs: ``service.mail.reading.read_mail`` on the test suite's bombs, with and without being
refused. Throughput: ``juryo mail serve``'s listener (in this process) on a fresh SQLite
database and file store, one gateway connection sending N mails in turn, each with one 6 KB
JP PINT invoice attached; a mail is counted when the listener has answered 250 (stored,
recorded, submitted, committed).

    .venv/bin/python bench/mail.py --mails 200
"""

from __future__ import annotations

import argparse
import shutil
import smtplib
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.mail.reading import read_mail  # noqa: E402
from service.mail.service import register_sender  # noqa: E402
from service.mail.smtp import running  # noqa: E402
from service.runtime import Runtime  # noqa: E402
from service.settings import Settings  # noqa: E402
from storage.db import transaction  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Role  # noqa: E402
from tests.documents import jp_invoice  # noqa: E402
from tests.s3server import free_port  # noqa: E402
from tests.service.mail.conftest import CITY, message, wire  # noqa: E402
from tests.service.mail.test_smtp import _deep_bomb, _forward_bomb, _wide_bomb  # noqa: E402
from tests.support import TEST_ACTOR, make_supplier, make_user  # noqa: E402

SENDER = "billing@supplier.example.jp"


def bombs() -> None:
    """Milliseconds to read (and refuse) each bomb."""
    for name, raw in (
        ("20,000 parts", _wide_bomb(SENDER, 20_000)),
        ("100,000 parts", _wide_bomb(SENDER, 100_000)),
        ("5,000-deep multipart", _deep_bomb(SENDER, 5_000)),
        ("5,000-deep forwards", _forward_bomb(SENDER, 5_000)),
    ):
        started = time.perf_counter()
        read = read_mail(raw, max_parts=100, max_depth=8)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"bomb {name:22s} {len(raw):>9,d} bytes  {read.refusal}  {elapsed:7.1f} ms")


def throughput(count: int) -> None:
    """Mails per second through the listener, one connection, one invoice per mail."""
    root = Path(tempfile.mkdtemp(prefix="juryo-mail-bench-"))
    url = f"sqlite:///{root}/juryo.db"
    upgrade(url)
    runtime = Runtime.from_settings(Settings(database_url=url, storage_url=f"file:{root}/objects"))
    number = make_supplier(runtime.sessions)
    make_user(runtime.sessions, Role.SUPPLIER, supplier=number)
    with transaction(runtime.sessions) as session:
        register_sender(session, actor=TEST_ACTOR, registration_number=number, address=SENDER)
    mails = []
    for _ in range(count):
        mail = message(SENDER)
        mail.add_attachment(jp_invoice(seller=number), "application", "xml", filename="a.xml")
        mails.append(wire(mail))
    port = free_port()
    try:
        with running(runtime, "127.0.0.1", port), smtplib.SMTP("127.0.0.1", port) as client:
            started = time.perf_counter()
            for raw in mails:
                client.sendmail(SENDER, [CITY], raw)
            elapsed = time.perf_counter() - started
    finally:
        runtime.close()
        shutil.rmtree(root, ignore_errors=True)
    print(
        f"smtp sqlite: {count} mails in {elapsed:.2f} s = {count / elapsed:.1f} mails/s "
        f"({elapsed / count * 1000:.1f} ms per mail)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mails", type=int, default=200)
    args = parser.parse_args()
    bombs()
    throughput(args.mails)


if __name__ == "__main__":
    main()
