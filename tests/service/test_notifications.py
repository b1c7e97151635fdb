"""Notifications over real protocols: the app over HTTP makes the changes, a worker round plans
them from the audit log and sends them to a real SMTP server (aiosmtpd) and a real HTTP
webhook receiver, both on 127.0.0.1. Nothing outside the system is involved."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.auth.principal import Principal
from service.notifications import service as notifications
from service.notifications.worker import run_once
from service.runtime import Runtime
from service.settings import Settings
from storage import audit
from storage.models import (
    AuditEvent,
    Delivery,
    DeliveryStatus,
    NotificationCursor,
    Role,
    Supplier,
    User,
    Webhook,
)
from storage.repositories import notifications as repo
from tests.documents import jp_invoice
from tests.smtp_inbox import Inbox, text_of
from tests.support import (
    Account,
    LiveServer,
    make_department,
    make_supplier,
    make_user,
    registration_number,
    unique,
)

XML = {"Content-Type": "application/xml"}


@dataclass
class Receiver:
    """A webhook receiver: records each call; answers with the statuses queued, then 204.
    While ``hold`` is clear, the first call waits (a receiver slow to answer)."""

    calls: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    hold: threading.Event = field(default_factory=threading.Event)
    held: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 standing in for a supplier's software."""
    state = Receiver()
    state.hold.set()  # answer at once unless a test clears it

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with state.lock:
                state.calls.append((dict(self.headers), body))
                status = state.answers.pop(0) if state.answers else 204
                first = len(state.calls) == 1
            if first and not state.hold.is_set():
                state.held.set()
                state.hold.wait(timeout=60)
            with contextlib.suppress(OSError):  # the caller may be gone (killed)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def worker_settings(settings: Settings, smtp: tuple[Inbox, int]) -> Settings:
    """The test settings with the mail relay set, private webhooks allowed (the receiver is on
    127.0.0.1) and retries due at once, so each round tries again."""
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp[1],
            "mail_from": "juryo@city.example.jp",
            "public_url": "https://juryo.city.example.jp",
            "webhook_allow_private": True,
            "notification_retry_seconds": 0.001,
            "webhook_disable_after": 3,
            "notification_max_attempts": 4,
        }
    )


@pytest.fixture
def runtime(worker_settings: Settings) -> Iterator[Runtime]:
    """A worker's connections (what ``juryo worker`` builds)."""
    built = Runtime.from_settings(worker_settings)
    try:
        yield built
    finally:
        built.close()


@dataclass(frozen=True)
class Company:
    """A supplier with one user who reads e-mail, and a clerk of its department."""

    number: str
    user: Account
    clerk: Account
    supplier_id: int


@pytest.fixture
def company(sessions: sessionmaker[Session], live_server: LiveServer) -> Company:
    department = make_department(sessions)
    number = make_supplier(sessions, department=department)
    user = make_user(sessions, Role.SUPPLIER, supplier=number)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    with live_server.client(user.token) as client:
        answer = client.put(
            "/api/v1/me/notifications",
            json={"email": f"{user.login}@supplier.example.jp", "language": "en"},
        )
        assert answer.status_code == 200, answer.text
    with sessions() as session:
        supplier_id = session.scalars(
            select(Supplier.id).where(Supplier.registration_number == number)
        ).one()
    return Company(number, user, clerk, supplier_id)


def submit(live_server: LiveServer, company: Company) -> tuple[int, str]:
    """One valid invoice from the company; its id and number."""
    number = unique("N")
    with live_server.client(company.user.token) as client:
        answer = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=company.number, number=number),
            headers=XML,
        )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"], number


def return_it(live_server: LiveServer, company: Company, invoice_id: int, reason: str) -> None:
    with live_server.client(company.clerk.token) as client:
        version = client.get(f"/api/v1/invoices/{invoice_id}").json()["version"]
        answer = client.post(
            f"/api/v1/invoices/{invoice_id}/return", json={"version": version, "reason": reason}
        )
    assert answer.status_code == 200, answer.text


def address_of(company: Company) -> str:
    return f"{company.user.login}@supplier.example.jp"


def test_the_supplier_hears_of_receipt_and_return_in_its_language(
    live_server: LiveServer, company: Company, runtime: Runtime, smtp: tuple[Inbox, int]
) -> None:
    invoice_id, number = submit(live_server, company)
    return_it(live_server, company, invoice_id, "品番が発注と違います")
    run_once(runtime)
    mails = {m["Subject"]: m for m in smtp[0].to(address_of(company))}
    assert set(mails) == {f"Invoice {number} received", f"Invoice {number} was returned"}
    returned = text_of(mails[f"Invoice {number} was returned"])
    assert "品番が発注と違います" in returned
    assert f"https://juryo.city.example.jp/invoices/{invoice_id}" in returned
    assert mails[f"Invoice {number} received"]["Auto-Submitted"] == "auto-generated"
    assert "was accepted" in text_of(mails[f"Invoice {number} received"])


