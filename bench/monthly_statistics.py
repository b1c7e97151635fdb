"""Monthly statistics benchmark: a month's API answer and page at 1,000,000 invoices, on
PostgreSQL and SQLite. Target: p95 <= 1 s.

The data set is ``bench/inbox.py``'s (its ``SEED`` on PostgreSQL; the same rows written in
SQLite's SQL below), completed with what the statistics read: channels, formats, refusals with
findings, first decisions, approvals (by 20 clerks), returns and corrections, payment batches
and payment days, spread over 300 days. Then, over HTTP against the real app, it times
``GET /api/v1/statistics?month=…`` (the whole city, and one department) and the page
``/statistics?month=…`` (which computes the month and the same month a year earlier).

    .venv/bin/python bench/monthly_statistics.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/monthly_statistics.py --sqlite /tmp/juryo-stats.db
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.inbox import SEED  # noqa: E402
from service import clock  # noqa: E402
from service.settings import Settings  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repositories.statistics import nearest_rank  # noqa: E402
from tests.support import signed_in, start_live_server  # noqa: E402

CHANNELS = "('api', 'page', 'web_form', 'peppol', 'email', 'bulk')"

COMPLETE_POSTGRES = f"""
INSERT INTO users (login, login_key, role, active, created_at)
SELECT 'benchclerk' || n, 'benchclerk' || n, 'clerk', true, now() FROM generate_series(1, 20) n;

UPDATE invoices SET
  channel = (ARRAY{CHANNELS.replace("(", "[").replace(")", "]")})[1 + id % 6],
  format = CASE WHEN id % 10 = 3 THEN 'pdf' ELSE format END,
  profile = CASE WHEN id % 10 = 3 THEN 'pdf' ELSE profile END,
  received_at = received_at - ((id % 86400) || ' seconds')::interval,
  status = CASE WHEN id % 50 = 1 THEN 'invalid' WHEN id % 50 = 7 THEN 'returned' ELSE status END,
  department_id = CASE WHEN id % 50 = 1 THEN NULL ELSE department_id END,
  replaces_invoice_id = CASE WHEN id % 50 = 8 THEN id - 1 END;

UPDATE invoices SET
  payment_deadline = (received_at AT TIME ZONE 'Asia/Tokyo')::date + 30,
  first_decided_at = CASE WHEN status <> 'invalid' AND status <> 'pending'
                          THEN received_at + ((id % 97) || ' hours')::interval END,
  approved_at = CASE WHEN status = 'paid'
                     THEN received_at + ((id % 97 + 24) || ' hours')::interval END,
  returned_at = CASE WHEN status = 'returned'
                     THEN received_at + ((id % 97) || ' hours')::interval END;

INSERT INTO batches (status, payment_date, invoice_count, total_amount, created_at, paid_on)
SELECT 'paid', current_date, 0, 0, now() - ((k - 4) || ' days')::interval,
       (now() - ((k - 10) || ' days')::interval)::date
FROM generate_series(0, 299) k;

INSERT INTO batch_items (batch_id, invoice_id, supplier_id, amount, invoice_number, issue_date)
SELECT (SELECT min(id) FROM batches) + id % 300, id, supplier_id, payable_amount,
       invoice_number, issue_date
FROM invoices WHERE status = 'paid';

UPDATE invoices SET paid_on = b.paid_on
FROM batch_items i JOIN batches b ON b.id = i.batch_id
WHERE i.invoice_id = invoices.id;

INSERT INTO approvals (invoice_id, user_id, approved_at, amount_revision)
SELECT id, (SELECT min(id) FROM users WHERE login LIKE 'benchclerk%') + id % 20, approved_at, 0
FROM invoices WHERE approved_at IS NOT NULL;

INSERT INTO findings (invoice_id, rule_id, severity, message_en, message_ja)
SELECT id, 'BR-0' || (id % 7), 'fatal', 'rule failed', '不合格'
FROM invoices WHERE status = 'invalid';
"""

SEED_SQLITE = """
INSERT INTO departments (code, name, approval_threshold, works_contracts, created_at)
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :departments)
SELECT 'D' || printf('%04d', n), '部署 ' || n, 1000000, n % 10 = 0, :now FROM s;

