"""Home page to-do counts on PostgreSQL at 1,000,000 invoices (``bench/inbox.py``'s data set).

Times ``storage.repositories.todo`` directly, per role: a clerk's department, a supplier, and
accounting (every invoice). The database is vacuumed first, as autovacuum would have done.

    .venv/bin/python bench/home_counts.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.inbox import SEED  # noqa: E402
from service import clock  # noqa: E402
from storage.db import session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Department  # noqa: E402
from storage.repositories import todo  # noqa: E402
from storage.repositories.invoices import Scope  # noqa: E402

Count = Callable[[Session], object]


def _roles(session: Session, today: dt.date) -> dict[str, list[Count]]:
    soon = today + dt.timedelta(days=7)
    departments = session.execute(select(Department.id).order_by(Department.id).limit(20))
    return {
        "clerk (1 department)": [
            partial(
                todo.clerk_counts,
                scope=Scope(department_ids=frozenset({d})),
                today=today,
                soon_until=soon,
            )
            for d in departments.scalars()
        ],
        "supplier": [
            partial(todo.supplier_counts, scope=Scope(supplier_id=n)) for n in range(1, 21)
        ],
        "accounting (everything)": [
            partial(todo.accounting_counts, scope=Scope(everything=True), today=today)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", required=True, help="admin URL of a PostgreSQL server")
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()
    name = f"juryo_counts_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        engine = create_engine(url)
        with engine.begin() as connection:
            for statement in filter(str.strip, SEED.split(";")):
                params = {"departments": 500, "suppliers": 20_000, "invoices": args.invoices}
                connection.execute(text(statement), params)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE invoices"))
        sessions = session_factory(engine)
        with sessions() as session:
            roles = _roles(session, clock.today())
        for label, counts in roles.items():
            samples = []
            for n in range(args.samples):
                with sessions() as session:
                    begin = time.perf_counter()
                    counts[n % len(counts)](session)
                    samples.append((time.perf_counter() - begin) * 1000)
            cuts = statistics.quantiles(samples, n=100, method="inclusive")
            print(
                f"{args.invoices:,} invoices, {label}: p50 {cuts[49]:.1f} ms  p95 {cuts[94]:.1f} ms"
            )
        engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
