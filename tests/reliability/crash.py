"""Crash consistency: uploaders keep sending while the server is SIGKILLed and restarted.

Afterwards every acknowledged upload must have its row and its original (same SHA-256), no
row may point to a missing object, orphans are for ``juryo reconcile``, and every upload that
got no answer is accepted exactly once when retried with its Idempotency-Key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.invoices.reconcile import reconcile
from storage.models import InvoiceRecord, Original, Supplier
from storage.objects import ObjectStore
from tests.documents import jp_invoice
from tests.reliability.server import ServerProcess


@dataclass
class CrashReport:
    """What happened and what was found."""

    sent: int = 0
    acknowledged: int = 0
    unanswered: int = 0
    kills: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    rows_without_object: int = 0
    retried_accepted: int = 0
    """Uploads that got no answer at first and were accepted when sent again."""
    duplicates: list[str] = field(default_factory=list)
    """Invoice numbers recorded more than once (must be none)."""
    restart_failures: list[str] = field(default_factory=list)
    never_accepted: dict[str, str] = field(default_factory=dict)
    """Uploads that were still refused after every retry, with the last answer."""
    orphans: int = 0
    orphans_removed: int = 0
    orphans_locked: int = 0

    def lines(self) -> list[str]:
        """A printable summary."""
        return [
            f"sent {self.sent}, acknowledged {self.acknowledged}, unanswered {self.unanswered}, "
            f"server kills {self.kills}",
            f"acknowledged and found (row + original, SHA-256 match): {self.found}; "
            f"missing: {len(self.missing)}; rows without object: {self.rows_without_object}",
            f"unanswered retried and accepted exactly once: {self.retried_accepted}; "
            f"duplicates: {len(self.duplicates)}; never accepted: {len(self.never_accepted)} "
            f"{sorted(set(self.never_accepted.values()))}",
            f"orphan objects: {self.orphans} (removed {self.orphans_removed}, "
            f"locked by retention {self.orphans_locked}); failed restarts: "
            f"{len(self.restart_failures)}",
        ]


@dataclass(frozen=True)
class Upload:
    """One distinct invoice and the key it is sent under."""

    number: str
    data: bytes


RETRIES = 100


def _send(client: httpx.Client, upload: Upload) -> httpx.Response | str:
    """The answer, or the name of the transport error when there was none."""
    try:
        return client.post(
            "/api/v1/invoices",
            content=upload.data,
            headers={"Content-Type": "application/xml", "Idempotency-Key": upload.number},
        )
    except httpx.HTTPError as exc:
        return type(exc).__name__


def run_campaign(
    server: ServerProcess,
    *,
    token: str,
    seller: str,
    uploaders: int,
    per_uploader: int,
    kills: int,
    sessions: sessionmaker[Session],
    store: ObjectStore,
    seed: int = 7,
) -> CrashReport:
    """Upload under fire, then check every promise.

    Each uploader sends at least ``per_uploader`` invoices and goes on until every kill has
    happened, so that a fast or a slow machine sees the same number of crashes.
    """
    report = CrashReport()
    rng = random.Random(seed)
    run = hashlib.sha256(f"{seed}{time.time()}".encode()).hexdigest()[:6]
    batches: list[list[Upload]] = [[] for _ in range(uploaders)]
    acknowledged: dict[str, tuple[int, str]] = {}
    unanswered: list[Upload] = []
    lock = threading.Lock()
    killing_over = threading.Event()

    def invoices(u: int) -> Iterator[Upload]:
        for i in range(per_uploader * 50):
            if i >= per_uploader and killing_over.is_set():
                return
            number = f"CR{run}-{u:02d}-{i:04d}"
            upload = Upload(number, jp_invoice(seller=seller, number=number))
            batches[u].append(upload)
            yield upload

    def uploader(u: int) -> None:
        """Like a supplier's software: retry what got no answer, with the same key."""
        with httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            for upload in invoices(u):
                with lock:
                    report.sent += 1
                answer = ""
                for attempt in range(RETRIES):
                    response = _send(client, upload)
                    if isinstance(response, str):
                        answer = response
                    else:
                        answer = f"{response.status_code} {response.text[:120]}"
                    if not isinstance(response, str) and response.status_code in (200, 201):
                        body = response.json()
                        with lock:
                            acknowledged[upload.number] = (body["id"], body["sha256"])
                            if attempt:
                                report.retried_accepted += 1
                        break
                    if attempt == 0:
                        with lock:
                            unanswered.append(upload)
                    time.sleep(0.2)
                else:
                    with lock:
                        report.never_accepted[upload.number] = answer

    def killer() -> None:
        for _ in range(kills):
            time.sleep(rng.uniform(0.3, 1.2))
            server.kill()
            report.kills += 1
            time.sleep(rng.uniform(0.0, 0.3))
            try:
                server.start()
            except RuntimeError as exc:  # a restart that fails must fail the run, loudly
                report.restart_failures.append(str(exc))
                server.start(timeout=60)
        killing_over.set()

    threads = [threading.Thread(target=uploader, args=(u,)) for u in range(uploaders)]
    chaos = threading.Thread(target=killer)
    chaos.start()
    for thread in threads:
        thread.start()
    chaos.join()
    for thread in threads:
        thread.join()
    # What got no answer while the server kept dying is sent again now that it stays up.
    uploads = {upload.number: upload for batch in batches for upload in batch}
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        for number in list(report.never_accepted):
            response = _send(client, uploads[number])
            if not isinstance(response, str) and response.status_code in (200, 201):
                body = response.json()
                acknowledged[number] = (body["id"], body["sha256"])
                report.retried_accepted += 1
                del report.never_accepted[number]
    report.acknowledged = len(acknowledged)
    report.unanswered = len(unanswered)

    _check(report, acknowledged, batches, seller, sessions, store)
    return report


def _check(
    report: CrashReport,
    acknowledged: dict[str, tuple[int, str]],
    batches: list[list[Upload]],
    seller: str,
    sessions: sessionmaker[Session],
    store: ObjectStore,
) -> None:
    with sessions() as session:
        for number, (invoice_id, sha256) in acknowledged.items():
            row = session.get(InvoiceRecord, invoice_id)
            original = session.get(Original, row.original_id) if row else None
            if row is None or original is None or original.sha256 != sha256:
                report.missing.append(number)
                continue
            try:
                stored = store.get(original.object_key)
            except Exception:
                report.missing.append(number)
                continue
            if hashlib.sha256(stored).hexdigest() == sha256:
                report.found += 1
            else:
                report.missing.append(number)
        numbers = [upload.number for batch in batches for upload in batch]
        rows = session.execute(
            select(InvoiceRecord.invoice_number, func.count())
            .join(Supplier, Supplier.id == InvoiceRecord.supplier_id)
            .where(
                Supplier.registration_number == seller, InvoiceRecord.invoice_number.in_(numbers)
            )
            .group_by(InvoiceRecord.invoice_number)
        ).all()
        counts: dict[str | None, int] = dict(rows)
        report.duplicates = [n for n in numbers if counts.get(n, 0) > 1]
        keys = session.execute(
            select(Original.object_key)
            .join(InvoiceRecord, InvoiceRecord.original_id == Original.id)
            .join(Supplier, Supplier.id == InvoiceRecord.supplier_id)
            .where(Supplier.registration_number == seller)
        ).scalars()
        report.rows_without_object = sum(not store.exists(key) for key in keys)
    swept = reconcile(sessions, store, grace=dt.timedelta(0), remove=True)
    report.orphans = len(swept.orphans)
    report.orphans_removed = len(swept.removed)
    report.orphans_locked = len(swept.locked)
