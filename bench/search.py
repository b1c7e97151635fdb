"""The 電帳法 invoice search at scale: p95 per filter combination (``bench/inbox.py``'s data set).

Builds ``bench/inbox.py``'s 1,000,000 invoices once in a named PostgreSQL database (``--database``;
kept, and reused by the next run, migrated to the current head first). Then, as an auditor (who
sees every invoice), for every combination of issue-date range, amount range and counterparty:

- the database's share, in this process: the search as it was (exact count, the indexes before
  migration 0019, set up in a rolled-back transaction) and as it is (``repo.search``), and
  their ratio: on a shared machine the ratio says more than either figure;
- over HTTP against the real app: ``GET /api/v1/invoices`` (first page of 50 with its total)
  and the page after it by ``cursor``, and the search page ``GET /invoices`` signed in.

Target: p95 <= 50 ms. The load average is printed at the start and the end: on a machine shared
with other work, read the figures beside it.

    .venv/bin/python bench/search.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

import httpx
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.databases import bench_account, kept_postgres  # noqa: E402
from bench.inbox import SEED  # noqa: E402
from service.settings import Settings  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import InvoiceRecord, Role  # noqa: E402
from storage.repositories import invoices as invoice_repo  # noqa: E402
from tests.support import signed_in, start_live_server  # noqa: E402

SUPPLIERS = 20_000
EVERYTHING = invoice_repo.Scope(everything=True)
WARM_UP = 5
"""Untimed searches per combination first: the first of a kind builds its SQL, and psycopg
prepares a statement on its fifth run; a long-running server has done both long before."""


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
    url, exists = kept_postgres(admin_url, database)
    upgrade(url)
    engine = create_engine(url)
    if not exists:
        started = time.perf_counter()
        with engine.begin() as connection:
            params = {"departments": 500, "suppliers": SUPPLIERS, "invoices": invoices}
            for statement in filter(str.strip, SEED.split(";")):
                connection.execute(text(statement), params)
        print(f"seeded {invoices:,} invoices in {time.perf_counter() - started:.1f} s")
    _add_findings(engine)
    _vacuum(engine)
    engine.dispose()
    return url


FINDINGS = """
INSERT INTO findings (invoice_id, rule_id, severity, message_en, message_ja, location)
SELECT id, 'JP-JURYO-SELLER-NAME', 'warning', 'The seller''s name differs from the registry',
       '売り手の名称が登録簿と異なります', '/Invoice/cac:AccountingSupplierParty'
FROM invoices WHERE id % 10 = 0
"""
"""One invoice in ten flagged for the clerk, so that a page's rows carry findings."""


def _add_findings(engine: Engine) -> None:
    """The findings of the data set, added once (data sets built before they were kept)."""
    with engine.begin() as connection:
        if connection.execute(text("SELECT 1 FROM findings LIMIT 1")).first() is None:
            connection.execute(text(FINDINGS))


def _vacuum(engine: Engine) -> None:
    """What autovacuum would have done by now (the visibility map lets index-only scans run)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE invoices"))
        connection.execute(text("VACUUM ANALYZE findings"))


BEFORE_INDEXES = """
DROP INDEX ix_invoices_search_issue_date;
DROP INDEX ix_invoices_search_amount;
DROP INDEX ix_invoices_search_supplier;
DROP INDEX ix_invoices_received;
CREATE INDEX ix_invoices_issue_date ON invoices (issue_date);
CREATE INDEX ix_invoices_payable_amount ON invoices (payable_amount);
CREATE INDEX ix_invoices_supplier_id ON invoices (supplier_id)
"""
"""The indexes before migration 0019, set up in a transaction that is rolled back."""


def _criteria(params: dict[str, str]) -> invoice_repo.InvoiceFilter:
    def day(name: str) -> dt.date | None:
        return dt.date.fromisoformat(params[name]) if name in params else None

    def yen(name: str) -> Decimal | None:
        return Decimal(params[name]) if name in params else None

    return invoice_repo.InvoiceFilter(
        issue_date_from=day("issue_date_from"),
        issue_date_to=day("issue_date_to"),
        amount_min=yen("amount_min"),
        amount_max=yen("amount_max"),
        supplier=params.get("supplier"),
        supplier_number=params.get("supplier"),
    )


def _params(combination: tuple[str, ...], sample: int) -> dict[str, str]:
    chosen = _filters(sample)
    params: dict[str, str] = {}
    for name in combination:
        params.update(chosen[name])
    return params


def _search_before(session: Session, criteria: invoice_repo.InvoiceFilter) -> int:
    """The search as it was before keyset pagination: an exact count and an ORDER BY ... LIMIT
    the planner was free to serve from any index."""
    query = invoice_repo._filtered(EVERYTHING, criteria)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    session.execute(
        query.options(*invoice_repo.SHOWN)
        .order_by(InvoiceRecord.received_at.desc(), InvoiceRecord.id.desc())
        .limit(50)
    ).scalars().all()
    return int(total)


def _timed(run: Callable[[], object], samples: list[float]) -> object:
    begin = time.perf_counter()
    answer = run()
    samples.append((time.perf_counter() - begin) * 1000)
    return answer


def in_process(url: str, samples: int) -> dict[str, tuple[list[float], list[float]]]:
    """Per combination: the database's share (repo.search in this process), before and after."""
    engine = create_engine(url)
    timings: dict[str, tuple[list[float], list[float]]] = {}
    with engine.connect() as connection:
        transaction = connection.begin()
        for statement in filter(str.strip, BEFORE_INDEXES.split(";")):
            connection.execute(text(statement))
        connection.execute(text("ANALYZE invoices"))
        session = Session(bind=connection)
        for combination in _combinations():
            before: list[float] = []
            for n in range(-WARM_UP, samples):
                criteria = _criteria(_params(combination, n))
                _timed(partial(_search_before, session, criteria), before)
                session.expunge_all()  # each search builds its rows, as in a request
            timings[_label(combination)] = (before[WARM_UP:], [])
        session.close()
        transaction.rollback()
    with Session(engine) as session:
        for combination in _combinations():
            after: list[float] = []
            for n in range(-WARM_UP, samples):
                criteria = _criteria(_params(combination, n))
                run = partial(invoice_repo.search, session, EVERYTHING, criteria, limit=50)
                _timed(run, after)
                session.expunge_all()
            timings[_label(combination)][1].extend(after[WARM_UP:])
    engine.dispose()
    return timings


