"""The NTA registry: lookup latency at intake with millions of rows, and import streaming.

1. Lookup: a database whose ``nta_registrations`` holds ``--rows`` rows (default 5,000,000,
   generated in SQL: a recursive CTE on SQLite, ``generate_series`` on PostgreSQL) is made
   once and kept (``--sqlite FILE`` / ``--postgres URL --database NAME``); a later run on it
   only migrates it and measures. The run prints the lookup's plan (``EXPLAIN QUERY PLAN`` /
   ``EXPLAIN ANALYZE``), then times what intake runs per invoice,
   ``service.registry.service.intake_findings``, in one session on one connection as intake
   holds them, for ``--lookups`` random numbers (half registered, half absent). Interleaved
   with it, as a baseline under the same load, a primary-key point query on ``nta_imports`` (a
   table of one row) through the same session and connection. Wall-clock p50/p99/max, CPU p99
   of this thread, the ratio to the baseline, and the load average at start and end.
2. Import (``--import-rows N``, 0 for none): a zip of N rows in the NTA layout imported with
   ``import_file`` (the code of ``juryo nta import``) into a fresh database of its own,
   printing rows/s and the peak RSS before and after, to show that memory stays flat.

    .venv/bin/python bench/nta.py --sqlite /tmp/juryo-nta-5m.db
    .venv/bin/python bench/nta.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
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
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import bindparam, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.databases import kept_postgres  # noqa: E402
from service.registry.service import import_file, intake_findings  # noqa: E402
from service.settings import Settings  # noqa: E402
from storage.db import create_db_engine, session_factory, transaction  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import NtaImport  # noqa: E402
from storage.repositories.nta import lookup_plan  # noqa: E402
from tests.nta_files import nta_row, nta_zip  # noqa: E402

BENCH_FILE = "bench_zenken.zip"
REGISTRY_DATE = dt.date(2026, 11, 27)
ISSUED = dt.date(2026, 11, 26)
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
BASELINE = select(NtaImport.file_date).where(NtaImport.id == bindparam("id"))
"""The baseline: a primary-key point query on a one-row table, through the same path."""


def _drop_postgres(admin_url: str, url: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{make_url(url).database}"'))
    admin.dispose()


def _filled(url: str, rows: int) -> int | None:
    """The benchmark import's id when the database already holds its ``rows`` rows; None when
    it holds no benchmark import. Another size is refused: use another file or database."""
    engine = create_db_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT id, row_count FROM nta_imports WHERE filename = :name"),
            {"name": BENCH_FILE},
        ).first()
    engine.dispose()
    if found is not None and found.row_count != rows:
        sys.exit(f"{url} holds {found.row_count:,} benchmark rows, not {rows:,}: use another")
    return None if found is None else int(found.id)


def _fill(url: str, rows: int) -> int:
    """Generated rows, committed, then analysed (and vacuumed on PostgreSQL, so that the
    visibility map lets the covering index answer alone, as autovacuum does after an import)."""
    engine = create_db_engine(url)
    with engine.begin() as connection:
        import_id = int(
            connection.execute(
                text(
                    "INSERT INTO nta_imports (sha256, filename, kind, file_date, row_count, "
                    "signature_verified, imported_at) VALUES (:sha, :name, 'full', :day, :rows, "
                    "false, CURRENT_TIMESTAMP) RETURNING id"
                ),
                {
                    "sha": uuid.uuid4().hex * 2,
                    "name": BENCH_FILE,
                    "day": REGISTRY_DATE,
                    "rows": rows,
                },
            ).scalar_one()
        )
        fill = POSTGRES_FILL if url.startswith("postgresql") else SQLITE_FILL
        connection.execute(text(fill), {"rows": rows, "import_id": import_id})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"))
    engine.dispose()
    return import_id


def _timed(call: Callable[[], object], wall: list[float], cpu: list[float]) -> None:
    started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
    call()
    cpu.append((time.thread_time_ns() - started_cpu) / 1e6)
    wall.append((time.perf_counter_ns() - started) / 1e6)


def _measure(url: str, rows: int, count: int, import_id: int) -> dict[str, list[float]]:
    """Milliseconds per lookup and per baseline query, interleaved in one session on one
    connection as intake holds them: wall clock, and this thread's CPU (on PostgreSQL the
    server's CPU is in the wall clock only)."""
    engine = create_db_engine(url)
    rng = random.Random(20)
    picks = [rng.randrange(1, rows * 2 + 1) for _ in range(count + 200)]
    max_age = Settings().nta_registry_max_age_days
    times: dict[str, list[float]] = {k: [] for k in ("wall", "cpu", "base_wall", "base_cpu")}

    def lookup(session: Session, x: int) -> Callable[[], object]:
        name = f"株式会社ベンチ{x // 2}" if x % 2 == 0 else "株式会社どこにもない"
        return lambda: intake_findings(
            session, f"T{x:013d}", ISSUED, name, today=REGISTRY_DATE, max_age_days=max_age
        )

    with transaction(session_factory(engine)) as session:
        connection = session.connection()
        plan = lookup_plan(session, f"T{picks[0] * 2:013d}")
        print("  plan:", *plan, sep="\n    ", flush=True)

        def baseline() -> object:
            return connection.execute(BASELINE, {"id": import_id}).one()

        for x in picks[:200]:  # warm the connection, the caches and the prepared statements
            lookup(session, x)()
            baseline()
        for x in picks[200:]:
            _timed(lookup(session, x), times["wall"], times["cpu"])
            _timed(baseline, times["base_wall"], times["base_cpu"])
    engine.dispose()
    return times