INSERT INTO suppliers (registration_number, name, approved, created_at)
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :suppliers)
SELECT 'T' || printf('%013d', n), '株式会社ベンチ ' || n, 1, :now FROM s;

INSERT INTO users (login, login_key, role, active, created_at)
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 20)
SELECT 'benchclerk' || n, 'benchclerk' || n, 'clerk', 1, :now FROM s;

INSERT INTO originals (id, sha256, size, media_type, object_key, received_at)
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :invoices)
SELECT n, printf('%064x', n), 6000, 'application/xml', printf('%064x', n), :now FROM s;

INSERT INTO invoices (
    id, supplier_id, original_id, department_id, status, version, format, profile,
    document_type, invoice_number, issue_date, currency, payable_amount, needs_data_entry,
    received_at, clock_started_at, clock_paused_days, routing_rule, channel,
    replaces_invoice_id, amount_revision)
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :invoices)
SELECT n, 1 + n % :suppliers, n,
       CASE WHEN n % 50 = 1 THEN NULL ELSE 1 + (n / 20) % :departments END,
       CASE WHEN n % 50 = 1 THEN 'invalid' WHEN n % 50 = 7 THEN 'returned'
            WHEN n % 20 = 0 THEN 'pending' ELSE 'paid' END,
       1, CASE WHEN n % 10 = 3 THEN 'pdf' ELSE 'ubl-invoice' END,
       CASE WHEN n % 10 = 3 THEN 'pdf' ELSE 'jp-pint' END,
       'invoice', 'B-' || n, date('2026-01-01', '+' || (n % 300) || ' days'), 'JPY',
       1000 + (n % 2000000), 0,
       strftime('%Y-%m-%d %H:%M:%S.000000', :now, '-' || (n % 300) || ' days',
                '-' || (n % 86400) || ' seconds'),
       NULL, 0, 'buyer_reference',
       json_extract('["api","page","web_form","peppol","email","bulk"]', '$[' || (n % 6) || ']'),
       CASE WHEN n % 50 = 8 THEN n - 1 END, 0
FROM s;

UPDATE invoices SET
  clock_started_at = received_at,
  payment_deadline = date(received_at, '+9 hours', '+30 days'),
  first_decided_at = CASE WHEN status NOT IN ('invalid', 'pending')
      THEN strftime('%Y-%m-%d %H:%M:%S.000000', received_at, '+' || (id % 97) || ' hours') END,
  approved_at = CASE WHEN status = 'paid'
      THEN strftime('%Y-%m-%d %H:%M:%S.000000', received_at, '+' || (id % 97 + 24) || ' hours')
      END,
  returned_at = CASE WHEN status = 'returned'
      THEN strftime('%Y-%m-%d %H:%M:%S.000000', received_at, '+' || (id % 97) || ' hours') END;

INSERT INTO batches (id, status, payment_date, invoice_count, total_amount, created_at, paid_on)
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 299)
SELECT k + 1, 'paid', date(:now), 0, 0,
       strftime('%Y-%m-%d %H:%M:%S.000000', :now, printf('%+d days', 4 - k)),
       date(:now, '+9 hours', printf('%+d days', 10 - k))
FROM s;

INSERT INTO batch_items (batch_id, invoice_id, supplier_id, amount, invoice_number, issue_date)
SELECT 1 + id % 300, id, supplier_id, payable_amount, invoice_number, issue_date
FROM invoices WHERE status = 'paid';

UPDATE invoices SET paid_on = (
    SELECT b.paid_on FROM batch_items i JOIN batches b ON b.id = i.batch_id
    WHERE i.invoice_id = invoices.id)
WHERE status = 'paid';

INSERT INTO approvals (invoice_id, user_id, approved_at, amount_revision)
SELECT id, (SELECT min(id) FROM users WHERE login LIKE 'benchclerk%') + id % 20, approved_at, 0
FROM invoices WHERE approved_at IS NOT NULL;

