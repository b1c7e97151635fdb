"""The NTA registry: lookup latency at intake with millions of rows, and import streaming.

1. Lookup: fills ``nta_registrations`` with ``--rows`` rows (default 5,000,000) generated in
   SQL (a recursive CTE on SQLite, ``generate_series`` on PostgreSQL; the import path is
   measured separately below), then times ``service.registry.service.standing`` — exactly what
   intake runs per invoice: the newest import, then the number's newest row through
   ``ix_nta_registrations_number`` — for ``--lookups`` random numbers, half of them absent.
2. Import: writes a zip of ``--import-rows`` rows in the NTA layout and imports it with
   ``import_file`` (the code of ``juryo nta import``), printing rows/s and the peak RSS
   before and after, to show that memory stays flat.

    .venv/bin/python bench/nta.py [--rows 5000000] [--postgres postgresql+psycopg://…/postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.clock import today  # noqa: E402
from service.registry.service import import_file, standing  # noqa: E402
from storage.db import create_db_engine, session_factory, transaction  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.nta_files import nta_row, nta_zip  # noqa: E402

COLUMNS = (
    "import_id, sequence_number, registration_number, process, correct, kind, country, latest, "
    "registration_date, update_date, disposal_date, expire_date, name, address, trade_name"
)
SQLITE_FILL = f"""
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < :rows)
INSERT INTO nta_registrations ({COLUMNS})
SELECT :import_id, x, 'T' || printf('%013d', x * 2), '01', '0', '2', '1', 1,
       '2023-10-01', '2023-10-01', NULL, NULL, '株式会社ベンチ' || x, '東京都千代田区霞が関', ''
FROM n
"""
POSTGRES_FILL = f"""
INSERT INTO nta_registrations ({COLUMNS})
SELECT :import_id, x, 'T' || lpad((x * 2)::text, 13, '0'), '01', '0', '2', '1', true,
       DATE '2023-10-01', DATE '2023-10-01', NULL, NULL, '株式会社ベンチ' || x,
       '東京都千代田区霞が関', ''
FROM generate_series(1, :rows) AS x
"""


def _database(postgres: str | None, workdir: Path) -> str:
    if postgres is None:
        return f"sqlite:///{workdir}/nta.db"
    name = f"juryo_bench_nta_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(postgres).set(database=name).render_as_string(hide_password=False)


def _drop(admin_url: str, url: str) -> None:
    """The benchmark's own database goes when it is done (millions of rows)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{make_url(url).database}"'))
    admin.dispose()


def _fill(url: str, rows: int) -> float:
    """Generated rows, committed and analysed; returns the seconds it took."""
    started = time.perf_counter()
    engine = create_db_engine(url)
    with engine.begin() as connection:
        import_id = connection.execute(
            text(
                "INSERT INTO nta_imports (sha256, filename, kind, file_date, row_count, "
                "signature_verified, imported_at) VALUES (:sha, 'bench_zenken.zip', 'full', "
                ":day, :rows, false, CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"sha": uuid.uuid4().hex * 2, "day": today(), "rows": rows},
        ).scalar_one()
        fill = POSTGRES_FILL if url.startswith("postgresql") else SQLITE_FILL
        connection.execute(text(fill), {"rows": rows, "import_id": import_id})
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    engine.dispose()
    return time.perf_counter() - started


def _lookups(url: str, rows: int, count: int) -> tuple[list[float], list[float]]:
    """Milliseconds per ``standing`` call, in one session as intake holds one: wall clock,
    and this thread's CPU (on a loaded machine the wall clock also counts waiting for a core;
    on PostgreSQL the server's CPU is not in the second figure)."""
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    rng = random.Random(20)
    numbers = [f"T{rng.randrange(1, rows * 2 + 1):013d}" for _ in range(count)]
    issued, now = dt.date(2026, 11, 26), today()
    timings, cpu = [], []
    with transaction(sessions) as session:
        for number in numbers[:200]:  # warm the connection and the statement cache
            standing(session, number, issued, today=now, max_age_days=7)
        for number in numbers:
            started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
            standing(session, number, issued, today=now, max_age_days=7)
            cpu.append((time.thread_time_ns() - started_cpu) / 1e6)
            timings.append((time.perf_counter_ns() - started) / 1e6)
    engine.dispose()
    return timings, cpu


def _figures(timings: list[float]) -> str:
    ordered = sorted(timings)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return (
        f"p50 {pick(0.50):.3f} ms, p95 {pick(0.95):.3f} ms, p99 {pick(0.99):.3f} ms, "
        f"max {ordered[-1]:.3f} ms, mean {statistics.fmean(ordered):.3f} ms"
    )


def _import(url: str, rows: int, workdir: Path) -> tuple[float, int, int]:
    """Seconds to import a zip of ``rows`` rows, and the peak RSS (KiB) before and after."""
    day = today() + dt.timedelta(days=1)
    path = nta_zip(
        workdir / f"zenken_{day:%Y%m%d}.zip",
        (nta_row(f"T9{n:012d}", sequence=n) for n in range(rows)),
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine = create_db_engine(url)
    started = time.perf_counter()
    with transaction(session_factory(engine)) as session:
        import_file(session, path, kind="full", file_date=day, key=None)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--import-rows", type=int, default=500_000, help="0: no import")
    parser.add_argument("--postgres", help="an admin URL: a fresh database is made on it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = _database(args.postgres, workdir)
        upgrade(url)
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{backend}: filling {args.rows:,} rows …", flush=True)
        print(f"  filled in {_fill(url, args.rows):.1f} s", flush=True)
        load = os.getloadavg()[0]
        timings, cpu = _lookups(url, args.rows, args.lookups)
        print(f"  standing() x {len(timings):,} (half absent), load average {load:.1f}:")
        print(f"    wall clock: {_figures(timings)}")
        print(f"    client CPU: {_figures(cpu)}", flush=True)
        if args.import_rows:
            seconds, before, after = _import(url, args.import_rows, workdir)
            print(
                f"  import of {args.import_rows:,} rows from a zip: {seconds:.1f} s "
                f"({args.import_rows / seconds:,.0f} rows/s); peak RSS {before / 1024:.0f} "
                f"MiB before, {after / 1024:.0f} MiB after",
                flush=True,
            )
        if args.postgres:
            _drop(args.postgres, url)
        print(f"command: {' '.join(sys.argv)}")


if __name__ == "__main__":
    main()