def test_a_second_round_sends_nothing_again(
    live_server: LiveServer, company: Company, runtime: Runtime, smtp: tuple[Inbox, int]
) -> None:
    submit(live_server, company)
    run_once(runtime)
    assert len(smtp[0].to(address_of(company))) == 1
    run_once(runtime)
    assert smtp[0].to(address_of(company)) == []


def test_a_change_that_rolled_back_tells_nobody(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    company: Company,
    runtime: Runtime,
    smtp: tuple[Inbox, int],
) -> None:
    invoice_id, _ = submit(live_server, company)
    run_once(runtime)
    smtp[0].to(address_of(company))  # the receipt
    with sessions() as session, session.begin():
        audit.record(
            session,
            actor=audit.SYSTEM,
            action="invoice.reject",
            entity_type="invoice",
            entity_id=invoice_id,
            reason="never committed",
        )
        session.rollback()
    run_once(runtime)
    assert smtp[0].to(address_of(company)) == []
    with sessions() as session:
        kinds = session.scalars(
            select(Delivery.kind).where(Delivery.payload["invoice_id"].as_integer() == invoice_id)
        ).all()
    assert kinds == ["invoice.received"]


def add_hook(
    sessions: sessionmaker[Session],
    company: Company,
    settings: Settings,
    url: str,
    events: list[str],
) -> Webhook:
    """The supplier registers a webhook (through the service: the live server's settings do
    not allow a receiver on 127.0.0.1, as a real deployment would not)."""
    with sessions() as session, session.begin():
        caller = _principal(session, company.user.login)
        hook = notifications.add_webhook(
            session, caller=caller, url=url, events=events, settings=settings
        )
        session.flush()
        session.expunge(hook)
    return hook


def _principal(session: Session, login: str) -> Principal:
    return Principal.of(session.scalars(select(User).where(User.login == login)).one())


