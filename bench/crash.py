"""Crash consistency under fire: concurrent uploaders while the server is SIGKILLed.

Starts ``juryo serve`` on a fresh database and object store (PostgreSQL + moto's S3 server with
``--postgres``), lets N uploaders send distinct invoices (retrying unanswered ones with the same
Idempotency-Key, as suppliers' software does), SIGKILLs the whole server process group at random
moments and restarts it, then checks every acknowledged upload, looks for rows without objects
and duplicates, and runs the reconciler. Prints the counts.

    .venv/bin/python bench/crash.py --postgres postgresql+psycopg://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storage.db import create_db_engine, session_factory  # noqa: E402
from storage.objects import open_object_store  # noqa: E402
from tests.reliability.crash import run_campaign  # noqa: E402
from tests.reliability.server import ServerProcess, bench_stack, juryo  # noqa: E402
from tests.support import registration_number  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (else SQLite)")
    parser.add_argument("--uploaders", type=int, default=20)
    parser.add_argument("--per-uploader", type=int, default=40)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="juryo-crash-"))
    with bench_stack(args.postgres, work) as env:
        seller = registration_number()
        juryo(env, "db", "upgrade")
        juryo(env, "supplier", "add", seller, "クラッシュ試験株式会社")
        added = juryo(env, "user", "add", "crash", "--role", "supplier", "--supplier", seller)
        token = added.strip().splitlines()[-1]
        server = ServerProcess(env, workers=args.workers, log=work / "server.log")
        server.start()
        engine = create_db_engine(env["JURYO_DATABASE_URL"])
        store = open_object_store(
            env["JURYO_STORAGE_URL"],
            endpoint_url=env.get("JURYO_S3_ENDPOINT_URL"),
            retention_years=10,
        )
        try:
            report = run_campaign(
                server,
                token=token,
                seller=seller,
                uploaders=args.uploaders,
                per_uploader=args.per_uploader,
                kills=args.kills,
                sessions=session_factory(engine),
                store=store,
            )
        finally:
            server.stop()
            engine.dispose()
    backend = "PostgreSQL + S3 (moto)" if args.postgres else "SQLite + filesystem"
    print(f"backend: {backend}; {args.uploaders} uploaders, {args.workers} server workers")
    print("\n".join(report.lines()))
    ok = (
        not report.missing
        and report.rows_without_object == 0
        and not report.duplicates
        and not report.never_accepted
        and report.acknowledged == report.sent
        and report.kills >= 5
    )
    print(json.dumps({"consistent": ok}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