INSERT INTO findings (invoice_id, rule_id, severity, message_en, message_ja)
SELECT id, 'BR-0' || (id % 7), 'fatal', 'rule failed', '不合格'
FROM invoices WHERE status = 'invalid';

ANALYZE;
"""


def _run(engine: Engine, script: str, **params: object) -> None:
    with engine.begin() as connection:
        for statement in filter(str.strip, script.split(";\n")):
            connection.execute(text(statement), params)


@contextmanager
def _postgres(admin_url: str, invoices: int) -> Iterator[str]:
    """A new PostgreSQL database holding bench/inbox.py's data set, completed; dropped after."""
    name = f"juryo_stats_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        engine = create_engine(url)
        params = {"departments": 500, "suppliers": 20_000, "invoices": invoices}
        for statement in filter(str.strip, SEED.split(";")):
            with engine.begin() as connection:
                connection.execute(text(statement), params)
        _run(engine, COMPLETE_POSTGRES)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _sqlite(path: Path, invoices: int) -> Iterator[str]:
    """A new SQLite database with the same rows."""
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = create_engine(url)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    _run(engine, SEED_SQLITE, departments=500, suppliers=20_000, invoices=invoices, now=now)
    engine.dispose()
    yield url


def _account(url: str) -> tuple[str, str, str]:
    """An accounting user: (login, password, token)."""
    from service.accounts.service import add_user
    from storage.audit import Actor
    from storage.db import session_factory, transaction
    from storage.models import Role

    engine = create_engine(url)
    login, password = f"benchacc{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    with transaction(session_factory(engine)) as session:
        created = add_user(
            session,
            actor=Actor("bench", "admin"),
            login=login,
            role=Role.ACCOUNTING,
            department_codes=[],
            supplier_registration=None,
            password=password,
        )
    engine.dispose()
    assert created.token is not None
    return login, password, created.token


def _timed(call: Callable[[], int], samples: int) -> str:
    call()  # warm up
    times = []
    for _ in range(samples):
        begin = time.perf_counter()
        status = call()
        times.append((time.perf_counter() - begin) * 1000)
        assert status == 200, status
    p50, p95 = (nearest_rank([round(t) for t in times], p) for p in (50, 95))
    return f"p50 {p50} ms  p95 {p95} ms  (nearest rank, n={samples})"


def _measure(url: str, label: str, samples: int) -> None:
    login, password, token = _account(url)
    first = clock.today().replace(day=1)
    month = (first - dt.timedelta(days=1)).strftime("%Y-%m")  # the last whole month
    settings = Settings(
        database_url=url, storage_url=f"file:{REPO}/var/bench-objects", log_level="WARNING"
    )
    with start_live_server(settings) as server, server.client(token) as api:
        api.timeout = 120

        def city() -> int:
            return api.get("/api/v1/statistics", params={"month": month}).status_code

        def department() -> int:
            params = {"month": month, "department": "D0042"}
            return api.get("/api/v1/statistics", params=params).status_code

        received = api.get("/api/v1/statistics", params={"month": month}).json()["volume"]
        print(f"{label}: month {month}, {received['received']:,} invoices received in it")
        print(f"{label} API, whole city:     {_timed(city, samples)}")
        print(f"{label} API, one department: {_timed(department, samples)}")
        with signed_in(server, login, password) as browser:
            browser.timeout = 120

            def page() -> int:
                return browser.get("/statistics", params={"month": month}).status_code

            print(f"{label} page (+ a year earlier): {_timed(page, samples)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server")
    parser.add_argument("--sqlite", type=Path, help="path of a SQLite file to (re)create")
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    for label, database in (
        ("PostgreSQL", args.postgres and _postgres(args.postgres, args.invoices)),
        ("SQLite", args.sqlite and _sqlite(args.sqlite, args.invoices)),
    ):
        if not database:
            continue
        started = time.perf_counter()
        with database as url:
            built = time.perf_counter() - started
            print(f"{label}: {args.invoices:,} invoices built in {built:.0f} s")
            _measure(url, label, args.samples)
    print("target: p95 <= 1000 ms")


if __name__ == "__main__":
    main()
