"""Inbox benchmark on PostgreSQL: 1,000,000 invoices across 500 departments.

Seeds the database with SQL (5 % of invoices pending, the rest decided long ago), then measures
over HTTP against the real app the p50/p95 latency of the clerk's inbox (first page, sorted by
days left to pay) and of an approval. Target: p95 <= 50 ms.

    .venv/bin/python bench/inbox.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.settings import Settings  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.support import start_live_server  # noqa: E402

SEED = """
INSERT INTO departments (code, name, approval_threshold, works_contracts, created_at)
SELECT 'D' || lpad(n::text, 4, '0'), '部署 ' || n, 1000000, n % 10 = 0, now()
FROM generate_series(1, :departments) AS n;

INSERT INTO suppliers (registration_number, name, approved, created_at)
SELECT 'T' || lpad(n::text, 13, '0'), '株式会社ベンチ ' || n, true, now()
FROM generate_series(1, :suppliers) AS n;

INSERT INTO originals (sha256, size, media_type, object_key, received_at)
SELECT md5(n::text) || md5((-n)::text), 6000, 'application/xml',
       md5(n::text) || md5((-n)::text), now()
FROM generate_series(1, :invoices) AS n;

INSERT INTO invoices (
    supplier_id, original_id, department_id, status, version, format, profile, document_type,
    invoice_number, issue_date, currency, payable_amount, needs_data_entry, received_at,
    payment_deadline, clock_started_at, clock_paused_days, routing_rule)
SELECT 1 + n % :suppliers, n,
       (SELECT id FROM departments ORDER BY id LIMIT 1) + (n / 20) % :departments,
       CASE WHEN n % 20 = 0 THEN 'pending' ELSE 'paid' END, 1, 'ubl-invoice', 'jp-pint',
       'invoice', 'B-' || n, date '2026-01-01' + (n % 300), 'JPY', 1000 + (n % 2000000),
       false, now() - ((n % 300) || ' days')::interval,
       current_date + 30 - (n % 60), now() - ((n % 300) || ' days')::interval, 0,
       'buyer_reference'
FROM generate_series(1, :invoices) AS n;
ANALYZE;
"""


def _percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49]:.1f} ms  p95 {cuts[94]:.1f} ms  (n={len(samples)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", required=True, help="admin URL of a PostgreSQL server")
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--departments", type=int, default=500)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()

    name = f"juryo_inbox_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as connection:
        for statement in filter(str.strip, SEED.split(";")):
            connection.execute(
                text(statement),
                {
                    "departments": args.departments,
                    "suppliers": 20_000,
                    "invoices": args.invoices,
                },
            )
    print(f"seeded {args.invoices:,} invoices in {time.perf_counter() - started:.1f} s")

    from service.accounts.service import add_user
    from storage.audit import Actor
    from storage.db import session_factory, transaction
    from storage.models import Role

    codes = [f"D{n:04d}" for n in random.Random(1).sample(range(1, args.departments + 1), 20)]
    tokens: list[str] = []
    with transaction(session_factory(engine)) as session:
        for index, code in enumerate(codes):
            created = add_user(
                session,
                actor=Actor("bench", "admin"),
                login=f"clerk{index}",
                role=Role.CLERK,
                department_codes=[code],
                supplier_registration=None,
                password=None,
            )
            assert created.token is not None
            tokens.append(created.token)

    settings = Settings(
        database_url=url, storage_url=f"file:{REPO}/var/bench-objects", log_level="WARNING"
    )
    inbox_ms: list[float] = []
    decision_ms: list[float] = []
    with start_live_server(settings) as server:
        clients = [server.client(token) for token in tokens]
        for client in clients:  # warm up connections and caches
            client.get("/api/v1/inbox")
        for n in range(args.samples):
            client = clients[n % len(clients)]
            begin = time.perf_counter()
            response = client.get("/api/v1/inbox", params={"sort": "deadline"})
            inbox_ms.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, response.text
            items = response.json()["items"]
            target = items[n // len(clients) % len(items)]
            begin = time.perf_counter()
            decided = client.post(
                f"/api/v1/invoices/{target['id']}/approve", json={"version": target["version"]}
            )
            decision_ms.append((time.perf_counter() - begin) * 1000)
            assert decided.status_code in (200, 409), decided.text
        for client in clients:
            client.close()
    pending = args.invoices // 20
    print(
        f"{args.invoices:,} invoices, {args.departments} departments, {pending:,} pending "
        f"(~{pending // args.departments} per inbox)"
    )
    print(f"inbox (first page of 50, by days left): {_percentiles(inbox_ms)}")
    print(f"decision (approve):                     {_percentiles(decision_ms)}")
    print("target: p95 <= 50 ms")
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
