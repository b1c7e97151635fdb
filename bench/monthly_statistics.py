"""Monthly statistics benchmark: a month's API answer and page at 1,000,000 invoices, on
PostgreSQL and SQLite. Target: p95 <= 1 s.

The data set is ``bench/inbox.py``'s (its ``SEED`` on PostgreSQL; the same rows written in
SQLite's SQL below), completed with what the statistics read: channels, formats, refusals with
findings, first decisions, approvals (by 20 clerks), returns and corrections, payment batches
and payment days, spread over 300 days. It is seeded with the statistics' triggers off and the
monthly tables then filled set-based (``storage.monthly_statistics.refill``, as migration 0021
and ``juryo stats rebuild`` do), in one transaction. The databases are kept and reused (the
PostgreSQL one by ``--database``, the SQLite one by its path), migrated to the head first.

Then, over HTTP against the real app, as an accounting user, it times (p95, nearest rank)
``GET /api/v1/statistics?month=…`` for the whole city and one department, and the page
``/statistics?month=…`` (which computes the month and the same month a year earlier) for
both; beside a baseline measured in the same run, ``GET /api/v1/me`` (each figure's ratio to
it says how it fares on a loaded machine), and the load average at the start and the end.

    .venv/bin/python bench/monthly_statistics.py --postgres postgresql+psycopg://postgres@127.0.0.1:54329/postgres
    .venv/bin/python bench/monthly_statistics.py --sqlite var/juryo-stats-1m.db
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, create_engine, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.databases import bench_account, kept_postgres  # noqa: E402
from bench.inbox import SEED  # noqa: E402
from service import clock  # noqa: E402
from service.settings import Settings  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Role  # noqa: E402
from storage.monthly_statistics import create_triggers, drop_triggers, refill  # noqa: E402
from storage.repositories.statistics import nearest_rank  # noqa: E402
from tests.support import signed_in, start_live_server  # noqa: E402

TARGET_MS = 1000
CHANNELS = "('api', 'page', 'web_form', 'peppol', 'email', 'bulk')"

APPROVALS_AND_FINDINGS = """
INSERT INTO approvals (invoice_id, user_id, approved_at, amount_revision)
SELECT id, (SELECT min(id) FROM users WHERE login LIKE 'benchclerk%') + id % 20, approved_at, 0
FROM invoices WHERE approved_at IS NOT NULL;

INSERT INTO findings (invoice_id, rule_id, severity, message_en, message_ja)
SELECT id, 'BR-0' || (id % 7), 'fatal', 'rule failed', '不合格'
FROM invoices WHERE status = 'invalid';
"""
"""The same on both backends: the clerks' approvals and the refused invoices' findings."""

COMPLETE_POSTGRES = (
    f"""
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

"""
    + APPROVALS_AND_FINDINGS
)

SEED_SQLITE = (
    """
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

"""
    + APPROVALS_AND_FINDINGS
    + "\nANALYZE;\n"
)


def _run(connection: Connection, script: str, **params: object) -> None:
    for statement in filter(str.strip, script.split(";\n")):
        connection.execute(text(statement), params)


def _seeded(url: str) -> bool:
    """Whether a kept database already holds the data set (a failed build left none: each
    build is one transaction)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT 1 FROM invoices LIMIT 1")).first()
    engine.dispose()
    return found is not None


def _build(url: str, seed: Callable[[Connection], None]) -> None:
    """Seed with the triggers off, then fill the monthly tables set-based (what the migration
    and ``juryo stats rebuild`` do) and put the triggers back, in one transaction."""
    engine = create_engine(url)
    with engine.begin() as connection:
        drop_triggers(connection)
        seed(connection)
        counts, lead_times = refill(connection)
        create_triggers(connection)
    print(f"monthly tables filled: {counts:,} count rows, {lead_times:,} lead times")
    engine.dispose()