def test_a_webhook_gets_signed_events_and_a_retry_repeats_the_key(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    company: Company,
    runtime: Runtime,
    worker_settings: Settings,
    receiver: Receiver,
) -> None:
    hook = add_hook(sessions, company, worker_settings, receiver.url, ["invoice.returned"])
    receiver.answers = [500]
    invoice_id, number = submit(live_server, company)
    return_it(live_server, company, invoice_id, "数量違い")
    run_once(runtime)  # fails with 500
    run_once(runtime)  # due again at once (retry after 1 ms): delivered
    assert len(receiver.calls) == 2
    (first_headers, first_body), (headers, body) = receiver.calls
    assert first_headers["Idempotency-Key"] == headers["Idempotency-Key"]
    assert first_body == body
    event = json.loads(body)
    assert event["type"] == "invoice.returned"
    assert event["data"]["invoice_number"] == number
    assert event["data"]["reason"] == "数量違い"
    assert event["id"] == headers["Idempotency-Key"]
    stamp, signature = (part.split("=", 1)[1] for part in headers["Juryo-Signature"].split(","))
    expected = hmac.new(hook.secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(signature, expected.hexdigest())
    with sessions() as session:
        delivery = session.scalars(select(Delivery).where(Delivery.webhook_id == hook.id)).one()
        log = repo.attempts_of(session, delivery.id)
    assert delivery.status is DeliveryStatus.SENT
    assert [a.ok for a in log] == [False, True]
    assert "500" in log[0].detail


def test_a_failing_webhook_is_disabled_and_its_owner_told(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    company: Company,
    runtime: Runtime,
    worker_settings: Settings,
    receiver: Receiver,
    smtp: tuple[Inbox, int],
) -> None:
    hook = add_hook(sessions, company, worker_settings, receiver.url, ["invoice.received"])
    receiver.answers = [503] * 10
    submit(live_server, company)
    for _ in range(4):
        run_once(runtime)
    assert len(receiver.calls) == 3  # disabled after the third failure in a row
    with sessions() as session:
        stored = session.get_one(Webhook, hook.id)
        assert not stored.active
        assert stored.disabled_at is not None
        disabled = session.scalars(
            select(func.count()).where(
                AuditEvent.action == "webhook.disable", AuditEvent.entity_id == str(hook.id)
            )
        ).one()
    assert disabled == 1
    subjects = [m["Subject"] for m in smtp[0].to(address_of(company))]
    assert "A webhook was disabled" in subjects


def test_two_workers_send_each_delivery_once(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    company: Company,
    worker_settings: Settings,
    receiver: Receiver,
) -> None:
    add_hook(sessions, company, worker_settings, receiver.url, ["invoice.received"])
    for _ in range(6):
        submit(live_server, company)
    workers = [Runtime.from_settings(worker_settings) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(runtime: Runtime) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(3):
                run_once(runtime)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for runtime in workers:
        runtime.close()
    assert errors == []
    keys = [headers["Idempotency-Key"] for headers, _ in receiver.calls]
    assert len(keys) == 6
    assert len(set(keys)) == 6


def test_a_supplier_may_not_register_a_webhook_into_the_city_network(
    live_server: LiveServer, company: Company
) -> None:
    with live_server.client(company.user.token) as client:
        answer = client.post(
            "/api/v1/webhooks",
            json={"url": "https://127.0.0.1/hook", "events": ["invoice.paid"]},
        )
        plain = client.post(
            "/api/v1/webhooks", json={"url": "http://example.com/", "events": ["invoice.paid"]}
        )
        unknown = client.post(
            "/api/v1/webhooks",
            json={"url": "https://127.0.0.1/hook", "events": ["user.password"]},
        )
    assert answer.status_code == 422
    assert "private address" in answer.json()["detail"]
    assert plain.status_code == 422
    assert "https" in plain.json()["detail"]
    assert unknown.status_code == 422


def test_who_may_see_webhooks_and_deliveries(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    company: Company,
    worker_settings: Settings,
    runtime: Runtime,
    receiver: Receiver,
) -> None:
    hook = add_hook(sessions, company, worker_settings, receiver.url, ["invoice.received"])
    submit(live_server, company)
    run_once(runtime)
    other_department = make_department(sessions)
    other = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    admin = make_user(sessions, Role.ADMIN)
    with live_server.client(company.user.token) as client:
        own = client.get("/api/v1/deliveries").json()
    assert [d["webhook_id"] for d in own] == [hook.id]
    delivery_id = own[0]["id"]
    with live_server.client(other.token) as client:
        assert client.get("/api/v1/deliveries").json() == []
        assert client.delete(f"/api/v1/webhooks/{hook.id}").status_code == 404
        assert client.post(f"/api/v1/deliveries/{delivery_id}/resend").status_code == 404
    for role in (Role.CLERK, Role.ACCOUNTING, Role.AUDITOR):
        departments = (other_department,) if role is Role.CLERK else ()
        stranger = make_user(sessions, role, departments=departments)
        with live_server.client(stranger.token) as client:
            assert client.get("/api/v1/deliveries").status_code == 403
            assert client.get("/api/v1/webhooks").status_code == 403
    with live_server.client(admin.token) as client:
        again = client.post(f"/api/v1/deliveries/{delivery_id}/resend")
        assert again.status_code == 200, again.text
        assert again.json()["status"] == "pending"
    run_once(runtime)
    assert len(receiver.calls) == 2


def set_address(live_server: LiveServer, account: Account, language: str = "ja") -> str:
    """The account's notification address, set by its owner through the API."""
    address = f"{account.login}@city.example.jp"
    with live_server.client(account.token) as client:
        answer = client.put(
            "/api/v1/me/notifications", json={"email": address, "language": language}
        )
    assert answer.status_code == 200, answer.text
    return address


@pytest.mark.clock
def test_a_paid_batch_sends_each_supplier_a_remittance_notice(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    company: Company,
    runtime: Runtime,
    smtp: tuple[Inbox, int],
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    accountant = make_user(sessions, Role.ACCOUNTING)
    with live_server.client(admin.token) as client:
        account = {
            "bank_code": "0005",
            "branch_code": "123",
            "account_type": "1",
            "account_number": "42",
            "account_holder": "カ）サンプル",
        }
        answer = client.put(f"/api/v1/creditors/{company.number}/bank-account", json=account)
        assert answer.status_code == 200, answer.text
    submitted = [submit(live_server, company) for _ in range(2)]
    with live_server.client(company.clerk.token) as client:
        for invoice_id, _ in submitted:
            version = client.get(f"/api/v1/invoices/{invoice_id}").json()["version"]
            answer = client.post(
                f"/api/v1/invoices/{invoice_id}/approve", json={"version": version}
            )
            assert answer.json()["status"] == "approved", answer.text
    today = clock.today()
    with live_server.client(accountant.token) as client:
        batch = client.post(
            "/api/v1/batches",
            json={
                "payment_date": (today + dt.timedelta(days=3)).isoformat(),
                "invoice_ids": [invoice_id for invoice_id, _ in submitted],
            },
        )
        assert batch.status_code == 201, batch.text
        paid = client.post(
            f"/api/v1/batches/{batch.json()['id']}/paid", json={"paid_on": today.isoformat()}
        )
        assert paid.status_code == 200, paid.text
    run_once(runtime)
    mails = {m["Subject"]: m for m in smtp[0].to(address_of(company))}
    notice = text_of(mails[f"Remittance notice ({today.isoformat()})"])
    for _, number in submitted:
        assert f"invoice {number} (issued 2026-11-26) ¥16,150" in notice
        assert f"Invoice {number} was approved" in mails
    assert "Total ¥32,300" in notice


def test_a_sign_up_hears_the_decision_in_the_language_it_used(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    runtime: Runtime,
    smtp: tuple[Inbox, int],
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    decided = []
    for language, decision in (("ja", "approve"), ("en", "reject")):
        login = unique("signup")
        address = f"{login}@applicant.example.jp"
        with live_server.client() as client:
            answer = client.post(
                "/api/v1/signup",
                json={
                    "registration_number": registration_number(),
                    "company_name": f"合同会社 {login}",
                    "contact_email": address,
                    "login": login,
                    "password": "correct horse battery",
                    "language": language,
                },
            )
        assert answer.status_code == 201, answer.text
        with sessions() as session:
            supplier_id = session.scalars(select(User.supplier_id).where(User.login == login)).one()
        with live_server.client(admin.token) as client:
            body = {"reason": "登記の確認が取れません"} if decision == "reject" else {}
            answer = client.post(f"/api/v1/admin/suppliers/{supplier_id}/{decision}", json=body)
            assert answer.status_code == 200, answer.text
        decided.append(address)
    run_once(runtime)
    (approved,) = smtp[0].to(decided[0])
    assert approved["Subject"] == "利用登録が承認されました"
    (rejected,) = smtp[0].to(decided[1])
    assert rejected["Subject"] == "Your sign-up was not approved"
    assert "登記の確認が取れません" in text_of(rejected)


@pytest.mark.clock
def test_a_substitute_is_told_on_the_morning_the_delegation_starts(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    runtime: Runtime,
    smtp: tuple[Inbox, int],
) -> None:
    department = make_department(sessions)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    substitute = make_user(sessions, Role.CLERK, departments=(department,))
    address = set_address(live_server, substitute, "en")
    today = clock.today()
    with live_server.client(clerk.token) as client:
        for starts in (today, today + dt.timedelta(days=2)):
            answer = client.post(
                "/api/v1/delegations",
                json={
                    "substitute": substitute.login,
                    "department": department,
                    "starts_on": starts.isoformat(),
                    "ends_on": (starts + dt.timedelta(days=1)).isoformat(),
                },
            )
            assert answer.status_code == 201, answer.text
    run_once(runtime)
    (told,) = smtp[0].to(address)  # today's; the other waits for its first morning
    assert f"From {today.isoformat()}" in text_of(told)
    assert clerk.login in text_of(told)
    with sessions() as session:
        waiting = session.scalars(
            select(Delivery.next_attempt_at).where(
                Delivery.address == address, Delivery.status == DeliveryStatus.PENDING
            )
        ).one()
    later = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(), clock.TOKYO)
    assert waiting == later


@pytest.mark.clock
def test_clerks_get_one_daily_digest_of_their_inbox(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    company: Company,
    elsewhere: str,
    worker_settings: Settings,
    smtp: tuple[Inbox, int],
) -> None:
    address = set_address(live_server, company.clerk)
    submit(live_server, company)
    with sessions() as session, session.begin():
        session.execute(update(NotificationCursor).values(digest_on=None))
    digesting = Runtime.from_settings(worker_settings.model_copy(update={"digest_hour": 0}))
    try:
        run_once(digesting)
        run_once(digesting)  # the day is taken: no second digest
    finally:
        digesting.close()
    (digest,) = smtp[0].to(address)
    assert digest["Subject"] == f"本日の受付状況（{clock.today().isoformat()}）"
    assert "・承認待ちの請求書: 1 件 https://juryo.city.example.jp/inbox" in text_of(digest)
    assert smtp[0].to(elsewhere) == []  # nothing waits in the other department's inbox


@pytest.fixture
def elsewhere(sessions: sessionmaker[Session], live_server: LiveServer) -> str:
    """A clerk of another department, with an address, whose inbox is empty."""
    other = make_user(sessions, Role.CLERK, departments=(make_department(sessions),))
    return set_address(live_server, other)


def test_a_worker_killed_mid_send_loses_nothing(
    sessions: sessionmaker[Session],
    live_server: LiveServer,
    company: Company,
    settings: Settings,
    worker_settings: Settings,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    """kill -9 of a real ``juryo worker`` while a webhook call is in flight: after a restart,
    every delivery arrives, the interrupted one again under the same key (at least once)."""
    hook = add_hook(sessions, company, worker_settings, receiver.url, ["invoice.received"])
    for _ in range(3):
        submit(live_server, company)
    receiver.hold.clear()
    env = {
        **os.environ,
        "JURYO_DATABASE_URL": settings.database_url,
        "JURYO_STORAGE_URL": f"file:{tmp_path}",
        "JURYO_WEBHOOK_ALLOW_PRIVATE": "true",
        "JURYO_NOTIFICATION_INTERVAL_SECONDS": "0.1",
        "JURYO_NOTIFICATION_LEASE_SECONDS": "2",
        "JURYO_LOG_LEVEL": "WARNING",
    }
    juryo = str(Path(sys.executable).parent / "juryo")
    first = subprocess.Popen([juryo, "worker"], env=env)
    try:
        assert receiver.held.wait(timeout=60), "the worker never called the webhook"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        first.kill()
    receiver.hold.set()
    second = subprocess.Popen([juryo, "worker"], env=env)
    try:
        for _ in range(600):  # bounded: 60 s
            with sessions() as session:
                statuses = session.scalars(
                    select(Delivery.status).where(Delivery.webhook_id == hook.id)
                ).all()
            if len(statuses) == 3 and set(statuses) == {DeliveryStatus.SENT}:
                break
            time.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert sorted(statuses) == [DeliveryStatus.SENT] * 3
    keys = [headers["Idempotency-Key"] for headers, _ in receiver.calls]
    assert len(set(keys)) == 3
    assert keys.count(keys[0]) == 2  # the call cut short was made again, with its key


def test_muted_notices_stay_unsent_but_statutory_ones_cannot_be_muted(
    live_server: LiveServer, company: Company, runtime: Runtime, smtp: tuple[Inbox, int]
) -> None:
    address = address_of(company)
    with live_server.client(company.user.token) as client:
        refused = client.put(
            "/api/v1/me/notifications",
            json={"email": address, "language": "en", "muted": ["invoice.returned"]},
        )
        muted = client.put(
            "/api/v1/me/notifications",
            json={"email": address, "language": "en", "muted": ["invoice.received"]},
        )
    assert refused.status_code == 422
    assert "invoice.returned" in refused.json()["detail"]
    assert muted.json()["muted"] == ["invoice.received"]
    invoice_id, number = submit(live_server, company)
    return_it(live_server, company, invoice_id, "再提出してください")
    run_once(runtime)
    assert [m["Subject"] for m in smtp[0].to(address)] == [f"Invoice {number} was returned"]


def test_an_iso_2022_jp_notice_has_text_and_html_and_falls_back_to_utf_8(
    live_server: LiveServer,
    company: Company,
    worker_settings: Settings,
    smtp: tuple[Inbox, int],
) -> None:
    with live_server.client(company.user.token) as client:
        client.put(
            "/api/v1/me/notifications", json={"email": address_of(company), "language": "ja"}
        )
    invoice_id, number = submit(live_server, company)
    return_it(live_server, company, invoice_id, "数量を確認してください")
    second_id, second = submit(live_server, company)
    return_it(live_server, company, second_id, "髙橋様の記名がありません")  # not in JIS X 0208
    jis = Runtime.from_settings(worker_settings.model_copy(update={"mail_charset": "iso-2022-jp"}))
    try:
        run_once(jis)
    finally:
        jis.close()
    mails = {m["Subject"]: m for m in smtp[0].to(address_of(company))}
    returned = mails[f"請求書 {number} が差し戻されました"]
    plain = returned.get_body(preferencelist=("plain",))
    rich = returned.get_body(preferencelist=("html",))
    assert plain is not None
    assert rich is not None
    assert plain.get_content_charset() == "iso-2022-jp"
    assert "数量を確認してください" in text_of(returned)
    assert f'<a href="https://juryo.city.example.jp/invoices/{invoice_id}">' in rich.get_content()
    fallback = mails[f"請求書 {second} が差し戻されました"]
    assert fallback.get_body(preferencelist=("plain",)).get_content_charset() == "utf-8"  # type: ignore[union-attr]
    assert "髙橋様" in text_of(fallback)