def _load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in load)


def _pick(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _figures(timings: list[float]) -> str:
    ordered = sorted(timings)
    return (
        f"p50 {_pick(ordered, 0.50):.3f} ms, p99 {_pick(ordered, 0.99):.3f} ms, "
        f"max {ordered[-1]:.3f} ms, mean {statistics.fmean(ordered):.3f} ms"
    )


def _report(times: dict[str, list[float]]) -> None:
    p99 = {k: _pick(sorted(v), 0.99) for k, v in times.items()}
    p50 = {k: _pick(sorted(v), 0.50) for k, v in times.items()}
    print(f"    lookup   wall: {_figures(times['wall'])}; CPU p99 {p99['cpu']:.3f} ms")
    print(f"    baseline wall: {_figures(times['base_wall'])}; CPU p99 {p99['base_cpu']:.3f} ms")
    print(
        f"    lookup / baseline: p50 {p50['wall'] / p50['base_wall']:.2f}, "
        f"p99 {p99['wall'] / p99['base_wall']:.2f} (wall), "
        f"CPU p99 {p99['cpu'] / p99['base_cpu']:.2f}",
        flush=True,
    )


def _import(url: str, rows: int, workdir: Path) -> tuple[float, int, int]:
    """Seconds to import a zip of ``rows`` rows, and the peak RSS (KiB) before and after."""
    path = nta_zip(
        workdir / f"zenken_{REGISTRY_DATE:%Y%m%d}.zip",
        (nta_row(f"T9{n:012d}", sequence=n) for n in range(rows)),
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine = create_db_engine(url)
    started = time.perf_counter()
    with transaction(session_factory(engine)) as session:
        import_file(session, path, kind="full", file_date=REGISTRY_DATE, key=None)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _lookup_bench(url: str, backend: str, args: argparse.Namespace) -> None:
    upgrade(url)
    import_id = _filled(url, args.rows)
    if import_id is None:
        print(f"{backend}: filling {args.rows:,} rows …", flush=True)
        started = time.perf_counter()
        import_id = _fill(url, args.rows)
        print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
    else:
        print(f"{backend}: reusing {args.rows:,} rows in {make_url(url).database}", flush=True)
    start_load = os.getloadavg()
    times = _measure(url, args.rows, args.lookups, import_id)
    end_load = os.getloadavg()
    print(f"  intake_findings() x {args.lookups:,} (half registered, half absent):")
    _report(times)
    print(f"  load average (1, 5, 15 min): at start {_load(start_load)}, at end {_load(end_load)}")


def _import_bench(args: argparse.Namespace, backend: str, workdir: Path) -> None:
    url = (
        kept_postgres(args.postgres, f"juryo_bench_nta_import_{uuid.uuid4().hex[:8]}")[0]
        if args.postgres
        else f"sqlite:///{workdir}/import.db"
    )
    upgrade(url)
    load = os.getloadavg()
    seconds, before, after = _import(url, args.import_rows, workdir)
    print(
        f"{backend}: import of {args.import_rows:,} rows from a zip: {seconds:.1f} s "
        f"({args.import_rows / seconds:,.0f} rows/s); peak RSS {before / 1024:.0f} MiB before, "
        f"{after / 1024:.0f} MiB after; load {_load(load)} → {_load(os.getloadavg())}",
        flush=True,
    )
    if args.postgres:
        _drop_postgres(args.postgres, url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--import-rows", type=int, default=0, help="0 (default): no import")
    parser.add_argument("--sqlite", type=Path, help="a SQLite file, made once and then reused")
    parser.add_argument("--postgres", help="an admin URL of the PostgreSQL server")
    parser.add_argument(
        "--database", default="juryo_bench_nta_5m", help="on --postgres: made once, reused"
    )
    parser.add_argument("--drop", action="store_true", help="drop --database when done")
    args = parser.parse_args()
    backend = "PostgreSQL" if args.postgres else "SQLite"
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.postgres:
            url, _ = kept_postgres(args.postgres, args.database)
        else:
            url = f"sqlite:///{args.sqlite or workdir / 'nta.db'}"
        if args.rows:
            _lookup_bench(url, backend, args)
        if args.import_rows:
            _import_bench(args, backend, workdir)
        if args.postgres and args.drop:
            _drop_postgres(args.postgres, url)
    print(f"command: {' '.join(sys.argv)}")


if __name__ == "__main__":
    main()