def _postgres(admin_url: str, database: str, invoices: int) -> str:
    """The named PostgreSQL database holding bench/inbox.py's data set, completed: built
    unless it is there already, kept, and migrated to the current head."""
    url, _ = kept_postgres(admin_url, database)
    upgrade(url)
    if not _seeded(url):
        params = {"departments": 500, "suppliers": 20_000, "invoices": invoices}

        def seed(connection: Connection) -> None:
            for statement in filter(str.strip, SEED.split(";")):
                connection.execute(text(statement), params)
            _run(connection, COMPLETE_POSTGRES)

        _build(url, seed)
    engine = create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return url


def _sqlite(path: Path, invoices: int) -> str:
    """The SQLite file with the same rows: built unless it holds them already, kept."""
    url = f"sqlite:///{path}"
    upgrade(url)
    if not _seeded(url):
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        params = {"departments": 500, "suppliers": 20_000, "invoices": invoices, "now": now}
        _build(url, lambda connection: _run(connection, SEED_SQLITE, **params))
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        engine.dispose()
    return url


def _timed(call: Callable[[], int], samples: int) -> int:
    """p95 in ms (nearest rank) of ``samples`` calls after one to warm up."""
    call()
    times = []
    for _ in range(samples):
        begin = time.perf_counter()
        status = call()
        times.append(round((time.perf_counter() - begin) * 1000))
        assert status == 200, status
    p95 = nearest_rank(times, 95)
    assert p95 is not None
    return p95


def _report(label: str, what: str, p95: int, baseline: int) -> None:
    verdict = "ok" if p95 <= TARGET_MS else "MISSED"
    print(f"{label} {what:<34} p95 {p95:>6} ms  {p95 / baseline:>6.1f}x /me  {verdict}")


def _measure(url: str, label: str, samples: int) -> None:
    account = bench_account(url, Role.ACCOUNTING)
    first = clock.today().replace(day=1)
    month = (first - dt.timedelta(days=1)).strftime("%Y-%m")  # the last whole month
    settings = Settings(
        database_url=url, storage_url=f"file:{REPO}/var/bench-objects", log_level="WARNING"
    )
    with start_live_server(settings) as server, server.client(account.token) as api:
        api.timeout = 120

        def get(path: str, **params: str) -> int:
            return api.get(path, params=params).status_code

        received = api.get("/api/v1/statistics", params={"month": month}).json()["volume"]
        print(f"{label}: month {month}, {received['received']:,} invoices received in it")
        baseline = max(1, _timed(lambda: get("/api/v1/me"), samples))
        print(f"{label} baseline GET /api/v1/me             p95 {baseline:>6} ms")
        city = _timed(lambda: get("/api/v1/statistics", month=month), samples)
        _report(label, "API, whole city", city, baseline)
        one = _timed(lambda: get("/api/v1/statistics", month=month, department="D0042"), samples)
        _report(label, "API, one department (D0042)", one, baseline)
        with signed_in(server, account.login, account.password) as browser:
            browser.timeout = 120

            def page(**params: str) -> int:
                return browser.get("/statistics", params={"month": month, **params}).status_code

            _report(label, "page, whole city (+ a year earlier)", _timed(page, samples), baseline)
            department = _timed(lambda: page(department="D0042"), samples)
            _report(label, "page, one department", department, baseline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server")
    parser.add_argument("--database", default="juryo_stats_bench", help="kept and reused")
    parser.add_argument("--sqlite", type=Path, help="path of a SQLite file (kept and reused)")
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    for label, build in (
        ("PostgreSQL", args.postgres and partial(_postgres, args.postgres, args.database)),
        ("SQLite", args.sqlite and partial(_sqlite, args.sqlite)),
    ):
        if not build:
            continue
        started = time.perf_counter()
        url = build(args.invoices)
        print(f"{label}: database ready in {time.perf_counter() - started:.0f} s")
        _measure(url, label, args.samples)
    print(f"target: p95 <= {TARGET_MS} ms")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