def _label(combination: tuple[str, ...]) -> str:
    return " + ".join(combination) or "(none)"


@dataclass
class OverHttp:
    """One combination's figures over HTTP."""

    shown: str = ""
    first: list[float] = field(default_factory=list)
    after: list[float] = field(default_factory=list)
    page: list[float] = field(default_factory=list)


def over_http(url: str, samples: int) -> dict[str, OverHttp]:
    """Per combination: the hits shown, the API's first and next page, and the search page."""
    settings = Settings(
        database_url=url, storage_url=f"file:{REPO}/var/bench-objects", log_level="WARNING"
    )
    auditor = bench_account(url, Role.AUDITOR)
    results = {}
    with (
        start_live_server(settings) as server,
        server.client(auditor.token) as client,
        signed_in(server, auditor.login, auditor.password) as browser,
    ):
        for combination in _combinations():
            figures = results[_label(combination)] = OverHttp()
            _ask(client, browser, combination, range(-WARM_UP, 0), OverHttp())
            _ask(client, browser, combination, range(samples), figures)
    return results


def _ask(
    client: httpx.Client,
    browser: httpx.Client,
    combination: tuple[str, ...],
    samples: range,
    figures: OverHttp,
) -> None:
    for n in samples:
        params = _params(combination, n)
        body = _get(client, "/api/v1/invoices", params, figures.first).json()
        figures.shown = f"{body['total']:,}{'+' if body['total_is_capped'] else ''}"
        if body["next_cursor"]:
            after = {**params, "cursor": body["next_cursor"]}
            _get(client, "/api/v1/invoices", after, figures.after)
        _get(browser, "/invoices", params, figures.page)


def _get(
    client: httpx.Client, path: str, params: dict[str, str], samples: list[float]
) -> httpx.Response:
    response = _timed(partial(client.get, path, params=params), samples)
    assert isinstance(response, httpx.Response)
    assert response.status_code == 200, response.text
    return response


def _p95(samples: list[float]) -> str:
    return f"{_percentiles(samples)[1]:.1f}" if len(samples) > 1 else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", required=True, help="admin URL of a PostgreSQL server")
    parser.add_argument("--database", default="juryo_search_bench", help="kept and reused")
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    url = build(args.postgres, args.database, args.invoices)
    if args.build_only:
        return
    print("load average at start (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    database = in_process(url, args.samples)
    http = over_http(url, args.samples)
    print(f"{args.invoices:,} invoices, as an auditor (sees all), {args.samples} samples a row")
    print(
        "p95 in ms; 'db': repo.search in-process; 'api': GET /api/v1/invoices (first page, "
        "next page by cursor); 'page': GET /invoices signed in; one client"
    )
    print(
        f"{'filters':<26} {'hits':>8} {'db before':>10} {'db after':>9} {'ratio':>6} "
        f"{'api first':>10} {'api next':>9} {'page':>6}"
    )
    for label, (before, after) in database.items():
        figures = http[label]
        ratio = _percentiles(before)[1] / _percentiles(after)[1]
        print(
            f"{label:<26} {figures.shown:>8} {_p95(before):>10} {_p95(after):>9} {ratio:>5.1f}x "
            f"{_p95(figures.first):>10} {_p95(figures.after):>9} {_p95(figures.page):>6}"
        )
    print("target: p95 <= 50 ms")
    print("load average at end (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
