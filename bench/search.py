"""The 電帳法 invoice search at scale: p95 per filter combination (``bench/inbox.py``'s data set).

Builds ``bench/inbox.py``'s 1,000,000 invoices once in a named PostgreSQL database (``--database``;
kept, and reused by the next run, migrated to the current head first), then measures over HTTP
against the real app, as an auditor (who sees every invoice), the p50/p95 of
``GET /api/v1/invoices`` (first page of 50, with its total) and of the page after it (by
cursor), for every combination of issue-date range, amount range and counterparty. Target:
p95 <= 50 ms.

    .venv/bin/python bench/search.py --postgres postgresql+psycopg://postgres@127.0.0.1:54329/postgres
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.inbox import SEED  # noqa: E402
from service.settings import Settings  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.support import start_live_server  # noqa: E402

SUPPLIERS = 20_000


def _months() -> Iterator[tuple[str, str]]:
    """One-month issue-date ranges over the data set's 300 days (each ≈ 100,000 invoices)."""
    for month in range(1, 11):
        first = dt.date(2026, month, 1)
        last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        yield first.isoformat(), last.isoformat()


def _filters(sample: int) -> dict[str, dict[str, str]]:
    """Each filter alone, varied by sample so no answer is simply cached: a month of issue
    dates (≈ 100,000 hits), ¥10,000 of amounts (≈ 10,000 hits), one supplier (50 invoices)."""
    month_from, month_to = list(_months())[sample % 10]
    low = 1000 + (sample * 7919) % 990_000
    return {
        "date": {"issue_date_from": month_from, "issue_date_to": month_to},
        "amount": {"amount_min": str(low), "amount_max": str(low + 10_000)},
        "supplier": {"supplier": f"T{1 + (sample * 31) % SUPPLIERS:013d}"},
    }


def _combinations() -> list[tuple[str, ...]]:
    names = ("date", "amount", "supplier")
    return [c for size in range(4) for c in itertools.combinations(names, size)]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94]


def build(admin_url: str, database: str, invoices: int) -> str:
    """The data set's database: created and seeded unless it is there already; migrated."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=database).render_as_string(hide_password=False)
    upgrade(url)
    engine = create_engine(url)
    if not exists:
        started = time.perf_counter()
        with engine.begin() as connection:
            params = {"departments": 500, "suppliers": SUPPLIERS, "invoices": invoices}
            for statement in filter(str.strip, SEED.split(";")):
                connection.execute(text(statement), params)
        print(f"seeded {invoices:,} invoices in {time.perf_counter() - started:.1f} s")
    _vacuum(engine)
    engine.dispose()
    return url


def _vacuum(engine: Engine) -> None:
    """What autovacuum would have done by now (the visibility map lets index-only scans run)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE invoices"))


def _auditor_token(url: str) -> str:
    from service.accounts.service import add_user
    from storage.audit import Actor
    from storage.db import session_factory, transaction
    from storage.models import Role

    engine = create_engine(url)
    login = f"auditor{time.time_ns()}"
    with transaction(session_factory(engine)) as session:
        created = add_user(
            session,
            actor=Actor("bench", "admin"),
            login=login,
            role=Role.AUDITOR,
            department_codes=[],
            supplier_registration=None,
            password=None,
        )
    engine.dispose()
    assert created.token is not None
    return created.token


def measure(url: str, samples: int) -> list[tuple[str, float, float, float, float, str]]:
    """Per combination: first page p50/p95, next page p50/p95, and a typical total."""
    settings = Settings(
        database_url=url, storage_url=f"file:{REPO}/var/bench-objects", log_level="WARNING"
    )
    results = []
    with start_live_server(settings) as server:
        client = server.client(_auditor_token(url))
        client.get("/api/v1/invoices")  # warm up the connection and the caches
        for combination in _combinations():
            first: list[float] = []
            after: list[float] = []
            shown = ""
            for n in range(samples):
                chosen = _filters(n)
                params: dict[str, Any] = {}
                for name in combination:
                    params.update(chosen[name])
                begin = time.perf_counter()
                response = client.get("/api/v1/invoices", params=params)
                first.append((time.perf_counter() - begin) * 1000)
                assert response.status_code == 200, response.text
                body = response.json()
                shown = f"{body['total']:,}{'+' if body['total_is_capped'] else ''}"
                if body["next_cursor"]:
                    begin = time.perf_counter()
                    response = client.get(
                        "/api/v1/invoices", params={**params, "cursor": body["next_cursor"]}
                    )
                    after.append((time.perf_counter() - begin) * 1000)
                    assert response.status_code == 200, response.text
            label = " + ".join(combination) or "(none)"
            p50, p95 = _percentiles(first)
            n50, n95 = _percentiles(after) if len(after) > 1 else (0.0, 0.0)
            results.append((label, p50, p95, n50, n95, shown))
        client.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", required=True, help="admin URL of a PostgreSQL server")
    parser.add_argument("--database", default="juryo_search_bench", help="kept and reused")
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    url = build(args.postgres, args.database, args.invoices)
    if args.build_only:
        return
    print(f"{args.invoices:,} invoices; auditor (sees all); {args.samples} samples per row")
    print(f"{'filters':<26} {'total':>9}  {'first p50':>9} {'p95':>7}  {'next p50':>8} {'p95':>7}")
    for label, p50, p95, n50, n95, shown in measure(url, args.samples):
        print(f"{label:<26} {shown:>9}  {p50:>9.1f} {p95:>7.1f}  {n50:>8.1f} {n95:>7.1f}")
    print("target: p95 <= 50 ms (ms, over HTTP, one client)")


if __name__ == "__main__":
    main()
